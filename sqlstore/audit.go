// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"justizcloud/audit"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

var _ audit.Store = (*DB)(nil)

// AppendAudit implements audit.Store. For each tenant of the batch (in
// sorted order, so that concurrent batches lock alike), one upsert on
// audit_heads reserves the next len(entries) numbers; it takes the row lock
// (PostgreSQL) or runs under the write lock (SQLite), so concurrent appends
// of one tenant are serialised and get consecutive numbers, and a
// rolled-back append rolls back its numbers too. The same transaction takes
// the tree's frontier (at most one subtree hash per level: from the cache
// of this process's last committed append when that ended at the same
// size, otherwise with one query), computes in memory every complete
// subtree the new leaves complete, and stores the entries, those subtrees
// and the entries' references to cases and documents with one multi-row
// INSERT each (per chunk of rows): a batch costs a handful of statements,
// whatever its size.
func (d *DB) AppendAudit(ctx context.Context, es []audit.Entry) ([]audit.Entry, error) {
	out := make([]audit.Entry, len(es))
	for i, e := range es {
		if e.Tenant == "" {
			return nil, fmt.Errorf("append audit: %w: no tenant", errs.ErrInvalid)
		}
		e.Time = d.normTime(e.Time)
		out[i] = e
	}
	var front map[tenancy.ID]frontier
	err := d.inTx(ctx, func(tx *sql.Tx) (err error) {
		front, err = d.writeAudit(ctx, tx, out)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("append audit: %w", err)
	}
	d.audits.commit(front)
	return out, nil
}

// auditCache holds the latest committed frontier of each tenant's tree: the
// hashes Frontier(size) names, as of the last commit of this process that
// appended. An append that starts at another size (another process or
// replica appended, an append of this one rolled back, or the cache is
// cold) reads them from the store; only committed appends update it.
type auditCache struct {
	mu       sync.Mutex
	frontier map[tenancy.ID]frontier
}

type frontier struct {
	size   uint64
	hashes []audit.Hash
}

func (c *auditCache) cached(t tenancy.ID, size uint64) ([]audit.Hash, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.frontier[t]
	return f.hashes, ok && f.size == size
}

// commit caches the frontiers a committed append left.
func (c *auditCache) commit(fs map[tenancy.ID]frontier) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frontier == nil {
		c.frontier = map[tenancy.ID]frontier{}
	}
	for t, f := range fs {
		if old, ok := c.frontier[t]; !ok || f.size > old.size {
			c.frontier[t] = f
		}
	}
}

// writeAudit appends es inside tx, sets their sequence numbers and returns
// the frontiers the append leaves (to cache once tx has committed).
func (d *DB) writeAudit(ctx context.Context, tx *sql.Tx, es []audit.Entry) (map[tenancy.ID]frontier, error) {
	front := map[tenancy.ID]frontier{}
	byTenant := map[tenancy.ID][]int{}
	for i, e := range es {
		byTenant[e.Tenant] = append(byTenant[e.Tenant], i)
	}
	for _, t := range slices.Sorted(maps.Keys(byTenant)) {
		idx := byTenant[t]
		var size int64
		err := d.txQueryRow(ctx, tx, d.q(`INSERT INTO audit_heads (tenant, size) VALUES (?, ?)
			ON CONFLICT (tenant) DO UPDATE SET size = audit_heads.size + excluded.size
			RETURNING size`), t, len(idx)).Scan(&size)
		if err != nil {
			return nil, fmt.Errorf("next sequence number (%s): %w", t, err)
		}
		first := uint64(size) - uint64(len(idx))
		batch := make([]audit.Entry, len(idx))
		for k, i := range idx {
			es[i].Seq = first + uint64(k)
			batch[k] = es[i]
		}
		f, err := d.appendAuditEntries(ctx, tx, t, first, batch)
		if err != nil {
			return nil, err
		}
		front[t] = f
	}
	return front, nil
}

// auditInsertChunk bounds the rows of one INSERT (SQLite allows 32,766
// bound values; an entry row has 5).
const auditInsertChunk = 200

