// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package login

import (
	"context"
	"time"
)

// Session is a browser session after a login. Its ID is a secret that only
// the browser holds (in the session cookie); the store keeps its SHA-256.
type Session struct {
	Hash     [32]byte // SHA-256 of the cookie secret
	User     string   // identity.User ID
	Provider string   // name of the provider the user logged in with
	// CSRF is the token every state-changing request of the session must
	// carry (header X-CSRF-Token or form field csrf).
	CSRF      string
	CreatedAt time.Time
	LastSeen  time.Time // updated at most every few minutes (see Service.touchEvery)
	Expires   time.Time // absolute end, however active the session is
}

// Pending is a login between the redirect to the provider and its callback.
// It is keyed by the SHA-256 of the state parameter and used at most once.
type Pending struct {
	StateHash [32]byte
	Provider  string
	Nonce     string
	Verifier  string // PKCE code verifier
	Return    string // local path to go to after the login
	CreatedAt time.Time
	Expires   time.Time
}

// Store persists sessions and pending logins. Implementations are safe for
// concurrent use; sqlstore.DB is the one in use.
type Store interface {
	// CreateSession stores a new session; a taken hash yields errs.ErrConflict.
	CreateSession(ctx context.Context, s Session) error
	// SessionByHash returns the session, or errs.ErrNotFound. It does not
	// look at the expiry: the caller decides.
	SessionByHash(ctx context.Context, hash [32]byte) (Session, error)
	// TouchSession sets LastSeen; a missing session is not an error.
	TouchSession(ctx context.Context, hash [32]byte, at time.Time) error
	// DeleteSession removes a session; a missing session is not an error.
	DeleteSession(ctx context.Context, hash [32]byte) error
	// CreatePending stores a pending login.
	CreatePending(ctx context.Context, p Pending) error
	// TakePending removes the pending login and returns it, or
	// errs.ErrNotFound. Two concurrent calls never both get it.
	TakePending(ctx context.Context, hash [32]byte) (Pending, error)
	// SweepSessions removes sessions whose absolute end is at or before
	// now or that were last seen at or before idleBefore, and pending
	// logins that expired at or before now. It returns how many rows went.
	SweepSessions(ctx context.Context, now, idleBefore time.Time) (int64, error)
}
