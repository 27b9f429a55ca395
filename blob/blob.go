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

// Validate checks that the key is safe to use as a path or object name:
// a known tenant and a name of 1–128 characters from [A-Za-z0-9_-], not
// starting with "-" or "_" (so no ".", "..", separators or control characters).
func (k Key) Validate() error {
	if _, err := tenancy.Parse(string(k.Tenant)); err != nil {
		return fmt.Errorf("blob key %q: %w", k, err)
	}
	if len(k.Name) == 0 || len(k.Name) > 128 {
		return fmt.Errorf("%w: blob name must have 1 to 128 characters", errs.ErrInvalid)
	}
	for i := 0; i < len(k.Name); i++ {
		c := k.Name[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || (i > 0 && (c == '-' || c == '_'))
		if !ok {
			return fmt.Errorf("%w: blob name %q has a forbidden character at %d", errs.ErrInvalid, k.Name, i)
		}
	}
	return nil
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
