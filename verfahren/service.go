// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren

import (
	"context"
	"fmt"
	"slices"
	"time"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/frist"
	"justizcloud/tenancy"
)

// Store keeps the event histories of proceedings. Implementations are safe
// for concurrent use and scope every call by tenant.
type Store interface {
	// Events returns the history in order; another tenant's case is errs.ErrNotFound.
	Events(ctx context.Context, t tenancy.ID, c akte.CaseID) ([]Event, error)
	// AppendEvent stores e if e.Seq is the history's length plus one, else
	// errs.ErrConflict, and in the same transaction stores what the history
	// now gives: the state and the running Fristen.
	AppendEvent(ctx context.Context, c akte.Case, e Event, d Derived) error
	// ReplaceDerived stores the state and running Fristen of a case (for
	// rebuilding them).
	ReplaceDerived(ctx context.Context, c akte.Case, d Derived) error
	// DueFristen lists running Fristen that end by f.Until, ordered by end,
	// case ID and name.
	DueFristen(ctx context.Context, t tenancy.ID, f FristFilter) ([]DueFrist, error)
	// Filings lists the proceedings (cases with a procedure type) that have
	// no event yet, ordered by creation time and ID.
	Filings(ctx context.Context, t tenancy.ID, f FilingFilter) ([]akte.Case, error)
	// CasesWithEvents lists the proceedings of the tenant (and of court, if
	// not empty) whose history holds one of the named events, ordered by ID.
	CasesWithEvents(ctx context.Context, t tenancy.ID, court tenancy.CourtID, events []string) ([]akte.Case, error)
}

// Derived is what the store keeps of a history so that lists need not fold
// it: the state and the running Fristen.
type Derived struct {
	State   State
	Fristen []FristStatus
}

// FristFilter selects running Fristen in Store.DueFristen.
type FristFilter struct {
	Court tenancy.CourtID // empty: every court of the tenant
	Until time.Time       // a civil date: Fristen ending on it or before
	// Keyset pagination: only Fristen with (End, Case, Name) after these.
	AfterEnd  time.Time
	AfterCase akte.CaseID
	AfterName string
	Limit     int
}

// DueFrist is a running Frist with its proceeding.
type DueFrist struct {
	Case  akte.Case
	Frist FristStatus
}

// FilingFilter selects new filings in Store.Filings.
type FilingFilter struct {
	Court tenancy.CourtID // empty: every court of the tenant
	// Keyset pagination: only cases with (CreatedAt, ID) after (AfterAt,
	// AfterID). A zero AfterAt starts at the beginning.
	AfterAt time.Time
	AfterID akte.CaseID
	Limit   int
}

// Service runs proceedings: it checks each event against the case's
// procedure definition and appends it to the history.
type Service struct {
	cases *akte.Service
	store Store
	reg   *Registry
	cal   *frist.Calendar
	now   func() time.Time
}

// NewService returns a service over the case file service, the history store,
// the procedure definitions and the Fristen calendar.
func NewService(cases *akte.Service, st Store, reg *Registry, cal *frist.Calendar, now func() time.Time) *Service {
	return &Service{cases: cases, store: st, reg: reg, cal: cal, now: now}
}

// Registry returns the loaded procedure definitions.
func (s *Service) Registry() *Registry { return s.reg }

// CreateCase registers a case that runs under a procedure type (in.Procedure,
// which must be a known definition) or, with an empty type, a plain case file.
func (s *Service) CreateCase(ctx context.Context, sub authz.Subject, in akte.NewCase) (akte.Case, error) {
	if in.Procedure != "" {
		if _, err := s.reg.Get(in.Procedure); err != nil {
			return akte.Case{}, fmt.Errorf("create case: %w: field \"procedure\": unknown procedure type %q (known: %v)", errs.ErrInvalid, in.Procedure, s.reg.Names())
		}
	}
	return s.cases.CreateCase(ctx, sub, in)
}

// FristStatus is a running Frist with its computed end.
type FristStatus struct {
	Name, Title string
	Start       time.Time // the day of the event that started it
	End         time.Time // the last day, after weekends and holidays at the court's seat
	Expired     bool      // the end has passed (in Europe/Berlin)
}

// Status is the current state of a proceeding as its history gives it.
type Status struct {
	Procedure string
	State     State
	Version   int        // number of events; the expected version of the next
	Allowed   []EventDef // what the subject's role may fire now
	Fristen   []FristStatus
	// Role is the role the subject acts in on this proceeding: their staff
	// role, or their participant's role (klaeger, beklagter, …); empty when
	// they may fire nothing (e.g. an inspector).
	Role string
}

// Command asks to append an event.
type Command struct {
	Event     string
	Documents []akte.DocumentID
	Data      map[string]string
	// Version is the history length the caller has seen; a stale one is
	// refused with errs.ErrConflict. 0 skips the check.
	Version int
	// At, when set, is when the event happened, for a system that records
	// an event after the fact (package zustellung: the moment of service,
	// from which the Fristen run). It must not lie in the future nor before
	// the history's last event (errs.ErrInvalid). Zero: now. The API never
	// sets it.
	At time.Time
}

