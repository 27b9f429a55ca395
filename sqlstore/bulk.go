// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"justizcloud/akte"
	"justizcloud/keys"
	"justizcloud/search"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
)

// Bulk is a batch of rows for BulkLoad. It is the loading path for seeding a
// benchmark dataset or taking over the stock of another system: many rows
// per transaction, without the per-row checks of the regular methods. The
// caller guarantees what those checks would: unique IDs, Aktenzeichen numbers
// without gaps or duplicates, rows that refer to cases of the same batch or
// already stored (Wiedervorlagen and events: of the same batch), event sequence numbers 1, 2, … per case, and document
// blobs already written.
type Bulk struct {
	Cases          []akte.Case
	Participants   []akte.Participant
	Events         []BulkEvent
	Documents      []akte.Document // first versions only
	Wiedervorlagen []akte.Wiedervorlage
	Search         []search.Entry
	DataKeys       []BulkDataKey // of the documents' blobs
	Derived        []BulkDerived
}

// BulkDerived is what a case's history gives (its state and running
// Fristen); the case must be in the same batch.
type BulkDerived struct {
	Case akte.Case
	verfahren.Derived
}

// BulkDataKey is the wrapped data key of one blob.
type BulkDataKey struct {
	Tenant  tenancy.ID
	Name    string
	Wrapped keys.Wrapped
}

// BulkEvent is one event of a case's history.
type BulkEvent struct {
	Case  akte.Case
	Event verfahren.Event
}

// bulkTable is one table's share of a batch: the column list and the rows.
type bulkTable struct {
	name string
	cols []string
	rows [][]any
}

// BulkLoad stores b in one transaction: COPY on PostgreSQL, prepared
// statements on SQLite. Aktenzeichen counters are not touched; call
// FinishBulk after the last batch.
func (d *DB) BulkLoad(ctx context.Context, b Bulk) error {
	tables, err := d.bulkTables(b)
	if err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	if d.dialect == Postgres {
		err = d.copyTables(ctx, tables, b.Search)
	} else {
		err = d.insertTables(ctx, tables, b.Search)
	}
	if err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	return nil
}

func (d *DB) bulkTables(b Bulk) ([]bulkTable, error) {
	events := map[akte.CaseID]int{}
	for _, be := range b.Events {
		events[be.Case.ID]++
	}
	states := map[akte.CaseID]verfahren.State{}
	for _, bd := range b.Derived {
		states[bd.Case.ID] = bd.State
	}
	cases := bulkTable{name: "cases", cols: append(strings.Split(caseColumns, ", "), "events", "state")}
	for _, c := range b.Cases {
		a := c.Aktenzeichen
		cases.rows = append(cases.rows, []any{c.ID, c.Tenant, c.Court, a.Department, a.Register, a.Number, a.Year,
			c.Subject, c.Procedure, d.ts(c.CreatedAt), c.CreatedBy, events[c.ID], string(states[c.ID])})
	}
	parts := bulkTable{name: "case_participants", cols: []string{"id", "tenant", "case_id", "role", "name", "address", "represents", "created_at"}}
	for _, p := range b.Participants {
		parts.rows = append(parts.rows, []any{p.ID, p.Tenant, p.Case, p.Role, p.Name, p.Address, p.Represents, d.ts(p.CreatedAt)})
	}
	evs := bulkTable{name: "case_events", cols: []string{"tenant", "case_id", "seq", "name", "at", "by", "role", "documents", "data"}}
	for _, be := range b.Events {
		e := be.Event
		docs, err := json.Marshal(nonNil(e.Documents))
		if err != nil {
			return nil, err
		}
		if e.Data == nil {
			e.Data = map[string]string{}
		}
		data, err := json.Marshal(e.Data)
		if err != nil {
			return nil, err
		}
		evs.rows = append(evs.rows, []any{be.Case.Tenant, be.Case.ID, e.Seq, e.Name, d.ts(e.At), e.By, e.Role, string(docs), string(data)})
	}
	docs := bulkTable{name: "documents", cols: []string{"id", "tenant", "case_id", "filename", "content_type", "size", "sha256", "blob", "version", "class", "created_at", "created_by"}}
	for _, doc := range b.Documents {
		if doc.Predecessor != "" {
			return nil, fmt.Errorf("document %s: bulk loads take first versions only", doc.ID)
		}
		docs.rows = append(docs.rows, []any{doc.ID, doc.Tenant, doc.Case, doc.Filename, doc.ContentType, doc.Size,
			doc.SHA256[:], doc.Blob, 1, doc.Class, d.ts(doc.CreatedAt), doc.CreatedBy})
	}
	courts := make(map[akte.CaseID]tenancy.CourtID, len(b.Cases))
	for _, c := range b.Cases {
		courts[c.ID] = c.Court
	}
	wvs := bulkTable{name: "wiedervorlagen", cols: []string{"id", "tenant", "case_id", "due", "for_whom", "note", "created_by", "created_at", "done_at", "court"}}
	for _, w := range b.Wiedervorlagen {
		court, ok := courts[w.Case]
		if !ok {
			return nil, fmt.Errorf("wiedervorlage %s: case %s is not in the batch", w.ID, w.Case)
		}
		wvs.rows = append(wvs.rows, []any{w.ID, w.Tenant, w.Case, w.Due.Format(time.DateOnly), w.For, w.Note, w.CreatedBy,
			d.ts(w.CreatedAt), d.nullTS(w.DoneAt), court})
	}
	dks := bulkTable{name: "data_keys", cols: []string{"tenant", "name", "kek", "wrapped"}}
	for _, k := range b.DataKeys {
		dks.rows = append(dks.rows, []any{k.Tenant, k.Name, k.Wrapped.KEK, k.Wrapped.Ciphertext})
	}
	fristen := bulkTable{name: "case_fristen", cols: []string{"tenant", "case_id", "name", "court", "title", "start", "ends"}}
	for _, bf := range b.Derived {
		for _, f := range bf.Fristen {
			fristen.rows = append(fristen.rows, []any{bf.Case.Tenant, bf.Case.ID, f.Name, bf.Case.Court, f.Title,
				f.Start.Format(time.DateOnly), f.End.Format(time.DateOnly)})
		}
	}
	return []bulkTable{cases, parts, evs, dks, docs, wvs, fristen}, nil
}

