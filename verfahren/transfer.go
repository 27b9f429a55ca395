// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren

import (
	"context"
	"fmt"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
)

// CheckHistory reports whether history is a valid history of procedure
// type procedure (sequence numbers 1, 2, … and every event allowed by the
// definition's states) and returns the state it leads to. It is pure: the
// receiver of a transferred proceeding runs it before storing anything.
func (r *Registry) CheckHistory(procedure string, history []Event) (State, error) {
	def, err := r.Get(procedure)
	if err != nil {
		return "", fmt.Errorf("%w: unknown procedure type %q", errs.ErrInvalid, procedure)
	}
	for i, e := range history {
		if e.Seq != i+1 {
			return "", fmt.Errorf("%w: event %d of the history has sequence number %d", errs.ErrInvalid, i+1, e.Seq)
		}
	}
	st, err := def.Fold(history)
	if err != nil {
		return "", fmt.Errorf("%w: history: %w", errs.ErrInvalid, err)
	}
	return st, nil
}

// Restore writes the history of a proceeding that another court handed
// over (Abgabe, Verweisung) to case id, which must run under the same
// procedure type and have no events yet. The events are stored as they were
// recorded there (time, subject, role, data; document ids already mapped
// to this case's documents) rather than fired again: they happened, and
// the guards of the moment (Fristen, participants) decided then. The state
// and the running Fristen are derived again, the Fristen with the calendar
// of the new court's seat. The subject needs authz.FireEvent on the case.
func (s *Service) Restore(ctx context.Context, sub authz.Subject, id akte.CaseID, history []Event) (Status, error) {
	c, def, existing, err := s.load(ctx, sub, id)
	if err != nil {
		return Status{}, err
	}
	if err := s.cases.Authorizer().May(ctx, sub, authz.FireEvent, akte.CaseResource(c)); err != nil {
		return Status{}, fmt.Errorf("restore history: %w", err)
	}
	if len(existing) > 0 {
		return Status{}, fmt.Errorf("restore history of %s: %w: the proceeding has %d events already", id, errs.ErrConflict, len(existing))
	}
	if _, err := s.reg.CheckHistory(c.Procedure, history); err != nil {
		return Status{}, fmt.Errorf("restore history of %s: %w", id, err)
	}
	for i, e := range history {
		derived, err := s.derive(c, def, history[:i+1])
		if err != nil {
			return Status{}, fmt.Errorf("restore history of %s: %w", id, err)
		}
		if err := s.store.AppendEvent(ctx, c, e, derived); err != nil {
			return Status{}, fmt.Errorf("restore history of %s: %w", id, err)
		}
	}
	st, _, err := s.status(ctx, sub, c, def, history)
	return st, err
}
