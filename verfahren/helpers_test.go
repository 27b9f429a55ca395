// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren

import (
	"testing"
	"time"
)

// mustDefinition returns a shipped definition.
func mustDefinition(tb testing.TB, name string) *Definition {
	tb.Helper()
	r, err := NewRegistry()
	if err != nil {
		tb.Fatalf("NewRegistry: %v", err)
	}
	d, err := r.Get(name)
	if err != nil {
		tb.Fatalf("Get(%q): %v", name, err)
	}
	return d
}

// day0 is the day of the first event of a test history.
var day0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// fullContext returns a context in which every guard of ev holds except the
// history-based ones: all party roles present, the required documents
// carried, and every running Frist expired.
func fullContext(d *Definition, history []Event, ev EventDef) GuardContext {
	ctx := GuardContext{Participants: PartyRoles(), Documents: ev.Guards.Documents}
	running, _ := d.RunningFristen(history)
	for _, f := range running {
		ctx.ExpiredFristen = append(ctx.ExpiredFristen, f.Name)
	}
	return ctx
}

// edgeKey names one transition: an event fired in a state.
type edgeKey struct {
	from  State
	event string
}

// run drives d through events, each fired by the first role the definition
// allows and with fullContext; every step must be allowed by Decide. It
// returns the history and records each (state, event) pair in seen (if not
// nil).
func mustRun(tb testing.TB, d *Definition, events []string, seen map[edgeKey]bool) []Event {
	tb.Helper()
	var history []Event
	for i, name := range events {
		ev, ok := d.Event(name)
		if !ok {
			tb.Fatalf("step %d: no event %q in %s", i+1, name, d.Name)
		}
		state, err := d.Fold(history)
		if err != nil {
			tb.Fatalf("step %d: Fold: %v", i+1, err)
		}
		next := Event{
			Seq:  len(history) + 1,
			Name: name,
			At:   day0.AddDate(0, 0, 7*i),
			By:   "subject-" + ev.Roles[0],
			Role: ev.Roles[0],
		}
		if err := d.Decide(history, next, fullContext(d, history, ev)); err != nil {
			tb.Fatalf("step %d: Decide(%q in state %q) = %v, want nil", i+1, name, state, err)
		}
		if seen != nil {
			seen[edgeKey{state, name}] = true
		}
		history = append(history, next)
	}
	return history
}
