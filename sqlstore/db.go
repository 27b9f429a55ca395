// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"modernc.org/sqlite"               // registers the "sqlite" database/sql driver
	sqlite3 "modernc.org/sqlite/lib"

	"justizcloud/errs"
)

// Dialect names returned by DB.Dialect.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is the metadata store. It is safe for concurrent use.
type DB struct {
	dialect string
	w       *sql.DB // writes and transactions; one connection on SQLite
	r       *sql.DB // reads; query-only connections on SQLite, the same pool as w on PostgreSQL
	log     *slog.Logger
	now     func() time.Time
	stmts   stmtCache
	audits  auditCache // the latest committed frontier of each tenant's audit tree
}

// Open connects to the store named by dsn without migrating it (call Migrate).
// A dsn starting with postgres:// or postgresql:// selects PostgreSQL; any
// other dsn is the path of a SQLite database file, whose parent directory is
// created if missing. A nil logger discards log output.
func Open(ctx context.Context, dsn string, logger *slog.Logger) (*DB, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	d := &DB{log: logger, now: time.Now}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		err = d.openPostgres(ctx, dsn)
	} else {
		err = d.openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open: %w", err)
	}
	return d, nil
}

func (d *DB) openPostgres(ctx context.Context, dsn string) error {
	d.dialect = Postgres
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	db.SetConnMaxLifetime(30 * time.Minute)
	db.SetConnMaxIdleTime(5 * time.Minute)
	d.w, d.r = db, db
	if err := d.Ping(ctx); err != nil {
		db.Close()
		return fmt.Errorf("postgres: %w", err)
	}
	d.log.Debug("sqlstore opened", "dialect", d.dialect)
	return nil
}

// sqlitePragmas are applied to every SQLite connection. busy_timeout makes a
// connection wait for a lock held by another process instead of failing with
// SQLITE_BUSY; within this process the single write connection already
// serialises writers.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"

func (d *DB) openSQLite(ctx context.Context, path string) error {
	d.dialect = SQLite
	switch {
	case path == "":
		return fmt.Errorf("sqlite: %w: empty path", errs.ErrInvalid)
	case strings.HasPrefix(path, ":memory:") || strings.HasPrefix(path, "file:"):
		// Two pools on one in-memory database would be two databases.
		return fmt.Errorf("sqlite: %w: %q: want a file path", errs.ErrInvalid, path)
	case strings.ContainsAny(path, "?#"):
		return fmt.Errorf("sqlite: %w: %q: path must not contain ? or #", errs.ErrInvalid, path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	// The write pool has one connection, and its transactions start with
	// BEGIN IMMEDIATE: a writer takes the write lock up front, so two
	// transactions never both read and then fail to upgrade (SQLITE_BUSY).
	// journal_mode=WAL is persistent in the file; secure_delete overwrites
	// deleted content, which matters for destroyed data keys.
	w, err := sql.Open("sqlite", path+"?"+sqlitePragmas+"&_pragma=journal_mode(WAL)&_pragma=secure_delete(1)&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// Open the write connection first so that the file exists and is in WAL
	// mode before a reader looks at it.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return fmt.Errorf("sqlite: %w", err)
	}
	// Readers never write: query_only turns a write through the wrong pool
	// into an error instead of a lock fight with the writer.
	r, err := sql.Open("sqlite", path+"?"+sqlitePragmas+"&_query_only=1")
	if err != nil {
		w.Close()
		return fmt.Errorf("sqlite: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxIdleTime(5 * time.Minute)
	d.w, d.r = w, r
	if err := d.Ping(ctx); err != nil {
		d.Close()
		return fmt.Errorf("sqlite: %w", err)
	}
	d.log.Debug("sqlstore opened", "dialect", d.dialect, "path", path, "readers", n)
	return nil
}

// Close closes the connection pools.
func (d *DB) Close() error {
	d.stmts.close()
	err := d.w.Close()
	if d.r != d.w {
		err = errors.Join(err, d.r.Close())
	}
	if err != nil {
		return fmt.Errorf("sqlstore: close: %w", err)
	}
	return nil
}

// Ping checks that the database answers on every pool.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.w.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlstore: ping: %w", err)
	}
	if d.r != d.w {
		if err := d.r.PingContext(ctx); err != nil {
			return fmt.Errorf("sqlstore: ping readers: %w", err)
		}
	}
	return nil
}

// Dialect reports the database engine: SQLite ("sqlite") or Postgres ("postgres").
func (d *DB) Dialect() string { return d.dialect }

// inTx runs fn in a transaction on the write pool and commits if fn returns
// nil. On SQLite the transaction starts with BEGIN IMMEDIATE. fn must use tx
// only: the SQLite write pool has one connection, which tx holds.
func (d *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	defer d.stmts.preparePending(ctx, d.w)
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
			d.log.Error("sqlstore: rollback failed", "err", rerr)
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", classify(err))
	}
	return nil
}

// q rewrites a query written with ? placeholders for the dialect:
// PostgreSQL wants $1, $2, … . Question marks inside single-quoted literals
// are left alone.
func (d *DB) q(query string) string {
	if d.dialect != Postgres {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n, quoted := 0, false
	for _, c := range query {
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ts converts t to the stored time representation: Unix microseconds on
// SQLite, a UTC time truncated to microseconds (TIMESTAMPTZ precision) on
// PostgreSQL. Both engines thus store exactly the same instant.
func (d *DB) ts(t time.Time) any {
	if d.dialect == SQLite {
		return t.UnixMicro()
	}
	return t.Truncate(time.Microsecond).UTC()
}

// nullTS is ts for nullable columns: the zero time is stored as NULL.
func (d *DB) nullTS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return d.ts(t)
}

// normTime returns t as the store returns it after a round trip. A zero t
// becomes the current time.
func (d *DB) normTime(t time.Time) time.Time {
	if t.IsZero() {
		t = d.now()
	}
	return time.UnixMicro(t.UnixMicro()).UTC()
}

// timeCol scans a time column of either dialect into a UTC time. NULL scans
// as the zero time.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case int64:
		*c.t = time.UnixMicro(v).UTC()
	case time.Time:
		*c.t = v.UTC()
	default:
		return fmt.Errorf("time column: unexpected %T", src)
	}
	return nil
}

// hashCol scans a 32-byte binary column.
type hashCol struct{ h *[32]byte }

func (c hashCol) Scan(src any) error {
	b, ok := src.([]byte)
	if !ok || len(b) != len(c.h) {
		return fmt.Errorf("hash column: want %d bytes, got %T of length %d", len(c.h), src, len(b))
	}
	copy(c.h[:], b)
	return nil
}

// classify translates constraint violations of either driver into the errs
// sentinels, keeping the driver's error in the chain for logging.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %w", errs.ErrConflict, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return fmt.Errorf("%w: %w", errs.ErrInvalid, err)
		}
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return fmt.Errorf("%w: %w", errs.ErrConflict, err)
		case "23503", "23514", "23502": // foreign_key, check, not_null violation
			return fmt.Errorf("%w: %w", errs.ErrInvalid, err)
		}
	}
	return err
}
