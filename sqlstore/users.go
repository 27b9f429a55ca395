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
	"justizcloud/tenancy"
)

var _ identity.UserStore = (*DB)(nil)

const userColumns = `id, tenant, role, court, org, name, email, created_at, disabled_at`

func scanUser(r interface{ Scan(...any) error }) (identity.User, error) {
	var u identity.User
	err := r.Scan(&u.ID, &u.Tenant, &u.Role, &u.Court, &u.Org, &u.Name, &u.Email, timeCol{&u.CreatedAt}, timeCol{&u.DisabledAt})
	return u, err
}

// CreateUser implements identity.UserStore.
func (d *DB) CreateUser(ctx context.Context, u identity.User) error {
	_, err := d.exec(ctx, d.w, d.q(`INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		u.ID, u.Tenant, u.Role, u.Court, u.Org, u.Name, u.Email, d.ts(d.normTime(u.CreatedAt)), d.nullTS(u.DisabledAt))
	if err != nil {
		return fmt.Errorf("create user %s: %w", u.ID, classify(err))
	}
	return nil
}

// UpdateUser implements identity.UserStore.
func (d *DB) UpdateUser(ctx context.Context, u identity.User) error {
	res, err := d.exec(ctx, d.w, d.q(`UPDATE users SET role = ?, court = ?, org = ?, name = ?, email = ?, disabled_at = ? WHERE id = ?`),
		u.Role, u.Court, u.Org, u.Name, u.Email, d.nullTS(u.DisabledAt), u.ID)
	return affectedOne(res, err, "update user", u.ID)
}

// User implements identity.UserStore.
func (d *DB) User(ctx context.Context, id string) (identity.User, error) {
	return d.oneUser(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id)
}

// UserByEmail implements identity.UserStore.
func (d *DB) UserByEmail(ctx context.Context, email string) (identity.User, error) {
	return d.oneUser(ctx, `SELECT `+userColumns+` FROM users WHERE email = ? AND email <> ''`, email)
}

// UserByIdentity implements identity.UserStore.
func (d *DB) UserByIdentity(ctx context.Context, issuer, subject string) (identity.User, error) {
	return d.oneUser(ctx, `SELECT u.id, u.tenant, u.role, u.court, u.org, u.name, u.email, u.created_at, u.disabled_at
		FROM user_identities i JOIN users u ON u.id = i.user_id WHERE i.issuer = ? AND i.subject = ?`, issuer, subject)
}

func (d *DB) oneUser(ctx context.Context, query string, args ...any) (identity.User, error) {
	u, err := scanUser(d.queryRow(ctx, d.r, d.q(query), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return identity.User{}, fmt.Errorf("user: %w", errs.ErrNotFound)
	}
	if err != nil {
		return identity.User{}, fmt.Errorf("user: %w", err)
	}
	return u, nil
}

// Users implements identity.UserStore.
func (d *DB) Users(ctx context.Context, t tenancy.ID, after string, limit int) ([]identity.User, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := d.query(ctx, d.r, d.q(`SELECT `+userColumns+` FROM users WHERE tenant = ? AND id > ? ORDER BY id LIMIT ?`), t, after, limit)
	if err != nil {
		return nil, fmt.Errorf("users of %q: %w", t, err)
	}
	defer rows.Close()
	out := []identity.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("users of %q: %w", t, err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("users of %q: %w", t, err)
	}
	return out, nil
}

// LinkIdentity implements identity.UserStore.
func (d *DB) LinkIdentity(ctx context.Context, l identity.Link) error {
	_, err := d.exec(ctx, d.w, d.q(`INSERT INTO user_identities (issuer, subject, user_id, created_at) VALUES (?, ?, ?, ?)`),
		l.Issuer, l.Subject, l.User, d.ts(d.normTime(l.CreatedAt)))
	if err != nil {
		return fmt.Errorf("link identity of %s: %w", l.User, classify(err))
	}
	return nil
}
