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
	"justizcloud/retention"
	"justizcloud/search"
	"justizcloud/tenancy"
)

var _ retention.Store = (*DB)(nil)

// SetHold implements akte.Store: it stores the hold of an existing case
// (otherwise errs.ErrNotFound), replacing the one it may have.
func (d *DB) SetHold(ctx context.Context, h akte.Hold) error {
	h.SetAt = d.normTime(h.SetAt)
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if err := d.caseExists(ctx, tx, h.Tenant, h.Case); err != nil {
			return err
		}
		_, err := d.txExec(ctx, tx, d.q(`INSERT INTO case_holds (tenant, case_id, reason, set_at, set_by) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (tenant, case_id) DO UPDATE SET reason = excluded.reason, set_at = excluded.set_at, set_by = excluded.set_by`),
			h.Tenant, h.Case, h.Reason, d.ts(h.SetAt), h.SetBy)
		return classify(err)
	})
	if err != nil {
		return fmt.Errorf("set hold of %s: %w", h.Case, err)
	}
	return nil
}

// ClearHold implements akte.Store. A case without a hold is not an error.
func (d *DB) ClearHold(ctx context.Context, t tenancy.ID, c akte.CaseID) error {
	if _, err := d.exec(ctx, d.w, d.q(`DELETE FROM case_holds WHERE tenant = ? AND case_id = ?`), t, c); err != nil {
		return fmt.Errorf("clear hold of %s: %w", c, err)
	}
	return nil
}

// Hold implements akte.Store: a case without a hold (or of another tenant)
// is errs.ErrNotFound.
func (d *DB) Hold(ctx context.Context, t tenancy.ID, c akte.CaseID) (akte.Hold, error) {
	h := akte.Hold{Tenant: t, Case: c}
	err := d.queryRow(ctx, d.r, d.q(`SELECT reason, set_at, set_by FROM case_holds WHERE tenant = ? AND case_id = ?`), t, c).
		Scan(&h.Reason, timeCol{&h.SetAt}, &h.SetBy)
	if errors.Is(err, sql.ErrNoRows) {
		return akte.Hold{}, fmt.Errorf("hold of %s: %w", c, errs.ErrNotFound)
	}
	if err != nil {
		return akte.Hold{}, fmt.Errorf("hold of %s: %w", c, err)
	}
	return h, nil
}

// AddTombstone implements retention.Store. The document must be one of the
// case in the tenant (otherwise errs.ErrNotFound); a second tombstone for
// the same document is errs.ErrConflict. A zero DestroyedAt becomes now.
func (d *DB) AddTombstone(ctx context.Context, ts retention.Tombstone) error {
	ts.DestroyedAt = d.normTime(ts.DestroyedAt)
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var filename string
		err := d.txQueryRow(ctx, tx, d.q(`SELECT filename FROM documents WHERE tenant = ? AND id = ? AND case_id = ?`),
			ts.Tenant, ts.Document, ts.Case).Scan(&filename)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("document %s of case %s: %w", ts.Document, ts.Case, errs.ErrNotFound)
		}
		if err != nil {
			return err
		}
		_, err = d.txExec(ctx, tx, d.q(`INSERT INTO tombstones (tenant, document_id, case_id, rule, destroyed_at, destroyed_by)
			VALUES (?, ?, ?, ?, ?, ?)`), ts.Tenant, ts.Document, ts.Case, ts.Rule, d.ts(ts.DestroyedAt), ts.DestroyedBy)
		if err != nil {
			return classify(err)
		}
		// The index holds the document's words: they go with the content,
		// and the entry keeps only its filename's.
		return d.retokenize(ctx, tx, ts.Tenant, ts.Case, ts.Document, search.Analyze(filename))
	})
	if err != nil {
		return fmt.Errorf("add tombstone of %s: %w", ts.Document, err)
	}
	return nil
}

// Tombstones implements retention.Store: the tombstones of a case, ordered
// by document id. A case without any yields an empty list.
func (d *DB) Tombstones(ctx context.Context, t tenancy.ID, c akte.CaseID) ([]retention.Tombstone, error) {
	rows, err := d.query(ctx, d.r, d.q(`SELECT document_id, rule, destroyed_at, destroyed_by FROM tombstones
		WHERE tenant = ? AND case_id = ? ORDER BY document_id`), t, c)
	if err != nil {
		return nil, fmt.Errorf("tombstones of %s: %w", c, err)
	}
	defer rows.Close()
	out := []retention.Tombstone{}
	for rows.Next() {
		ts := retention.Tombstone{Tenant: t, Case: c}
		if err := rows.Scan(&ts.Document, &ts.Rule, timeCol{&ts.DestroyedAt}, &ts.DestroyedBy); err != nil {
			return nil, fmt.Errorf("tombstones of %s: %w", c, err)
		}
		out = append(out, ts)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("tombstones of %s: %w", c, err)
	}
	return out, nil
}
