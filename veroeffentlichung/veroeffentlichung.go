// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package veroeffentlichung

import (
	"context"
	"fmt"
	"time"

	"justizcloud/akte"
	"justizcloud/anon"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

// ID identifies a publication across all tenants.
type ID string

// State is where a publication stands.
type State string

// States.
const (
	Pruefung        State = "pruefung"        // under review
	Veroeffentlicht State = "veroeffentlicht" // published, read-only
	Verworfen       State = "verworfen"       // discarded, read-only
)

// Publication is the record of one decision's way to publication. Its
// fields hold no personal data: Text is the published (pseudonymized) text,
// set when published; Record is the anonymization record (JSON, see
// Record).
type Publication struct {
	ID           ID
	Tenant       tenancy.ID
	Court        tenancy.CourtID
	Case         akte.CaseID
	Document     akte.DocumentID // the decision in the eAkte
	Aktenzeichen string
	Title        string    // e.g. "Urteil", "Versäumnisurteil"
	DecidedAt    time.Time // when the decision was filed
	State        State
	// Version counts the saved changes, from 1; every change names the
	// version it was made on.
	Version int
	// Blob names the encrypted Review of this version in the blob store
	// (tenant Tenant); empty once published or discarded.
	Blob       string
	ReviewedBy string // who saved the review last; empty: never saved by a person
	CreatedAt  time.Time
	CreatedBy  string
	UpdatedAt  time.Time
	// PublishedAt and PublishedBy are set when published.
	PublishedAt time.Time
	PublishedBy string
	Text        string
	Record      string
}

// Review is the decision's text and the spans to anonymize: personal data,
// kept encrypted in the blob store.
type Review struct {
	Text  string
	Spans []Mark // in text order, without overlaps
}

// Mark is one span of a Review.
type Mark struct {
	Start, End int // byte offsets into Review.Text
	Kind       anon.Kind
	// Source is where the span comes from: "model" or "rule" (the
	// pseudonymizer's suggestion) or "reviewer" (added by hand).
	Source string
	// Replace: the span is anonymized. Suggestions start as the tenant's
	// policy says; the reviewer accepts or rejects them.
	Replace bool
}

// SourceReviewer is the Source of spans added by a reviewer.
const SourceReviewer = "reviewer"

// Store keeps the publications' records. Every method but the public ones
// (PublishedDecision, PublishedDecisions) is scoped by tenant: another
// tenant's publication is errs.ErrNotFound. Implementations are safe for
// concurrent use.
type Store interface {
	// CreatePublication stores a new publication; an existing ID is errs.ErrConflict.
	CreatePublication(ctx context.Context, p Publication) error
	// Publication returns one publication; missing: errs.ErrNotFound.
	Publication(ctx context.Context, t tenancy.ID, id ID) (Publication, error)
	// PublicationsOf lists the publications of a document, oldest first.
	PublicationsOf(ctx context.Context, t tenancy.ID, doc akte.DocumentID) ([]Publication, error)
	// Publications lists t's publications, of court when not empty, newest
	// first, at most limit.
	Publications(ctx context.Context, t tenancy.ID, court tenancy.CourtID, limit int) ([]Publication, error)
	// UpdatePublication replaces the publication's state, version, blob,
	// reviewer, publication fields, text and record with p's if its stored
	// version is still version; otherwise (also when missing) it changes
	// nothing and returns errs.ErrConflict.
	UpdatePublication(ctx context.Context, p Publication, version int) error
	// PublishedDecision returns a published publication of any tenant;
	// missing or not published: errs.ErrNotFound.
	PublishedDecision(ctx context.Context, id ID) (Publication, error)
	// PublishedDecisions lists the published publications of all tenants,
	// newest publication first, those published before before (zero: no
	// bound), at most limit.
	PublishedDecisions(ctx context.Context, before time.Time, limit int) ([]Publication, error)
}

// Errors with a reason the portal shows in German.
var (
	// ErrStale: the publication was changed since the form was loaded.
	ErrStale = fmt.Errorf("%w: the publication was changed meanwhile", errs.ErrConflict)
	// ErrNotReviewed: publishing needs a review saved by a person.
	ErrNotReviewed = fmt.Errorf("%w: the review was never saved", errs.ErrConflict)
	// ErrReadOnly: the publication is published or discarded.
	ErrReadOnly = fmt.Errorf("%w: the publication is read-only", errs.ErrConflict)
	// ErrNotInText: a text to add does not occur in the decision.
	ErrNotInText = fmt.Errorf("%w: the text does not occur in the decision", errs.ErrInvalid)
	// ErrNotDecision: the document is no decision (Urteil, Beschluss).
	ErrNotDecision = fmt.Errorf("%w: the document is no decision", errs.ErrInvalid)
)

// LeakError refuses a publication in which the text of an anonymized span
// still occurs elsewhere, unmarked. Texts lists those texts (for the
// reviewer; never logged or recorded).
type LeakError struct {
	Texts []string
}

func (e *LeakError) Error() string {
	return fmt.Sprintf("publication: %d anonymized texts still occur unmarked", len(e.Texts))
}

// Unwrap makes a LeakError an errs.ErrConflict.
func (e *LeakError) Unwrap() error { return errs.ErrConflict }
