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
	"justizcloud/veroeffentlichung"
)

var _ veroeffentlichung.Store = (*DB)(nil)

const publicationColumns = `id, tenant, court, case_id, document_id, aktenzeichen, title, decided_at, state, version, blob, reviewed_by,
	created_at, created_by, updated_at, published_at, published_by, published_text, anon_record`

func scanPublication(r interface{ Scan(...any) error }) (veroeffentlichung.Publication, error) {
	var p veroeffentlichung.Publication
	err := r.Scan(&p.ID, &p.Tenant, &p.Court, &p.Case, &p.Document, &p.Aktenzeichen, &p.Title, timeCol{&p.DecidedAt}, &p.State,
		&p.Version, &p.Blob, &p.ReviewedBy, timeCol{&p.CreatedAt}, &p.CreatedBy, timeCol{&p.UpdatedAt}, timeCol{&p.PublishedAt},
		&p.PublishedBy, &p.Text, &p.Record)
	return p, err
}

// CreatePublication implements veroeffentlichung.Store.
func (d *DB) CreatePublication(ctx context.Context, p veroeffentlichung.Publication) error {
	if p.ID == "" || p.Tenant == "" || p.Case == "" || p.Document == "" || p.Version < 1 {
		return fmt.Errorf("create publication: %w: id, tenant, case, document and version are required", errs.ErrInvalid)
	}
	_, err := d.exec(ctx, d.w, d.q(`INSERT INTO publications (`+publicationColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		p.ID, p.Tenant, p.Court, p.Case, p.Document, p.Aktenzeichen, p.Title, d.ts(d.normTime(p.DecidedAt)), p.State, p.Version,
		p.Blob, p.ReviewedBy, d.ts(d.normTime(p.CreatedAt)), p.CreatedBy, d.ts(d.normTime(p.UpdatedAt)), d.nullTS(p.PublishedAt),
		p.PublishedBy, p.Text, p.Record)
	if err != nil {
		return fmt.Errorf("create publication %s: %w", p.ID, classify(err))
	}
	return nil
}

// Publication implements veroeffentlichung.Store.
func (d *DB) Publication(ctx context.Context, t tenancy.ID, id veroeffentlichung.ID) (veroeffentlichung.Publication, error) {
	return d.onePublication(ctx, `tenant = ? AND id = ?`, id, t, id)
}

// PublishedDecision implements veroeffentlichung.Store.
func (d *DB) PublishedDecision(ctx context.Context, id veroeffentlichung.ID) (veroeffentlichung.Publication, error) {
	return d.onePublication(ctx, `id = ? AND state = 'veroeffentlicht'`, id, id)
}

func (d *DB) onePublication(ctx context.Context, where string, id veroeffentlichung.ID, args ...any) (veroeffentlichung.Publication, error) {
	p, err := scanPublication(d.queryRow(ctx, d.r, d.q(`SELECT `+publicationColumns+` FROM publications WHERE `+where), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return veroeffentlichung.Publication{}, fmt.Errorf("publication %s: %w", id, errs.ErrNotFound)
	}
	if err != nil {
		return veroeffentlichung.Publication{}, fmt.Errorf("publication %s: %w", id, err)
	}
	return p, nil
}

// PublicationsOf implements veroeffentlichung.Store.
func (d *DB) PublicationsOf(ctx context.Context, t tenancy.ID, doc akte.DocumentID) ([]veroeffentlichung.Publication, error) {
	return d.listPublications(ctx, `SELECT `+publicationColumns+` FROM publications WHERE tenant = ? AND document_id = ?
		ORDER BY created_at, id`, t, doc)
}

// Publications implements veroeffentlichung.Store.
func (d *DB) Publications(ctx context.Context, t tenancy.ID, court tenancy.CourtID, limit int) ([]veroeffentlichung.Publication, error) {
	if court == "" {
		return d.listPublications(ctx, `SELECT `+publicationColumns+` FROM publications WHERE tenant = ?
			ORDER BY created_at DESC, id LIMIT ?`, t, limit)
	}
	return d.listPublications(ctx, `SELECT `+publicationColumns+` FROM publications WHERE tenant = ? AND court = ?
		ORDER BY created_at DESC, id LIMIT ?`, t, court, limit)
}

// PublishedDecisions implements veroeffentlichung.Store.
func (d *DB) PublishedDecisions(ctx context.Context, before time.Time, limit int) ([]veroeffentlichung.Publication, error) {
	if before.IsZero() {
		return d.listPublications(ctx, `SELECT `+publicationColumns+` FROM publications WHERE state = 'veroeffentlicht'
			ORDER BY published_at DESC, id LIMIT ?`, limit)
	}
	return d.listPublications(ctx, `SELECT `+publicationColumns+` FROM publications WHERE state = 'veroeffentlicht' AND published_at < ?
		ORDER BY published_at DESC, id LIMIT ?`, d.ts(before), limit)
}

func (d *DB) listPublications(ctx context.Context, query string, args ...any) ([]veroeffentlichung.Publication, error) {
	rows, err := d.query(ctx, d.r, d.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("publications: %w", err)
	}
	defer rows.Close()
	var out []veroeffentlichung.Publication
	for rows.Next() {
		p, err := scanPublication(rows)
		if err != nil {
			return nil, fmt.Errorf("publications: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("publications: %w", err)
	}
	return out, nil
}

// UpdatePublication implements veroeffentlichung.Store: one conditional
// UPDATE, so that of two writers on the same version exactly one wins.
func (d *DB) UpdatePublication(ctx context.Context, p veroeffentlichung.Publication, version int) error {
	res, err := d.exec(ctx, d.w, d.q(`UPDATE publications SET state = ?, version = ?, blob = ?, reviewed_by = ?, updated_at = ?,
		published_at = ?, published_by = ?, published_text = ?, anon_record = ?
		WHERE tenant = ? AND id = ? AND version = ?`),
		p.State, p.Version, p.Blob, p.ReviewedBy, d.ts(d.normTime(p.UpdatedAt)), d.nullTS(p.PublishedAt), p.PublishedBy, p.Text, p.Record,
		p.Tenant, p.ID, version)
	if err != nil {
		return fmt.Errorf("update publication %s: %w", p.ID, classify(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("update publication %s: %w", p.ID, err)
	}
	if n == 0 {
		return fmt.Errorf("update publication %s: version %d: %w", p.ID, version, errs.ErrConflict)
	}
	return nil
}
