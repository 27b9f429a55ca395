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
	"justizcloud/zustellung"
)

var _ zustellung.Store = (*DB)(nil)

const zustellungColumns = `z.id, z.tenant, z.case_id, z.recipient, z.method, z.event, z.ordered_at, z.ordered_by, z.served_at, z.served_by,
	z.proof_document, z.letter_document, z.code_hash, z.code_expires_at, z.code_used_at, z.code_used_by, z.event_seq, z.event_error`

func scanZustellung(r interface{ Scan(...any) error }) (zustellung.Zustellung, error) {
	var z zustellung.Zustellung
	err := r.Scan(&z.ID, &z.Tenant, &z.Case, &z.Recipient, &z.Method, &z.Event, timeCol{&z.OrderedAt}, &z.OrderedBy,
		timeCol{&z.ServedAt}, &z.ServedBy, &z.Proof, &z.Letter, &z.CodeHash, timeCol{&z.CodeExpires}, timeCol{&z.CodeUsedAt},
		&z.CodeUsedBy, &z.EventSeq, &z.EventError)
	return z, err
}

// CreateZustellung implements zustellung.Store.
func (d *DB) CreateZustellung(ctx context.Context, z zustellung.Zustellung) error {
	var code any
	if len(z.CodeHash) > 0 {
		code = z.CodeHash
	}
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if err := d.caseExists(ctx, tx, z.Tenant, z.Case); err != nil {
			return err
		}
		_, err := d.txExec(ctx, tx, d.q(`INSERT INTO zustellungen (id, tenant, case_id, recipient, method, event, ordered_at, ordered_by,
			letter_document, code_hash, code_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			z.ID, z.Tenant, z.Case, z.Recipient, z.Method, z.Event, d.ts(d.normTime(z.OrderedAt)), z.OrderedBy,
			z.Letter, code, d.nullTS(z.CodeExpires))
		if err != nil {
			return classify(err)
		}
		for i, doc := range z.Documents {
			if _, err := d.txExec(ctx, tx, d.q(`INSERT INTO zustellung_documents (tenant, zustellung_id, pos, document_id, filename, sha256)
				VALUES (?, ?, ?, ?, ?, ?)`), z.Tenant, z.ID, i, doc.ID, doc.Filename, doc.SHA256[:]); err != nil {
				return classify(err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("create zustellung %s: %w", z.ID, err)
	}
	return nil
}

// Zustellung implements zustellung.Store.
func (d *DB) Zustellung(ctx context.Context, t tenancy.ID, id zustellung.ID) (zustellung.Zustellung, error) {
	return d.oneZustellung(ctx, d.r, `z.tenant = ? AND z.id = ?`, string(id), t, id)
}

// ZustellungByCode implements zustellung.Store.
func (d *DB) ZustellungByCode(ctx context.Context, t tenancy.ID, hash [32]byte) (zustellung.Zustellung, error) {
	return d.oneZustellung(ctx, d.r, `z.tenant = ? AND z.code_hash = ?`, "with this code", t, hash[:])
}

func (d *DB) oneZustellung(ctx context.Context, pool *sql.DB, where, name string, args ...any) (zustellung.Zustellung, error) {
	z, err := scanZustellung(d.queryRow(ctx, pool, d.q(`SELECT `+zustellungColumns+` FROM zustellungen z WHERE `+where), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return zustellung.Zustellung{}, fmt.Errorf("zustellung %s: %w", name, errs.ErrNotFound)
	}
	if err != nil {
		return zustellung.Zustellung{}, fmt.Errorf("zustellung %s: %w", name, err)
	}
	if z.Documents, err = d.zustellungDocuments(ctx, pool, z.Tenant, z.ID); err != nil {
		return zustellung.Zustellung{}, err
	}
	return z, nil
}

func (d *DB) zustellungDocuments(ctx context.Context, pool *sql.DB, t tenancy.ID, id zustellung.ID) ([]zustellung.Document, error) {
	rows, err := d.query(ctx, pool, d.q(`SELECT document_id, filename, sha256 FROM zustellung_documents
		WHERE tenant = ? AND zustellung_id = ? ORDER BY pos`), t, id)
	if err != nil {
		return nil, fmt.Errorf("zustellung %s: documents: %w", id, err)
	}
	defer rows.Close()
	var out []zustellung.Document
	for rows.Next() {
		var doc zustellung.Document
		if err := rows.Scan(&doc.ID, &doc.Filename, hashCol{&doc.SHA256}); err != nil {
			return nil, fmt.Errorf("zustellung %s: documents: %w", id, err)
		}
		out = append(out, doc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("zustellung %s: documents: %w", id, err)
	}
	return out, nil
}

func (d *DB) listZustellungen(ctx context.Context, query string, args ...any) ([]zustellung.Zustellung, error) {
	rows, err := d.query(ctx, d.r, d.q(query), args...)
	if err != nil {
		return nil, err
	}
	var out []zustellung.Zustellung
	for rows.Next() {
		z, err := scanZustellung(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, z)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out { // after closing rows: SQLite's read pool may be small
		if out[i].Documents, err = d.zustellungDocuments(ctx, d.r, out[i].Tenant, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CaseZustellungen implements zustellung.Store.
func (d *DB) CaseZustellungen(ctx context.Context, t tenancy.ID, c akte.CaseID) ([]zustellung.Zustellung, error) {
	zs, err := d.listZustellungen(ctx, `SELECT `+zustellungColumns+` FROM zustellungen z
		WHERE z.tenant = ? AND z.case_id = ? ORDER BY z.ordered_at, z.id`, t, c)
	if err != nil {
		return nil, fmt.Errorf("zustellungen of %s: %w", c, err)
	}
	return zs, nil
}

// OpenZustellungen implements zustellung.Store.
func (d *DB) OpenZustellungen(ctx context.Context, t tenancy.ID, doc akte.DocumentID, m zustellung.Method) ([]zustellung.Zustellung, error) {
	zs, err := d.listZustellungen(ctx, `SELECT `+zustellungColumns+` FROM zustellungen z
		WHERE z.tenant = ? AND z.method = ? AND z.served_at IS NULL AND z.id IN
			(SELECT zustellung_id FROM zustellung_documents WHERE tenant = ? AND document_id = ?)
		ORDER BY z.ordered_at, z.id`, t, m, t, doc)
	if err != nil {
		return nil, fmt.Errorf("open zustellungen of %s: %w", doc, err)
	}
	return zs, nil
}

// conditional runs an UPDATE that must change exactly one row; none is
// errs.ErrConflict when the row exists (its condition failed), otherwise
// errs.ErrNotFound.
func (d *DB) conditional(ctx context.Context, op string, t tenancy.ID, id zustellung.ID, query string, args ...any) error {
	res, err := d.exec(ctx, d.w, d.q(query), args...)
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, id, classify(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	if n == 1 {
		return nil
	}
	if _, err := d.Zustellung(ctx, t, id); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return fmt.Errorf("%s %s: %w", op, id, errs.ErrConflict)
}

// ClaimCode implements zustellung.Store.
func (d *DB) ClaimCode(ctx context.Context, t tenancy.ID, id zustellung.ID, at time.Time, user string) error {
	return d.conditional(ctx, "claim access code", t, id, `UPDATE zustellungen SET code_used_at = ?, code_used_by = ?
		WHERE tenant = ? AND id = ? AND code_hash IS NOT NULL AND code_used_at IS NULL AND served_at IS NULL AND code_expires_at > ?`,
		d.ts(d.normTime(at)), user, t, id, d.ts(d.normTime(at)))
}

// ReleaseCode implements zustellung.Store.
func (d *DB) ReleaseCode(ctx context.Context, t tenancy.ID, id zustellung.ID) error {
	_, err := d.exec(ctx, d.w, d.q(`UPDATE zustellungen SET code_used_at = NULL, code_used_by = '' WHERE tenant = ? AND id = ? AND served_at IS NULL`), t, id)
	if err != nil {
		return fmt.Errorf("release access code %s: %w", id, err)
	}
	return nil
}

// MarkServed implements zustellung.Store.
func (d *DB) MarkServed(ctx context.Context, t tenancy.ID, id zustellung.ID, at time.Time, by string) error {
	return d.conditional(ctx, "mark served", t, id, `UPDATE zustellungen SET served_at = ?, served_by = ?
		WHERE tenant = ? AND id = ? AND served_at IS NULL`, d.ts(d.normTime(at)), by, t, id)
}

// SetProof implements zustellung.Store.
func (d *DB) SetProof(ctx context.Context, t tenancy.ID, id zustellung.ID, proof akte.DocumentID) error {
	res, err := d.exec(ctx, d.w, d.q(`UPDATE zustellungen SET proof_document = ? WHERE tenant = ? AND id = ?`), proof, t, id)
	return affectedOne(res, err, "set proof of zustellung", string(id))
}

// SetEventResult implements zustellung.Store.
func (d *DB) SetEventResult(ctx context.Context, t tenancy.ID, id zustellung.ID, seq int, failure string) error {
	res, err := d.exec(ctx, d.w, d.q(`UPDATE zustellungen SET event_seq = ?, event_error = ? WHERE tenant = ? AND id = ?`), seq, failure, t, id)
	return affectedOne(res, err, "set event of zustellung", string(id))
}
