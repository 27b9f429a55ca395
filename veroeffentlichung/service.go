// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package veroeffentlichung

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"justizcloud/akte"
	"justizcloud/anon"
	"justizcloud/audit"
	"justizcloud/authz"
	"justizcloud/blob"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

// Deps are what the service calls.
type Deps struct {
	Store Store
	// Blobs is the encrypting blob store; the reviews lie in it under the
	// publication's tenant.
	Blobs blob.Store
	// Akte reads the decision (and decides whether the subject may read it).
	Akte *akte.Service
	// Anon pseudonymizes under the tenant's policy.
	Anon *anon.Service
	// Audit records every publication.
	Audit audit.Appender
	// Extract returns the text of a document (search.Extract).
	Extract func(ctx context.Context, contentType string, r io.Reader) (string, error)
	Now     func() time.Time
	Logger  *slog.Logger
}

// Service prepares, reviews and publishes decisions. It is safe for
// concurrent use.
type Service struct {
	d Deps
}

// NewService returns the service; a missing dependency wraps errs.ErrInvalid.
func NewService(d Deps) (*Service, error) {
	if d.Store == nil || d.Blobs == nil || d.Akte == nil || d.Anon == nil || d.Audit == nil || d.Extract == nil {
		return nil, fmt.Errorf("veroeffentlichung: %w: missing dependencies", errs.ErrInvalid)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{d: d}, nil
}

// decisionClasses are the Dokumentklassen that can be published.
var decisionClasses = []string{"Urteil", "Beschluss"}

// IsDecision reports whether d is a decision that can be prepared for
// publication.
func IsDecision(d akte.Document) bool { return slices.Contains(decisionClasses, d.Class) }

// titles name decisions by the file names the court's workplace gives them.
var titles = map[string]string{"urteil.pdf": "Urteil", "versaeumnisurteil.pdf": "Versäumnisurteil",
	"anerkenntnisurteil.pdf": "Anerkenntnisurteil", "zweites-versaeumnisurteil.pdf": "Zweites Versäumnisurteil"}

func title(d akte.Document) string {
	if t, ok := titles[d.Filename]; ok {
		return t
	}
	return d.Class
}

// Prepare starts the publication of decision doc: it extracts the text,
// pseudonymizes it under the tenant's policy and stores text and
// suggestions for review (version 1). A publication of doc that is not
// discarded is returned instead of a new one. The subject must be allowed
// to read the document and to publish decisions of its case; a document
// that is no decision is ErrNotDecision.
func (s *Service) Prepare(ctx context.Context, sub authz.Subject, doc akte.DocumentID) (Publication, error) {
	d, err := s.d.Akte.Document(ctx, sub, doc)
	if err != nil {
		return Publication{}, fmt.Errorf("prepare publication: %w", err)
	}
	c, err := s.d.Akte.Case(ctx, sub, d.Case)
	if err != nil {
		return Publication{}, fmt.Errorf("prepare publication: %w", err)
	}
	if err := s.d.Akte.Authorizer().May(ctx, sub, authz.PublishDecision, akte.CaseResource(c)); err != nil {
		return Publication{}, fmt.Errorf("prepare publication: %w", err)
	}
	if !IsDecision(d) {
		return Publication{}, fmt.Errorf("prepare publication of %s: %w", doc, ErrNotDecision)
	}
	if p, ok, err := s.pending(ctx, c.Tenant, doc); err != nil || ok {
		return p, err
	}
	_, content, err := s.d.Akte.Content(ctx, sub, doc)
	if err != nil {
		return Publication{}, fmt.Errorf("prepare publication: %w", err)
	}
	text, err := s.d.Extract(ctx, d.ContentType, content)
	content.Close()
	if err != nil {
		return Publication{}, fmt.Errorf("prepare publication: text of %s: %w", doc, err)
	}
	res, err := s.d.Anon.Pseudonymize(ctx, c.Tenant, text)
	if err != nil {
		return Publication{}, fmt.Errorf("prepare publication: %w", err)
	}
	r := Review{Text: text}
	for _, sp := range res.Spans {
		r.Spans = append(r.Spans, Mark{Start: sp.Start, End: sp.End, Kind: sp.Kind, Source: sp.Source, Replace: sp.Replacement != ""})
	}
	now := s.d.Now().UTC()
	p := Publication{ID: ID(uuid.NewString()), Tenant: c.Tenant, Court: c.Court, Case: c.ID, Document: d.ID,
		Aktenzeichen: c.Aktenzeichen.String(), Title: title(d), DecidedAt: d.CreatedAt, State: Pruefung, Version: 1,
		CreatedAt: now, CreatedBy: sub.ID, UpdatedAt: now}
	if p.Blob, err = s.putReview(ctx, p, r); err != nil {
		return Publication{}, err
	}
	if err := s.d.Store.CreatePublication(ctx, p); err != nil {
		s.deleteReview(ctx, p, p.Blob)
		if errors.Is(err, errs.ErrConflict) {
			// Somebody else prepared it at the same moment: theirs it is.
			if q, ok, err := s.pending(ctx, c.Tenant, doc); err != nil || ok {
				return q, err
			}
		}
		return Publication{}, fmt.Errorf("prepare publication: %w", err)
	}
	return p, nil
}

// pending returns the publication of doc that is not discarded, if there
// is one (the store allows at most one).
func (s *Service) pending(ctx context.Context, t tenancy.ID, doc akte.DocumentID) (Publication, bool, error) {
	ps, err := s.d.Store.PublicationsOf(ctx, t, doc)
	if err != nil {
		return Publication{}, false, fmt.Errorf("prepare publication: %w", err)
	}
	for _, p := range ps {
		if p.State != Verworfen {
			return p, true, nil
		}
	}
	return Publication{}, false, nil
}

// Publication returns a publication and, while it is under review, its
// review, if the subject may publish decisions of its case.
func (s *Service) Publication(ctx context.Context, sub authz.Subject, id ID) (Publication, Review, error) {
	p, err := s.load(ctx, sub, id)
	if err != nil {
		return Publication{}, Review{}, err
	}
	if p.Blob == "" {
		return p, Review{}, nil
	}
	r, err := s.review(ctx, p)
	if err != nil {
		return Publication{}, Review{}, err
	}
	return p, r, nil
}

// Publications lists the publications of the subject's tenant (and court,
// when bound to one) that the subject may work on, newest first, at most
// limit.
func (s *Service) Publications(ctx context.Context, sub authz.Subject, limit int) ([]Publication, error) {
	if !sub.Role.Staff() || sub.Tenant == "" {
		return nil, nil
	}
	ps, err := s.d.Store.Publications(ctx, sub.Tenant, sub.Court, limit)
	if err != nil {
		return nil, fmt.Errorf("publications: %w", err)
	}
	z := s.d.Akte.Authorizer()
	kept := ps[:0]
	for _, p := range ps {
		err := z.May(ctx, sub, authz.PublishDecision, resource(p))
		switch {
		case err == nil:
			kept = append(kept, p)
		case errors.Is(err, errs.ErrNotFound) || errors.Is(err, errs.ErrForbidden):
		default:
			return nil, fmt.Errorf("publications: %w", err)
		}
	}
	return kept, nil
}

// Change is a saved review: which spans are anonymized, and a text whose
// every occurrence becomes a span.
type Change struct {
	// Version is the version the change was made on.
	Version int
	// Anonymize holds the indexes (into Review.Spans) of the spans to
	// anonymize; all others are kept.
	Anonymize []int
	// AddText, if not empty, is marked wherever it occurs (as a whole word
	// or words, any white space between words), with kind AddKind;
	// overlapping spans merge into the new one.
	AddText string
	AddKind anon.Kind
}

// maxAddText bounds a text to add.
const maxAddText = 500

// Save stores a reviewer's change as the next version. A stale version is
// ErrStale, a published or discarded publication ErrReadOnly, a text to add
// that does not occur ErrNotInText, an unknown kind or index errs.ErrInvalid.
func (s *Service) Save(ctx context.Context, sub authz.Subject, id ID, ch Change) (Publication, error) {
	p, r, err := s.open(ctx, sub, id, ch.Version)
	if err != nil {
		return Publication{}, err
	}
	for i := range r.Spans {
		r.Spans[i].Replace = false
	}
	for _, i := range ch.Anonymize {
		if i < 0 || i >= len(r.Spans) {
			return Publication{}, fmt.Errorf("save publication %s: %w: no span %d", id, errs.ErrInvalid, i)
		}
		r.Spans[i].Replace = true
	}
	if strings.TrimSpace(ch.AddText) != "" {
		if r.Spans, err = addSpans(r.Text, r.Spans, ch.AddText, ch.AddKind); err != nil {
			return Publication{}, fmt.Errorf("save publication %s: %w", id, err)
		}
	}
	if _, err := r.Apply(); err != nil {
		return Publication{}, fmt.Errorf("save publication %s: %w", id, err)
	}
	old := p
	p.Version++
	p.ReviewedBy = person(sub)
	p.UpdatedAt = s.d.Now().UTC()
	if p.Blob, err = s.putReview(ctx, p, r); err != nil {
		return Publication{}, err
	}
	if err := s.update(ctx, p, old.Version); err != nil {
		s.deleteReview(ctx, p, p.Blob)
		return Publication{}, err
	}
	s.deleteReview(ctx, old, old.Blob)
	return p, nil
}

// Origin is the request a publication came with, for its audit entry.
type Origin struct {
	Route     string // method and route pattern
	RequestID string
}

// Publish publishes the reviewed version: it computes the final text
// (anon.Apply), refuses it while an anonymized span's text (or a person's
// surname) still occurs outside anonymized spans (a *LeakError), appends
// the audit entry (action decision.publish, naming the case) with the
// anonymization record's SHA-256, and stores text and record; the review
// blob is deleted and the publication is read-only. It needs the current
// version (ErrStale) and a review saved by a person (ErrNotReviewed).
func (s *Service) Publish(ctx context.Context, sub authz.Subject, id ID, version int, o Origin) (Publication, error) {
	p, r, err := s.open(ctx, sub, id, version)
	if err != nil {
		return Publication{}, err
	}
	if p.ReviewedBy == "" {
		return Publication{}, fmt.Errorf("publish %s: %w", id, ErrNotReviewed)
	}
	res, err := r.Apply()
	if err != nil {
		return Publication{}, fmt.Errorf("publish %s: %w", id, err)
	}
	if leaks := leaked(r); len(leaks) > 0 {
		return Publication{}, fmt.Errorf("publish %s: %w", id, &LeakError{Texts: leaks})
	}
	d, err := s.d.Akte.Document(ctx, sub, p.Document)
	if err != nil {
		return Publication{}, fmt.Errorf("publish %s: %w", id, err)
	}
	now := s.d.Now().UTC().Truncate(time.Microsecond)
	old := p
	p.State, p.Version, p.Blob, p.UpdatedAt = Veroeffentlicht, p.Version+1, "", now
	p.PublishedAt, p.PublishedBy, p.Text = now, person(sub), res.Text
	rec, err := record(p, d, sub, res)
	if err != nil {
		return Publication{}, fmt.Errorf("publish %s: %w", id, err)
	}
	p.Record = string(rec)
	sum := sha256.Sum256(rec)
	// The entry first: no publication without its record in the log. It
	// names the case, not the decision: an entry that names a document
	// carries that document's own SHA-256 (audit verify cross-checks it),
	// and this one carries the record's, which names the decision.
	if _, err := s.d.Audit.Append(ctx, audit.Entry{Time: now, Tenant: p.Tenant, Subject: sub.ID, Role: string(sub.Role), Court: string(sub.Court),
		User: sub.User, Name: sub.Name, Action: string(authz.PublishDecision), Route: o.Route, Case: string(p.Case),
		SHA256: hex.EncodeToString(sum[:]), Outcome: audit.Allowed, Status: http.StatusOK, RequestID: o.RequestID}); err != nil {
		return Publication{}, fmt.Errorf("publish %s: audit: %w", id, err)
	}
	if err := s.update(ctx, p, old.Version); err != nil {
		return Publication{}, err
	}
	s.deleteReview(ctx, old, old.Blob)
	return p, nil
}

// Discard gives the publication up; the review blob is deleted. The
// decision can be prepared again.
func (s *Service) Discard(ctx context.Context, sub authz.Subject, id ID, version int) (Publication, error) {
	p, _, err := s.open(ctx, sub, id, version)
	if err != nil {
		return Publication{}, err
	}
	old := p
	p.State, p.Version, p.Blob, p.UpdatedAt = Verworfen, p.Version+1, "", s.d.Now().UTC()
	if err := s.update(ctx, p, old.Version); err != nil {
		return Publication{}, err
	}
	s.deleteReview(ctx, old, old.Blob)
	return p, nil
}

// Published returns a published decision, to anyone.
func (s *Service) Published(ctx context.Context, id ID) (Publication, error) {
	p, err := s.d.Store.PublishedDecision(ctx, id)
	if err != nil {
		return Publication{}, fmt.Errorf("published decision %s: %w", id, err)
	}
	return p, nil
}

// PublishedList lists published decisions, newest first, those published
// before before (zero: the newest), at most limit.
func (s *Service) PublishedList(ctx context.Context, before time.Time, limit int) ([]Publication, error) {
	ps, err := s.d.Store.PublishedDecisions(ctx, before, limit)
	if err != nil {
		return nil, fmt.Errorf("published decisions: %w", err)
	}
	return ps, nil
}

// load finds publication id in the subject's tenant and checks that the
// subject may publish decisions of its case.
func (s *Service) load(ctx context.Context, sub authz.Subject, id ID) (Publication, error) {
	if !sub.Role.Staff() || sub.Tenant == "" {
		return Publication{}, fmt.Errorf("publication %s: %w", id, errs.ErrNotFound)
	}
	p, err := s.d.Store.Publication(ctx, sub.Tenant, id)
	if err != nil {
		return Publication{}, fmt.Errorf("publication %s: %w", id, err)
	}
	if err := s.d.Akte.Authorizer().May(ctx, sub, authz.PublishDecision, resource(p)); err != nil {
		return Publication{}, fmt.Errorf("publication %s: %w", id, err)
	}
	return p, nil
}

// open loads a publication under review at version, with its review.
func (s *Service) open(ctx context.Context, sub authz.Subject, id ID, version int) (Publication, Review, error) {
	p, err := s.load(ctx, sub, id)
	if err != nil {
		return Publication{}, Review{}, err
	}
	if p.State != Pruefung {
		return Publication{}, Review{}, fmt.Errorf("publication %s: %w", id, ErrReadOnly)
	}
	if p.Version != version {
		return Publication{}, Review{}, fmt.Errorf("publication %s: version %d, now %d: %w", id, version, p.Version, ErrStale)
	}
	r, err := s.review(ctx, p)
	return p, r, err
}

func (s *Service) update(ctx context.Context, p Publication, version int) error {
	err := s.d.Store.UpdatePublication(ctx, p, version)
	if errors.Is(err, errs.ErrConflict) {
		return fmt.Errorf("publication %s: %w", p.ID, ErrStale)
	}
	if err != nil {
		return fmt.Errorf("publication %s: %w", p.ID, err)
	}
	return nil
}

func resource(p Publication) authz.Resource {
	return authz.Resource{Tenant: p.Tenant, Court: p.Court, Case: string(p.Case)}
}

// person names the subject in the record: the person behind it, else the token.
func person(sub authz.Subject) string {
	if sub.User != "" {
		return sub.User
	}
	return sub.ID
}

// reviewJSON is the encoding of a Review in its blob.
type reviewJSON struct {
	Text  string     `json:"text"`
	Spans []markJSON `json:"spans"`
}

type markJSON struct {
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Kind    string `json:"kind"`
	Source  string `json:"source"`
	Replace bool   `json:"replace"`
}

// putReview writes r under a new random name and returns the name.
func (s *Service) putReview(ctx context.Context, p Publication, r Review) (string, error) {
	w := reviewJSON{Text: r.Text, Spans: []markJSON{}}
	for _, m := range r.Spans {
		w.Spans = append(w.Spans, markJSON{m.Start, m.End, string(m.Kind), m.Source, m.Replace})
	}
	b, err := json.Marshal(w)
	if err != nil {
		return "", fmt.Errorf("publication %s: review: %w", p.ID, err)
	}
	name := uuid.NewString()
	if err := s.d.Blobs.Put(ctx, blob.Key{Tenant: p.Tenant, Name: name}, bytes.NewReader(b)); err != nil {
		return "", fmt.Errorf("publication %s: review: %w", p.ID, err)
	}
	return name, nil
}

func (s *Service) review(ctx context.Context, p Publication) (Review, error) {
	rc, err := s.d.Blobs.Get(ctx, blob.Key{Tenant: p.Tenant, Name: p.Blob})
	if err != nil {
		return Review{}, fmt.Errorf("publication %s: review: %w", p.ID, err)
	}
	defer rc.Close()
	var w reviewJSON
	if err := json.NewDecoder(rc).Decode(&w); err != nil {
		return Review{}, fmt.Errorf("publication %s: review: %w", p.ID, err)
	}
	r := Review{Text: w.Text}
	for _, m := range w.Spans {
		r.Spans = append(r.Spans, Mark{Start: m.Start, End: m.End, Kind: anon.Kind(m.Kind), Source: m.Source, Replace: m.Replace})
	}
	return r, nil
}

// deleteReview removes a review blob that is no longer needed; a failure
// is logged (the blob is unreferenced and stays encrypted).
func (s *Service) deleteReview(ctx context.Context, p Publication, name string) {
	if name == "" {
		return
	}
	if err := s.d.Blobs.Delete(context.WithoutCancel(ctx), blob.Key{Tenant: p.Tenant, Name: name}); err != nil {
		s.d.Logger.WarnContext(ctx, "publication: delete review blob", "publication", p.ID, "err", err)
	}
}
