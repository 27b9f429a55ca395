// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps one prepared statement per pool and query text, so hot
// queries are parsed once per connection instead of on every call (on
// SQLite, parsing was a sixth of the server's CPU time when ingesting small
// documents). database/sql re-prepares a statement on other connections of
// the pool as needed.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[stmtKey]*sql.Stmt
	// pending are write-pool queries first seen inside a transaction. They
	// cannot be prepared there: on SQLite the transaction holds the write
	// pool's only connection. inTx prepares them once the transaction ends.
	pending []string
}

// cached returns the statement of query on pool if it was prepared before.
func (c *stmtCache) cached(pool *sql.DB, query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stmts[stmtKey{pool, query}]
}

// defer_ remembers a query to prepare on the write pool after the current transaction.
func (c *stmtCache) defer_(query string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending = append(c.pending, query)
}

// preparePending prepares the queries remembered by defer_ on pool. A
// failure is not an error: the query runs unprepared next time and is retried.
func (c *stmtCache) preparePending(ctx context.Context, pool *sql.DB) {
	c.mu.Lock()
	pending := c.pending
	c.pending = nil
	c.mu.Unlock()
	for _, q := range pending {
		_, _ = c.get(ctx, pool, q)
	}
}

type stmtKey struct {
	pool  *sql.DB
	query string
}

func (c *stmtCache) get(ctx context.Context, pool *sql.DB, query string) (*sql.Stmt, error) {
	k := stmtKey{pool, query}
	c.mu.Lock()
	st, ok := c.stmts[k]
	c.mu.Unlock()
	if ok {
		return st, nil
	}
	// Prepared without the lock: preparing may wait for a free connection,
	// which transactions that want the lock may hold.
	st, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.stmts[k]; ok { // another caller was faster
		st.Close()
		return prev, nil
	}
	if c.stmts == nil {
		c.stmts = make(map[stmtKey]*sql.Stmt)
	}
	c.stmts[k] = st
	return st, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}

// row is what QueryRow returns, or the error of preparing the statement.
type row interface{ Scan(dest ...any) error }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// queryRow runs a single-row query (already rewritten by q) on pool with a
// cached statement. On PostgreSQL, pgx caches prepared statements itself.
func (d *DB) queryRow(ctx context.Context, pool *sql.DB, query string, args ...any) row {
	if d.dialect == Postgres {
		return pool.QueryRowContext(ctx, query, args...)
	}
	st, err := d.stmts.get(ctx, pool, query)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(ctx, args...)
}

// query runs a multi-row query (already rewritten by q) on pool with a cached statement.
func (d *DB) query(ctx context.Context, pool *sql.DB, query string, args ...any) (*sql.Rows, error) {
	if d.dialect == Postgres {
		return pool.QueryContext(ctx, query, args...)
	}
	st, err := d.stmts.get(ctx, pool, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// exec runs a statement (already rewritten by q) on pool with a cached statement.
func (d *DB) exec(ctx context.Context, pool *sql.DB, query string, args ...any) (sql.Result, error) {
	if d.dialect == Postgres {
		return pool.ExecContext(ctx, query, args...)
	}
	st, err := d.stmts.get(ctx, pool, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// txQueryRow is queryRow inside tx, which runs on the write pool.
func (d *DB) txQueryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) row {
	if d.dialect == Postgres {
		return tx.QueryRowContext(ctx, query, args...)
	}
	if st := d.stmts.cached(d.w, query); st != nil {
		return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	d.stmts.defer_(query)
	return tx.QueryRowContext(ctx, query, args...)
}

// txExec is exec inside tx, which runs on the write pool.
func (d *DB) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if d.dialect == Postgres {
		return tx.ExecContext(ctx, query, args...)
	}
	if st := d.stmts.cached(d.w, query); st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	d.stmts.defer_(query)
	return tx.ExecContext(ctx, query, args...)
}
