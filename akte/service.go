// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package akte

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"justizcloud/authz"
	"justizcloud/blob"
	"justizcloud/errs"
	"justizcloud/frist"
	"justizcloud/tenancy"
)

var departmentRE = regexp.MustCompile(`^[0-9]{1,4}[a-zA-Z]{0,2}$`)

// Service runs the use cases of cases and documents. It checks every request
// with authz.May and keeps the blob store and the metadata store consistent.
type Service struct {
	class     func(string) bool
	store     Store
	blobs     blob.Store
	cat       *tenancy.Catalog
	now       func() time.Time
	log       *slog.Logger
	maxUpload int64
	changed   func(tenancy.ID, CaseID, DocumentID)
	z         *authz.Authorizer
	accounts  AccountLookup
	onContent func(context.Context, authz.Subject, Document)
}

// Options configure a Service.
type Options struct {
	MaxUpload int64 // largest document in bytes; 0 means 100 MiB
	Now       func() time.Time
	Logger    *slog.Logger
	// DocumentClass reports whether a name is a known Dokumentklasse. Nil
	// refuses every class.
	DocumentClass func(string) bool
	// Changed, if set, is called after a case was created or its
	// participants changed (document empty) and after a document was
	// committed, for example to update the search index. It must not block.
	Changed func(t tenancy.ID, c CaseID, d DocumentID)
	// Authorizer decides every request; nil: one over the store's relation
	// tuples. Services that share a store should share one (Authorizer()).
	Authorizer *authz.Authorizer
	// Accounts resolves user accounts for judge assignments and grants;
	// nil: those are refused.
	Accounts AccountLookup
	// OnContent, if set, is called by Content after the subject was allowed
	// to read the document and before its bytes are handed out (service by
	// access records the first download by the recipient as the moment of
	// service). It runs in the request; it must return quickly for every
	// other reader.
	OnContent func(ctx context.Context, sub authz.Subject, d Document)
}

