// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/tenancy"
	"justizcloud/xjustiz"
)

// ImportLog records which XJustiz messages a tenant has imported, in the
// table xjustiz_imports (migration 0006). It is the store's own view, on
// the store's connection pools.
type ImportLog struct{ d *DB }

var _ xjustiz.ImportLog = ImportLog{}

// ImportLog returns the XJustiz import log of the store.
func (d *DB) ImportLog() ImportLog { return ImportLog{d} }

// Claim records that the import of a message starts. It fails with
// errs.ErrConflict and returns the existing entry when the tenant has
// imported (or is importing) the message already.
func (l ImportLog) Claim(ctx context.Context, e xjustiz.Entry) (xjustiz.Entry, error) {
	d := l.d
	e.StartedAt = d.normTime(e.StartedAt)
	res, err := d.exec(ctx, d.w, d.q(`INSERT INTO xjustiz_imports
		(tenant, message_id, case_id, state, version, root, sender, sender_aktenzeichen, sha256, started_at)
		VALUES (?, ?, NULL, 'pending', ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, message_id) DO NOTHING`),
		e.Tenant, e.MessageID, e.Version, e.Root, e.Sender, e.SenderAktenzeichen, e.SHA256[:], d.ts(e.StartedAt))
	if err != nil {
		return xjustiz.Entry{}, fmt.Errorf("import log: claim %s: %w", e.MessageID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return xjustiz.Entry{}, fmt.Errorf("import log: claim %s: %w", e.MessageID, err)
	}
	got, err := l.lookup(ctx, d.w, e.Tenant, e.MessageID)
	if err != nil {
		return xjustiz.Entry{}, err
	}
	if n == 0 {
		return got, fmt.Errorf("import log: message %s: %w: imported before", e.MessageID, errs.ErrConflict)
	}
	return got, nil
}

// SetCase records the case created for a claimed message.
func (l ImportLog) SetCase(ctx context.Context, t tenancy.ID, messageID string, c akte.CaseID) error {
	return l.update(ctx, `UPDATE xjustiz_imports SET case_id = ? WHERE tenant = ? AND message_id = ? AND state = 'pending'`,
		c, t, messageID)
}

// Done marks a claimed import as complete.
func (l ImportLog) Done(ctx context.Context, t tenancy.ID, messageID string) error {
	return l.update(ctx, `UPDATE xjustiz_imports SET state = 'done', done_at = ? WHERE tenant = ? AND message_id = ? AND state = 'pending'`,
		l.d.ts(l.d.now()), t, messageID)
}

// Release removes a pending claim whose import failed before it created
// anything, so that the message can be imported again.
func (l ImportLog) Release(ctx context.Context, t tenancy.ID, messageID string) error {
	return l.update(ctx, `DELETE FROM xjustiz_imports WHERE tenant = ? AND message_id = ? AND state = 'pending' AND case_id IS NULL`,
		t, messageID)
}

func (l ImportLog) update(ctx context.Context, query string, args ...any) error {
	res, err := l.d.exec(ctx, l.d.w, l.d.q(query), args...)
	if err := affectedOne(res, err, "import log", fmt.Sprint(args[len(args)-1])); err != nil {
		if errors.Is(err, errs.ErrNotFound) {
			return fmt.Errorf("import log: %w: no pending import", errs.ErrNotFound)
		}
		return err
	}
	return nil
}

// Lookup returns the entry of a message, or an error wrapping errs.ErrNotFound.
func (l ImportLog) Lookup(ctx context.Context, t tenancy.ID, messageID string) (xjustiz.Entry, error) {
	return l.lookup(ctx, l.d.r, t, messageID)
}

// lookup reads an entry on pool: the write pool right after a claim, so
// that the claim's own row is read.
func (l ImportLog) lookup(ctx context.Context, pool *sql.DB, t tenancy.ID, messageID string) (xjustiz.Entry, error) {
	var (
		e      xjustiz.Entry
		caseID sql.NullString
	)
	err := l.d.queryRow(ctx, pool, l.d.q(`SELECT tenant, message_id, case_id, state, version, root, sender, sender_aktenzeichen, sha256, started_at, done_at
		FROM xjustiz_imports WHERE tenant = ? AND message_id = ?`), t, messageID).
		Scan(&e.Tenant, &e.MessageID, &caseID, &e.State, &e.Version, &e.Root, &e.Sender, &e.SenderAktenzeichen,
			hashCol{&e.SHA256}, timeCol{&e.StartedAt}, timeCol{&e.DoneAt})
	if errors.Is(err, sql.ErrNoRows) {
		return xjustiz.Entry{}, fmt.Errorf("import of message %s: %w", messageID, errs.ErrNotFound)
	}
	if err != nil {
		return xjustiz.Entry{}, fmt.Errorf("import log: lookup %s: %w", messageID, err)
	}
	e.Case = akte.CaseID(caseID.String)
	return e, nil
}

// ByCase returns the import that created a case, or errs.ErrNotFound.
func (l ImportLog) ByCase(ctx context.Context, t tenancy.ID, c akte.CaseID) (xjustiz.Entry, error) {
	var id string
	err := l.d.queryRow(ctx, l.d.r, l.d.q(`SELECT message_id FROM xjustiz_imports WHERE tenant = ? AND case_id = ?`), t, c).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return xjustiz.Entry{}, fmt.Errorf("import of case %s: %w", c, errs.ErrNotFound)
	}
	if err != nil {
		return xjustiz.Entry{}, fmt.Errorf("import log: %w", err)
	}
	return l.Lookup(ctx, t, id)
}
