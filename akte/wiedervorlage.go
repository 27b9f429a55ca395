// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package akte

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

// WiedervorlageID identifies a Wiedervorlage across all tenants.
type WiedervorlageID string

// ForGeschaeftsstelle is Wiedervorlage.For when the file comes back to the
// Geschäftsstelle of the case's court rather than to one subject.
const ForGeschaeftsstelle = "geschaeftsstelle"

// Wiedervorlage is a resubmission date: on Due the case file comes back to a
// subject (a user or token id) or to the Geschäftsstelle of its court.
type Wiedervorlage struct {
	ID        WiedervorlageID
	Tenant    tenancy.ID
	Case      CaseID
	Due       time.Time // a civil date, as midnight UTC (the convention of package frist)
	For       string    // a subject ID, or ForGeschaeftsstelle
	Note      string
	CreatedBy string
	CreatedAt time.Time
	DoneAt    time.Time // zero while open
}

// Open reports whether w is not yet done.
func (w Wiedervorlage) Open() bool { return w.DoneAt.IsZero() }

// WiedervorlageFilter selects open Wiedervorlagen in Store.DueWiedervorlagen.
type WiedervorlageFilter struct {
	Court tenancy.CourtID // empty: every court of the tenant
	For   []string        // subject IDs and/or ForGeschaeftsstelle; empty selects nothing
	Until time.Time       // due on or before this civil date
	// Keyset pagination: only Wiedervorlagen with (Due, ID) after (AfterDue, AfterID).
	AfterDue time.Time
	AfterID  WiedervorlageID
	Limit    int
}

// DueWiedervorlage is an open Wiedervorlage with its case.
type DueWiedervorlage struct {
	Wiedervorlage Wiedervorlage
	Case          Case
}

// NewWiedervorlage is the input of AddWiedervorlage.
type NewWiedervorlage struct {
	Due time.Time // civil date; the time of day is ignored
	// ForGeschaeftsstelle sends the file to the Geschäftsstelle of the case's
	// court; otherwise it comes back to the subject who adds it.
	ForGeschaeftsstelle bool
	Note                string
}

// AddWiedervorlage sets a resubmission date on a case.
func (s *Service) AddWiedervorlage(ctx context.Context, sub authz.Subject, id CaseID, in NewWiedervorlage) (Wiedervorlage, error) {
	c, err := s.caseFor(ctx, sub, id, authz.ManageWiedervorlagen)
	if err != nil {
		return Wiedervorlage{}, err
	}
	if in.Due.IsZero() {
		return Wiedervorlage{}, fmt.Errorf("add wiedervorlage: %w: field \"due\" is required", errs.ErrInvalid)
	}
	note, err := checkText("note", in.Note, 1000, false)
	if err != nil {
		return Wiedervorlage{}, fmt.Errorf("add wiedervorlage: %w", err)
	}
	wid, err := uuid.NewV7()
	if err != nil {
		return Wiedervorlage{}, fmt.Errorf("add wiedervorlage: %w", err)
	}
	y, m, d := in.Due.Date()
	w := Wiedervorlage{ID: WiedervorlageID(wid.String()), Tenant: c.Tenant, Case: c.ID,
		Due: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), For: sub.ID, Note: note,
		CreatedBy: sub.ID, CreatedAt: s.now().UTC()}
	if in.ForGeschaeftsstelle {
		w.For = ForGeschaeftsstelle
	}
	if err := s.store.AddWiedervorlage(ctx, w); err != nil {
		return Wiedervorlage{}, fmt.Errorf("add wiedervorlage: %w", err)
	}
	return w, nil
}

// Wiedervorlagen lists a case's Wiedervorlagen, open and done, by due date.
func (s *Service) Wiedervorlagen(ctx context.Context, sub authz.Subject, id CaseID) ([]Wiedervorlage, error) {
	c, err := s.caseFor(ctx, sub, id, authz.ReadCase)
	if err != nil {
		return nil, err
	}
	ws, err := s.store.Wiedervorlagen(ctx, c.Tenant, c.ID)
	if err != nil {
		return nil, fmt.Errorf("wiedervorlagen of %s: %w", id, err)
	}
	return ws, nil
}

// CompleteWiedervorlage marks a Wiedervorlage as done, so that it leaves
// every inbox. One already done is errs.ErrConflict.
func (s *Service) CompleteWiedervorlage(ctx context.Context, sub authz.Subject, id WiedervorlageID) (Wiedervorlage, error) {
	w, err := s.store.Wiedervorlage(ctx, sub.Tenant, id)
	if err != nil {
		return Wiedervorlage{}, fmt.Errorf("wiedervorlage %s: %w", id, err)
	}
	if _, err := s.caseFor(ctx, sub, w.Case, authz.ManageWiedervorlagen); err != nil {
		return Wiedervorlage{}, fmt.Errorf("wiedervorlage %s: %w", id, err)
	}
	if !w.Open() {
		return Wiedervorlage{}, fmt.Errorf("wiedervorlage %s: %w: already done at %s", id, errs.ErrConflict, w.DoneAt.Format(time.RFC3339))
	}
	w.DoneAt = s.now().UTC()
	if err := s.store.CompleteWiedervorlage(ctx, w.Tenant, w.ID, w.DoneAt); err != nil {
		return Wiedervorlage{}, fmt.Errorf("complete wiedervorlage %s: %w", id, err)
	}
	return w, nil
}

// DueWiedervorlagen lists open Wiedervorlagen for an inbox. The tenant and,
// for a court-bound subject, the court are the subject's.
func (s *Service) DueWiedervorlagen(ctx context.Context, sub authz.Subject, f WiedervorlageFilter) ([]DueWiedervorlage, error) {
	if sub.Court != "" {
		f.Court = sub.Court
	}
	if err := s.z.May(ctx, sub, authz.ReadCase, authz.Resource{Tenant: sub.Tenant, Court: f.Court}); err != nil {
		return nil, fmt.Errorf("due wiedervorlagen: %w", err)
	}
	ws, err := s.store.DueWiedervorlagen(ctx, sub.Tenant, f)
	if err != nil {
		return nil, fmt.Errorf("due wiedervorlagen: %w", err)
	}
	return ws, nil
}