// appendAuditEntries stores es, which continue t's tree of size first, and
// the subtrees they complete, and returns the frontier they leave.
func (d *DB) appendAuditEntries(ctx context.Context, tx *sql.Tx, t tenancy.ID, first uint64, es []audit.Entry) (frontier, error) {
	front, ok := d.audits.cached(t, first)
	if !ok {
		ids := audit.Frontier(first)
		front = make([]audit.Hash, len(ids))
		if err := d.auditNodesTx(ctx, tx, t, ids, front); err != nil {
			return frontier{}, fmt.Errorf("read frontier of %s at %d: %w", t, first, err)
		}
	}
	b, err := audit.NewBuilderAt(first, front)
	if err != nil {
		return frontier{}, err
	}
	var entryRows, nodeRows, refRows [][]any
	for _, e := range es {
		data, err := audit.Encode(e)
		if err != nil {
			return frontier{}, err
		}
		leaf := audit.HashLeaf(data)
		entryRows = append(entryRows, []any{t, int64(e.Seq), leaf[:], data, d.ts(e.Time)})
		for _, n := range b.Add(leaf) {
			nodeRows = append(nodeRows, []any{t, int(n.ID.Level), int64(n.ID.Index), n.Hash[:]})
		}
		if e.Case != "" || e.Document != "" {
			refRows = append(refRows, []any{t, int64(e.Seq), e.Case, t, e.Document, e.Document, string(e.Outcome)})
		}
	}
	// An entry that names only a document (a download) is filed under the
	// document's case, so that the case's access log shows it; an entry
	// that names no case that way (a refused request for a document that
	// does not exist) is not filed.
	for _, ins := range []struct {
		what, head, row, tail string
		rows                  [][]any
	}{
		{"entries", `INSERT INTO audit_entries (tenant, seq, leaf, entry, at) VALUES `, `(?, ?, ?, ?, ?)`, ``, entryRows},
		{"nodes", `INSERT INTO audit_nodes (tenant, level, idx, hash) VALUES `, `(?, ?, ?, ?)`, ``, nodeRows},
		{"refs", `INSERT INTO audit_refs (tenant, seq, case_id, document, outcome) SELECT * FROM (VALUES `,
			`(CAST(? AS TEXT), CAST(? AS BIGINT), COALESCE(NULLIF(CAST(? AS TEXT), ''), (SELECT case_id FROM documents WHERE tenant = ? AND id = ?), ''), CAST(? AS TEXT), CAST(? AS TEXT))`,
			`) AS v WHERE v.column3 <> ''`, refRows},
	} {
		for start := 0; start < len(ins.rows); start += auditInsertChunk {
			chunk := ins.rows[start:min(start+auditInsertChunk, len(ins.rows))]
			var q strings.Builder
			q.WriteString(ins.head)
			var args []any
			for i, r := range chunk {
				if i > 0 {
					q.WriteString(", ")
				}
				q.WriteString(ins.row)
				args = append(args, r...)
			}
			q.WriteString(ins.tail)
			// Not through the statement cache: the text varies with the batch.
			if _, err := tx.ExecContext(ctx, d.q(q.String()), args...); err != nil {
				return frontier{}, fmt.Errorf("insert audit %s of %s from %d: %w", ins.what, t, first, classify(err))
			}
		}
	}
	return frontier{size: b.Size(), hashes: b.Frontier()}, nil
}

