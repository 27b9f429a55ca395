// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package akte holds proceedings (cases) and the documents of their
// electronic case file (eAkte). A document is stored once, encrypted, in the
// central blob store; the metadata lives in a Store.
package akte

import (
	"context"
	"fmt"
	"time"

	"justizcloud/authz"
	"justizcloud/tenancy"
)

// CaseID identifies a case (proceeding) across all tenants.
type CaseID string

// DocumentID identifies a document across all tenants.
type DocumentID string

// Aktenzeichen is a docket number such as "12 C 345/26".
type Aktenzeichen struct {
	Department string // Abteilung or Kammer, e.g. "12"
	Register   string // Registerzeichen, e.g. "C"
	Number     int    // running number per court, Registerzeichen and year
	Year       int    // four-digit year; printed with two digits
}

func (a Aktenzeichen) String() string {
	return fmt.Sprintf("%s %s %d/%02d", a.Department, a.Register, a.Number, a.Year%100)
}

// Case is a proceeding at a court.
type Case struct {
	ID           CaseID
	Tenant       tenancy.ID
	Court        tenancy.CourtID
	Aktenzeichen Aktenzeichen
	Subject      string
	Procedure    string // procedure type (verfahren definition), empty for a plain case file
	CreatedAt    time.Time
	CreatedBy    string
}

// Document is one immutable document of a case file. A new version is a new
// document whose Predecessor is the previous version.
type Document struct {
	ID          DocumentID
	Tenant      tenancy.ID
	Case        CaseID
	Filename    string
	ContentType string
	Size        int64
	SHA256      [32]byte
	Blob        string // blob name in the content store (random; reveals nothing)
	Predecessor DocumentID
	Version     int    // 1 for a first version
	Class       string // Dokumentklasse (see Options.DocumentClass); empty when not classified
	// Restricted documents (e.g. a Sonderheft) are seen by court staff and
	// the judge only, not by participants, their counsel or inspectors
	// without a grant naming the document.
	Restricted bool
	CreatedAt  time.Time
	CreatedBy  string
}

// Page sizes of case listings (CaseFilter.Limit).
const (
	DefaultCaseLimit = 100
	MaxCaseLimit     = 1000
)

// CaseLimit is the page size a CaseFilter.Limit asks for: DefaultCaseLimit
// for 0 or less, at most MaxCaseLimit.
func CaseLimit(limit int) int {
	if limit <= 0 {
		return DefaultCaseLimit
	}
	return min(limit, MaxCaseLimit)
}

// CaseFilter selects cases in Store.Cases. Zero fields do not filter.
type CaseFilter struct {
	Court tenancy.CourtID
	After CaseID // keyset pagination: only cases ordered after this one
	Limit int
}

// Upload records that a blob is being written for a document that is not yet
// committed. Uploads that never commit are swept: their blob is deleted.
type Upload struct {
	Tenant    tenancy.ID
	Blob      string
	Case      CaseID
	StartedAt time.Time
}

// Store persists cases and documents. Every method is scoped by tenant: an
// object of another tenant is reported as missing (errs.ErrNotFound).
// Implementations are safe for concurrent use.
type Store interface {
	// The relation tuples that authorization reads.
	authz.Store

	// CreateCase assigns c.Aktenzeichen.Number as the next number for
	// (tenant, court, register, year) and stores the case in one transaction,
	// so numbers are unique and gap-free under concurrent callers.
	CreateCase(ctx context.Context, c Case) (Case, error)
	Case(ctx context.Context, t tenancy.ID, id CaseID) (Case, error)
	// Cases lists cases ordered by ID.
	Cases(ctx context.Context, t tenancy.ID, f CaseFilter) ([]Case, error)

	// BeginUpload records an upload intent before its blob is written.
	BeginUpload(ctx context.Context, u Upload) error
	// CommitDocument stores d and removes the upload intent for d.Blob in one
	// transaction. It assigns d.Version from the predecessor (which must be a
	// document of the same case; otherwise errs.ErrInvalid) and returns the stored document.
	CommitDocument(ctx context.Context, d Document) (Document, error)
	// AbortUpload removes an upload intent. Missing is not an error.
	AbortUpload(ctx context.Context, t tenancy.ID, blob string) error
	// StaleUploads lists upload intents started before the given time, across all tenants.
	StaleUploads(ctx context.Context, before time.Time) ([]Upload, error)

	// AddParticipant stores a new participant of an existing case.
	AddParticipant(ctx context.Context, p Participant) error
	// UpdateParticipant replaces role, name, address and representation. Missing: errs.ErrNotFound.
	UpdateParticipant(ctx context.Context, p Participant) error
	// RemoveParticipant deletes a participant. Missing: errs.ErrNotFound.
	RemoveParticipant(ctx context.Context, t tenancy.ID, c CaseID, id ParticipantID) error
	// Participants lists a case's participants in the order they were added.
	Participants(ctx context.Context, t tenancy.ID, c CaseID) ([]Participant, error)

	Document(ctx context.Context, t tenancy.ID, id DocumentID) (Document, error)
	// Documents lists a case's documents in the order they were filed.
	Documents(ctx context.Context, t tenancy.ID, c CaseID) ([]Document, error)
	// CaseDocuments is Case and Documents in one.
	CaseDocuments(ctx context.Context, t tenancy.ID, c CaseID) (Case, []Document, error)

	// SetHold stores or replaces the legal hold of an existing case.
	SetHold(ctx context.Context, h Hold) error
	// ClearHold removes a case's legal hold. Missing is not an error.
	ClearHold(ctx context.Context, t tenancy.ID, c CaseID) error
	// Hold returns a case's legal hold; a case without one is errs.ErrNotFound.
	Hold(ctx context.Context, t tenancy.ID, c CaseID) (Hold, error)

	// AddWiedervorlage stores a new Wiedervorlage of an existing case.
	AddWiedervorlage(ctx context.Context, w Wiedervorlage) error
	// Wiedervorlage returns one Wiedervorlage; missing or another tenant's: errs.ErrNotFound.
	Wiedervorlage(ctx context.Context, t tenancy.ID, id WiedervorlageID) (Wiedervorlage, error)
	// Wiedervorlagen lists a case's Wiedervorlagen ordered by due date and ID.
	Wiedervorlagen(ctx context.Context, t tenancy.ID, c CaseID) ([]Wiedervorlage, error)
	// CompleteWiedervorlage sets DoneAt of an open Wiedervorlage. Missing:
	// errs.ErrNotFound; already done: errs.ErrConflict (the first caller wins).
	CompleteWiedervorlage(ctx context.Context, t tenancy.ID, id WiedervorlageID, at time.Time) error
	// DueWiedervorlagen lists open Wiedervorlagen with their cases, ordered by
	// due date and ID.
	DueWiedervorlagen(ctx context.Context, t tenancy.ID, f WiedervorlageFilter) ([]DueWiedervorlage, error)
}
