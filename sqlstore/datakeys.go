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
	"justizcloud/keys"
	"justizcloud/tenancy"
)

var _ keys.DataKeys = (*DB)(nil)

// PutDataKey implements keys.DataKeys. It also replaces a destroyed key of
// the same name. An empty name, KEK or ciphertext yields errs.ErrInvalid.
func (d *DB) PutDataKey(ctx context.Context, t tenancy.ID, name string, w keys.Wrapped) error {
	if t == "" || name == "" || w.KEK == "" || len(w.Ciphertext) == 0 {
		return fmt.Errorf("put data key %q: %w: tenant, name, KEK and ciphertext are required", name, errs.ErrInvalid)
	}
	_, err := d.exec(ctx, d.w, d.q(`INSERT INTO data_keys (tenant, name, kek, wrapped, destroyed_at)
		VALUES (?, ?, ?, ?, NULL)
		ON CONFLICT (tenant, name) DO UPDATE SET kek = excluded.kek, wrapped = excluded.wrapped, destroyed_at = NULL`),
		t, name, w.KEK, w.Ciphertext)
	if err != nil {
		return fmt.Errorf("put data key %q: %w", name, classify(err))
	}
	return nil
}

// DataKey implements keys.DataKeys.
func (d *DB) DataKey(ctx context.Context, t tenancy.ID, name string) (keys.Wrapped, error) {
	var (
		w         keys.Wrapped
		destroyed time.Time
	)
	err := d.queryRow(ctx, d.r, d.q(`SELECT kek, wrapped, destroyed_at FROM data_keys WHERE tenant = ? AND name = ?`),
		t, name).Scan(&w.KEK, &w.Ciphertext, timeCol{&destroyed})
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return keys.Wrapped{}, fmt.Errorf("data key %q: %w", name, errs.ErrNotFound)
	case err != nil:
		return keys.Wrapped{}, fmt.Errorf("data key %q: %w", name, err)
	case !destroyed.IsZero():
		return keys.Wrapped{}, fmt.Errorf("data key %q destroyed at %s: %w", name, destroyed.Format(time.RFC3339), errs.ErrGone)
	}
	return w, nil
}

// DestroyDataKey implements keys.DataKeys. Destroying a missing key is a
// no-op that leaves no record, so DataKey keeps answering errs.ErrNotFound.
// The first destruction time is kept.
//
// Erasure is as good as the engine's: on SQLite the write connection runs
// with secure_delete, so the freed bytes are zeroed in the database pages,
// but older copies of the page may survive in the WAL file until SQLite
// reuses that part of it. On PostgreSQL the old row version stays on disk
// until VACUUM reclaims it, and in WAL archives and backups beyond that.
// A leftover copy is still wrapped: useless without the tenant's KEK.
func (d *DB) DestroyDataKey(ctx context.Context, t tenancy.ID, name string) error {
	_, err := d.exec(ctx, d.w, d.q(`UPDATE data_keys SET wrapped = NULL, destroyed_at = COALESCE(destroyed_at, ?)
		WHERE tenant = ? AND name = ?`), d.ts(d.now()), t, name)
	if err != nil {
		return fmt.Errorf("destroy data key %q: %w", name, err)
	}
	return nil
}

// DeleteDataKey implements keys.DataKeys.
func (d *DB) DeleteDataKey(ctx context.Context, t tenancy.ID, name string) error {
	if _, err := d.exec(ctx, d.w, d.q(`DELETE FROM data_keys WHERE tenant = ? AND name = ?`), t, name); err != nil {
		return fmt.Errorf("delete data key %q: %w", name, err)
	}
	return nil
}
