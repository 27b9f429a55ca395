// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package blob defines the content store contract: a tiny interface that
// drivers (fsblob, s3blob) implement, optional upgrades found by type
// assertion, and the encrypting decorator that every production store is
// wrapped in. Drivers are untrusted: they only ever see ciphertext.
package blob

import (
	"context"
	"fmt"
	"io"

	"justizcloud/errs"
	"justizcloud/tenancy"
)

// Key names a blob. Names are opaque to the store; they are chosen by the
// caller (random IDs) and never derived from the content.
type Key struct {
	Tenant tenancy.ID
	Name   string
}

// String returns "tenant/name", for messages.
func (k Key) String() string { return string(k.Tenant) + "/" + k.Name }

// maxNameLen is the longest name Key.Validate accepts.
const maxNameLen = 160

// Validate checks that the key is safe to use as a path or object name:
// a known tenant and a name of 1–160 characters from [A-Za-z0-9_-], not
// starting with "-" or "_" (so no ".", "..", separators or control characters).
func (k Key) Validate() error {
	if _, err := tenancy.Parse(string(k.Tenant)); err != nil {
		return fmt.Errorf("blob key %q: %w", k, err)
	}
	if len(k.Name) == 0 || len(k.Name) > maxNameLen {
		return fmt.Errorf("%w: blob name must have 1 to %d characters", errs.ErrInvalid, maxNameLen)
	}
	return checkChars("blob name", k.Name)
}

// checkChars checks the characters of a name or of a prefix of one.
func checkChars(what, s string) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || (i > 0 && (c == '-' || c == '_'))
		if !ok {
			return fmt.Errorf("%w: %s %q has a forbidden character at %d", errs.ErrInvalid, what, s, i)
		}
	}
	return nil
}

// ValidatePrefix checks the arguments of Lister.List: a known tenant and a
// prefix that is empty or could begin a valid name (at most 160 characters
// from [A-Za-z0-9_-], not starting with "-" or "_"). Drivers call it first.
func ValidatePrefix(t tenancy.ID, prefix string) error {
	if _, err := tenancy.Parse(string(t)); err != nil {
		return fmt.Errorf("blob prefix %q of tenant %q: %w", prefix, t, err)
	}
	if len(prefix) > maxNameLen {
		return fmt.Errorf("%w: blob name prefix longer than %d characters", errs.ErrInvalid, maxNameLen)
	}
	return checkChars("blob name prefix", prefix)
}

// Info describes a stored blob.
type Info struct {
	Size int64 // bytes as the caller wrote them
}

// Store is the content store contract. All methods are safe for concurrent use.
type Store interface {
	// Put stores the bytes of r under key, streaming in constant memory. It is
	// atomic: readers see the old content or the whole new content, never a part.
	// When r fails or ctx ends, nothing is left behind and the error is returned.
	Put(ctx context.Context, key Key, r io.Reader) error
	// Get opens the blob. A missing key wraps errs.ErrNotFound.
	Get(ctx context.Context, key Key) (io.ReadCloser, error)
	// Stat describes the blob. A missing key wraps errs.ErrNotFound.
	Stat(ctx context.Context, key Key) (Info, error)
	// Delete removes the blob. A missing key is not an error.
	Delete(ctx context.Context, key Key) error
}

// RangeGetter is an optional upgrade of Store: it reads length bytes starting
// at offset (length < 0 means to the end) without reading what comes before.
// A range that reaches past the end is cut at the end; an offset equal to the
// size gives an empty reader; a negative offset or one beyond the size wraps
// errs.ErrInvalid; a missing key wraps errs.ErrNotFound (blobtest checks this).
type RangeGetter interface {
	GetRange(ctx context.Context, key Key, offset, length int64) (io.ReadCloser, error)
}

// Lister is an optional upgrade of Store: List returns the names of tenant
// t's blobs that start with prefix, sorted bytewise, without the tenant.
// No match gives an empty slice and a nil error. An empty prefix lists all of
// the tenant's blobs; a prefix that cannot begin a valid name, or an unknown
// tenant, wraps errs.ErrInvalid (see ValidatePrefix).
//
// Consistency: a name whose Put has returned successfully before List is
// called is listed, and a name whose Delete has returned successfully before
// is not (unless it was put again). A Put or Delete in progress may or may
// not be reflected. A store may also list names whose Get wraps
// errs.ErrNotFound or errs.ErrGone: Encrypted lists leftovers of interrupted
// Puts and shredded blobs, until Delete removes them. The whole result is
// held in memory, so List suits prefixes that match few names rather than
// walking a large tenant. List is safe for concurrent use.
type Lister interface {
	List(ctx context.Context, t tenancy.ID, prefix string) ([]string, error)
}

// ListingStore is a Store that can also list its names. The encrypting
// decorator needs one as its inner store; fsblob and s3blob qualify.
type ListingStore interface {
	Store
	Lister
}
