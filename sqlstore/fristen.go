// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"justizcloud/akte"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
)

// putFristen replaces the running Fristen of case c inside tx.
func (d *DB) putFristen(ctx context.Context, tx *sql.Tx, c akte.Case, fs []verfahren.FristStatus) error {
	if _, err := d.txExec(ctx, tx, d.q(`DELETE FROM case_fristen WHERE tenant = ? AND case_id = ?`), c.Tenant, c.ID); err != nil {
		return fmt.Errorf("fristen: %w", err)
	}
	for _, f := range fs {
		if _, err := d.txExec(ctx, tx, d.q(`INSERT INTO case_fristen (tenant, case_id, name, court, title, start, ends)
			VALUES (?, ?, ?, ?, ?, ?, ?)`), c.Tenant, c.ID, f.Name, c.Court, f.Title,
			f.Start.Format(time.DateOnly), f.End.Format(time.DateOnly)); err != nil {
			return fmt.Errorf("fristen: %w", classify(err))
		}
	}
	return nil
}

// ReplaceDerived implements verfahren.Store.
func (d *DB) ReplaceDerived(ctx context.Context, c akte.Case, derived verfahren.Derived) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if err := d.caseExists(ctx, tx, c.Tenant, c.ID); err != nil {
			return err
		}
		if _, err := d.txExec(ctx, tx, d.q(`UPDATE cases SET state = ? WHERE tenant = ? AND id = ?`), derived.State, c.Tenant, c.ID); err != nil {
			return err
		}
		return d.putFristen(ctx, tx, c, derived.Fristen)
	})
	if err != nil {
		return fmt.Errorf("replace state and fristen of %s: %w", c.ID, err)
	}
	return nil
}

// DueFristen implements verfahren.Store with a range scan of the index on
// (tenant, [court,] ends, case_id, name).
func (d *DB) DueFristen(ctx context.Context, t tenancy.ID, f verfahren.FristFilter) ([]verfahren.DueFrist, error) {
	where, args := []string{"f.tenant = ?", "f.ends <= ?"}, []any{t, f.Until.Format(time.DateOnly)}
	if f.Court != "" {
		where, args = append(where, "f.court = ?"), append(args, f.Court)
	}
	if !f.AfterEnd.IsZero() {
		after := f.AfterEnd.Format(time.DateOnly)
		where = append(where, "(f.ends > ? OR (f.ends = ? AND (f.case_id > ? OR (f.case_id = ? AND f.name > ?))))")
		args = append(args, after, after, f.AfterCase, f.AfterCase, f.AfterName)
	}
	args = append(args, inboxLimit(f.Limit))
	rows, err := d.query(ctx, d.r, d.q(`SELECT f.name, f.title, f.start, f.ends, `+prefixed("c.", caseColumns)+`
		FROM case_fristen f JOIN cases c ON c.tenant = f.tenant AND c.id = f.case_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY f.ends, f.case_id, f.name LIMIT ?`), args...)
	if err != nil {
		return nil, fmt.Errorf("due fristen: %w", err)
	}
	defer rows.Close()
	out := []verfahren.DueFrist{}
	for rows.Next() {
		var df verfahren.DueFrist
		var start, end string
		c := &df.Case
		if err := rows.Scan(&df.Frist.Name, &df.Frist.Title, &start, &end, &c.ID, &c.Tenant, &c.Court,
			&c.Aktenzeichen.Department, &c.Aktenzeichen.Register, &c.Aktenzeichen.Number, &c.Aktenzeichen.Year,
			&c.Subject, &c.Procedure, timeCol{&c.CreatedAt}, &c.CreatedBy); err != nil {
			return nil, fmt.Errorf("due fristen: %w", err)
		}
		if df.Frist.Start, err = time.Parse(time.DateOnly, start); err != nil {
			return nil, fmt.Errorf("due fristen: %w", err)
		}
		if df.Frist.End, err = time.Parse(time.DateOnly, end); err != nil {
			return nil, fmt.Errorf("due fristen: %w", err)
		}
		out = append(out, df)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("due fristen: %w", err)
	}
	return out, nil
}
