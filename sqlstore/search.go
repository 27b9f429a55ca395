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
	"justizcloud/search"
	"justizcloud/tenancy"
)

var _ search.Store = (*DB)(nil)

// PutSearchEntries implements search.Store: it stores several entries in one
// transaction (the indexer writes in batches, so that indexing competes less
// with uploads for the write connection); any failure rolls the whole batch
// back. The tokens go into the engine's full-text index as they are: FTS5 on
// SQLite, a 'simple' tsvector on PostgreSQL. A replaced entry gets a new Seq.
func (d *DB) PutSearchEntries(ctx context.Context, es []search.Entry) error {
	for _, e := range es {
		if e.Tenant == "" || e.Case == "" || (e.Kind != search.KindCase && e.Kind != search.KindDocument) {
			return fmt.Errorf("put search entry: %w: tenant, case and kind are required", errs.ErrInvalid)
		}
	}
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		for _, e := range es {
			if err := d.putSearchEntry(ctx, tx, e); err != nil {
				return fmt.Errorf("%s %s: %w", e.Case, e.Document, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("put search entries: %w", err)
	}
	return nil
}

func (d *DB) putSearchEntry(ctx context.Context, tx *sql.Tx, e search.Entry) error {
	tokens := strings.Join(e.Tokens, " ")
	date := d.normTime(e.Date)
	if err := d.caseExists(ctx, tx, e.Tenant, e.Case); err != nil {
		return err
	}
	if err := d.deleteSearchEntry(ctx, tx, e.Tenant, e.Case, e.Document); err != nil {
		return err
	}
	if d.dialect == Postgres {
		_, err := d.txExec(ctx, tx, d.q(`INSERT INTO search_entries
			(tenant, court, case_id, document_id, kind, aktenzeichen, title, body, date, tokens)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), e.Tenant, e.Court, e.Case, e.Document, e.Kind,
			e.Aktenzeichen, e.Title, e.Text, d.ts(date), tokens)
		return classify(err)
	}
	var seq int64
	err := d.txQueryRow(ctx, tx, `INSERT INTO search_entries
		(tenant, court, case_id, document_id, kind, aktenzeichen, title, body, date)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`, e.Tenant, e.Court, e.Case, e.Document, e.Kind,
		e.Aktenzeichen, e.Title, e.Text, d.ts(date)).Scan(&seq)
	if err != nil {
		return classify(err)
	}
	_, err = d.txExec(ctx, tx, `INSERT INTO search_fts (rowid, tokens) VALUES (?, ?)`, seq, tokens)
	return err
}

// retokenize replaces the tokens of an entry, if it exists.
func (d *DB) retokenize(ctx context.Context, tx *sql.Tx, t tenancy.ID, c akte.CaseID, doc akte.DocumentID, tokens []string) error {
	var err error
	if d.dialect == SQLite {
		_, err = d.txExec(ctx, tx, `UPDATE search_fts SET tokens = ? WHERE rowid IN
			(SELECT seq FROM search_entries WHERE tenant = ? AND case_id = ? AND document_id = ?)`, strings.Join(tokens, " "), t, c, doc)
	} else {
		_, err = d.txExec(ctx, tx, d.q(`UPDATE search_entries SET tokens = ? WHERE tenant = ? AND case_id = ? AND document_id = ?`),
			strings.Join(tokens, " "), t, c, doc)
	}
	if err != nil {
		return fmt.Errorf("retokenize search entry: %w", err)
	}
	return nil
}

// deleteSearchEntry removes the entry of a case (doc empty) or document.
func (d *DB) deleteSearchEntry(ctx context.Context, tx *sql.Tx, t tenancy.ID, c akte.CaseID, doc akte.DocumentID) error {
	if d.dialect == SQLite {
		if _, err := d.txExec(ctx, tx, `DELETE FROM search_fts WHERE rowid IN
			(SELECT seq FROM search_entries WHERE tenant = ? AND case_id = ? AND document_id = ?)`, t, c, doc); err != nil {
			return fmt.Errorf("delete search entry: %w", err)
		}
	}
	if _, err := d.txExec(ctx, tx, d.q(`DELETE FROM search_entries WHERE tenant = ? AND case_id = ? AND document_id = ?`),
		t, c, doc); err != nil {
		return fmt.Errorf("delete search entry: %w", err)
	}
	return nil
}

// SearchEntries implements search.Store. Tokens are passed as quoted terms
// (FTS5) or quoted lexemes (tsquery) and are letters and digits only, so no
// query operator reaches the engine from user input.
func (d *DB) SearchEntries(ctx context.Context, t tenancy.ID, f search.Filter) ([]search.Hit, error) {
	if len(f.Terms) == 0 {
		return []search.Hit{}, nil
	}
	groups := make([]string, len(f.Terms))
	for i, alts := range f.Terms {
		quoted := make([]string, len(alts))
		for j, a := range alts {
			if d.dialect == Postgres {
				quoted[j] = "'" + strings.ReplaceAll(a, "'", "''") + "'"
			} else {
				quoted[j] = `"` + strings.ReplaceAll(a, `"`, `""`) + `"`
			}
		}
		if d.dialect == Postgres {
			groups[i] = "(" + strings.Join(quoted, " | ") + ")"
		} else {
			groups[i] = "(" + strings.Join(quoted, " OR ") + ")"
		}
	}
	// The conditions after the match, shared by every form of the query.
	var cond strings.Builder
	var condArgs []any
	if f.Court != "" {
		cond.WriteString(` AND e.court = ?`)
		condArgs = append(condArgs, f.Court)
	}
	if len(f.Cases) > 0 {
		cond.WriteString(` AND e.case_id IN (?` + strings.Repeat(", ?", len(f.Cases)-1) + `)`)
		for _, c := range f.Cases {
			condArgs = append(condArgs, c)
		}
	}
	if f.Class != "" {
		cond.WriteString(` AND d.class = ?`)
		condArgs = append(condArgs, f.Class)
	}
	if f.State != "" {
		// A proceeding without events is in its definition's initial state.
		cond.WriteString(` AND EXISTS (SELECT 1 FROM cases c WHERE c.tenant = e.tenant AND c.id = e.case_id AND (c.state = ?`)
		condArgs = append(condArgs, f.State)
		if len(f.InitialIn) > 0 {
			cond.WriteString(` OR (c.events = 0 AND c.procedure IN (?` + strings.Repeat(", ?", len(f.InitialIn)-1) + `))`)
			for _, p := range f.InitialIn {
				condArgs = append(condArgs, p)
			}
		}
		cond.WriteString(`))`)
	}
	if !f.From.IsZero() {
		cond.WriteString(` AND e.date >= ?`)
		condArgs = append(condArgs, d.ts(f.From))
	}
	if !f.To.IsZero() {
		cond.WriteString(` AND e.date < ?`)
		condArgs = append(condArgs, d.ts(f.To))
	}
	if f.After > 0 {
		cond.WriteString(` AND e.seq < ?`)
		condArgs = append(condArgs, f.After)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = search.DefaultLimit
	}
	const columns = `e.seq, e.tenant, e.court, e.case_id, e.document_id, e.kind, e.aktenzeichen, e.title, e.body, e.date,
		COALESCE(d.blob, ''), COALESCE(d.content_type, '')`
	if d.dialect == SQLite {
		// Ordered by the FTS table's own rowid (= e.seq), FTS5 delivers
		// matches newest first and the query stops at the limit. Ordered by
		// e.seq, SQLite walked the tenant's entries instead and ran a
		// full-text lookup for each — seconds for a rare word over a million.
		query := `SELECT ` + columns + ` FROM search_fts JOIN search_entries e ON e.seq = search_fts.rowid
			LEFT JOIN documents d ON d.tenant = e.tenant AND d.id = e.document_id
			WHERE search_fts MATCH ? AND e.tenant = ?` + strings.ReplaceAll(cond.String(), "e.seq <", "search_fts.rowid <") +
			` ORDER BY search_fts.rowid DESC LIMIT ?`
		return d.searchRows(ctx, query, append(append([]any{strings.Join(groups, " AND "), t}, condArgs...), limit)...)
	}
	// PostgreSQL: the planner walks seq backwards and tests each entry's
	// tsvector — right for a common word, a full pass for a rare one (tens
	// of seconds over a million entries). So first the newest
	// recentWindow entries are searched that way; if they do not fill the
	// page, the GIN index finds every match (few, for a word that rare) and
	// those are sorted.
	tsq := strings.Join(groups, " & ")
	window := `(SELECT COALESCE(MAX(seq), 0) FROM search_entries) - ?`
	windowArgs := []any{recentWindow}
	if f.After > 0 {
		window, windowArgs = `?`, []any{f.After - recentWindow}
	}
	recent := `SELECT ` + columns + ` FROM search_entries e LEFT JOIN documents d ON d.tenant = e.tenant AND d.id = e.document_id
		WHERE e.tsv @@ to_tsquery('simple', ?) AND e.tenant = ? AND e.seq > ` + window + cond.String() + ` ORDER BY e.seq DESC LIMIT ?`
	args := append(append(append([]any{tsq, t}, windowArgs...), condArgs...), limit)
	hits, err := d.searchRows(ctx, recent, args...)
	if err != nil || len(hits) == limit {
		return hits, err
	}
	all := `WITH m AS MATERIALIZED (SELECT seq FROM search_entries WHERE tsv @@ to_tsquery('simple', ?) AND tenant = ?)
		SELECT ` + columns + ` FROM m JOIN search_entries e ON e.seq = m.seq
		LEFT JOIN documents d ON d.tenant = e.tenant AND d.id = e.document_id
		WHERE true` + cond.String() + ` ORDER BY e.seq DESC LIMIT ?`
	return d.searchRows(ctx, all, append(append([]any{tsq, t}, condArgs...), limit)...)
}

// recentWindow is how many of the newest index entries a PostgreSQL search
// scans in seq order before it turns to the GIN index.
const recentWindow = 10000

// searchRows runs a search query (written with ? placeholders).
func (d *DB) searchRows(ctx context.Context, query string, args ...any) ([]search.Hit, error) {
	rows, err := d.query(ctx, d.r, d.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	out := []search.Hit{}
	for rows.Next() {
		var h search.Hit
		if err := rows.Scan(&h.Seq, &h.Tenant, &h.Court, &h.Case, &h.Document, &h.Kind, &h.Aktenzeichen,
			&h.Title, &h.Text, timeCol{&h.Date}, &h.Blob, &h.ContentType); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return out, nil
}

// Unindexed implements search.Store: cases first, then documents. With a
// since, it reads the indexes on created_at (migration 0009) instead of
// every row.
func (d *DB) Unindexed(ctx context.Context, since time.Time, limit int) ([]search.Pending, error) {
	rows, err := d.query(ctx, d.r, d.q(`SELECT tenant, id, '' FROM cases c WHERE c.created_at >= ? AND NOT EXISTS
			(SELECT 1 FROM search_entries e WHERE e.tenant = c.tenant AND e.case_id = c.id AND e.document_id = '')
		UNION ALL
		SELECT tenant, case_id, id FROM documents x WHERE x.created_at >= ? AND NOT EXISTS
			(SELECT 1 FROM search_entries e WHERE e.tenant = x.tenant AND e.case_id = x.case_id AND e.document_id = x.id)
		LIMIT ?`), d.ts(since), d.ts(since), limit)
	if err != nil {
		return nil, fmt.Errorf("unindexed: %w", err)
	}
	defer rows.Close()
	out := []search.Pending{}
	for rows.Next() {
		var p search.Pending
		if err := rows.Scan(&p.Tenant, &p.Case, &p.Document); err != nil {
			return nil, fmt.Errorf("unindexed: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("unindexed: %w", err)
	}
	return out, nil
}

// metaScanMark is the meta key of the search indexer's scan mark.
const metaScanMark = "search_scan_mark"

// ScanMark implements search.Store.
func (d *DB) ScanMark(ctx context.Context) (time.Time, error) {
	var v string
	err := d.queryRow(ctx, d.r, d.q(`SELECT value FROM meta WHERE key = ?`), metaScanMark).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("scan mark: %w", err)
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("scan mark %q: %w", v, err)
	}
	return t, nil
}

// SetScanMark implements search.Store.
func (d *DB) SetScanMark(ctx context.Context, t time.Time) error {
	_, err := d.exec(ctx, d.w, d.q(`INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`), metaScanMark, t.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return fmt.Errorf("set scan mark: %w", err)
	}
	return nil
}

// ClearSearchIndex implements search.Store.
func (d *DB) ClearSearchIndex(ctx context.Context) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := d.txExec(ctx, tx, d.q(`DELETE FROM meta WHERE key = ?`), metaScanMark); err != nil {
			return err
		}
		if d.dialect == SQLite {
			if _, err := d.txExec(ctx, tx, `DELETE FROM search_fts`); err != nil {
				return err
			}
		}
		_, err := d.txExec(ctx, tx, `DELETE FROM search_entries`)
		return err
	})
	if err != nil {
		return fmt.Errorf("clear search index: %w", err)
	}
	return nil
}
