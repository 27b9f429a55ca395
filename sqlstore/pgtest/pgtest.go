// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package pgtest gives tests a fresh PostgreSQL database on the local server.
//
// The server is named by the environment variable JUSTIZCLOUD_TEST_POSTGRES
// (a postgres:// URL whose user may create databases), by default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable. When the server is
// unreachable, tests are skipped, unless the environment variable CI is set:
// then they fail, so that CI never passes without PostgreSQL.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// DefaultDSN is the server used when JUSTIZCLOUD_TEST_POSTGRES is unset.
const DefaultDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// DSN creates an empty database named jc_test_<random> and returns its DSN.
// The database is dropped, with any connections still open, when the test
// and its subtests have finished.
func DSN(tb testing.TB) string {
	tb.Helper()
	admin := os.Getenv("JUSTIZCLOUD_TEST_POSTGRES")
	if admin == "" {
		admin = DefaultDSN
	}
	u, err := url.Parse(admin)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		tb.Fatalf("pgtest: JUSTIZCLOUD_TEST_POSTGRES must be a postgres:// URL")
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		unavailable(tb, u.Redacted(), err)
	}
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	name := "jc_test_" + hex.EncodeToString(b[:])
	// The name is generated above and needs no quoting; CREATE DATABASE takes no parameters.
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		db.Close()
		tb.Fatalf("pgtest: create database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

func unavailable(tb testing.TB, server string, err error) {
	tb.Helper()
	if os.Getenv("CI") != "" {
		tb.Fatalf("pgtest: PostgreSQL at %s is required when CI is set: %v", server, err)
	}
	tb.Skipf("pgtest: PostgreSQL at %s unreachable, skipping: %v", server, err)
}