// NewService returns a service over the given stores.
func NewService(st Store, blobs blob.Store, cat *tenancy.Catalog, o Options) *Service {
	if o.MaxUpload <= 0 {
		o.MaxUpload = 100 << 20
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.DocumentClass == nil {
		o.DocumentClass = func(string) bool { return false }
	}
	if o.Changed == nil {
		o.Changed = func(tenancy.ID, CaseID, DocumentID) {}
	}
	if o.Authorizer == nil {
		o.Authorizer = authz.NewAuthorizer(st, o.Now, 0)
	}
	return &Service{store: st, blobs: blobs, cat: cat, now: o.Now, log: o.Logger, maxUpload: o.MaxUpload, class: o.DocumentClass,
		changed: o.Changed, z: o.Authorizer, accounts: o.Accounts, onContent: o.OnContent}
}

// Authorizer is the decision point the service asks; other services over
// the same store share it.
func (s *Service) Authorizer() *authz.Authorizer { return s.z }

// CaseResource is what authz needs to know of a case.
func CaseResource(c Case) authz.Resource {
	return authz.Resource{Tenant: c.Tenant, Court: c.Court, Case: string(c.ID)}
}

// DocumentResource is what authz needs to know of a document of case c.
func DocumentResource(c Case, d Document) authz.Resource {
	r := CaseResource(c)
	r.Document, r.Restricted = string(d.ID), d.Restricted
	return r
}

// caseFor finds case id in the tenants the subject reaches and checks that
// the subject may do a on it. A case the subject may not see is
// errs.ErrNotFound, like one that does not exist. A write (any action but
// reading) to a case handed over to another court is a *TransferredError.
func (s *Service) caseFor(ctx context.Context, sub authz.Subject, id CaseID, a authz.Action) (Case, error) {
	c, err := s.lookupCase(ctx, sub, id, a)
	if err != nil || !isWrite(a) {
		return c, err
	}
	if err := s.Writable(ctx, c); err != nil {
		return Case{}, err
	}
	return c, nil
}

// lookupCase is caseFor without the transfer check, for reads that need a
// write action's right (the access list).
func (s *Service) lookupCase(ctx context.Context, sub authz.Subject, id CaseID, a authz.Action) (Case, error) {
	ts, err := s.z.Tenants(ctx, sub)
	if err != nil {
		return Case{}, fmt.Errorf("case %s: %w", id, err)
	}
	for _, t := range ts {
		c, err := s.store.Case(ctx, t, id)
		if errors.Is(err, errs.ErrNotFound) {
			continue
		}
		if err != nil {
			return Case{}, fmt.Errorf("case %s: %w", id, err)
		}
		if err := s.z.May(ctx, sub, a, CaseResource(c)); err != nil {
			return Case{}, fmt.Errorf("case %s: %w", id, err)
		}
		return c, nil
	}
	return Case{}, fmt.Errorf("case %s: %w", id, errs.ErrNotFound)
}

// MaxUpload is the largest document size the service accepts, in bytes.
func (s *Service) MaxUpload() int64 { return s.maxUpload }

// NewCase is the input of CreateCase.
type NewCase struct {
	Court      tenancy.CourtID
	Register   string // Registerzeichen, case-sensitive
	Department string // Abteilung or Kammer; "1" when empty
	Subject    string
	Procedure  string // procedure type; checked by the caller (verfahren.Service)
}

// CreateCase registers a proceeding and assigns its Aktenzeichen.
func (s *Service) CreateCase(ctx context.Context, sub authz.Subject, in NewCase) (Case, error) {
	court, err := s.cat.Court(in.Court)
	if err != nil {
		return Case{}, fmt.Errorf("create case: %w: unknown court %q", errs.ErrInvalid, in.Court)
	}
	if err := s.z.May(ctx, sub, authz.CreateCase, authz.Resource{Tenant: court.Tenant, Court: court.ID}); err != nil {
		if errors.Is(err, errs.ErrNotFound) {
			return Case{}, fmt.Errorf("create case: %w: court %s is not one of your courts", errs.ErrInvalid, court.ID)
		}
		return Case{}, fmt.Errorf("create case: %w", err)
	}
	if !court.Active {
		return Case{}, fmt.Errorf("create case: %w: court %s (%s) is dissolved", errs.ErrInvalid, court.ID, court.Name)
	}
	reg, err := s.cat.Register(in.Register)
	if err != nil {
		return Case{}, fmt.Errorf("create case: %w", err)
	}
	if !court.Test() && !reg.Allows(court.Type) {
		return Case{}, fmt.Errorf("create case: %w: Registerzeichen %q is not used at a %s (it is for %v)", errs.ErrInvalid, reg.Zeichen, court.Type, reg.CourtTypes)
	}
	dept := in.Department
	if dept == "" {
		dept = "1"
	}
	if !departmentRE.MatchString(dept) {
		return Case{}, fmt.Errorf("create case: %w: department %q must be 1–4 digits, optionally followed by up to 2 letters", errs.ErrInvalid, dept)
	}
	subject, err := checkText("subject", in.Subject, 500, false)
	if err != nil {
		return Case{}, fmt.Errorf("create case: %w", err)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Case{}, fmt.Errorf("create case: %w", err)
	}
	now := s.now().UTC()
	c := Case{
		ID:           CaseID(id.String()),
		Tenant:       court.Tenant,
		Court:        court.ID,
		Aktenzeichen: Aktenzeichen{Department: dept, Register: reg.Zeichen, Year: now.In(frist.Germany).Year()},
		Subject:      subject,
		Procedure:    in.Procedure,
		CreatedAt:    now,
		CreatedBy:    sub.ID,
	}
	c, err = s.store.CreateCase(ctx, c)
	if err != nil {
		return Case{}, fmt.Errorf("create case: %w", err)
	}
	s.changed(c.Tenant, c.ID, "")
	return c, nil
}

// Case returns a case the subject may see.
func (s *Service) Case(ctx context.Context, sub authz.Subject, id CaseID) (Case, error) {
	return s.caseFor(ctx, sub, id, authz.ReadCase)
}

// Cases lists the cases the subject may see, keyset-paginated: court staff
// the cases of their court (or tenant), everybody else the proceedings they
// are related to.
func (s *Service) Cases(ctx context.Context, sub authz.Subject, f CaseFilter) ([]Case, error) {
	f.Limit = CaseLimit(f.Limit)
	if !sub.Role.Staff() {
		return s.relatedCases(ctx, sub, f)
	}
	var cs []Case
	if sub.Court == "" || f.Court == "" || f.Court == sub.Court {
		of := f
		if sub.Court != "" {
			of.Court = sub.Court
		}
		if err := s.z.May(ctx, sub, authz.ReadCase, authz.Resource{Tenant: sub.Tenant, Court: of.Court}); err != nil {
			return nil, fmt.Errorf("list cases: %w", err)
		}
		office, err := s.store.Cases(ctx, sub.Tenant, of)
		if err != nil {
			return nil, fmt.Errorf("list cases: %w", err)
		}
		if cs, err = s.keepAllowed(ctx, sub, office); err != nil {
			return nil, err
		}
	}
	// Beyond their office, staff reach proceedings shared with their court
	// or assigned to them as judge, also of other courts and Länder.
	rel, err := s.relatedCases(ctx, sub, f)
	if err != nil || len(rel) == 0 {
		return cs, err
	}
	merged := append(cs, rel...)
	slices.SortFunc(merged, func(a, b Case) int { return strings.Compare(string(a.ID), string(b.ID)) })
	merged = slices.CompactFunc(merged, func(a, b Case) bool { return a.ID == b.ID })
	return merged[:min(len(merged), f.Limit)], nil
}

// relatedCases lists the proceedings the subject holds a relation to,
// ordered by ID like Store.Cases.
func (s *Service) relatedCases(ctx context.Context, sub authz.Subject, f CaseFilter) ([]Case, error) {
	reach, err := s.z.Reach(ctx, sub)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	type ref struct {
		t  tenancy.ID
		id CaseID
	}
	var refs []ref
	for _, t := range reach {
		r := ref{t.Tenant, CaseID(t.Case)}
		if r.id > f.After && !slices.Contains(refs, r) {
			refs = append(refs, r)
		}
	}
	slices.SortFunc(refs, func(a, b ref) int { return strings.Compare(string(a.id), string(b.id)) })
	f.Limit = CaseLimit(f.Limit)
	cs := []Case{}
	for _, r := range refs {
		if len(cs) == f.Limit {
			break
		}
		c, err := s.store.Case(ctx, r.t, r.id)
		if errors.Is(err, errs.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("list cases: %w", err)
		}
		if f.Court != "" && c.Court != f.Court {
			continue
		}
		if s.z.May(ctx, sub, authz.ReadCase, CaseResource(c)) == nil {
			cs = append(cs, c)
		}
	}
	return cs, nil
}

// keepAllowed drops what the subject may not read from a listing the store
// already scoped: the decision function has the last word on every row.
func (s *Service) keepAllowed(ctx context.Context, sub authz.Subject, cs []Case) ([]Case, error) {
	kept := cs[:0]
	for _, c := range cs {
		err := s.z.May(ctx, sub, authz.ReadCase, CaseResource(c))
		switch {
		case err == nil:
			kept = append(kept, c)
		case errors.Is(err, errs.ErrNotFound) || errors.Is(err, errs.ErrForbidden):
		default:
			return nil, fmt.Errorf("list cases: %w", err)
		}
	}
	return kept, nil
}

// NewDocument is the input of AddDocument.
type NewDocument struct {
	Case        CaseID
	Filename    string
	ContentType string
	Body        io.Reader
	// SHA256, when set, is the digest the client claims (Repr-Digest); the
	// document is refused unless the received bytes match it.
	SHA256      []byte
	Predecessor DocumentID // set when this is a new version of an existing document
	Class       string     // Dokumentklasse, optional
	// Restricted files the document as restricted (a Sonderheft): only
	// court staff and the judge see it. Needs authz.RestrictDocument.
	Restricted bool
}

// AddDocument streams a document into the encrypted store and files it in the
// case. On any failure — bad input, size limit, digest mismatch, a client that
// goes away, a store error — nothing is left behind.
func (s *Service) AddDocument(ctx context.Context, sub authz.Subject, in NewDocument) (Document, error) {
	c, err := s.caseFor(ctx, sub, in.Case, authz.AddDocument)
	if err != nil {
		return Document{}, fmt.Errorf("add document: %w", err)
	}
	if in.Restricted {
		if err := s.z.May(ctx, sub, authz.RestrictDocument, CaseResource(c)); err != nil {
			return Document{}, fmt.Errorf("add document: restricted: %w", err)
		}
	}
	ct, err := NormalizeContentType(in.ContentType)
	if err != nil {
		return Document{}, fmt.Errorf("add document: %w", err)
	}
	if in.Class != "" && !s.class(in.Class) {
		return Document{}, fmt.Errorf("add document: %w: field \"class\": unknown Dokumentklasse %q", errs.ErrInvalid, in.Class)
	}
	if in.SHA256 != nil && len(in.SHA256) != sha256.Size {
		return Document{}, fmt.Errorf("add document: %w: sha-256 digest must have 32 bytes", errs.ErrInvalid)
	}
	if in.Predecessor != "" {
		p, err := s.store.Document(ctx, c.Tenant, in.Predecessor)
		if err != nil || p.Case != c.ID {
			return Document{}, fmt.Errorf("add document: %w: predecessor %s is not a document of case %s", errs.ErrInvalid, in.Predecessor, c.ID)
		}
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Document{}, fmt.Errorf("add document: %w", err)
	}
	blobName, err := uuid.NewRandom()
	if err != nil {
		return Document{}, fmt.Errorf("add document: %w", err)
	}
	key := blob.Key{Tenant: c.Tenant, Name: blobName.String()}
	if err := s.store.BeginUpload(ctx, Upload{Tenant: c.Tenant, Blob: key.Name, Case: c.ID, StartedAt: s.now().UTC()}); err != nil {
		return Document{}, fmt.Errorf("add document: %w", err)
	}
	body := &meter{r: in.Body, h: sha256.New(), limit: s.maxUpload}
	if err := s.blobs.Put(ctx, key, body); err != nil {
		s.discard(ctx, key)
		if body.err != nil { // the limit, not the store, failed the upload
			err = body.err
		}
		return Document{}, fmt.Errorf("add document: store content: %w", err)
	}
	var sum [32]byte
	body.h.Sum(sum[:0])
	if in.SHA256 != nil && subtle.ConstantTimeCompare(sum[:], in.SHA256) != 1 {
		s.discard(ctx, key)
		return Document{}, fmt.Errorf("add document: %w: content does not match the announced sha-256 digest (received %x)", errs.ErrInvalid, sum)
	}
	d, err := s.store.CommitDocument(ctx, Document{
		ID:          DocumentID(id.String()),
		Tenant:      c.Tenant,
		Case:        c.ID,
		Filename:    SanitizeFilename(in.Filename),
		ContentType: ct,
		Size:        body.n,
		SHA256:      sum,
		Blob:        key.Name,
		Predecessor: in.Predecessor,
		Class:       in.Class,
		Restricted:  in.Restricted,
		CreatedAt:   s.now().UTC(),
		CreatedBy:   sub.ID,
	})
	if err != nil {
		s.discard(ctx, key)
		return Document{}, fmt.Errorf("add document: %w", err)
	}
	s.changed(d.Tenant, d.Case, d.ID)
	return d, nil
}

// discard removes the blob and the upload intent of a failed upload. It runs
// even when ctx is cancelled (the client went away); whatever it cannot remove
// is left to SweepUploads.
func (s *Service) discard(ctx context.Context, key blob.Key) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := s.blobs.Delete(ctx, key); err != nil {
		s.log.Warn("discard upload: delete blob", "blob", key.String(), "err", err)
		return // keep the intent, so the sweeper retries
	}
	if err := s.store.AbortUpload(ctx, key.Tenant, key.Name); err != nil {
		s.log.Warn("discard upload: abort intent", "blob", key.String(), "err", err)
	}
}

