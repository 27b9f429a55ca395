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

	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

var _ authz.Store = (*DB)(nil)

// relationSelect reads stored tuples and, as tuples of relation
// "beteiligt", the participants linked to an account: a participant's
// access lasts exactly as long as the participant row, in the same
// transaction as every change to it.
const relationSelect = `SELECT id, tenant, case_id, relation, holder, documents, expires_at, revoked_at, created_at, created_by, note
	FROM relations WHERE %[1]s
	UNION ALL
	SELECT 'participant:' || id, tenant, case_id, 'beteiligt', account, '', NULL, NULL, created_at, '', name
	FROM case_participants WHERE account <> '' AND %[2]s`

// CaseRelations implements authz.Store.
func (d *DB) CaseRelations(ctx context.Context, caseID string) ([]authz.Tuple, error) {
	return d.relations(ctx, fmt.Sprintf(relationSelect, "case_id = ?", "case_id = ?"), caseID, caseID)
}

// HeldRelations implements authz.Store.
func (d *DB) HeldRelations(ctx context.Context, refs []string) ([]authz.Tuple, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	list := "(?" + strings.Repeat(", ?", len(refs)-1) + ")"
	q := fmt.Sprintf(relationSelect, "holder IN "+list, "account IN "+list)
	args := make([]any, 0, 2*len(refs))
	for range 2 {
		for _, r := range refs {
			args = append(args, r)
		}
	}
	return d.relations(ctx, q, args...)
}

func (d *DB) relations(ctx context.Context, query string, args ...any) ([]authz.Tuple, error) {
	rows, err := d.query(ctx, d.r, d.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("relations: %w", err)
	}
	defer rows.Close()
	var out []authz.Tuple
	for rows.Next() {
		t, err := scanTuple(rows)
		if err != nil {
			return nil, fmt.Errorf("relations: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("relations: %w", err)
	}
	return out, nil
}

func scanTuple(r interface{ Scan(...any) error }) (authz.Tuple, error) {
	var t authz.Tuple
	var docs string
	err := r.Scan(&t.ID, &t.Tenant, &t.Case, &t.Relation, &t.Holder, &docs, timeCol{&t.ExpiresAt}, timeCol{&t.RevokedAt},
		timeCol{&t.CreatedAt}, &t.CreatedBy, &t.Note)
	if docs != "" {
		t.Documents = strings.Split(docs, ",")
	}
	return t, err
}

// AddRelation implements authz.Store.
func (d *DB) AddRelation(ctx context.Context, t authz.Tuple) error {
	for _, doc := range t.Documents {
		if doc == "" || strings.Contains(doc, ",") {
			return fmt.Errorf("add relation: %w: document ID %q", errs.ErrInvalid, doc)
		}
	}
	_, err := d.exec(ctx, d.w, d.q(`INSERT INTO relations (id, tenant, case_id, relation, holder, documents, expires_at, revoked_at, created_at, created_by, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`),
		t.ID, t.Tenant, t.Case, t.Relation, t.Holder, strings.Join(t.Documents, ","), d.nullTS(t.ExpiresAt),
		d.ts(d.normTime(t.CreatedAt)), t.CreatedBy, t.Note)
	if err != nil {
		return fmt.Errorf("add relation %s: %w", t.ID, classify(err))
	}
	return nil
}

// RevokeRelation implements authz.Store.
func (d *DB) RevokeRelation(ctx context.Context, tenant tenancy.ID, id string, at time.Time) (authz.Tuple, error) {
	res, err := d.exec(ctx, d.w, d.q(`UPDATE relations SET revoked_at = ? WHERE tenant = ? AND id = ? AND revoked_at IS NULL`),
		d.ts(d.normTime(at)), tenant, id)
	if err := affectedOne(res, err, "revoke relation", id); err != nil {
		return authz.Tuple{}, err
	}
	t, err := scanTuple(d.queryRow(ctx, d.w, d.q(`SELECT id, tenant, case_id, relation, holder, documents, expires_at, revoked_at, created_at, created_by, note
		FROM relations WHERE tenant = ? AND id = ?`), tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return authz.Tuple{}, fmt.Errorf("revoke relation %s: %w", id, errs.ErrNotFound)
	}
	if err != nil {
		return authz.Tuple{}, fmt.Errorf("revoke relation %s: %w", id, err)
	}
	return t, nil
}
