// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package keys holds the key hierarchy of the platform: per-tenant
// key-encryption keys (KEKs) in a Keyring, and per-blob data keys (DEKs) that
// are stored only in wrapped form. Destroying a wrapped data key makes the
// data it protects unreadable for good (crypto-shredding).
package keys

import (
	"context"

	"justizcloud/tenancy"
)

// Wrapped is a data key encrypted under a tenant's key-encryption key.
type Wrapped struct {
	KEK        string // identifies the KEK (and its version) that wrapped the key
	Ciphertext []byte
}

// Keyring wraps and unwraps data keys with per-tenant key-encryption keys.
// The file keyring is the embedded default; a KMS or HSM implements the same
// interface. Implementations are safe for concurrent use.
type Keyring interface {
	// Wrap encrypts dek under the tenant's current KEK, creating one if the tenant has none.
	Wrap(ctx context.Context, t tenancy.ID, dek []byte) (Wrapped, error)
	// Unwrap decrypts w. It fails (wrapping errs.ErrGone) when the KEK was destroyed
	// and fails when w was wrapped for another tenant.
	Unwrap(ctx context.Context, t tenancy.ID, w Wrapped) ([]byte, error)
}

// DataKeys stores wrapped data keys by tenant and blob name. Implementations
// are safe for concurrent use.
type DataKeys interface {
	// PutDataKey stores w for the named blob, replacing an earlier key of the same name.
	PutDataKey(ctx context.Context, t tenancy.ID, name string, w Wrapped) error
	// DataKey returns the wrapped key. Missing: errs.ErrNotFound. Destroyed: errs.ErrGone.
	DataKey(ctx context.Context, t tenancy.ID, name string) (Wrapped, error)
	// DestroyDataKey irrevocably erases the key material but remembers that the
	// key existed, so that later reads answer errs.ErrGone. Idempotent.
	DestroyDataKey(ctx context.Context, t tenancy.ID, name string) error
	// DeleteDataKey removes every trace of the key. A missing key is not an error.
	DeleteDataKey(ctx context.Context, t tenancy.ID, name string) error
}