// SweepUploads discards uploads that started before the given time and never
// committed (the server was killed mid-upload). It returns how many it removed.
func (s *Service) SweepUploads(ctx context.Context, before time.Time) (int, error) {
	ups, err := s.store.StaleUploads(ctx, before)
	if err != nil {
		return 0, fmt.Errorf("sweep uploads: %w", err)
	}
	n := 0
	for _, u := range ups {
		key := blob.Key{Tenant: u.Tenant, Name: u.Blob}
		if err := s.blobs.Delete(ctx, key); err != nil {
			return n, fmt.Errorf("sweep uploads: delete %s: %w", key, err)
		}
		if err := s.store.AbortUpload(ctx, u.Tenant, u.Blob); err != nil {
			return n, fmt.Errorf("sweep uploads: %w", err)
		}
		n++
	}
	return n, nil
}

// Document returns a document's metadata if the subject may see it.
func (s *Service) Document(ctx context.Context, sub authz.Subject, id DocumentID) (Document, error) {
	ts, err := s.z.Tenants(ctx, sub)
	if err != nil {
		return Document{}, fmt.Errorf("document %s: %w", id, err)
	}
	for _, t := range ts {
		d, err := s.store.Document(ctx, t, id)
		if errors.Is(err, errs.ErrNotFound) {
			continue
		}
		if err != nil {
			return Document{}, fmt.Errorf("document %s: %w", id, err)
		}
		c, err := s.store.Case(ctx, d.Tenant, d.Case)
		if err != nil {
			return Document{}, fmt.Errorf("document %s: case: %w", id, err)
		}
		if err := s.z.May(ctx, sub, authz.ReadDocument, DocumentResource(c, d)); err != nil {
			return Document{}, fmt.Errorf("document %s: %w", id, err)
		}
		return d, nil
	}
	return Document{}, fmt.Errorf("document %s: %w", id, errs.ErrNotFound)
}

