// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren

import "justizcloud/frist"

// Definition is a procedure type: its states, the events that move a
// proceeding between them, who may fire each event, what must hold before it
// fires (guards) and what follows from it (effects). Definitions come from
// YAML files (see Load) and are read-only once loaded: every method is a pure
// function of the definition and its arguments, and a *Definition may be
// shared by any number of goroutines.
type Definition struct {
	Name        string // e.g. "zivil-online"; also the file name without ".yaml"
	Title       string
	Description string // legal basis, with the §§ cited
	Initial     State  // the state of a proceeding with an empty history
	States      []StateDef
	Events      []EventDef
	Fristen     []FristDef
}

// StateDef describes one state.
type StateDef struct {
	Name     State
	Title    string
	Terminal bool // no event may leave a terminal state
}

// EventDef describes one event type.
type EventDef struct {
	Name    string
	Title   string
	From    []State  // states in which the event may fire
	To      State    // the state after the event; empty: the state stays
	Roles   []string // roles that may fire it (see Roles)
	Guards  Guards
	Effects Effects
}

// Guards are the conditions besides state and role that must hold before an
// event may fire. All listed items are required (logical and).
type Guards struct {
	// Participants are Beteiligten roles (see PartyRoles) that must be
	// present on the case, e.g. a beklagter before the Klage is served.
	Participants []string
	// Documents are XJustiz GDS.Dokumentklasse codes (e.g. "006" for Urteil)
	// of which the event must carry at least one document each. Files may
	// use the readable names of DocumentClassCode; Load stores codes.
	Documents []string
	// After are events that must be in the history.
	After []string
	// NotAfter are events that must not be in the history.
	NotAfter []string
	// FristExpired are Fristen that must be running (started and not
	// stopped) and expired. This package does no date arithmetic: the caller
	// computes expiry from RunningFristen and passes the expired ones in
	// GuardContext.ExpiredFristen.
	FristExpired []string
}

// Effects are what follows from an event besides the change of state. The
// service carries them out; this package only records them and derives the
// running Fristen.
type Effects struct {
	StartFristen  []string // Fristen that start with the day of this event
	StopFristen   []string // Fristen that end with this event (complied with or moot)
	Wiedervorlage Period   // zero: none; else the file comes back after this period
	Notify        []string // Beteiligten roles to notify
}

// FristDef describes a deadline of the procedure.
type FristDef struct {
	Name   string
	Title  string // with its legal basis
	Period Period
	// Basis is the event whose day starts the Frist (§ 187 Abs. 1 BGB: that
	// day is not counted). Only the basis event may start the Frist.
	Basis string
}

// Period is a length of time in the notation of the definition files and of
// `justizcloud frist`: "3d", "2w", "1m", "1y" — the Fristen package's type, so
// definitions and date arithmetic cannot disagree. The zero Period means none.
type Period = frist.Period

// State returns the definition of state s.
func (d *Definition) State(s State) (StateDef, bool) {
	for _, st := range d.States {
		if st.Name == s {
			return st, true
		}
	}
	return StateDef{}, false
}

// Event returns the definition of the event named name.
func (d *Definition) Event(name string) (EventDef, bool) {
	for _, e := range d.Events {
		if e.Name == name {
			return e, true
		}
	}
	return EventDef{}, false
}

// Frist returns the definition of the Frist named name.
func (d *Definition) Frist(name string) (FristDef, bool) {
	for _, f := range d.Fristen {
		if f.Name == name {
			return f, true
		}
	}
	return FristDef{}, false
}

// Terminal reports whether s is a terminal state of d.
func (d *Definition) Terminal(s State) bool {
	st, ok := d.State(s)
	return ok && st.Terminal
}
