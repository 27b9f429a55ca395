// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"justizcloud/errs"
	"justizcloud/login"
)

var _ login.Store = (*DB)(nil)

// CreateSession implements login.Store.
func (d *DB) CreateSession(ctx context.Context, s login.Session) error {
	if s.User == "" || s.CSRF == "" || s.Expires.IsZero() {
		return fmt.Errorf("create session: %w: user, csrf and expiry are required", errs.ErrInvalid)
	}
	_, err := d.exec(ctx, d.w, d.q(`INSERT INTO sessions (id_hash, user_id, provider, csrf, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`),
		s.Hash[:], s.User, s.Provider, s.CSRF, d.ts(d.normTime(s.CreatedAt)), d.ts(d.normTime(s.LastSeen)), d.ts(s.Expires))
	if err != nil {
		return fmt.Errorf("create session: %w", classify(err))
	}
	return nil
}

// SessionByHash implements login.Store.
func (d *DB) SessionByHash(ctx context.Context, hash [32]byte) (login.Session, error) {
	var s login.Session
	err := d.queryRow(ctx, d.r, d.q(`SELECT id_hash, user_id, provider, csrf, created_at, last_seen_at, expires_at
		FROM sessions WHERE id_hash = ?`), hash[:]).Scan(hashCol{&s.Hash}, &s.User, &s.Provider, &s.CSRF,
		timeCol{&s.CreatedAt}, timeCol{&s.LastSeen}, timeCol{&s.Expires})
	if errors.Is(err, sql.ErrNoRows) {
		return login.Session{}, fmt.Errorf("session: %w", errs.ErrNotFound)
	}
	if err != nil {
		return login.Session{}, fmt.Errorf("session: %w", err)
	}
	return s, nil
}

// TouchSession implements login.Store.
func (d *DB) TouchSession(ctx context.Context, hash [32]byte, at time.Time) error {
	if _, err := d.exec(ctx, d.w, d.q(`UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?`), d.ts(at), hash[:]); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession implements login.Store.
func (d *DB) DeleteSession(ctx context.Context, hash [32]byte) error {
	if _, err := d.exec(ctx, d.w, d.q(`DELETE FROM sessions WHERE id_hash = ?`), hash[:]); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// CreatePending implements login.Store.
func (d *DB) CreatePending(ctx context.Context, p login.Pending) error {
	_, err := d.exec(ctx, d.w, d.q(`INSERT INTO login_states (state_hash, provider, nonce, verifier, return_to, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`),
		p.StateHash[:], p.Provider, p.Nonce, p.Verifier, p.Return, d.ts(d.normTime(p.CreatedAt)), d.ts(p.Expires))
	if err != nil {
		return fmt.Errorf("create pending login: %w", classify(err))
	}
	return nil
}

// TakePending implements login.Store: DELETE … RETURNING, so that of two
// callbacks with the same state only one gets the row.
func (d *DB) TakePending(ctx context.Context, hash [32]byte) (login.Pending, error) {
	var p login.Pending
	err := d.queryRow(ctx, d.w, d.q(`DELETE FROM login_states WHERE state_hash = ?
		RETURNING state_hash, provider, nonce, verifier, return_to, created_at, expires_at`), hash[:]).Scan(
		hashCol{&p.StateHash}, &p.Provider, &p.Nonce, &p.Verifier, &p.Return, timeCol{&p.CreatedAt}, timeCol{&p.Expires})
	if errors.Is(err, sql.ErrNoRows) {
		return login.Pending{}, fmt.Errorf("pending login: %w", errs.ErrNotFound)
	}
	if err != nil {
		return login.Pending{}, fmt.Errorf("pending login: %w", err)
	}
	return p, nil
}

// SweepSessions implements login.Store.
func (d *DB) SweepSessions(ctx context.Context, now, idleBefore time.Time) (int64, error) {
	res, err := d.exec(ctx, d.w, d.q(`DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?`), d.ts(now), d.ts(idleBefore))
	if err != nil {
		return 0, fmt.Errorf("sweep sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	res, err = d.exec(ctx, d.w, d.q(`DELETE FROM login_states WHERE expires_at <= ?`), d.ts(now))
	if err != nil {
		return n, fmt.Errorf("sweep pending logins: %w", err)
	}
	m, _ := res.RowsAffected()
	return n + m, nil
}
