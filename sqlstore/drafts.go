// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"justizcloud/errs"
	"justizcloud/portal"
)

var _ portal.DraftStore = (*DB)(nil)

// Draft implements portal.DraftStore.
func (d *DB) Draft(ctx context.Context, user, interview string) (portal.Draft, error) {
	r := portal.Draft{User: user, Interview: interview}
	err := d.queryRow(ctx, d.r, d.q(`SELECT blob, created_at, updated_at FROM portal_drafts WHERE user_id = ? AND interview = ?`),
		user, interview).Scan(&r.Blob, timeCol{&r.CreatedAt}, timeCol{&r.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return portal.Draft{}, fmt.Errorf("draft: %w", errs.ErrNotFound)
	}
	if err != nil {
		return portal.Draft{}, fmt.Errorf("draft: %w", err)
	}
	return r, nil
}

// PutDraft implements portal.DraftStore.
func (d *DB) PutDraft(ctx context.Context, r portal.Draft) error {
	if r.User == "" || r.Interview == "" || r.Blob == "" {
		return fmt.Errorf("put draft: %w: user, interview and blob are required", errs.ErrInvalid)
	}
	_, err := d.exec(ctx, d.w, d.q(`INSERT INTO portal_drafts (user_id, interview, blob, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (user_id, interview) DO UPDATE SET blob = excluded.blob, updated_at = excluded.updated_at`),
		r.User, r.Interview, r.Blob, d.ts(d.normTime(r.CreatedAt)), d.ts(d.normTime(r.UpdatedAt)))
	if err != nil {
		return fmt.Errorf("put draft: %w", classify(err))
	}
	return nil
}

// DeleteDraft implements portal.DraftStore.
func (d *DB) DeleteDraft(ctx context.Context, user, interview string) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := d.txExec(ctx, tx, d.q(`DELETE FROM portal_draft_files WHERE user_id = ? AND interview = ?`), user, interview); err != nil {
			return fmt.Errorf("delete draft files: %w", err)
		}
		if _, err := d.txExec(ctx, tx, d.q(`DELETE FROM portal_drafts WHERE user_id = ? AND interview = ?`), user, interview); err != nil {
			return fmt.Errorf("delete draft: %w", err)
		}
		return nil
	})
}

// AddDraftFile implements portal.DraftStore.
func (d *DB) AddDraftFile(ctx context.Context, f portal.DraftFile) error {
	_, err := d.exec(ctx, d.w, d.q(`INSERT INTO portal_draft_files (user_id, interview, ref, created_at) VALUES (?, ?, ?, ?)`),
		f.User, f.Interview, f.Ref, d.ts(d.normTime(f.CreatedAt)))
	if err != nil {
		return fmt.Errorf("add draft file: %w", classify(err))
	}
	return nil
}

// DraftFiles implements portal.DraftStore.
func (d *DB) DraftFiles(ctx context.Context, user, interview string) ([]portal.DraftFile, error) {
	return d.draftFiles(ctx, `SELECT user_id, interview, ref, created_at FROM portal_draft_files
		WHERE user_id = ? AND interview = ? ORDER BY created_at, ref`, user, interview)
}

// DeleteDraftFile implements portal.DraftStore.
func (d *DB) DeleteDraftFile(ctx context.Context, user, interview, ref string) error {
	if _, err := d.exec(ctx, d.w, d.q(`DELETE FROM portal_draft_files WHERE user_id = ? AND interview = ? AND ref = ?`), user, interview, ref); err != nil {
		return fmt.Errorf("delete draft file: %w", err)
	}
	return nil
}

// ExpiredDrafts implements portal.DraftStore.
func (d *DB) ExpiredDrafts(ctx context.Context, before time.Time) ([]portal.Draft, error) {
	rows, err := d.query(ctx, d.r, d.q(`SELECT user_id, interview, blob, created_at, updated_at FROM portal_drafts
		WHERE updated_at < ? ORDER BY updated_at, user_id, interview`), d.ts(before))
	if err != nil {
		return nil, fmt.Errorf("expired drafts: %w", err)
	}
	defer rows.Close()
	var out []portal.Draft
	for rows.Next() {
		var r portal.Draft
		if err := rows.Scan(&r.User, &r.Interview, &r.Blob, timeCol{&r.CreatedAt}, timeCol{&r.UpdatedAt}); err != nil {
			return nil, fmt.Errorf("expired drafts: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("expired drafts: %w", err)
	}
	return out, nil
}

// StaleDraftFiles implements portal.DraftStore.
func (d *DB) StaleDraftFiles(ctx context.Context, before time.Time) ([]portal.DraftFile, error) {
	return d.draftFiles(ctx, `SELECT f.user_id, f.interview, f.ref, f.created_at FROM portal_draft_files f
		WHERE f.created_at < ? AND NOT EXISTS (SELECT 1 FROM portal_drafts p WHERE p.user_id = f.user_id AND p.interview = f.interview)
		ORDER BY f.created_at, f.ref`, d.ts(before))
}

func (d *DB) draftFiles(ctx context.Context, query string, args ...any) ([]portal.DraftFile, error) {
	rows, err := d.query(ctx, d.r, d.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("draft files: %w", err)
	}
	defer rows.Close()
	var out []portal.DraftFile
	for rows.Next() {
		var f portal.DraftFile
		if err := rows.Scan(&f.User, &f.Interview, &f.Ref, timeCol{&f.CreatedAt}); err != nil {
			return nil, fmt.Errorf("draft files: %w", err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("draft files: %w", err)
	}
	return out, nil
}
