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

// BeginUpload implements akte.Store. The case must exist in u.Tenant
// (otherwise errs.ErrNotFound); an intent for the same blob already recorded
// yields errs.ErrConflict. A zero StartedAt becomes the current time.
func (d *DB) BeginUpload(ctx context.Context, u akte.Upload) error {
	if u.Tenant == "" || u.Blob == "" || u.Case == "" {
		return fmt.Errorf("begin upload: %w: tenant, blob and case are required", errs.ErrInvalid)
	}
	u.StartedAt = d.normTime(u.StartedAt)
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if err := d.caseExists(ctx, tx, u.Tenant, u.Case); err != nil {
			return err
		}
		_, err := d.txExec(ctx, tx, d.q(`INSERT INTO uploads (tenant, blob, case_id, started_at) VALUES (?, ?, ?, ?)`),
			u.Tenant, u.Blob, u.Case, d.ts(u.StartedAt))
		return classify(err)
	})
	if err != nil {
		return fmt.Errorf("begin upload %s: %w", u.Blob, err)
	}
	return nil
}

// CommitDocument implements akte.Store. In one transaction it checks that the
// case exists in d.Tenant (otherwise errs.ErrNotFound), derives the version
// from the predecessor (missing, or of another tenant or case:
// errs.ErrInvalid; already succeeded by another version: errs.ErrConflict, as
// versions form a chain), removes the upload intent for d.Blob, and inserts
// the document. A missing upload intent yields errs.ErrConflict: it was never
// begun, was committed already, or was swept together with its blob. An empty
// d.ID is replaced by a new ID, a zero CreatedAt by the current time.
func (d *DB) CommitDocument(ctx context.Context, doc akte.Document) (akte.Document, error) {
	switch {
	case doc.Tenant == "" || doc.Case == "" || doc.Blob == "":
		return akte.Document{}, fmt.Errorf("commit document: %w: tenant, case and blob are required", errs.ErrInvalid)
	case doc.Size < 0:
		return akte.Document{}, fmt.Errorf("commit document: %w: negative size", errs.ErrInvalid)
	case doc.Predecessor != "" && doc.Predecessor == doc.ID:
		return akte.Document{}, fmt.Errorf("commit document: %w: document is its own predecessor", errs.ErrInvalid)
	}
	if doc.ID == "" {
		id, err := newID()
		if err != nil {
			return akte.Document{}, fmt.Errorf("commit document: %w", err)
		}
		doc.ID = akte.DocumentID(id)
	}
	doc.CreatedAt = d.normTime(doc.CreatedAt)
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if err := d.caseExists(ctx, tx, doc.Tenant, doc.Case); err != nil {
			return err
		}
		doc.Version = 1
		if doc.Predecessor != "" {
			v, err := d.successorVersion(ctx, tx, doc)
			if err != nil {
				return err
			}
			doc.Version = v
		}
		var upCase akte.CaseID
		err := d.txQueryRow(ctx, tx, d.q(`DELETE FROM uploads WHERE tenant = ? AND blob = ? RETURNING case_id`),
			doc.Tenant, doc.Blob).Scan(&upCase)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("%w: no upload intent for blob %s", errs.ErrConflict, doc.Blob)
		case err != nil:
			return fmt.Errorf("remove upload intent: %w", err)
		case upCase != doc.Case:
			return fmt.Errorf("%w: blob %s was uploaded for case %s", errs.ErrInvalid, doc.Blob, upCase)
		}
		var pred any // NULL for a first version
		if doc.Predecessor != "" {
			pred = doc.Predecessor
		}
		_, err = d.txExec(ctx, tx, d.q(`INSERT INTO documents
			(id, tenant, case_id, filename, content_type, size, sha256, blob, predecessor, version, class, restricted, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			doc.ID, doc.Tenant, doc.Case, doc.Filename, doc.ContentType, doc.Size, doc.SHA256[:], doc.Blob,
			pred, doc.Version, doc.Class, doc.Restricted, d.ts(doc.CreatedAt), doc.CreatedBy)
		if err != nil {
			// A unique violation here is a duplicate ID or a concurrent
			// commit of another successor of the same predecessor.
			return fmt.Errorf("insert: %w", classify(err))
		}
		return nil
	})
	if err != nil {
		return akte.Document{}, fmt.Errorf("commit document %s: %w", doc.ID, err)
	}
	return doc, nil
}

// successorVersion checks doc.Predecessor and returns the version that follows it.
func (d *DB) successorVersion(ctx context.Context, tx *sql.Tx, doc akte.Document) (int, error) {
	var (
		predCase  akte.CaseID
		version   int
		successor sql.NullString
	)
	err := d.txQueryRow(ctx, tx, d.q(`SELECT p.case_id, p.version, s.id
		FROM documents p LEFT JOIN documents s ON s.predecessor = p.id
		WHERE p.tenant = ? AND p.id = ?`), doc.Tenant, doc.Predecessor).Scan(&predCase, &version, &successor)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, fmt.Errorf("%w: predecessor %s not found", errs.ErrInvalid, doc.Predecessor)
	case err != nil:
		return 0, fmt.Errorf("predecessor %s: %w", doc.Predecessor, err)
	case predCase != doc.Case:
		return 0, fmt.Errorf("%w: predecessor %s belongs to another case", errs.ErrInvalid, doc.Predecessor)
	case successor.Valid:
		return 0, fmt.Errorf("%w: predecessor %s already has the successor %s", errs.ErrConflict, doc.Predecessor, successor.String)
	}
	return version + 1, nil
}

// AbortUpload implements akte.Store.
func (d *DB) AbortUpload(ctx context.Context, t tenancy.ID, blob string) error {
	if _, err := d.exec(ctx, d.w, d.q(`DELETE FROM uploads WHERE tenant = ? AND blob = ?`), t, blob); err != nil {
		return fmt.Errorf("abort upload %s: %w", blob, err)
	}
	return nil
}

// StaleUploads implements akte.Store. The intents are ordered by start time.
func (d *DB) StaleUploads(ctx context.Context, before time.Time) ([]akte.Upload, error) {
	rows, err := d.query(ctx, d.r, d.q(`SELECT tenant, blob, case_id, started_at FROM uploads
		WHERE started_at < ? ORDER BY started_at, tenant, blob`), d.ts(before))
	if err != nil {
		return nil, fmt.Errorf("stale uploads: %w", err)
	}
	defer rows.Close()
	out := []akte.Upload{}
	for rows.Next() {
		var u akte.Upload
		if err := rows.Scan(&u.Tenant, &u.Blob, &u.Case, timeCol{&u.StartedAt}); err != nil {
			return nil, fmt.Errorf("stale uploads: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stale uploads: %w", err)
	}
	return out, nil
}

const documentColumns = `id, tenant, case_id, filename, content_type, size, sha256, blob,
	COALESCE(predecessor, ''), version, class, restricted, created_at, created_by`

func scanDocument(row interface{ Scan(...any) error }) (akte.Document, error) {
	var doc akte.Document
	err := row.Scan(&doc.ID, &doc.Tenant, &doc.Case, &doc.Filename, &doc.ContentType, &doc.Size,
		hashCol{&doc.SHA256}, &doc.Blob, &doc.Predecessor, &doc.Version, &doc.Class, &doc.Restricted, timeCol{&doc.CreatedAt}, &doc.CreatedBy)
	return doc, err
}

// Document implements akte.Store.
func (d *DB) Document(ctx context.Context, t tenancy.ID, id akte.DocumentID) (akte.Document, error) {
	doc, err := scanDocument(d.queryRow(ctx, d.r, d.q(`SELECT `+documentColumns+` FROM documents
		WHERE tenant = ? AND id = ?`), t, id))
	if errors.Is(err, sql.ErrNoRows) {
		return akte.Document{}, fmt.Errorf("document %s: %w", id, errs.ErrNotFound)
	}
	if err != nil {
		return akte.Document{}, fmt.Errorf("document %s: %w", id, err)
	}
	return doc, nil
}

// Documents implements akte.Store: documents are ordered by CreatedAt and, for
// equal times, by the order of their commits. A case that does not exist in
// tenant t yields errs.ErrNotFound; a case without documents an empty list.
func (d *DB) Documents(ctx context.Context, t tenancy.ID, c akte.CaseID) ([]akte.Document, error) {
	_, docs, err := d.CaseDocuments(ctx, t, c)
	return docs, err
}

// CaseDocuments implements akte.Store: the case and its documents (ordered
// as by Documents) in one query, the hot path of listing a case file. The
// documents are selected by the parameter, not by c.id: on PostgreSQL
// cases.id has the "C" collation and documents.case_id the default one, and
// a join across the two could not use the documents index.
func (d *DB) CaseDocuments(ctx context.Context, t tenancy.ID, id akte.CaseID) (akte.Case, []akte.Document, error) {
	rows, err := d.query(ctx, d.r, d.q(`SELECT `+prefixed("c.", caseColumns)+`, x.id, x.tenant, x.case_id, x.filename, x.content_type, x.size, x.sha256, x.blob,
		COALESCE(x.predecessor, ''), x.version, x.class, x.restricted, x.created_at, x.created_by
		FROM cases c JOIN documents x ON x.tenant = c.tenant
		WHERE c.tenant = ? AND c.id = ? AND x.case_id = ? ORDER BY x.created_at, x.seq`), t, id, id)
	if err != nil {
		return akte.Case{}, nil, fmt.Errorf("documents of case %s: %w", id, err)
	}
	defer rows.Close()
	var c akte.Case
	out := []akte.Document{}
	for rows.Next() {
		var doc akte.Document
		if err := rows.Scan(&c.ID, &c.Tenant, &c.Court, &c.Aktenzeichen.Department, &c.Aktenzeichen.Register,
			&c.Aktenzeichen.Number, &c.Aktenzeichen.Year, &c.Subject, &c.Procedure, timeCol{&c.CreatedAt}, &c.CreatedBy,
			&doc.ID, &doc.Tenant, &doc.Case, &doc.Filename, &doc.ContentType, &doc.Size,
			hashCol{&doc.SHA256}, &doc.Blob, &doc.Predecessor, &doc.Version, &doc.Class, &doc.Restricted, timeCol{&doc.CreatedAt}, &doc.CreatedBy); err != nil {
			return akte.Case{}, nil, fmt.Errorf("documents of case %s: %w", id, err)
		}
		out = append(out, doc)
	}
	if err := rows.Err(); err != nil {
		return akte.Case{}, nil, fmt.Errorf("documents of case %s: %w", id, err)
	}
	if len(out) == 0 { // no documents, or no such case
		if c, err = d.Case(ctx, t, id); err != nil {
			return akte.Case{}, nil, fmt.Errorf("documents: %w", err)
		}
	}
	return c, out, nil
}
