// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren

import (
	"fmt"
	"slices"
	"strings"

	"justizcloud/errs"
)

// GuardContext carries what the guards need besides the history; the service
// collects it before it asks Decide.
type GuardContext struct {
	// Participants are the party roles present on the case (see PartyRoles).
	Participants []string
	// Documents are the document classes of the documents the event
	// carries: GDS.Dokumentklasse codes or the readable names of
	// DocumentClassCode.
	Documents []string
	// ExpiredFristen are the running Fristen (see Definition.RunningFristen) whose
	// end, computed by the caller with the court's holiday calendar, has
	// passed.
	ExpiredFristen []string
}

// Reasons of a Refusal.
const (
	ReasonEvent        = "event"              // the definition has no such event
	ReasonState        = "state"              // not allowed in the current state
	ReasonRole         = "role"               // the caller's role may not fire it
	ReasonParticipants = "guard.participants" // a required participant is missing
	ReasonDocuments    = "guard.documents"    // a required document class is missing
	ReasonAfter        = "guard.after"        // a required previous event is missing
	ReasonNotAfter     = "guard.not_after"    // an excluding previous event is present
	ReasonFrist        = "guard.frist"        // a Frist has not (yet) expired
)

// Refusal is the error of Decide: the event may not fire now. It wraps
// errs.ErrForbidden for ReasonRole, errs.ErrInvalid for ReasonEvent and
// errs.ErrConflict otherwise, and carries the reason in German (for the
// portal) and English (for the API and logs).
type Refusal struct {
	Event   string
	State   State    // the current state
	Role    string   // the caller's role
	Reason  string   // one of the Reason constants
	Missing []string // what the guard missed: roles, document codes, events, Fristen
	DE, EN  string
}

func (r *Refusal) Error() string { return r.EN }

// Unwrap returns the errs sentinel for the reason.
func (r *Refusal) Unwrap() error {
	switch r.Reason {
	case ReasonRole:
		return errs.ErrForbidden
	case ReasonEvent:
		return errs.ErrInvalid
	}
	return errs.ErrConflict
}

// RunningFrist is a Frist started by an event of the history and not stopped
// since. Its end date is not computed here: the frist package computes it
// from Start.At and Period with the court's holiday calendar.
type RunningFrist struct {
	FristDef
	Start Event // the basis event: its day starts the Frist
}

// replay is the one pass over a history that Fold, Decide, Allowed and
// Fristen share.
type replay struct {
	state   State
	seen    map[string]bool
	running map[string]Event
	order   []string // running Fristen in the order they were (re)started
}

// replay folds history. An event that the definition does not have, or that
// is not allowed in the state reached so far, or a Seq out of order, means
// the stored history is corrupt: the error wraps errs.ErrInvalid. Role and
// guards are not checked again: they were decided with context (documents,
// participants, dates) that the history does not hold.
func (d *Definition) replay(history []Event) (*replay, error) {
	r := &replay{state: d.Initial, seen: map[string]bool{}, running: map[string]Event{}}
	for i, e := range history {
		fail := func(format string, args ...any) (*replay, error) {
			return nil, fmt.Errorf("verfahren %s: history corrupt at event %d %q: %s: %w",
				d.Name, i+1, e.Name, fmt.Sprintf(format, args...), errs.ErrInvalid)
		}
		if e.Seq != i+1 {
			return fail("seq %d, want %d", e.Seq, i+1)
		}
		ev, ok := d.Event(e.Name)
		if !ok {
			return fail("no such event in the definition")
		}
		if !slices.Contains(ev.From, r.state) {
			return fail("not allowed in state %q", r.state)
		}
		if ev.To != "" {
			r.state = ev.To
		}
		r.seen[e.Name] = true
		for _, f := range ev.Effects.StopFristen {
			r.stop(f)
		}
		for _, f := range ev.Effects.StartFristen {
			r.stop(f) // a restart counts from the new basis
			r.running[f] = e
			r.order = append(r.order, f)
		}
	}
	return r, nil
}

func (r *replay) stop(f string) {
	if _, ok := r.running[f]; ok {
		delete(r.running, f)
		r.order = slices.DeleteFunc(r.order, func(s string) bool { return s == f })
	}
}

// Fold returns the current state of a proceeding: the initial state with
// every event of history applied in order. It is a pure function. An event
// that is unknown or not allowed in the state reached so far, or a gap in
// Seq, is history corruption and an error wrapping errs.ErrInvalid: the
// caller must not append to such a history.
func (d *Definition) Fold(history []Event) (State, error) {
	r, err := d.replay(history)
	if err != nil {
		return "", err
	}
	return r.state, nil
}

// Decide reports whether next may be appended to history: the event exists,
// next.Role may fire it, it is allowed in the current state, and its guards
// hold with ctx. It returns nil, a *Refusal, or the error of a corrupt
// history (see Fold). The role is checked before the state, so that a role
// that may never fire an event always gets the same answer (forbidden).
func (d *Definition) Decide(history []Event, next Event, ctx GuardContext) error {
	r, err := d.replay(history)
	if err != nil {
		return err
	}
	ev, ok := d.Event(next.Name)
	if !ok {
		return &Refusal{
			Event: next.Name, State: r.state, Role: next.Role, Reason: ReasonEvent,
			DE: fmt.Sprintf("Ereignis „%s“ ist im Verfahren „%s“ nicht vorgesehen", next.Name, d.Name),
			EN: fmt.Sprintf("event %q is not defined in procedure %q", next.Name, d.Name),
		}
	}
	if ref := d.check(r, ev, next.Role, ctx, true); ref != nil {
		return ref
	}
	return nil
}

