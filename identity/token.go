// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package identity knows who is calling: user accounts (staff, lawyers,
// authorities, citizens), their links to OpenID providers, and API bearer
// tokens, which are stored only as SHA-256 hashes.
package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"justizcloud/authz"
	"justizcloud/errs"
)

// tokenPrefix marks Justizcloud API tokens, so secret scanners can find leaked ones.
const tokenPrefix = "jc_"

// Token is a stored API token: everything but the secret itself.
type Token struct {
	ID        string
	Hash      [32]byte // SHA-256 of the secret
	Subject   authz.Subject
	Label     string
	CreatedAt time.Time
	ExpiresAt time.Time // zero: never
}

// TokenStore persists tokens. Implementations are safe for concurrent use.
type TokenStore interface {
	CreateToken(ctx context.Context, t Token) error
	// TokenByHash returns the token with the given hash, or errs.ErrNotFound.
	TokenByHash(ctx context.Context, hash [32]byte) (Token, error)
}

// Tokens issues and verifies API tokens.
type Tokens struct {
	store TokenStore
	users *Users
	now   func() time.Time
}

// NewTokens returns a token service over st. Tokens issued to a user
// (Subject.User set) act as that user's current account, resolved through
// users at every use, so that a disabled account's tokens stop at once; with
// users nil they are refused.
func NewTokens(st TokenStore, users *Users, now func() time.Time) *Tokens {
	return &Tokens{store: st, users: users, now: now}
}

// Issue creates a token for sub and returns the secret, which is shown once and never stored.
func (ts *Tokens) Issue(ctx context.Context, sub authz.Subject, label string, ttl time.Duration) (string, Token, error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", Token{}, fmt.Errorf("issue token: %w", err)
	}
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	var id [9]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", Token{}, fmt.Errorf("issue token: %w", err)
	}
	t := Token{
		ID:        "tok_" + base64.RawURLEncoding.EncodeToString(id[:]),
		Hash:      sha256.Sum256([]byte(secret)),
		Label:     label,
		CreatedAt: ts.now().UTC(),
	}
	sub.ID = t.ID
	t.Subject = sub
	if ttl > 0 {
		t.ExpiresAt = t.CreatedAt.Add(ttl)
	}
	if err := ts.store.CreateToken(ctx, t); err != nil {
		return "", Token{}, fmt.Errorf("issue token: %w", err)
	}
	return secret, t, nil
}

// Verify returns the subject of a presented secret. Unknown, malformed and
// expired tokens all yield errs.ErrUnauthenticated.
func (ts *Tokens) Verify(ctx context.Context, secret string) (authz.Subject, error) {
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) > 100 {
		return authz.Subject{}, fmt.Errorf("token: malformed: %w", errs.ErrUnauthenticated)
	}
	t, err := ts.store.TokenByHash(ctx, sha256.Sum256([]byte(secret)))
	if err != nil {
		if errors.Is(err, errs.ErrNotFound) {
			return authz.Subject{}, fmt.Errorf("token: unknown: %w", errs.ErrUnauthenticated)
		}
		return authz.Subject{}, fmt.Errorf("token: %w", err)
	}
	if !t.ExpiresAt.IsZero() && !ts.now().Before(t.ExpiresAt) {
		return authz.Subject{}, fmt.Errorf("token: expired: %w", errs.ErrUnauthenticated)
	}
	if t.Subject.User == "" {
		return t.Subject, nil
	}
	if ts.users == nil {
		return authz.Subject{}, fmt.Errorf("token: issued to a user, but accounts are not configured: %w", errs.ErrUnauthenticated)
	}
	u, err := ts.users.Active(ctx, t.Subject.User)
	if err != nil {
		return authz.Subject{}, fmt.Errorf("token: %w", err)
	}
	sub := u.Subject()
	sub.ID = t.ID
	return sub, nil
}
