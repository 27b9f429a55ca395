// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
)

var _ verfahren.Store = (*DB)(nil)

// Limits of the inbox queries.
const (
	DefaultInboxLimit = 50
	MaxInboxLimit     = 500
)

func inboxLimit(n int) int {
	if n <= 0 {
		return DefaultInboxLimit
	}
	return min(n, MaxInboxLimit)
}

const wiedervorlageColumns = `w.id, w.tenant, w.case_id, w.due, w.for_whom, w.note, w.created_by, w.created_at, w.done_at`

func scanWiedervorlage(dst []any, w *akte.Wiedervorlage) []any {
	return append(dst, &w.ID, &w.Tenant, &w.Case, dateCol{&w.Due}, &w.For, &w.Note, &w.CreatedBy,
		timeCol{&w.CreatedAt}, timeCol{&w.DoneAt})
}

// dateCol scans a civil date stored as "YYYY-MM-DD" into midnight UTC.
type dateCol struct{ t *time.Time }

func (c dateCol) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("date column: unexpected %T", src)
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return fmt.Errorf("date column: %w", err)
	}
	*c.t = t
	return nil
}

// AddWiedervorlage implements akte.Store. The case must exist in the tenant
// (otherwise errs.ErrNotFound).
func (d *DB) AddWiedervorlage(ctx context.Context, w akte.Wiedervorlage) error {
	w.CreatedAt = d.normTime(w.CreatedAt)
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if err := d.caseExists(ctx, tx, w.Tenant, w.Case); err != nil {
			return err
		}
		_, err := d.txExec(ctx, tx, d.q(`INSERT INTO wiedervorlagen (id, tenant, case_id, due, for_whom, note, created_by, created_at, done_at, court)
			SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, c.court FROM cases c WHERE c.tenant = ? AND c.id = ?`), w.ID, w.Tenant, w.Case,
			w.Due.Format(time.DateOnly), w.For, w.Note, w.CreatedBy, d.ts(w.CreatedAt), d.nullTS(w.DoneAt), w.Tenant, w.Case)
		return classify(err)
	})
	if err != nil {
		return fmt.Errorf("add wiedervorlage %s: %w", w.ID, err)
	}
	return nil
}

// Wiedervorlage implements akte.Store.
func (d *DB) Wiedervorlage(ctx context.Context, t tenancy.ID, id akte.WiedervorlageID) (akte.Wiedervorlage, error) {
	var w akte.Wiedervorlage
	err := d.queryRow(ctx, d.r, d.q(`SELECT `+wiedervorlageColumns+` FROM wiedervorlagen w WHERE w.tenant = ? AND w.id = ?`), t, id).
		Scan(scanWiedervorlage(nil, &w)...)
	if errors.Is(err, sql.ErrNoRows) {
		return akte.Wiedervorlage{}, fmt.Errorf("wiedervorlage %s: %w", id, errs.ErrNotFound)
	}
	if err != nil {
		return akte.Wiedervorlage{}, fmt.Errorf("wiedervorlage %s: %w", id, err)
	}
	return w, nil
}

// Wiedervorlagen implements akte.Store.
func (d *DB) Wiedervorlagen(ctx context.Context, t tenancy.ID, c akte.CaseID) ([]akte.Wiedervorlage, error) {
	rows, err := d.query(ctx, d.r, d.q(`SELECT `+wiedervorlageColumns+` FROM wiedervorlagen w
		WHERE w.tenant = ? AND w.case_id = ? ORDER BY w.due, w.id`), t, c)
	if err != nil {
		return nil, fmt.Errorf("wiedervorlagen of %s: %w", c, err)
	}
	defer rows.Close()
	out := []akte.Wiedervorlage{}
	for rows.Next() {
		var w akte.Wiedervorlage
		if err := rows.Scan(scanWiedervorlage(nil, &w)...); err != nil {
			return nil, fmt.Errorf("wiedervorlagen of %s: %w", c, err)
		}
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("wiedervorlagen of %s: %w", c, err)
	}
	return out, nil
}

// CompleteWiedervorlage implements akte.Store.
func (d *DB) CompleteWiedervorlage(ctx context.Context, t tenancy.ID, id akte.WiedervorlageID, at time.Time) error {
	res, err := d.exec(ctx, d.w, d.q(`UPDATE wiedervorlagen SET done_at = ? WHERE tenant = ? AND id = ? AND done_at IS NULL`),
		d.ts(d.normTime(at)), t, id)
	if err := affectedOne(res, err, "complete wiedervorlage", string(id)); err != nil {
		if !errors.Is(err, errs.ErrNotFound) {
			return err
		}
		if _, gerr := d.Wiedervorlage(ctx, t, id); gerr != nil {
			return gerr
		}
		return fmt.Errorf("complete wiedervorlage %s: %w: already done", id, errs.ErrConflict)
	}
	return nil
}

