// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"justizcloud/sqlstore/pgtest"
	"justizcloud/tenancy"
)

func TestSQLite(t *testing.T) {
	runStoreSuite(t, func(t *testing.T) string {
		return filepath.Join(t.TempDir(), "data", "justizcloud.db")
	})
}

func TestPostgres(t *testing.T) {
	pgtest.DSN(t) // skips (or fails under CI) when PostgreSQL is unreachable
	runStoreSuite(t, func(t *testing.T) string { return pgtest.DSN(t) })
}

// runStoreSuite runs the store's conformance cases. newDSN returns the DSN of
// a fresh, empty database for each case.
func runStoreSuite(t *testing.T, newDSN func(t *testing.T) string) {
	cases := []struct {
		name string
		fn   func(t *testing.T, newDSN func(t *testing.T) string)
	}{
		{"Migrate", testMigrate},
		{"SeedReference", testSeedReference},
		{"Courts", testCourts},
		{"CaseNumbering", testCaseNumbering},
		{"CaseNumberingConcurrent", testCaseNumberingConcurrent},
		{"Cases", testCases},
		{"TenantScoping", testTenantScoping},
		{"DocumentVersions", testDocumentVersions},
		{"Uploads", testUploads},
		{"DataKeys", testDataKeys},
		{"Tokens", testTokens},
		{"TimeRoundTrip", testTimeRoundTrip},
		{"Events", testEvents},
		{"Participants", testParticipants},
		{"Holds", testHolds},
		{"Tombstones", testTombstones},
		{"Wiedervorlagen", testWiedervorlagen},
		{"InboxQueries", testInboxQueries},
		{"Fristen", testFristen},
		{"Usage", testUsage},
		{"AnonPolicies", testAnonPolicies},
		{"Search", testSearch},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, newDSN) })
	}
}

// mustOpen opens the store at dsn and closes it when the test ends.
func mustOpen(tb testing.TB, dsn string) *DB {
	tb.Helper()
	db, err := Open(context.Background(), dsn, nil)
	if err != nil {
		tb.Fatalf("Open = %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close = %v", err)
		}
	})
	return db
}

// mustDB opens a fresh, migrated store.
func mustDB(t *testing.T, newDSN func(t *testing.T) string) *DB {
	t.Helper()
	db := mustOpen(t, newDSN(t))
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("Migrate = %v", err)
	}
	return db
}

// count runs a counting query (written with ? placeholders) on the read pool.
func count(tb testing.TB, db *DB, query string, args ...any) int {
	tb.Helper()
	var n int
	if err := db.r.QueryRowContext(context.Background(), db.q(query), args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return n
}

// exec runs a statement on the write pool.
func exec(tb testing.TB, db *DB, query string, args ...any) {
	tb.Helper()
	if _, err := db.w.ExecContext(context.Background(), db.q(query), args...); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
}

func migrationCount(tb testing.TB, dialect string) int {
	tb.Helper()
	dir := "migrations/sqlite"
	if dialect == Postgres {
		dir = "migrations/postgres"
	}
	files, err := fs.Glob(migrations, dir+"/*.sql")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no migrations in %s: %v", dir, err)
	}
	return len(files)
}

func testMigrate(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	dsn := newDSN(t)
	db := mustOpen(t, dsn)
	want := migrationCount(t, db.Dialect())
	if n, err := db.Migrate(ctx); err != nil || n != want {
		t.Fatalf("first Migrate = %d, %v; want %d, nil", n, err, want)
	}
	if n, err := db.Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("second Migrate = %d, %v; want 0, nil", n, err)
	}
	if got := count(t, db, `SELECT COUNT(*) FROM tenants`); got != 0 {
		t.Errorf("tenants after Migrate = %d, want 0 (Migrate does not seed)", got)
	}

	if db.Dialect() != Postgres {
		return // one process owns a SQLite file; replicas exist on PostgreSQL only
	}
	// Replicas starting together on a fresh database migrate exactly once.
	dsn = newDSN(t)
	var (
		mu      sync.Mutex
		applied int
		wg      sync.WaitGroup
	)
	for range 4 {
		replica := mustOpen(t, dsn)
		wg.Go(func() {
			n, err := replica.Migrate(ctx)
			if err != nil {
				t.Errorf("replica Migrate = %v", err)
			}
			mu.Lock()
			applied += n
			mu.Unlock()
		})
	}
	wg.Wait()
	if applied != want {
		t.Errorf("replicas applied %d migrations in total, want %d", applied, want)
	}
}

