// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package akte

import (
	"context"
	"errors"
	"fmt"
	"time"

	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

// TransferRef points to the other side of a hand-over (Abgabe,
// Verweisung): on the sender's case the receiving court and case, on the
// receiver's case where it came from.
type TransferRef struct {
	Tenant       tenancy.ID
	Court        tenancy.CourtID
	Case         CaseID
	Aktenzeichen string
	At           time.Time
	By           string // the subject who handed it over
	Message      string // id of the XJustiz message that carried it
	Manifest     string // lowercase hex SHA-256 of the transfer manifest
}

// TransferState is what a case knows of hand-overs.
type TransferState struct {
	// State is "" (never handed over), "pending" (a hand-over is under
	// way: writes are refused) or "done" (read-only; To says where it went).
	State string
	To    *TransferRef // nil unless State is "done"
	From  *TransferRef // nil unless the proceeding came here from another court
}

// TransferStore is the optional upgrade of a Store that can record
// hand-overs; the service finds it by type assertion. A store without it
// cannot transfer cases, and every case in it is writable.
type TransferStore interface {
	// CaseTransfer returns a case's transfer state; missing or another
	// tenant's case: errs.ErrNotFound.
	CaseTransfer(ctx context.Context, t tenancy.ID, id CaseID) (TransferState, error)
	// BeginCaseTransfer marks a case "pending"; a case that is pending or
	// done already is errs.ErrConflict (one of concurrent callers wins).
	BeginCaseTransfer(ctx context.Context, t tenancy.ID, id CaseID) error
	// FinishCaseTransfer marks a pending case "done" with the pointer to;
	// a case that is not pending is errs.ErrConflict.
	FinishCaseTransfer(ctx context.Context, t tenancy.ID, id CaseID, to TransferRef) error
	// AbortCaseTransfer returns a pending case to "" (writable).
	AbortCaseTransfer(ctx context.Context, t tenancy.ID, id CaseID) error
	// SetCaseTransferredFrom records on a received case where it came from.
	SetCaseTransferredFrom(ctx context.Context, t tenancy.ID, id CaseID, from TransferRef) error
}

// TransferredError refuses a write to a case that was handed over to
// another court, or is being handed over. It wraps errs.ErrConflict (409)
// and names the new court in English and German.
type TransferredError struct {
	Case    CaseID
	Pending bool
	To      TransferRef
	ToCourt string // the receiving court's name
	EN, DE  string
}

func (e *TransferredError) Error() string { return e.EN + " — " + e.DE }

// Unwrap makes the error an errs.ErrConflict.
func (e *TransferredError) Unwrap() error { return errs.ErrConflict }

func (s *Service) transferStore() (TransferStore, bool) {
	ts, ok := s.store.(TransferStore)
	return ts, ok
}

// isWrite reports whether an action changes a case, so that a
// transferred case refuses it.
func isWrite(a authz.Action) bool {
	return a != authz.ReadCase && a != authz.ReadDocument
}

// Writable returns a *TransferredError when case c was handed over to
// another court or is being handed over; nil otherwise. Every write path of
// this package and of verfahren asks it after its authorization.
func (s *Service) Writable(ctx context.Context, c Case) error {
	ts, ok := s.transferStore()
	if !ok {
		return nil
	}
	st, err := ts.CaseTransfer(ctx, c.Tenant, c.ID)
	if err != nil {
		return fmt.Errorf("case %s: %w", c.ID, err)
	}
	switch st.State {
	case "":
		return nil
	case "pending":
		return &TransferredError{Case: c.ID, Pending: true,
			EN: fmt.Sprintf("case %s is being handed over to another court; it cannot be changed meanwhile", c.ID),
			DE: fmt.Sprintf("Das Verfahren %s wird gerade an ein anderes Gericht abgegeben und kann währenddessen nicht geändert werden", c.Aktenzeichen)}
	}
	to := TransferRef{}
	if st.To != nil {
		to = *st.To
	}
	name := string(to.Court)
	if ct, err := s.cat.Court(to.Court); err == nil {
		name = ct.Name
	}
	return &TransferredError{Case: c.ID, To: to, ToCourt: name,
		EN: fmt.Sprintf("case %s was handed over to %s (%s, %s) on %s and continues there as case %s (%s); this file is read-only",
			c.ID, name, to.Court, to.Tenant, to.At.Format("2006-01-02"), to.Case, to.Aktenzeichen),
		DE: fmt.Sprintf("Das Verfahren %s wurde am %s an das %s (%s) abgegeben und wird dort unter dem Aktenzeichen %s (Verfahren %s) fortgeführt; diese Akte ist nur noch lesbar",
			c.Aktenzeichen, to.At.Format("02.01.2006"), name, to.Court, to.Aktenzeichen, to.Case)}
}

// Transfer returns a case the subject may read with its transfer state.
func (s *Service) Transfer(ctx context.Context, sub authz.Subject, id CaseID) (Case, TransferState, error) {
	c, err := s.lookupCase(ctx, sub, id, authz.ReadCase)
	if err != nil {
		return Case{}, TransferState{}, err
	}
	ts, ok := s.transferStore()
	if !ok {
		return c, TransferState{}, nil
	}
	st, err := ts.CaseTransfer(ctx, c.Tenant, c.ID)
	if err != nil {
		return Case{}, TransferState{}, fmt.Errorf("case %s: %w", id, err)
	}
	return c, st, nil
}

// BeginTransfer checks that the subject may hand case id over to court to
// (authz.TransferCase on the case; to must be an active court of another
// tenant) and marks the case pending, so that it takes no writes while the
// hand-over runs. The caller ends it with FinishTransfer or AbortTransfer.
func (s *Service) BeginTransfer(ctx context.Context, sub authz.Subject, id CaseID, to tenancy.CourtID) (Case, tenancy.Court, error) {
	ts, ok := s.transferStore()
	if !ok {
		return Case{}, tenancy.Court{}, fmt.Errorf("transfer case %s: the store cannot record transfers", id)
	}
	c, err := s.caseFor(ctx, sub, id, authz.TransferCase)
	if err != nil {
		return Case{}, tenancy.Court{}, fmt.Errorf("transfer: %w", err)
	}
	court, err := s.cat.Court(to)
	switch {
	case err != nil:
		return Case{}, tenancy.Court{}, fmt.Errorf("transfer case %s: %w: field \"to_court\": unknown court id %q", id, errs.ErrInvalid, to)
	case court.Tenant == c.Tenant:
		return Case{}, tenancy.Court{}, fmt.Errorf("transfer case %s: %w: field \"to_court\": %s is a court of %s, the case's own tenant; a transfer goes to another Land (or the Bund)",
			id, errs.ErrInvalid, court.ID, court.Tenant)
	case !court.Active:
		return Case{}, tenancy.Court{}, fmt.Errorf("transfer case %s: %w: field \"to_court\": court %s (%s) is dissolved", id, errs.ErrInvalid, court.ID, court.Name)
	}
	if err := ts.BeginCaseTransfer(ctx, c.Tenant, c.ID); err != nil {
		if errors.Is(err, errs.ErrConflict) {
			if werr := s.Writable(ctx, c); werr != nil {
				return Case{}, tenancy.Court{}, werr
			}
		}
		return Case{}, tenancy.Court{}, fmt.Errorf("transfer case %s: %w", id, err)
	}
	return c, court, nil
}

// FinishTransfer ends a hand-over begun with BeginTransfer: the case is
// read-only from now on and points to its new court and case.
func (s *Service) FinishTransfer(ctx context.Context, c Case, to TransferRef) error {
	ts, ok := s.transferStore()
	if !ok {
		return fmt.Errorf("transfer case %s: the store cannot record transfers", c.ID)
	}
	if err := ts.FinishCaseTransfer(ctx, c.Tenant, c.ID, to); err != nil {
		return fmt.Errorf("finish transfer: %w", err)
	}
	s.changed(c.Tenant, c.ID, "")
	return nil
}

// AbortTransfer makes a case whose hand-over failed writable again.
func (s *Service) AbortTransfer(ctx context.Context, c Case) error {
	ts, ok := s.transferStore()
	if !ok {
		return nil
	}
	if err := ts.AbortCaseTransfer(ctx, c.Tenant, c.ID); err != nil {
		return fmt.Errorf("abort transfer: %w", err)
	}
	return nil
}

// RecordTransferredFrom notes on a received case where the proceeding came
// from. The subject needs authz.ImportXJustiz at the case's court.
func (s *Service) RecordTransferredFrom(ctx context.Context, sub authz.Subject, id CaseID, from TransferRef) error {
	ts, ok := s.transferStore()
	if !ok {
		return fmt.Errorf("case %s: the store cannot record transfers", id)
	}
	c, err := s.caseFor(ctx, sub, id, authz.ImportXJustiz)
	if err != nil {
		return fmt.Errorf("transferred from: %w", err)
	}
	if err := ts.SetCaseTransferredFrom(ctx, c.Tenant, c.ID, from); err != nil {
		return fmt.Errorf("transferred from: %w", err)
	}
	return nil
}