// DueWiedervorlagen implements akte.Store. It reads the partial index of
// open Wiedervorlagen per addressee.
func (d *DB) DueWiedervorlagen(ctx context.Context, t tenancy.ID, f akte.WiedervorlageFilter) ([]akte.DueWiedervorlage, error) {
	if len(f.For) == 0 {
		return []akte.DueWiedervorlage{}, nil
	}
	where := []string{"w.tenant = ?", "w.done_at IS NULL", "w.due <= ?",
		"w.for_whom IN (?" + strings.Repeat(", ?", len(f.For)-1) + ")"}
	args := []any{t, f.Until.Format(time.DateOnly)}
	for _, s := range f.For {
		args = append(args, s)
	}
	if f.Court != "" {
		where, args = append(where, "w.court = ?"), append(args, f.Court)
	}
	if !f.AfterDue.IsZero() {
		after := f.AfterDue.Format(time.DateOnly)
		where, args = append(where, "(w.due > ? OR (w.due = ? AND w.id > ?))"), append(args, after, after, f.AfterID)
	}
	args = append(args, inboxLimit(f.Limit))
	rows, err := d.query(ctx, d.r, d.q(`SELECT `+wiedervorlageColumns+`, `+prefixed("c.", caseColumns)+`
		FROM wiedervorlagen w JOIN cases c ON c.tenant = w.tenant AND c.id = w.case_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY w.due, w.id LIMIT ?`), args...)
	if err != nil {
		return nil, fmt.Errorf("due wiedervorlagen: %w", err)
	}
	defer rows.Close()
	out := []akte.DueWiedervorlage{}
	for rows.Next() {
		var dw akte.DueWiedervorlage
		c := &dw.Case
		dst := scanWiedervorlage(nil, &dw.Wiedervorlage)
		dst = append(dst, &c.ID, &c.Tenant, &c.Court, &c.Aktenzeichen.Department, &c.Aktenzeichen.Register,
			&c.Aktenzeichen.Number, &c.Aktenzeichen.Year, &c.Subject, &c.Procedure, timeCol{&c.CreatedAt}, &c.CreatedBy)
		if err := rows.Scan(dst...); err != nil {
			return nil, fmt.Errorf("due wiedervorlagen: %w", err)
		}
		out = append(out, dw)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("due wiedervorlagen: %w", err)
	}
	return out, nil
}

// Filings implements verfahren.Store: proceedings (cases with a procedure
// type) without any event yet, ordered by creation time and ID.
func (d *DB) Filings(ctx context.Context, t tenancy.ID, f verfahren.FilingFilter) ([]akte.Case, error) {
	where, args := []string{"c.tenant = ?", "c.procedure <> ''"}, []any{t}
	if f.Court != "" {
		where, args = append(where, "c.court = ?"), append(args, f.Court)
	}
	if !f.AfterAt.IsZero() {
		at := d.ts(d.normTime(f.AfterAt))
		where, args = append(where, "(c.created_at > ? OR (c.created_at = ? AND c.id > ?))"), append(args, at, at, f.AfterID)
	}
	where = append(where, "c.events = 0") // partial indexes cases_new_filings(_tenant)
	args = append(args, inboxLimit(f.Limit))
	return d.queryCases(ctx, "filings", `SELECT `+prefixed("c.", caseColumns)+` FROM cases c WHERE `+
		strings.Join(where, " AND ")+` ORDER BY c.created_at, c.id LIMIT ?`, args...)
}

// CasesWithEvents implements verfahren.Store: the proceedings of the tenant
// (and court, if set) in whose history one of the named events occurs,
// ordered by ID.
func (d *DB) CasesWithEvents(ctx context.Context, t tenancy.ID, court tenancy.CourtID, events []string) ([]akte.Case, error) {
	if len(events) == 0 {
		return []akte.Case{}, nil
	}
	where, args := []string{"c.tenant = ?"}, []any{t}
	if court != "" {
		where, args = append(where, "c.court = ?"), append(args, court)
	}
	where = append(where, `EXISTS (SELECT 1 FROM case_events e WHERE e.tenant = c.tenant AND e.case_id = c.id
		AND e.name IN (?`+strings.Repeat(", ?", len(events)-1)+`))`)
	for _, e := range events {
		args = append(args, e)
	}
	return d.queryCases(ctx, "cases with events", `SELECT `+prefixed("c.", caseColumns)+` FROM cases c WHERE `+
		strings.Join(where, " AND ")+` ORDER BY c.id`, args...)
}

func (d *DB) queryCases(ctx context.Context, op, query string, args ...any) ([]akte.Case, error) {
	rows, err := d.query(ctx, d.r, d.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	out := []akte.Case{}
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// prefixed qualifies each column of a comma-separated list with prefix.
func prefixed(prefix, columns string) string {
	cols := strings.Split(columns, ", ")
	for i, c := range cols {
		cols[i] = prefix + c
	}
	return strings.Join(cols, ", ")
}