// Allowed lists, in definition order, the events that role may fire now,
// for a UI to offer. Document guards are not checked, since the documents
// are chosen when the event is fired: the returned EventDef says which
// classes are needed. A corrupt history allows nothing.
func (d *Definition) Allowed(history []Event, role string, ctx GuardContext) []EventDef {
	r, err := d.replay(history)
	if err != nil {
		return nil
	}
	var out []EventDef
	for _, ev := range d.Events {
		// Most events fail on role or state; skipping those here spares
		// check the wording of refusals nobody reads.
		if !slices.Contains(ev.Roles, role) || !slices.Contains(ev.From, r.state) {
			continue
		}
		if d.check(r, ev, role, ctx, false) == nil {
			out = append(out, ev)
		}
	}
	return out
}

// RunningFristen returns the Fristen running after history, in the order they were
// started: started by an event's effects and not stopped by a later one. A
// Frist started again runs from its new basis event.
func (d *Definition) RunningFristen(history []Event) ([]RunningFrist, error) {
	r, err := d.replay(history)
	if err != nil {
		return nil, err
	}
	out := make([]RunningFrist, 0, len(r.order))
	for _, name := range r.order {
		f, _ := d.Frist(name)
		out = append(out, RunningFrist{FristDef: f, Start: r.running[name]})
	}
	return out, nil
}

// check applies role, state and guards. docs selects whether the document
// guard applies.
func (d *Definition) check(r *replay, ev EventDef, role string, ctx GuardContext, docs bool) *Refusal {
	refuse := func(reason string, missing []string, de, en string) *Refusal {
		return &Refusal{Event: ev.Name, State: r.state, Role: role, Reason: reason, Missing: missing, DE: de, EN: en}
	}
	if !slices.Contains(ev.Roles, role) {
		return refuse(ReasonRole, nil,
			fmt.Sprintf("Ereignis „%s“ darf nicht in der Rolle „%s“ ausgelöst werden", ev.Name, role),
			fmt.Sprintf("event %q may not be fired by role %q", ev.Name, role))
	}
	if !slices.Contains(ev.From, r.state) {
		return refuse(ReasonState, nil,
			fmt.Sprintf("Ereignis „%s“ ist im Zustand „%s“ nicht zulässig", ev.Name, r.state),
			fmt.Sprintf("event %q is not allowed in state %q", ev.Name, r.state))
	}
	if m := missing(ev.Guards.Participants, func(p string) bool { return slices.Contains(ctx.Participants, p) }); m != nil {
		return refuse(ReasonParticipants, m,
			fmt.Sprintf("Ereignis „%s“ erfordert Beteiligte in der Rolle %s", ev.Name, quoteDE(m)),
			fmt.Sprintf("event %q requires participants with role %s", ev.Name, quoteEN(m)))
	}
	if docs {
		have := make([]string, len(ctx.Documents))
		for i, c := range ctx.Documents {
			have[i] = normalizeDocumentClass(c)
		}
		if m := missing(ev.Guards.Documents, func(c string) bool { return slices.Contains(have, c) }); m != nil {
			names := make([]string, len(m))
			for i, c := range m {
				names[i] = documentClassName(c)
			}
			return refuse(ReasonDocuments, m,
				fmt.Sprintf("Ereignis „%s“ erfordert ein Dokument der Klasse %s", ev.Name, quoteDE(names)),
				fmt.Sprintf("event %q requires a document of class %s", ev.Name, quoteEN(names)))
		}
	}
	if m := missing(ev.Guards.After, func(e string) bool { return r.seen[e] }); m != nil {
		return refuse(ReasonAfter, m,
			fmt.Sprintf("Ereignis „%s“ setzt das Ereignis %s voraus", ev.Name, quoteDE(m)),
			fmt.Sprintf("event %q requires a previous event %s", ev.Name, quoteEN(m)))
	}
	var present []string
	for _, e := range ev.Guards.NotAfter {
		if r.seen[e] {
			present = append(present, e)
		}
	}
	if present != nil {
		return refuse(ReasonNotAfter, present,
			fmt.Sprintf("Ereignis „%s“ ist nach dem Ereignis %s nicht mehr zulässig", ev.Name, quoteDE(present)),
			fmt.Sprintf("event %q is not allowed after event %s", ev.Name, quoteEN(present)))
	}
	if m := missing(ev.Guards.FristExpired, func(f string) bool {
		_, running := r.running[f]
		return running && slices.Contains(ctx.ExpiredFristen, f)
	}); m != nil {
		return refuse(ReasonFrist, m,
			fmt.Sprintf("Ereignis „%s“ ist erst nach Ablauf der Frist %s zulässig", ev.Name, quoteDE(m)),
			fmt.Sprintf("event %q is allowed only after Frist %s has expired", ev.Name, quoteEN(m)))
	}
	return nil
}

// missing returns the items of want for which have is false, or nil.
func missing(want []string, have func(string) bool) []string {
	var out []string
	for _, w := range want {
		if !have(w) {
			out = append(out, w)
		}
	}
	return out
}

func quoteDE(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = "„" + s + "“"
	}
	return strings.Join(q, ", ")
}

func quoteEN(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