// Status returns the state of a proceeding and its history.
func (s *Service) Status(ctx context.Context, sub authz.Subject, id akte.CaseID) (Status, []Event, error) {
	c, def, history, err := s.load(ctx, sub, id)
	if err != nil {
		return Status{}, nil, err
	}
	st, _, err := s.status(ctx, sub, c, def, history)
	return st, history, err
}

// Fire appends an event after the procedure definition allowed it: the
// state, the subject's role and every guard. A refusal is a *Refusal.
func (s *Service) Fire(ctx context.Context, sub authz.Subject, id akte.CaseID, cmd Command) (Status, error) {
	c, def, history, err := s.load(ctx, sub, id)
	if err != nil {
		return Status{}, err
	}
	if cmd.Version != 0 && cmd.Version != len(history) {
		return Status{}, fmt.Errorf("event %s: %w: the proceeding has %d events, not %d; reload it and decide again", cmd.Event, errs.ErrConflict, len(history), cmd.Version)
	}
	if err := s.cases.Authorizer().May(ctx, sub, authz.FireEvent, akte.CaseResource(c)); err != nil {
		return Status{}, fmt.Errorf("event %s: %w", cmd.Event, err)
	}
	if err := s.cases.Writable(ctx, c); err != nil { // handed over to another court: read-only
		return Status{}, fmt.Errorf("event %s: %w", cmd.Event, err)
	}
	cur, gctx, err := s.status(ctx, sub, c, def, history)
	if err != nil {
		return Status{}, err
	}
	gctx.Documents = nil
	docs := make([]string, 0, len(cmd.Documents))
	for _, did := range cmd.Documents {
		d, err := s.cases.Document(ctx, sub, did)
		if err != nil || d.Case != c.ID {
			return Status{}, fmt.Errorf("event %s: %w: field \"documents\": %s is not a document of this case", cmd.Event, errs.ErrInvalid, did)
		}
		docs = append(docs, string(d.ID))
		if d.Class != "" {
			gctx.Documents = append(gctx.Documents, d.Class)
		}
	}
	at, err := eventTime(cmd, history, s.now())
	if err != nil {
		return Status{}, err
	}
	e := Event{Seq: len(history) + 1, Name: cmd.Event, At: at, By: sub.ID, Role: cur.Role, Documents: docs, Data: cmd.Data}
	if err := def.Decide(history, e, gctx); err != nil {
		return Status{}, err
	}
	derived, err := s.derive(c, def, append(history, e))
	if err != nil {
		return Status{}, fmt.Errorf("event %s: %w", cmd.Event, err)
	}
	if err := s.store.AppendEvent(ctx, c, e, derived); err != nil {
		return Status{}, fmt.Errorf("event %s: %w", cmd.Event, err)
	}
	if err := s.wiedervorlage(ctx, sub, c, e); err != nil {
		// The event is recorded; only its effect failed. Not atomic with the
		// append, so the error says so instead of pretending nothing happened.
		return Status{}, fmt.Errorf("event %s #%d recorded, but its Wiedervorlage was not set: %w", e.Name, e.Seq, err)
	}
	st, _, err := s.status(ctx, sub, c, def, append(history, e))
	return st, err
}

// eventTime is the time of the event cmd asks for: now, or cmd.At when it
// is neither in the future nor before the last event of history.
func eventTime(cmd Command, history []Event, now time.Time) (time.Time, error) {
	if cmd.At.IsZero() {
		return now.UTC(), nil
	}
	at := cmd.At.UTC()
	if at.After(now) {
		return time.Time{}, fmt.Errorf("event %s: %w: time %s is in the future", cmd.Event, errs.ErrInvalid, at.Format(time.RFC3339))
	}
	if n := len(history); n > 0 && at.Before(history[n-1].At) {
		return time.Time{}, fmt.Errorf("event %s: %w: time %s is before the last event (#%d at %s)", cmd.Event, errs.ErrInvalid,
			at.Format(time.RFC3339), history[n-1].Seq, history[n-1].At.Format(time.RFC3339))
	}
	return at, nil
}

func (s *Service) load(ctx context.Context, sub authz.Subject, id akte.CaseID) (akte.Case, *Definition, []Event, error) {
	c, err := s.cases.Case(ctx, sub, id)
	if err != nil {
		return akte.Case{}, nil, nil, err
	}
	if c.Procedure == "" {
		return akte.Case{}, nil, nil, fmt.Errorf("case %s: %w: a plain case file without a procedure type has no events", id, errs.ErrConflict)
	}
	def, err := s.reg.Get(c.Procedure)
	if err != nil {
		return akte.Case{}, nil, nil, fmt.Errorf("case %s: procedure %s: %w", id, c.Procedure, err)
	}
	history, err := s.store.Events(ctx, c.Tenant, c.ID)
	if err != nil {
		return akte.Case{}, nil, nil, fmt.Errorf("case %s: %w", id, err)
	}
	return c, def, history, nil
}

