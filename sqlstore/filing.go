// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

var _ akte.FilingStore = (*DB)(nil)

// ReserveFilingBlobs implements akte.FilingStore.
func (d *DB) ReserveFilingBlobs(ctx context.Context, t tenancy.ID, blobs []string, at time.Time) error {
	if t == "" || len(blobs) == 0 {
		return fmt.Errorf("reserve filing blobs: %w: tenant and blobs are required", errs.ErrInvalid)
	}
	at = d.normTime(at)
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		for _, b := range blobs {
			if _, err := d.txExec(ctx, tx, d.q(`INSERT INTO filing_blobs (tenant, blob, started_at) VALUES (?, ?, ?)`), t, b, d.ts(at)); err != nil {
				return classify(err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reserve filing blobs: %w", err)
	}
	return nil
}

// FileCase implements akte.FilingStore: the case number as in CreateCase,
// the case, its participants and its documents in one transaction.
func (d *DB) FileCase(ctx context.Context, c akte.Case, ps []akte.Participant, ds []akte.Document) (akte.Case, error) {
	a := c.Aktenzeichen
	if c.ID == "" || c.Tenant == "" || c.Court == "" || a.Register == "" || a.Year < 1 || a.Year > 9999 {
		return akte.Case{}, fmt.Errorf("file case: %w: id, tenant, court, Registerzeichen and year are required", errs.ErrInvalid)
	}
	c.CreatedAt = d.normTime(c.CreatedAt)
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		err := d.txQueryRow(ctx, tx, d.q(`INSERT INTO case_counters (tenant, court, register, year, last)
			VALUES (?, ?, ?, ?, 1)
			ON CONFLICT (tenant, court, register, year) DO UPDATE SET last = case_counters.last + 1
			RETURNING last`), c.Tenant, c.Court, a.Register, a.Year).Scan(&c.Aktenzeichen.Number)
		if err != nil {
			return fmt.Errorf("next number: %w", err)
		}
		_, err = d.txExec(ctx, tx, d.q(`INSERT INTO cases
			(id, tenant, court, department, register, number, year, subject, procedure, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			c.ID, c.Tenant, c.Court, a.Department, a.Register, c.Aktenzeichen.Number, a.Year,
			c.Subject, c.Procedure, d.ts(c.CreatedAt), c.CreatedBy)
		if err != nil {
			return fmt.Errorf("insert case: %w", classify(err))
		}
		for _, p := range ps {
			if p.Tenant != c.Tenant || p.Case != c.ID {
				return fmt.Errorf("%w: participant %s belongs to another case", errs.ErrInvalid, p.ID)
			}
			_, err := d.txExec(ctx, tx, d.q(`INSERT INTO case_participants (id, tenant, case_id, role, name, address, represents, account, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), p.ID, p.Tenant, p.Case, p.Role, p.Name, p.Address, p.Represents, p.Account, d.ts(d.normTime(p.CreatedAt)))
			if err != nil {
				return fmt.Errorf("insert participant: %w", classify(err))
			}
		}
		for _, doc := range ds {
			if doc.Tenant != c.Tenant || doc.Case != c.ID || doc.Predecessor != "" {
				return fmt.Errorf("%w: document %s: another case or a predecessor", errs.ErrInvalid, doc.ID)
			}
			res, err := d.txExec(ctx, tx, d.q(`DELETE FROM filing_blobs WHERE tenant = ? AND blob = ?`), doc.Tenant, doc.Blob)
			if err != nil {
				return fmt.Errorf("release blob: %w", err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fmt.Errorf("%w: blob %s of document %s is not reserved", errs.ErrConflict, doc.Blob, doc.ID)
			}
			_, err = d.txExec(ctx, tx, d.q(`INSERT INTO documents
				(id, tenant, case_id, filename, content_type, size, sha256, blob, predecessor, version, class, restricted, created_at, created_by)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 1, ?, ?, ?, ?)`),
				doc.ID, doc.Tenant, doc.Case, doc.Filename, doc.ContentType, doc.Size, doc.SHA256[:], doc.Blob,
				doc.Class, doc.Restricted, d.ts(d.normTime(doc.CreatedAt)), doc.CreatedBy)
			if err != nil {
				return fmt.Errorf("insert document: %w", classify(err))
			}
		}
		return nil
	})
	if err != nil {
		return akte.Case{}, fmt.Errorf("file case %s: %w", c.ID, err)
	}
	return c, nil
}

// ReleaseFilingBlobs implements akte.FilingStore.
func (d *DB) ReleaseFilingBlobs(ctx context.Context, t tenancy.ID, blobs []string) error {
	for _, b := range blobs {
		if _, err := d.exec(ctx, d.w, d.q(`DELETE FROM filing_blobs WHERE tenant = ? AND blob = ?`), t, b); err != nil {
			return fmt.Errorf("release filing blob %s: %w", b, err)
		}
	}
	return nil
}

// StaleFilingBlobs implements akte.FilingStore, ordered by reservation time.
func (d *DB) StaleFilingBlobs(ctx context.Context, before time.Time) ([]akte.Upload, error) {
	rows, err := d.query(ctx, d.r, d.q(`SELECT tenant, blob, started_at FROM filing_blobs
		WHERE started_at < ? ORDER BY started_at, tenant, blob`), d.ts(before))
	if err != nil {
		return nil, fmt.Errorf("stale filing blobs: %w", err)
	}
	defer rows.Close()
	out := []akte.Upload{}
	for rows.Next() {
		var u akte.Upload
		if err := rows.Scan(&u.Tenant, &u.Blob, timeCol{&u.StartedAt}); err != nil {
			return nil, fmt.Errorf("stale filing blobs: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("stale filing blobs: %w", err)
	}
	return out, nil
}
