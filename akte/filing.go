// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package akte

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"

	"justizcloud/authz"
	"justizcloud/blob"
	"justizcloud/errs"
	"justizcloud/frist"
	"justizcloud/tenancy"
)

// Filing is a claim or an application as a person files it at a court
// (the portal's guided interviews): the proceeding, its participants and
// its first documents, created together by File.
type Filing struct {
	Case         NewCase
	Participants []NewParticipant
	// Filer is the index in Participants of the filing person's own
	// participant; File links it to the subject's account ("user:<id>"), so
	// that they see the proceeding afterwards. Its Account must be empty.
	Filer     int
	Documents []FilingDocument // at least one; the generated claim first
}

// FilingDocument is one document of a Filing.
type FilingDocument struct {
	Filename    string
	ContentType string
	Class       string // Dokumentklasse, optional (see Options.DocumentClass)
	Body        io.Reader
}

// FilingStore is the store upgrade File needs, found by type assertion:
// the whole proceeding in one transaction, and intents for the blobs
// written before it (the case does not exist yet, so Store.BeginUpload
// cannot record them). Implementations are safe for concurrent use.
type FilingStore interface {
	// ReserveFilingBlobs records that blobs of tenant t are about to be
	// written for a filing. A name already reserved is errs.ErrConflict.
	ReserveFilingBlobs(ctx context.Context, t tenancy.ID, blobs []string, at time.Time) error
	// FileCase stores c (assigning c.Aktenzeichen.Number as CreateCase
	// does), its participants and its documents (Version 1, no
	// predecessor) and removes the reservations of the documents' blobs,
	// all in one transaction. A document whose blob is not reserved is
	// errs.ErrConflict.
	FileCase(ctx context.Context, c Case, ps []Participant, ds []Document) (Case, error)
	// ReleaseFilingBlobs removes reservations. Missing is not an error.
	ReleaseFilingBlobs(ctx context.Context, t tenancy.ID, blobs []string) error
	// StaleFilingBlobs lists reservations made before the given time,
	// across all tenants (Upload.Case is empty).
	StaleFilingBlobs(ctx context.Context, before time.Time) ([]Upload, error)
}

