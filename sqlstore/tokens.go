// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"justizcloud/errs"
	"justizcloud/identity"
)

var _ identity.TokenStore = (*DB)(nil)

// CreateToken implements identity.TokenStore. A token whose ID or hash is
// already stored yields errs.ErrConflict. CreatedAt and ExpiresAt are stored
// at microsecond precision; a zero ExpiresAt means the token never expires.
func (d *DB) CreateToken(ctx context.Context, t identity.Token) error {
	if t.ID == "" || t.Subject.Role == "" || t.Subject.Tenant == "" && t.Subject.User == "" {
		return fmt.Errorf("create token: %w: ID, role and a tenant or user are required", errs.ErrInvalid)
	}
	_, err := d.exec(ctx, d.w, d.q(`INSERT INTO tokens (id, tenant, role, court, user_id, hash, label, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		t.ID, t.Subject.Tenant, t.Subject.Role, t.Subject.Court, t.Subject.User, t.Hash[:], t.Label,
		d.ts(d.normTime(t.CreatedAt)), d.nullTS(t.ExpiresAt))
	if err != nil {
		return fmt.Errorf("create token %s: %w", t.ID, classify(err))
	}
	return nil
}

// TokenByHash implements identity.TokenStore. The returned Subject.ID is the token ID.
func (d *DB) TokenByHash(ctx context.Context, hash [32]byte) (identity.Token, error) {
	var t identity.Token
	err := d.queryRow(ctx, d.r, d.q(`SELECT id, tenant, role, court, user_id, hash, label, created_at, expires_at
		FROM tokens WHERE hash = ?`), hash[:]).Scan(&t.ID, &t.Subject.Tenant, &t.Subject.Role, &t.Subject.Court, &t.Subject.User,
		hashCol{&t.Hash}, &t.Label, timeCol{&t.CreatedAt}, timeCol{&t.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return identity.Token{}, fmt.Errorf("token: %w", errs.ErrNotFound)
	}
	if err != nil {
		return identity.Token{}, fmt.Errorf("token: %w", err)
	}
	t.Subject.ID = t.ID
	return t, nil
}