// insertTables is BulkLoad on SQLite.
func (d *DB) insertTables(ctx context.Context, tables []bulkTable, entries []search.Entry) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		for _, t := range tables {
			if len(t.rows) == 0 {
				continue
			}
			st, err := tx.PrepareContext(ctx, `INSERT INTO `+t.name+` (`+strings.Join(t.cols, ", ")+`) VALUES (?`+
				strings.Repeat(", ?", len(t.cols)-1)+`)`)
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			for _, r := range t.rows {
				if _, err := st.ExecContext(ctx, r...); err != nil {
					st.Close()
					return fmt.Errorf("%s: %w", t.name, classify(err))
				}
			}
			st.Close()
		}
		if len(entries) == 0 {
			return nil
		}
		entry, err := tx.PrepareContext(ctx, `INSERT INTO search_entries
			(tenant, court, case_id, document_id, kind, aktenzeichen, title, body, date)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`)
		if err != nil {
			return fmt.Errorf("search entries: %w", err)
		}
		defer entry.Close()
		fts, err := tx.PrepareContext(ctx, `INSERT INTO search_fts (rowid, tokens) VALUES (?, ?)`)
		if err != nil {
			return fmt.Errorf("search entries: %w", err)
		}
		defer fts.Close()
		for _, e := range entries {
			var seq int64
			if err := entry.QueryRowContext(ctx, e.Tenant, e.Court, e.Case, e.Document, e.Kind, e.Aktenzeichen,
				e.Title, e.Text, d.ts(e.Date)).Scan(&seq); err != nil {
				return fmt.Errorf("search entries: %w", classify(err))
			}
			if _, err := fts.ExecContext(ctx, seq, strings.Join(e.Tokens, " ")); err != nil {
				return fmt.Errorf("search entries: %w", err)
			}
		}
		return nil
	})
}

// copyTables is BulkLoad on PostgreSQL: one COPY per table in one transaction.
func (d *DB) copyTables(ctx context.Context, tables []bulkTable, entries []search.Entry) error {
	search := bulkTable{name: "search_entries", cols: []string{"tenant", "court", "case_id", "document_id", "kind", "aktenzeichen", "title", "body", "date", "tokens"}}
	for _, e := range entries {
		search.rows = append(search.rows, []any{e.Tenant, e.Court, e.Case, e.Document, e.Kind, e.Aktenzeichen, e.Title, e.Text,
			d.ts(e.Date), strings.Join(e.Tokens, " ")})
	}
	tables = append(tables, search)
	conn, err := d.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
		for _, t := range tables {
			if len(t.rows) == 0 {
				continue
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
				return fmt.Errorf("%s: %w", t.name, classify(err))
			}
		}
		return tx.Commit(ctx)
	})
}

// BeginBulk prepares the store for a series of BulkLoad calls. On SQLite it
// turns off FTS5's incremental merging of index segments, which took a third
// of the loading transactions' time; FinishBulk merges them once and turns
// it back on.
func (d *DB) BeginBulk(ctx context.Context) error {
	if d.dialect == SQLite {
		if _, err := d.w.ExecContext(ctx, `INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 0)`); err != nil {
			return fmt.Errorf("begin bulk load: %w", err)
		}
	}
	return nil
}

// fts5Automerge is FTS5's default 'automerge' setting.
const fts5Automerge = 4

// FinishBulk sets every Aktenzeichen counter to the highest number loaded,
// so that cases created later continue the sequence without a gap.
func (d *DB) FinishBulk(ctx context.Context) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO case_counters (tenant, court, register, year, last)
			SELECT tenant, court, register, year, MAX(number) FROM cases WHERE true GROUP BY tenant, court, register, year
			ON CONFLICT (tenant, court, register, year) DO UPDATE SET last = excluded.last
			WHERE excluded.last > case_counters.last`)
		return err
	})
	if err != nil {
		return fmt.Errorf("finish bulk load: %w", err)
	}
	if d.dialect == Postgres {
		_, err = d.w.ExecContext(ctx, `ANALYZE`)
	} else {
		// No ANALYZE on SQLite: with its samples (STAT4) every statement is
		// prepared again for each new set of bound values, which cost the
		// read path a fifth of its time; the indexes suit the queries as they are.
		_, err = d.w.ExecContext(ctx, fmt.Sprintf(`INSERT INTO search_fts (search_fts) VALUES ('optimize');
			INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', %d)`, fts5Automerge))
	}
	if err != nil {
		return fmt.Errorf("finish bulk load: %w", err)
	}
	return nil
}

// SampleCases returns up to n cases of tenant t chosen at random, for
// benchmarks that read a seeded store.
func (d *DB) SampleCases(ctx context.Context, t tenancy.ID, n int) ([]akte.Case, error) {
	return d.queryCases(ctx, "sample cases", `SELECT `+caseColumns+` FROM cases WHERE tenant = ? ORDER BY random() LIMIT ?`, t, n)
}
