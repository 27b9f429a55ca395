// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"

	"justizcloud/blob"
	"justizcloud/errs"
	"justizcloud/interview"
	"justizcloud/tenancy"
)

// DraftTenant is the tenant whose blob store and keys hold saved
// interviews and their uploads: the Bund's, as a draft belongs to no court
// yet. Its content is encrypted like every document (blob.Encrypted).
const DraftTenant tenancy.ID = "DE"

// Draft is the record of a saved interview of one user; the answers lie
// encrypted in the blob store under Blob.
type Draft struct {
	User      string
	Interview string
	Blob      string
	CreatedAt time.Time
	UpdatedAt time.Time // the draft is deleted DraftTTL after this
}

// DraftFile is an upload of a draft; Ref is also its blob name.
type DraftFile struct {
	User, Interview, Ref string
	CreatedAt            time.Time
}

// DraftStore keeps the records of drafts and their uploads, one draft per
// user and interview: a user reaches only their own, since every method is
// keyed by the user. Implementations are safe for concurrent use.
type DraftStore interface {
	// Draft returns the draft of user and interview; missing: errs.ErrNotFound.
	Draft(ctx context.Context, user, interview string) (Draft, error)
	// PutDraft creates the draft or updates its blob and UpdatedAt.
	PutDraft(ctx context.Context, d Draft) error
	// DeleteDraft removes the draft and its file records. Missing is not an error.
	DeleteDraft(ctx context.Context, user, interview string) error
	// AddDraftFile records an upload before its blob is written.
	AddDraftFile(ctx context.Context, f DraftFile) error
	// DraftFiles lists the uploads of a draft.
	DraftFiles(ctx context.Context, user, interview string) ([]DraftFile, error)
	// DeleteDraftFile removes one upload record. Missing is not an error.
	DeleteDraftFile(ctx context.Context, user, interview, ref string) error
	// ExpiredDrafts lists the drafts updated before the time.
	ExpiredDrafts(ctx context.Context, before time.Time) ([]Draft, error)
	// StaleDraftFiles lists uploads created before the time whose draft is
	// missing.
	StaleDraftFiles(ctx context.Context, before time.Time) ([]DraftFile, error)
}

// draftContent is what the encrypted draft blob holds.
type draftContent struct {
	Version int               `json:"v"`
	Answers interview.Answers `json:"answers"`
}

// drafts saves and loads the answers of drafts, encrypted in the blob store.
type drafts struct {
	st    DraftStore
	blobs blob.Store
	now   func() time.Time
	ttl   time.Duration
}

// load returns the answers of the user's draft; no draft (or an expired
// one): errs.ErrNotFound.
func (d *drafts) load(ctx context.Context, user, name string) (Draft, interview.Answers, error) {
	rec, err := d.st.Draft(ctx, user, name)
	if err != nil {
		return Draft{}, nil, err
	}
	if !rec.UpdatedAt.After(d.now().Add(-d.ttl)) {
		return Draft{}, nil, fmt.Errorf("draft: expired: %w", errs.ErrNotFound)
	}
	rc, err := d.blobs.Get(ctx, blob.Key{Tenant: DraftTenant, Name: rec.Blob})
	if errors.Is(err, errs.ErrNotFound) {
		return rec, interview.Answers{}, nil // created, not yet saved
	}
	if err != nil {
		return Draft{}, nil, fmt.Errorf("draft: %w", err)
	}
	defer rc.Close()
	var c draftContent
	if err := json.NewDecoder(io.LimitReader(rc, 8<<20)).Decode(&c); err != nil {
		return Draft{}, nil, fmt.Errorf("draft: decode: %w", err)
	}
	if c.Answers == nil {
		c.Answers = interview.Answers{}
	}
	return rec, c.Answers, nil
}

