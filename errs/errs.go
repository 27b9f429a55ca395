// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package errs holds the error sentinels that every layer wraps with %w.
// Domain code wraps them with context ("case 42: %w"); only the transport
// edges (httpapi, portal) translate them, each in one function.
package errs

import "errors"

var (
	// ErrNotFound: the object does not exist, or the caller may not know that it exists.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the request conflicts with the current state (duplicate, stale version).
	ErrConflict = errors.New("conflict")
	// ErrInvalid: the input is malformed or violates a rule; the message names what.
	ErrInvalid = errors.New("invalid")
	// ErrForbidden: the caller may see the object but not do this to it.
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthenticated: no or no valid credentials were presented.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrTooLarge: the input exceeds a configured limit.
	ErrTooLarge = errors.New("too large")
	// ErrGone: the object existed but its data was destroyed (crypto-shredded).
	ErrGone = errors.New("gone")
)
