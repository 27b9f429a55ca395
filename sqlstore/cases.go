// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

var _ akte.Store = (*DB)(nil)

// newID returns a time-ordered (version 7) UUID, so that IDs sort roughly by
// creation and keyset pages stay stable.
func newID() (string, error) {
	u, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// CreateCase implements akte.Store. It takes the next number from the
// case_counters row of (tenant, court, register, year) with an upsert that
// increments and returns it, and inserts the case in the same transaction:
// the row lock (PostgreSQL) or the write lock (SQLite) serialises concurrent
// callers, and a rolled-back insert also rolls back the increment, so numbers
// stay gap-free. An empty c.ID is replaced by a new ID, a zero CreatedAt by
// the current time; c.Aktenzeichen.Number is ignored.
func (d *DB) CreateCase(ctx context.Context, c akte.Case) (akte.Case, error) {
	a := c.Aktenzeichen
	switch {
	case c.Tenant == "":
		return akte.Case{}, fmt.Errorf("create case: %w: no tenant", errs.ErrInvalid)
	case c.Court == "":
		return akte.Case{}, fmt.Errorf("create case: %w: no court", errs.ErrInvalid)
	case a.Register == "":
		return akte.Case{}, fmt.Errorf("create case: %w: no Registerzeichen", errs.ErrInvalid)
	case a.Year < 1 || a.Year > 9999:
		return akte.Case{}, fmt.Errorf("create case: %w: year %d", errs.ErrInvalid, a.Year)
	}
	if c.ID == "" {
		id, err := newID()
		if err != nil {
			return akte.Case{}, fmt.Errorf("create case: %w", err)
		}
		c.ID = akte.CaseID(id)
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
			return fmt.Errorf("insert: %w", classify(err))
		}
		return nil
	})
	if err != nil {
		return akte.Case{}, fmt.Errorf("create case %s: %w", c.ID, err)
	}
	return c, nil
}

const caseColumns = `id, tenant, court, department, register, number, year, subject, procedure, created_at, created_by`

func scanCase(row interface{ Scan(...any) error }) (akte.Case, error) {
	var c akte.Case
	err := row.Scan(&c.ID, &c.Tenant, &c.Court, &c.Aktenzeichen.Department, &c.Aktenzeichen.Register,
		&c.Aktenzeichen.Number, &c.Aktenzeichen.Year, &c.Subject, &c.Procedure, timeCol{&c.CreatedAt}, &c.CreatedBy)
	return c, err
}

// Case implements akte.Store.
func (d *DB) Case(ctx context.Context, t tenancy.ID, id akte.CaseID) (akte.Case, error) {
	c, err := scanCase(d.queryRow(ctx, d.r, d.q(`SELECT `+caseColumns+` FROM cases WHERE tenant = ? AND id = ?`), t, id))
	if errors.Is(err, sql.ErrNoRows) {
		return akte.Case{}, fmt.Errorf("case %s: %w", id, errs.ErrNotFound)
	}
	if err != nil {
		return akte.Case{}, fmt.Errorf("case %s: %w", id, err)
	}
	return c, nil
}

// Cases implements akte.Store, with pages of akte.CaseLimit(f.Limit) cases.
func (d *DB) Cases(ctx context.Context, t tenancy.ID, f akte.CaseFilter) ([]akte.Case, error) {
	limit := akte.CaseLimit(f.Limit)
	where, args := []string{"tenant = ?"}, []any{t}
	if f.Court != "" {
		where, args = append(where, "court = ?"), append(args, f.Court)
	}
	if f.After != "" {
		where, args = append(where, "id > ?"), append(args, f.After)
	}
	args = append(args, limit)
	rows, err := d.query(ctx, d.r, d.q(`SELECT `+caseColumns+` FROM cases WHERE `+
		strings.Join(where, " AND ")+` ORDER BY id LIMIT ?`), args...)
	if err != nil {
		return nil, fmt.Errorf("cases: %w", err)
	}
	defer rows.Close()
	out := []akte.Case{}
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("cases: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cases: %w", err)
	}
	return out, nil
}

// caseExists reports errs.ErrNotFound unless case id exists in tenant t.
// With tx nil it reads from the read pool.
func (d *DB) caseExists(ctx context.Context, tx *sql.Tx, t tenancy.ID, id akte.CaseID) error {
	var one int
	query := d.q(`SELECT 1 FROM cases WHERE tenant = ? AND id = ?`)
	var r row
	if tx != nil {
		r = d.txQueryRow(ctx, tx, query, t, id)
	} else {
		r = d.queryRow(ctx, d.r, query, t, id)
	}
	err := r.Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("case %s: %w", id, errs.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("case %s: %w", id, err)
	}
	return nil
}
