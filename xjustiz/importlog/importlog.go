// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package importlog records which XJustiz messages a tenant has imported,
// in the table xjustiz_imports of the metadata store (migration 0006 of
// package sqlstore, which creates it). It opens its own connection pool to
// the same database, with the same DSN forms as sqlstore.Open.
package importlog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // the "sqlite" database/sql driver

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/tenancy"
	"justizcloud/xjustiz"
)

// Log is the import log over SQLite or PostgreSQL. It is safe for
// concurrent use.
type Log struct {
	db       *sql.DB
	postgres bool
	now      func() time.Time
}

var _ xjustiz.ImportLog = (*Log)(nil)

// Open connects to the metadata store named by dsn: a postgres:// URL or the
// path of the SQLite file. The store must have been migrated.
func Open(ctx context.Context, dsn string) (*Log, error) {
	l := &Log{now: time.Now}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		l.postgres = true
		l.db, err = sql.Open("pgx", dsn)
	} else {
		if strings.ContainsAny(dsn, "?#") || dsn == "" {
			return nil, fmt.Errorf("importlog: %w: %q: want a file path", errs.ErrInvalid, dsn)
		}
		l.db, err = sql.Open("sqlite", dsn+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate")
		if err == nil {
			l.db.SetMaxOpenConns(1)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("importlog: open: %w", err)
	}
	if err := l.db.PingContext(ctx); err != nil {
		l.db.Close()
		return nil, fmt.Errorf("importlog: open: %w", err)
	}
	return l, nil
}

// Close closes the connection pool.
func (l *Log) Close() error { return l.db.Close() }

func (l *Log) q(query string) string {
	if !l.postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (l *Log) ts(t time.Time) any {
	if l.postgres {
		return t.UTC().Truncate(time.Microsecond)
	}
	return t.UnixMicro()
}

// Claim records that the import of a message starts. It fails with
// errs.ErrConflict and returns the existing entry when the tenant has
// imported (or is importing) the message already.
func (l *Log) Claim(ctx context.Context, e xjustiz.Entry) (xjustiz.Entry, error) {
	if e.StartedAt.IsZero() {
		e.StartedAt = l.now()
	}
	res, err := l.db.ExecContext(ctx, l.q(`INSERT INTO xjustiz_imports
		(tenant, message_id, case_id, state, version, root, sender, sender_aktenzeichen, sha256, started_at)
		VALUES (?, ?, NULL, 'pending', ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, message_id) DO NOTHING`),
		string(e.Tenant), e.MessageID, e.Version, e.Root, e.Sender, e.SenderAktenzeichen, e.SHA256[:], l.ts(e.StartedAt))
	if err != nil {
		return xjustiz.Entry{}, fmt.Errorf("importlog: claim %s: %w", e.MessageID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return xjustiz.Entry{}, fmt.Errorf("importlog: claim %s: %w", e.MessageID, err)
	}
	got, err := l.Lookup(ctx, e.Tenant, e.MessageID)
	if err != nil {
		return xjustiz.Entry{}, err
	}
	if n == 0 {
		return got, fmt.Errorf("importlog: message %s: %w: imported before", e.MessageID, errs.ErrConflict)
	}
	return got, nil
}

// SetCase records the case created for a claimed message.
func (l *Log) SetCase(ctx context.Context, t tenancy.ID, messageID string, c akte.CaseID) error {
	return l.update(ctx, l.q(`UPDATE xjustiz_imports SET case_id = ? WHERE tenant = ? AND message_id = ? AND state = 'pending'`),
		string(c), string(t), messageID)
}

// Done marks a claimed import as complete.
func (l *Log) Done(ctx context.Context, t tenancy.ID, messageID string) error {
	return l.update(ctx, l.q(`UPDATE xjustiz_imports SET state = 'done', done_at = ? WHERE tenant = ? AND message_id = ? AND state = 'pending'`),
		l.ts(l.now()), string(t), messageID)
}

// Release removes a pending claim whose import failed before it created
// anything, so that the message can be imported again.
func (l *Log) Release(ctx context.Context, t tenancy.ID, messageID string) error {
	return l.update(ctx, l.q(`DELETE FROM xjustiz_imports WHERE tenant = ? AND message_id = ? AND state = 'pending' AND case_id IS NULL`),
		string(t), messageID)
}

func (l *Log) update(ctx context.Context, query string, args ...any) error {
	res, err := l.db.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("importlog: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n != 1 {
		return fmt.Errorf("importlog: %w: no pending import", errs.ErrNotFound)
	}
	return nil
}

// Lookup returns the entry of a message, or an error wrapping
// errs.ErrNotFound.
func (l *Log) Lookup(ctx context.Context, t tenancy.ID, messageID string) (xjustiz.Entry, error) {
	var (
		e       xjustiz.Entry
		caseID  sql.NullString
		sum     []byte
		started any
		done    any
	)
	err := l.db.QueryRowContext(ctx, l.q(`SELECT tenant, message_id, case_id, state, version, root, sender, sender_aktenzeichen, sha256, started_at, done_at
		FROM xjustiz_imports WHERE tenant = ? AND message_id = ?`), string(t), messageID).
		Scan(&e.Tenant, &e.MessageID, &caseID, &e.State, &e.Version, &e.Root, &e.Sender, &e.SenderAktenzeichen, &sum, &started, &done)
	if errors.Is(err, sql.ErrNoRows) {
		return xjustiz.Entry{}, fmt.Errorf("import of message %s: %w", messageID, errs.ErrNotFound)
	}
	if err != nil {
		return xjustiz.Entry{}, fmt.Errorf("importlog: lookup %s: %w", messageID, err)
	}
	e.Case = akte.CaseID(caseID.String)
	copy(e.SHA256[:], sum)
	e.StartedAt = timeOf(started)
	e.DoneAt = timeOf(done)
	return e, nil
}

// ByCase returns the import that created a case, or errs.ErrNotFound.
func (l *Log) ByCase(ctx context.Context, t tenancy.ID, c akte.CaseID) (xjustiz.Entry, error) {
	var id string
	err := l.db.QueryRowContext(ctx, l.q(`SELECT message_id FROM xjustiz_imports WHERE tenant = ? AND case_id = ?`), string(t), string(c)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return xjustiz.Entry{}, fmt.Errorf("import of case %s: %w", c, errs.ErrNotFound)
	}
	if err != nil {
		return xjustiz.Entry{}, fmt.Errorf("importlog: %w", err)
	}
	return l.Lookup(ctx, t, id)
}

func timeOf(v any) time.Time {
	switch v := v.(type) {
	case int64:
		return time.UnixMicro(v).UTC()
	case time.Time:
		return v.UTC()
	}
	return time.Time{}
}
