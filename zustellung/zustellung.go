// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package zustellung

import (
	"context"
	"time"

	"justizcloud/akte"
	"justizcloud/tenancy"
)

// ID identifies a Zustellung across all tenants.
type ID string

// Method is how a Zustellung reaches its recipient.
type Method string

// Methods.
const (
	// EEB: the recipient (lawyer, authority, organisation) acknowledges
	// receipt; the acknowledgement is the moment of service.
	EEB Method = "eeb"
	// Zugang: the recipient (a citizen with an account) downloads a served
	// document; the first download is the moment of service.
	Zugang Method = "zugang"
	// Brief: the recipient has no account; a letter with a one-time access
	// code is posted, and redeeming the code is the moment of service.
	Brief Method = "brief"
)

// Document is a served document as it was when service was ordered.
type Document struct {
	ID       akte.DocumentID
	Filename string
	SHA256   [32]byte
}

// Zustellung is one ordered service of documents to one participant.
type Zustellung struct {
	ID        ID
	Tenant    tenancy.ID
	Case      akte.CaseID
	Recipient akte.ParticipantID
	Method    Method
	Documents []Document
	// Event is the procedure event fired when served (e.g. "zustellung");
	// empty for none.
	Event     string
	OrderedAt time.Time
	OrderedBy string
	// ServedAt is the moment of service; zero while not served. ServedBy
	// is the user (or token) whose acknowledgement, download or redemption
	// it was.
	ServedAt time.Time
	ServedBy string
	// Proof is the Zustellungsnachweis filed when served; empty before.
	Proof akte.DocumentID
	// Letter is the restricted letter with the access code (method Brief).
	Letter akte.DocumentID
	// The access code of a letter: only its SHA-256 is kept.
	CodeHash    []byte
	CodeExpires time.Time
	CodeUsedAt  time.Time
	CodeUsedBy  string
	// EventSeq is the number of the fired event in the proceeding's
	// history; 0 while not fired. EventError says why it could not be
	// fired (e.g. the proceeding had moved on).
	EventSeq   int
	EventError string
}

// Served reports whether the Zustellung has been served.
func (z Zustellung) Served() bool { return !z.ServedAt.IsZero() }

// Store persists Zustellungen. Every method is scoped by tenant: another
// tenant's Zustellung is errs.ErrNotFound. Implementations are safe for
// concurrent use.
type Store interface {
	// CreateZustellung stores a new Zustellung with its documents in one
	// transaction. The case must exist (else errs.ErrInvalid or
	// errs.ErrNotFound); a taken code hash is errs.ErrConflict.
	CreateZustellung(ctx context.Context, z Zustellung) error
	// Zustellung returns one Zustellung with its documents.
	Zustellung(ctx context.Context, t tenancy.ID, id ID) (Zustellung, error)
	// CaseZustellungen lists a case's Zustellungen in the order they were ordered.
	CaseZustellungen(ctx context.Context, t tenancy.ID, c akte.CaseID) ([]Zustellung, error)
	// OpenZustellungen lists the unserved Zustellungen of method m that
	// serve document d, oldest first.
	OpenZustellungen(ctx context.Context, t tenancy.ID, d akte.DocumentID, m Method) ([]Zustellung, error)
	// ZustellungByCode returns the Zustellung whose access code has the
	// SHA-256 hash; none: errs.ErrNotFound.
	ZustellungByCode(ctx context.Context, t tenancy.ID, hash [32]byte) (Zustellung, error)
	// ClaimCode marks the access code of Zustellung id used at at by user,
	// if it is unused and expires after at; otherwise errs.ErrConflict. Of
	// concurrent callers exactly one succeeds.
	ClaimCode(ctx context.Context, t tenancy.ID, id ID, at time.Time, user string) error
	// ReleaseCode undoes ClaimCode (the redemption failed afterwards).
	ReleaseCode(ctx context.Context, t tenancy.ID, id ID) error
	// MarkServed sets ServedAt and ServedBy if the Zustellung is not served
	// yet; otherwise errs.ErrConflict. Of concurrent callers exactly one succeeds.
	MarkServed(ctx context.Context, t tenancy.ID, id ID, at time.Time, by string) error
	// SetProof records the Zustellungsnachweis.
	SetProof(ctx context.Context, t tenancy.ID, id ID, proof akte.DocumentID) error
	// SetEventResult records the fired event's number, or why it failed.
	SetEventResult(ctx context.Context, t tenancy.ID, id ID, seq int, failure string) error
}