// create starts a draft (or keeps the existing one) and returns it.
func (d *drafts) create(ctx context.Context, user, name string) (Draft, error) {
	if rec, _, err := d.load(ctx, user, name); err == nil {
		return rec, nil
	} else if !errors.Is(err, errs.ErrNotFound) {
		return Draft{}, err
	}
	// An expired record that the sweep has not reached yet goes first.
	if err := d.remove(ctx, user, name); err != nil {
		return Draft{}, err
	}
	now := d.now().UTC()
	rec := Draft{User: user, Interview: name, Blob: "entwurf-" + uuid.NewString(), CreatedAt: now, UpdatedAt: now}
	if err := d.st.PutDraft(ctx, rec); err != nil {
		return Draft{}, fmt.Errorf("draft: %w", err)
	}
	return rec, nil
}

// save stores the answers of a draft (encrypted; the blob store replaces
// the previous content atomically) and updates its time.
func (d *drafts) save(ctx context.Context, rec Draft, a interview.Answers) error {
	b, err := json.Marshal(draftContent{Version: 1, Answers: a})
	if err != nil {
		return fmt.Errorf("draft: %w", err)
	}
	if err := d.blobs.Put(ctx, blob.Key{Tenant: DraftTenant, Name: rec.Blob}, bytes.NewReader(b)); err != nil {
		return fmt.Errorf("draft: store: %w", err)
	}
	rec.UpdatedAt = d.now().UTC()
	if err := d.st.PutDraft(ctx, rec); err != nil {
		return fmt.Errorf("draft: %w", err)
	}
	return nil
}

// remove deletes a draft with its answers and uploads. Missing is not an error.
func (d *drafts) remove(ctx context.Context, user, name string) error {
	files, err := d.st.DraftFiles(ctx, user, name)
	if err != nil {
		return fmt.Errorf("draft: %w", err)
	}
	for _, f := range files {
		if err := d.blobs.Delete(ctx, blob.Key{Tenant: DraftTenant, Name: f.Ref}); err != nil {
			return fmt.Errorf("draft: delete upload: %w", err)
		}
	}
	rec, err := d.st.Draft(ctx, user, name)
	switch {
	case errors.Is(err, errs.ErrNotFound):
	case err != nil:
		return fmt.Errorf("draft: %w", err)
	default:
		if err := d.blobs.Delete(ctx, blob.Key{Tenant: DraftTenant, Name: rec.Blob}); err != nil {
			return fmt.Errorf("draft: delete answers: %w", err)
		}
	}
	if err := d.st.DeleteDraft(ctx, user, name); err != nil {
		return fmt.Errorf("draft: %w", err)
	}
	return nil
}

// removeFile deletes one upload of a draft: its blob, then its record.
func (d *drafts) removeFile(ctx context.Context, user, name, ref string) error {
	if err := d.blobs.Delete(ctx, blob.Key{Tenant: DraftTenant, Name: ref}); err != nil {
		return fmt.Errorf("draft: delete upload: %w", err)
	}
	return d.st.DeleteDraftFile(ctx, user, name, ref)
}

// Sweep deletes the drafts (answers and uploads) not changed for the
// retention time, and uploads left without a draft; serve runs it at start
// and daily. It returns how many drafts and files it removed.
func (p *Portal) Sweep(ctx context.Context) (drafts, files int, err error) {
	d := p.drafts
	before := d.now().Add(-d.ttl)
	exp, err := d.st.ExpiredDrafts(ctx, before)
	if err != nil {
		return 0, 0, fmt.Errorf("sweep drafts: %w", err)
	}
	for _, rec := range exp {
		if err := d.remove(ctx, rec.User, rec.Interview); err != nil {
			return drafts, files, fmt.Errorf("sweep drafts: %w", err)
		}
		drafts++
	}
	// Uploads whose draft is gone: a crash between the record and the
	// draft, or an upload refused after its record was written. An hour's
	// grace covers uploads in flight.
	stale, err := d.st.StaleDraftFiles(ctx, d.now().Add(-time.Hour))
	if err != nil {
		return drafts, files, fmt.Errorf("sweep drafts: %w", err)
	}
	for _, f := range stale {
		if rec, err := d.st.Draft(ctx, f.User, f.Interview); err == nil && rec.UpdatedAt.After(before) {
			continue // the draft lives and may still refer to it
		}
		if err := d.removeFile(ctx, f.User, f.Interview, f.Ref); err != nil {
			return drafts, files, fmt.Errorf("sweep drafts: %w", err)
		}
		files++
	}
	return drafts, files, nil
}