// Documents lists the documents of a case the subject may see.
// Documents that the subject may not read (restricted ones, for a
// participant; unlisted ones, for a limited Akteneinsicht) are left out.
func (s *Service) Documents(ctx context.Context, sub authz.Subject, id CaseID) ([]Document, error) {
	ts, err := s.z.Tenants(ctx, sub)
	if err != nil {
		return nil, fmt.Errorf("documents of case %s: %w", id, err)
	}
	var c Case
	var ds []Document
	for _, t := range ts {
		if c, ds, err = s.store.CaseDocuments(ctx, t, id); !errors.Is(err, errs.ErrNotFound) {
			break
		}
	}
	if err == nil && c.ID == "" {
		err = errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("documents of case %s: %w", id, err)
	}
	if err := s.z.May(ctx, sub, authz.ReadCase, CaseResource(c)); err != nil {
		return nil, fmt.Errorf("documents of case %s: %w", id, err)
	}
	kept := ds[:0]
	for _, d := range ds {
		err := s.z.May(ctx, sub, authz.ReadDocument, DocumentResource(c, d))
		switch {
		case err == nil:
			kept = append(kept, d)
		case errors.Is(err, errs.ErrNotFound) || errors.Is(err, errs.ErrForbidden):
		default:
			return nil, fmt.Errorf("documents of case %s: %w", id, err)
		}
	}
	return kept, nil
}