func mustCatalog(tb testing.TB) *tenancy.Catalog {
	tb.Helper()
	cat, err := tenancy.LoadCatalog()
	if err != nil {
		tb.Fatalf("LoadCatalog = %v", err)
	}
	return cat
}

func mustSeed(t *testing.T, db *DB, cat *tenancy.Catalog) {
	t.Helper()
	start := time.Now()
	if err := db.SeedReference(context.Background(), cat); err != nil {
		t.Fatalf("SeedReference = %v", err)
	}
	t.Logf("SeedReference on %s took %v", db.Dialect(), time.Since(start))
}

func testSeedReference(t *testing.T, newDSN func(t *testing.T) string) {
	db, cat := mustDB(t, newDSN), mustCatalog(t)
	mustSeed(t, db, cat)
	if got := count(t, db, `SELECT COUNT(*) FROM tenants`); got != 17 {
		t.Errorf("tenants = %d, want 17", got)
	}
	if got := count(t, db, `SELECT COUNT(*) FROM courts`); got != 2752 {
		t.Errorf("courts = %d, want 2752", got)
	}
	if got := count(t, db, `SELECT COUNT(*) FROM meta WHERE key = 'catalog_version' AND value = ?`, cat.Version()); got != 1 {
		t.Errorf("meta catalog_version rows with %s = %d, want 1", cat.Version(), got)
	}

	// A second seed with the same version is a no-op: it does not undo a change.
	exec(t, db, `UPDATE courts SET name = 'changed' WHERE id = 'A1000'`)
	mustSeed(t, db, cat)
	if got := count(t, db, `SELECT COUNT(*) FROM courts WHERE name = 'changed'`); got != 1 {
		t.Errorf("courts named 'changed' after second seed = %d, want 1 (no-op)", got)
	}
	// A different version upserts everything again.
	exec(t, db, `UPDATE meta SET value = 'old' WHERE key = 'catalog_version'`)
	mustSeed(t, db, cat)
	if got := count(t, db, `SELECT COUNT(*) FROM courts WHERE name = 'changed'`); got != 0 {
		t.Errorf("courts named 'changed' after reseed = %d, want 0", got)
	}
	if got := count(t, db, `SELECT COUNT(*) FROM courts`); got != 2752 {
		t.Errorf("courts after reseed = %d, want 2752", got)
	}
}

func testCourts(t *testing.T, newDSN func(t *testing.T) string) {
	db, cat := mustDB(t, newDSN), mustCatalog(t)
	mustSeed(t, db, cat)
	// The seeded rows are the catalog, field by field.
	rows, err := db.r.QueryContext(context.Background(), `SELECT id, tenant, name, type, city, active, federal, category, unit, related FROM courts ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []tenancy.Court
	for rows.Next() {
		var c tenancy.Court
		if err := rows.Scan(&c.ID, &c.Tenant, &c.Name, &c.Type, &c.City, &c.Active, &c.Federal, &c.Category, &c.Unit, &c.Related); err != nil {
			t.Fatal(err)
		}
		got = append(got, c)
	}
	want := cat.Courts()
	slices.SortFunc(want, func(a, b tenancy.Court) int { return strings.Compare(string(a.ID), string(b.ID)) })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("seeded courts differ from the catalog (-want +got):\n%s", diff)
	}
}

// wantIs fails unless errors.Is(err, want).
func wantIs(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s = %v, want error %v", what, err, want)
	}
}