// auditNodesTx reads complete subtree hashes inside tx (the frontier the
// appending transaction continues): leaves from audit_entries, higher
// levels from audit_nodes, in one query.
func (d *DB) auditNodesTx(ctx context.Context, tx *sql.Tx, t tenancy.ID, ids []audit.NodeID, out []audit.Hash) error {
	if len(ids) == 0 {
		return nil
	}
	var parts []string
	var args []any
	pos := map[audit.NodeID]int{}
	for i, id := range ids {
		pos[id] = i
		if id.Level == 0 {
			parts = append(parts, `SELECT 0, seq, leaf FROM audit_entries WHERE tenant = ? AND seq = ?`)
			args = append(args, t, int64(id.Index))
		} else {
			parts = append(parts, `SELECT level, idx, hash FROM audit_nodes WHERE tenant = ? AND level = ? AND idx = ?`)
			args = append(args, t, int(id.Level), int64(id.Index))
		}
	}
	rows, err := tx.QueryContext(ctx, d.q(strings.Join(parts, " UNION ALL ")), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	found := 0
	for rows.Next() {
		var lvl int
		var idx int64
		var h audit.Hash
		if err := rows.Scan(&lvl, &idx, hashCol{(*[32]byte)(&h)}); err != nil {
			return err
		}
		i, ok := pos[audit.NodeID{Level: uint8(lvl), Index: uint64(idx)}]
		if !ok {
			return fmt.Errorf("unexpected node L%d/%d", lvl, idx)
		}
		out[i] = h
		found++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if found != len(ids) {
		return fmt.Errorf("%d of %d frontier nodes missing: %w", len(ids)-found, len(ids), errs.ErrNotFound)
	}
	return nil
}

// AuditSize implements audit.Store.
func (d *DB) AuditSize(ctx context.Context, t tenancy.ID) (uint64, error) {
	var size int64
	err := d.queryRow(ctx, d.r, d.q(`SELECT size FROM audit_heads WHERE tenant = ?`), t).Scan(&size)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("audit size (%s): %w", t, err)
	}
	return uint64(size), nil
}

// auditNodeBatch bounds the ids of one query: SQLite allows at most 500
// terms in a compound SELECT.
const auditNodeBatch = 200

// AuditNodes implements audit.Store: leaves come from audit_entries, higher
// levels from audit_nodes, each with one query per batch of ids.
func (d *DB) AuditNodes(ctx context.Context, t tenancy.ID, ids []audit.NodeID) ([]audit.Hash, error) {
	out := make([]audit.Hash, len(ids))
	for start := 0; start < len(ids); start += auditNodeBatch {
		if err := d.auditNodes(ctx, t, ids[start:min(start+auditNodeBatch, len(ids))], out[start:]); err != nil {
			return nil, fmt.Errorf("audit nodes (%s): %w", t, err)
		}
	}
	return out, nil
}

func (d *DB) auditNodes(ctx context.Context, t tenancy.ID, ids []audit.NodeID, out []audit.Hash) error {
	pos := make(map[audit.NodeID][]int, len(ids))
	var leaves, nodes []string
	leafArgs, nodeArgs := []any{t}, []any{}
	for i, id := range ids {
		if _, dup := pos[id]; !dup {
			if id.Level == 0 {
				leaves, leafArgs = append(leaves, "?"), append(leafArgs, int64(id.Index))
			} else {
				nodes, nodeArgs = append(nodes, "SELECT level, idx, hash FROM audit_nodes WHERE tenant = ? AND level = ? AND idx = ?"),
					append(nodeArgs, t, int(id.Level), int64(id.Index))
			}
		}
		pos[id] = append(pos[id], i)
	}
	found := 0
	scan := func(query string, args []any) error {
		rows, err := d.r.QueryContext(ctx, d.q(query), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id audit.NodeID
			var lvl int
			var idx int64
			var h audit.Hash
			if err := rows.Scan(&lvl, &idx, hashCol{(*[32]byte)(&h)}); err != nil {
				return err
			}
			id.Level, id.Index = uint8(lvl), uint64(idx)
			for _, i := range pos[id] {
				out[i] = h
			}
			found++
		}
		return rows.Err()
	}
	if len(leaves) > 0 {
		if err := scan(`SELECT 0, seq, leaf FROM audit_entries WHERE tenant = ? AND seq IN (`+strings.Join(leaves, ", ")+`)`, leafArgs); err != nil {
			return err
		}
	}
	if len(nodes) > 0 {
		// One point lookup on the primary key per node; an OR of the same
		// terms made SQLite scan the table.
		if err := scan(strings.Join(nodes, " UNION ALL "), nodeArgs); err != nil {
			return err
		}
	}
	if found != len(pos) {
		return fmt.Errorf("%d of %d tree nodes missing: %w", len(pos)-found, len(pos), errs.ErrNotFound)
	}
	return nil
}

// AuditEntry implements audit.Store.
func (d *DB) AuditEntry(ctx context.Context, t tenancy.ID, seq uint64) ([]byte, error) {
	var data []byte
	err := d.queryRow(ctx, d.r, d.q(`SELECT entry FROM audit_entries WHERE tenant = ? AND seq = ?`), t, int64(seq)).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("audit entry %s/%d: %w", t, seq, errs.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("audit entry %s/%d: %w", t, seq, err)
	}
	return data, nil
}

// AuditEntries implements audit.Store. It streams one query, so a log of
// millions of entries is read in constant memory.
func (d *DB) AuditEntries(ctx context.Context, t tenancy.ID, fn func(seq uint64, leaf audit.Hash, data []byte) error) error {
	rows, err := d.r.QueryContext(ctx, d.q(`SELECT seq, leaf, entry FROM audit_entries WHERE tenant = ? ORDER BY seq`), t)
	if err != nil {
		return fmt.Errorf("audit entries (%s): %w", t, err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var leaf audit.Hash
		var data []byte
		if err := rows.Scan(&seq, hashCol{(*[32]byte)(&leaf)}, &data); err != nil {
			return fmt.Errorf("audit entries (%s): %w", t, err)
		}
		if err := fn(uint64(seq), leaf, data); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("audit entries (%s): %w", t, err)
	}
	return nil
}

// AddCheckpoint implements audit.Store.
func (d *DB) AddCheckpoint(ctx context.Context, c audit.Checkpoint) error {
	_, err := d.exec(ctx, d.w, d.q(`INSERT INTO audit_checkpoints (tenant, size, root, at, key_id, signature)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, size) DO NOTHING`),
		c.Tenant, int64(c.Size), c.Root[:], d.ts(c.Time), c.KeyID, c.Signature)
	if err != nil {
		return fmt.Errorf("add checkpoint %s/%d: %w", c.Tenant, c.Size, classify(err))
	}
	return nil
}

// LatestCheckpoint implements audit.Store.
func (d *DB) LatestCheckpoint(ctx context.Context, t tenancy.ID) (audit.Checkpoint, error) {
	cps, err := d.checkpoints(ctx, t, `ORDER BY size DESC LIMIT 1`)
	if err != nil {
		return audit.Checkpoint{}, err
	}
	if len(cps) == 0 {
		return audit.Checkpoint{}, fmt.Errorf("latest checkpoint (%s): %w", t, errs.ErrNotFound)
	}
	return cps[0], nil
}

// Checkpoints implements audit.Store.
func (d *DB) Checkpoints(ctx context.Context, t tenancy.ID) ([]audit.Checkpoint, error) {
	return d.checkpoints(ctx, t, `ORDER BY size`)
}

func (d *DB) checkpoints(ctx context.Context, t tenancy.ID, order string) ([]audit.Checkpoint, error) {
	rows, err := d.query(ctx, d.r, d.q(`SELECT tenant, size, root, at, key_id, signature
		FROM audit_checkpoints WHERE tenant = ? `+order), t)
	if err != nil {
		return nil, fmt.Errorf("checkpoints (%s): %w", t, err)
	}
	defer rows.Close()
	var out []audit.Checkpoint
	for rows.Next() {
		var c audit.Checkpoint
		var size int64
		if err := rows.Scan(&c.Tenant, &size, hashCol{(*[32]byte)(&c.Root)}, timeCol{&c.Time}, &c.KeyID, &c.Signature); err != nil {
			return nil, fmt.Errorf("checkpoints (%s): %w", t, err)
		}
		c.Size = uint64(size)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("checkpoints (%s): %w", t, err)
	}
	return out, nil
}

// AuditRefs implements audit.Store: one range of audit_refs' primary key
// (the case's entries), filtered by document and outcome.
func (d *DB) AuditRefs(ctx context.Context, t tenancy.ID, q audit.RefQuery) ([]audit.Stored, error) {
	where, args := `r.tenant = ? AND r.case_id = ?`, []any{t, q.Case}
	switch {
	case q.Case == "" && q.Document == "":
		return nil, fmt.Errorf("audit refs (%s): %w: no case or document", t, errs.ErrInvalid)
	case q.Case == "": // the document's case
		where, args = `r.tenant = ? AND r.case_id = (SELECT case_id FROM documents WHERE tenant = ? AND id = ?)`, []any{t, t, q.Document}
	}
	if q.Document != "" {
		where, args = where+` AND r.document = ?`, append(args, q.Document)
	}
	if q.AllowedOnly {
		where += ` AND r.outcome = 'allowed'`
	}
	if q.Before > 0 {
		where, args = where+` AND r.seq < ?`, append(args, int64(q.Before))
	}
	order := "DESC"
	if q.Oldest {
		order = "ASC"
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	rows, err := d.query(ctx, d.r, d.q(`SELECT e.seq, e.entry FROM audit_refs r
		JOIN audit_entries e ON e.tenant = r.tenant AND e.seq = r.seq
		WHERE `+where+` ORDER BY r.seq `+order+` LIMIT ?`), append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("audit refs (%s): %w", t, err)
	}
	defer rows.Close()
	out := []audit.Stored{}
	for rows.Next() {
		var s audit.Stored
		var seq int64
		if err := rows.Scan(&seq, &s.Data); err != nil {
			return nil, fmt.Errorf("audit refs (%s): %w", t, err)
		}
		s.Seq = uint64(seq)
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit refs (%s): %w", t, err)
	}
	return out, nil
}

// Tombstoned reports whether document id of tenant t was destroyed under
// the retention rules (audit verify tells that apart from a removed row).
func (d *DB) Tombstoned(ctx context.Context, t tenancy.ID, id string) (bool, error) {
	var n int
	err := d.queryRow(ctx, d.r, d.q(`SELECT COUNT(*) FROM tombstones WHERE tenant = ? AND document_id = ?`), t, id).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("tombstone of %s: %w", id, err)
	}
	return n > 0, nil
}
