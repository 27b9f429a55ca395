// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"justizcloud/errs"
)

func TestSQLiteConnections(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a", "b", "justizcloud.db")
	db := mustOpen(t, path)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("Open did not create the database file: %v", err)
	}
	pragmas := []struct {
		pool, pragma, want string
	}{
		{"write", "journal_mode", "wal"},
		{"write", "synchronous", "1"}, // NORMAL
		{"write", "foreign_keys", "1"},
		{"write", "secure_delete", "1"},
		{"write", "query_only", "0"},
		{"read", "journal_mode", "wal"},
		{"read", "foreign_keys", "1"},
		{"read", "query_only", "1"},
		{"read", "busy_timeout", "10000"},
	}
	for _, p := range pragmas {
		pool := db.w
		if p.pool == "read" {
			pool = db.r
		}
		var got string
		if err := pool.QueryRowContext(ctx, "PRAGMA "+p.pragma).Scan(&got); err != nil {
			t.Fatalf("%s pool: PRAGMA %s: %v", p.pool, p.pragma, err)
		}
		if got != p.want {
			t.Errorf("%s pool: PRAGMA %s = %s, want %s", p.pool, p.pragma, got, p.want)
		}
	}
	if got := db.w.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("write pool MaxOpenConnections = %d, want 1", got)
	}
	if got := db.r.Stats().MaxOpenConnections; got < 2 {
		t.Errorf("read pool MaxOpenConnections = %d, want several", got)
	}
	if _, err := db.r.ExecContext(ctx, "CREATE TABLE x (y INTEGER)"); err == nil {
		t.Errorf("a write on the read pool succeeded, want an error (query_only)")
	}
	if db.Dialect() != SQLite {
		t.Errorf("Dialect = %q, want %q", db.Dialect(), SQLite)
	}
	if err := db.Ping(ctx); err != nil {
		t.Errorf("Ping = %v", err)
	}
}

func TestSQLiteOpenInvalid(t *testing.T) {
	for _, dsn := range []string{"", ":memory:", "file:x.db", filepath.Join(t.TempDir(), "x.db?mode=ro")} {
		db, err := Open(context.Background(), dsn, nil)
		if err == nil {
			db.Close()
		}
		wantIs(t, "Open("+dsn+")", err, errs.ErrInvalid)
	}
}

func TestRebind(t *testing.T) {
	tests := []struct{ in, sqlite, postgres string }{
		{"SELECT 1", "SELECT 1", "SELECT 1"},
		{"a = ? AND b = ?", "a = ? AND b = ?", "a = $1 AND b = $2"},
		{"a = '?' AND b = ?", "a = '?' AND b = ?", "a = '?' AND b = $1"},
		{"a = 'it''s?' OR b IN (?, ?)", "a = 'it''s?' OR b IN (?, ?)", "a = 'it''s?' OR b IN ($1, $2)"},
	}
	for _, tt := range tests {
		if got := (&DB{dialect: SQLite}).q(tt.in); got != tt.sqlite {
			t.Errorf("sqlite q(%q) = %q, want %q", tt.in, got, tt.sqlite)
		}
		if got := (&DB{dialect: Postgres}).q(tt.in); got != tt.postgres {
			t.Errorf("postgres q(%q) = %q, want %q", tt.in, got, tt.postgres)
		}
	}
}