// status derives the state and what the guards need (participants, expired Fristen).
func (s *Service) status(ctx context.Context, sub authz.Subject, c akte.Case, def *Definition, history []Event) (Status, GuardContext, error) {
	state, err := def.Fold(history)
	if err != nil {
		return Status{}, GuardContext{}, fmt.Errorf("case %s: history: %w", c.ID, err)
	}
	var gctx GuardContext
	ps, err := s.cases.ParticipantsOf(ctx, sub, c)
	if err != nil {
		return Status{}, GuardContext{}, err
	}
	for _, p := range ps {
		gctx.Participants = append(gctx.Participants, p.Role)
	}

	running, err := def.RunningFristen(history)
	if err != nil {
		return Status{}, GuardContext{}, fmt.Errorf("case %s: %w", c.ID, err)
	}
	st := Status{Procedure: def.Name, State: state, Version: len(history), Role: actingRole(sub, ps)}
	if st.Fristen, err = s.fristen(c, running); err != nil {
		return Status{}, GuardContext{}, err
	}
	for _, fs := range st.Fristen {
		if fs.Expired {
			gctx.ExpiredFristen = append(gctx.ExpiredFristen, fs.Name)
		}
	}
	st.Allowed = def.Allowed(history, st.Role, gctx)
	return st, gctx, nil
}

// fristen computes the ends of running Fristen with the court's calendar.
func (s *Service) fristen(c akte.Case, running []RunningFrist) ([]FristStatus, error) {
	return computeFristen(s.cal, c, running, frist.Day(s.now()))
}

// derive computes what the store keeps of proceeding c's history.
func (s *Service) derive(c akte.Case, def *Definition, history []Event) (Derived, error) {
	return def.DeriveAfter(s.cal, c, history, frist.Day(s.now()))
}

// DeriveAfter returns the state and the running Fristen after history in
// proceeding c (see FristenAfter).
func (d *Definition) DeriveAfter(cal *frist.Calendar, c akte.Case, history []Event, today time.Time) (Derived, error) {
	state, err := d.Fold(history)
	if err != nil {
		return Derived{}, err
	}
	fs, err := d.FristenAfter(cal, c, history, today)
	if err != nil {
		return Derived{}, err
	}
	return Derived{State: state, Fristen: fs}, nil
}

// FristenAfter returns the Fristen running after history in proceeding c,
// their ends computed with the calendar of the court's seat; today (a civil
// date) decides which have expired.
func (d *Definition) FristenAfter(cal *frist.Calendar, c akte.Case, history []Event, today time.Time) ([]FristStatus, error) {
	running, err := d.RunningFristen(history)
	if err != nil {
		return nil, err
	}
	return computeFristen(cal, c, running, today)
}

func computeFristen(cal *frist.Calendar, c akte.Case, running []RunningFrist, today time.Time) ([]FristStatus, error) {
	var out []FristStatus
	for _, rf := range running {
		start := frist.Day(rf.Start.At)
		res, err := cal.Compute(c.Court, start, rf.Period)
		if err != nil {
			return nil, fmt.Errorf("frist %s: %w", rf.Name, err)
		}
		out = append(out, FristStatus{Name: rf.Name, Title: rf.Title, Start: start, End: res.End, Expired: today.After(res.End)})
	}
	return out, nil
}

// addPeriod is the last day of a period that starts with the event day
// start, moved past weekends and holidays at the court's seat.
func (s *Service) addPeriod(c akte.Case, start time.Time, per Period) (time.Time, error) {
	res, err := s.cal.Compute(c.Court, start, per)
	if err != nil {
		return time.Time{}, err
	}
	return res.End, nil
}

// wiedervorlage carries out the effect "wiedervorlage" of event e: the file
// comes back to the Geschäftsstelle of the case's court after the period,
// computed like a Frist from the day of the event.
func (s *Service) wiedervorlage(ctx context.Context, sub authz.Subject, c akte.Case, e Event) error {
	def, err := s.reg.Get(c.Procedure)
	if err != nil {
		return err
	}
	ev, ok := def.Event(e.Name)
	if !ok || ev.Effects.Wiedervorlage == (Period{}) {
		return nil
	}
	due, err := s.addPeriod(c, frist.Day(e.At), ev.Effects.Wiedervorlage)
	if err != nil {
		return err
	}
	_, err = s.cases.AddWiedervorlage(ctx, sub, c.ID, akte.NewWiedervorlage{Due: due, ForGeschaeftsstelle: true,
		Note: fmt.Sprintf("Wiedervorlage %s nach %s (#%d)", ev.Effects.Wiedervorlage, ev.Title, e.Seq)})
	return err
}

// actingRole is the role the subject acts in on a proceeding: court staff
// in their office; a participant's account (or their organisation's) in the
// participant's role, a party's role before a counsel's. Anybody else acts in
// no role and may fire no event.
func actingRole(sub authz.Subject, ps []akte.Participant) string {
	if sub.Role.Staff() {
		return string(sub.Role)
	}
	refs := authz.Refs(sub)
	role := ""
	for _, p := range ps {
		if p.Account == "" || !slices.Contains(refs, p.Account) {
			continue
		}
		if IsPartyRole(p.Role) && p.Role != Prozessbevollmaechtigter {
			return p.Role
		}
		role = p.Role
	}
	return role
}