// File creates a proceeding at the court of in.Case with its participants
// and documents, on behalf of a person (sub.User must be set): any
// authenticated subject may file (authz.FileCase) at an active court. The
// filer's participant is linked to "user:<sub.User>".
//
// All or nothing: the documents' blobs are reserved and written first, then
// the case, its participants and its documents are stored in one
// transaction. On any failure the written blobs are deleted; if the process
// dies in between, SweepFilings deletes the reserved blobs later. So a
// proceeding is either filed completely or not at all.
func (s *Service) File(ctx context.Context, sub authz.Subject, in Filing) (Case, []Document, error) {
	fs, ok := s.store.(FilingStore)
	if !ok {
		return Case{}, nil, fmt.Errorf("file case: %w: the store cannot file proceedings", errs.ErrInvalid)
	}
	if sub.User == "" {
		return Case{}, nil, fmt.Errorf("file case: %w: only a person's account can file", errs.ErrInvalid)
	}
	court, err := s.cat.Court(in.Case.Court)
	if err != nil {
		return Case{}, nil, fmt.Errorf("file case: %w: unknown court %q", errs.ErrInvalid, in.Case.Court)
	}
	if err := s.z.May(ctx, sub, authz.FileCase, authz.Resource{Tenant: court.Tenant, Court: court.ID}); err != nil {
		return Case{}, nil, fmt.Errorf("file case: %w", err)
	}
	if !court.Active {
		return Case{}, nil, fmt.Errorf("file case: %w: court %s (%s) is dissolved", errs.ErrInvalid, court.ID, court.Name)
	}
	reg, err := s.cat.Register(in.Case.Register)
	if err != nil {
		return Case{}, nil, fmt.Errorf("file case: %w", err)
	}
	if !court.Test() && !reg.Allows(court.Type) {
		return Case{}, nil, fmt.Errorf("file case: %w: Registerzeichen %q is not used at a %s", errs.ErrInvalid, reg.Zeichen, court.Type)
	}
	subject, err := checkText("subject", in.Case.Subject, 500, false)
	if err != nil {
		return Case{}, nil, fmt.Errorf("file case: %w", err)
	}
	if len(in.Documents) == 0 || in.Filer < 0 || in.Filer >= len(in.Participants) {
		return Case{}, nil, fmt.Errorf("file case: %w: a filing needs documents and the filer among its participants", errs.ErrInvalid)
	}
	if in.Participants[in.Filer].Account != "" {
		return Case{}, nil, fmt.Errorf("file case: %w: the filer's account is the subject's", errs.ErrInvalid)
	}
	now := s.now().UTC()
	cid, err := uuid.NewV7()
	if err != nil {
		return Case{}, nil, fmt.Errorf("file case: %w", err)
	}
	c := Case{ID: CaseID(cid.String()), Tenant: court.Tenant, Court: court.ID,
		Aktenzeichen: Aktenzeichen{Department: "1", Register: reg.Zeichen, Year: now.In(frist.Germany).Year()},
		Subject:      subject, Procedure: in.Case.Procedure, CreatedAt: now, CreatedBy: sub.ID}
	var ps []Participant
	for i, np := range in.Participants {
		if i == in.Filer {
			np.Account = authz.UserRef(sub.User)
		}
		if np.Represents != "" {
			return Case{}, nil, fmt.Errorf("file case: %w: a filing names no counsel", errs.ErrInvalid)
		}
		np, err := checkParticipant(np, nil, "")
		if err != nil {
			return Case{}, nil, fmt.Errorf("file case: %w", err)
		}
		pid, err := uuid.NewV7()
		if err != nil {
			return Case{}, nil, fmt.Errorf("file case: %w", err)
		}
		ps = append(ps, Participant{ID: ParticipantID(pid.String()), Tenant: c.Tenant, Case: c.ID, Role: np.Role,
			Name: np.Name, Address: np.Address, Account: np.Account, CreatedAt: now})
	}
	ds := make([]Document, len(in.Documents))
	names := make([]string, len(in.Documents))
	for i, fd := range in.Documents {
		ct, err := NormalizeContentType(fd.ContentType)
		if err != nil {
			return Case{}, nil, fmt.Errorf("file case: document %d: %w", i+1, err)
		}
		if fd.Class != "" && !s.class(fd.Class) {
			return Case{}, nil, fmt.Errorf("file case: %w: unknown Dokumentklasse %q", errs.ErrInvalid, fd.Class)
		}
		did, err := uuid.NewV7()
		if err != nil {
			return Case{}, nil, fmt.Errorf("file case: %w", err)
		}
		bn, err := uuid.NewRandom()
		if err != nil {
			return Case{}, nil, fmt.Errorf("file case: %w", err)
		}
		names[i] = bn.String()
		ds[i] = Document{ID: DocumentID(did.String()), Tenant: c.Tenant, Case: c.ID, Filename: SanitizeFilename(fd.Filename),
			ContentType: ct, Blob: names[i], Version: 1, Class: fd.Class, CreatedAt: now, CreatedBy: sub.ID}
	}
	if err := fs.ReserveFilingBlobs(ctx, c.Tenant, names, now); err != nil {
		return Case{}, nil, fmt.Errorf("file case: %w", err)
	}
	fail := func(err error) (Case, []Document, error) {
		s.discardFiling(ctx, fs, c.Tenant, names)
		return Case{}, nil, fmt.Errorf("file case: %w", err)
	}
	for i, fd := range in.Documents {
		body := &meter{r: fd.Body, h: sha256.New(), limit: s.maxUpload}
		if err := s.blobs.Put(ctx, blob.Key{Tenant: c.Tenant, Name: names[i]}, body); err != nil {
			if body.err != nil {
				err = body.err
			}
			return fail(fmt.Errorf("document %q: %w", ds[i].Filename, err))
		}
		body.h.Sum(ds[i].SHA256[:0])
		ds[i].Size = body.n
	}
	c, err = fs.FileCase(ctx, c, ps, ds)
	if err != nil {
		return fail(err)
	}
	s.z.Forget(string(c.ID))
	s.changed(c.Tenant, c.ID, "")
	for _, d := range ds {
		s.changed(d.Tenant, d.Case, d.ID)
	}
	return c, ds, nil
}

// discardFiling deletes the blobs of a failed filing and their
// reservations, even when ctx is cancelled; what it cannot remove is left
// to SweepFilings.
func (s *Service) discardFiling(ctx context.Context, fs FilingStore, t tenancy.ID, names []string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var done []string
	for _, n := range names {
		if err := s.blobs.Delete(ctx, blob.Key{Tenant: t, Name: n}); err != nil {
			s.log.Warn("discard filing: delete blob", "tenant", t, "blob", n, "err", err)
			continue // keep the reservation, so the sweeper retries
		}
		done = append(done, n)
	}
	if err := fs.ReleaseFilingBlobs(ctx, t, done); err != nil {
		s.log.Warn("discard filing: release reservations", "tenant", t, "err", err)
	}
}

// SweepFilings deletes the blobs of filings that reserved them before the
// given time and never completed (the process died mid-filing), and
// returns how many it removed. A store without FilingStore has none.
func (s *Service) SweepFilings(ctx context.Context, before time.Time) (int, error) {
	fs, ok := s.store.(FilingStore)
	if !ok {
		return 0, nil
	}
	ups, err := fs.StaleFilingBlobs(ctx, before)
	if err != nil {
		return 0, fmt.Errorf("sweep filings: %w", err)
	}
	n := 0
	for _, u := range ups {
		if err := s.blobs.Delete(ctx, blob.Key{Tenant: u.Tenant, Name: u.Blob}); err != nil {
			return n, fmt.Errorf("sweep filings: delete %s/%s: %w", u.Tenant, u.Blob, err)
		}
		if err := fs.ReleaseFilingBlobs(ctx, u.Tenant, []string{u.Blob}); err != nil {
			return n, fmt.Errorf("sweep filings: %w", err)
		}
		n++
	}
	return n, nil
}