// Content opens a document's bytes for reading and seeking (for Range
// requests). The caller closes it.
func (s *Service) Content(ctx context.Context, sub authz.Subject, id DocumentID) (Document, *blob.Seeker, error) {
	d, err := s.Document(ctx, sub, id)
	if err != nil {
		return Document{}, nil, err
	}
	key := blob.Key{Tenant: d.Tenant, Name: d.Blob}
	// Stat first, so that a shredded or damaged document is reported before
	// the response has started (410, 500) instead of as a cut-off download.
	info, err := s.blobs.Stat(ctx, key)
	if err != nil {
		return Document{}, nil, fmt.Errorf("document %s: content: %w", id, err)
	}
	if info.Size != d.Size {
		return Document{}, nil, fmt.Errorf("document %s: stored content has %d bytes, recorded %d", id, info.Size, d.Size)
	}
	if s.onContent != nil {
		s.onContent(ctx, sub, d)
	}
	return d, blob.NewSeeker(ctx, s.blobs, key, d.Size), nil
}

// meter counts and hashes what passes through and enforces the size limit.
type meter struct {
	r     io.Reader
	h     hash.Hash
	n     int64
	limit int64
	err   error // set when the limit was exceeded
}

func (m *meter) Read(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	n, err := m.r.Read(p)
	m.n += int64(n)
	if m.n > m.limit {
		m.err = fmt.Errorf("%w: document is larger than %d bytes", errs.ErrTooLarge, m.limit)
		return 0, m.err
	}
	m.h.Write(p[:n])
	return n, err
}
