// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package verfahren turns cases into proceedings: procedure types are
// declarative definitions (states, events, who may fire them, guards,
// effects) loaded from embedded files, and a proceeding's state is derived
// from its append-only event history by a pure function.
package verfahren

import "time"

// State is a state of a proceeding, e.g. "eingereicht".
type State string

// Event is one entry of a proceeding's history. History is append-only:
// Seq counts from 1 without gaps.
type Event struct {
	Seq       int
	Name      string    // event name of the definition, e.g. "zugestellt"
	At        time.Time // when it was recorded (UTC)
	By        string    // subject id
	Role      string    // the role the subject acted in
	Documents []string  // document ids the event refers to
	Data      map[string]string
}
