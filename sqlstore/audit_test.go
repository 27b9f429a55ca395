// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"justizcloud/audit"
	"justizcloud/sqlstore/pgtest"
	"justizcloud/tenancy"
)

func TestAuditSQLite(t *testing.T) {
	runAuditSuite(t, func(t *testing.T) string {
		return filepath.Join(t.TempDir(), "data", "justizcloud.db")
	})
}

func TestAuditPostgres(t *testing.T) {
	pgtest.DSN(t) // skips (or fails under CI) when PostgreSQL is unreachable
	runAuditSuite(t, func(t *testing.T) string { return pgtest.DSN(t) })
}

func runAuditSuite(t *testing.T, newDSN func(t *testing.T) string) {
	for _, c := range []struct {
		name string
		fn   func(t *testing.T, newDSN func(t *testing.T) string)
	}{
		{"Proofs", testAuditProofs},
		{"Concurrent", testAuditConcurrent},
		{"AppendOnly", testAuditAppendOnly},
		{"Tamper", testAuditTamper},
	} {
		t.Run(c.name, func(t *testing.T) { c.fn(t, newDSN) })
	}
}

func mustSigner(tb testing.TB) *audit.FileSigner {
	tb.Helper()
	s, err := audit.OpenFileSigner(filepath.Join(tb.TempDir(), "audit-key.pem"))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func testEntry(t tenancy.ID, i int) audit.Entry {
	return audit.Entry{Tenant: t, Subject: "tok_a", Role: "richter", Action: "document.read",
		Route: "GET /api/v1/documents/{id}", Case: "c1", Document: fmt.Sprintf("d%d", i),
		Outcome: audit.Allowed, Status: 200}
}

func mustAppend(tb testing.TB, l *audit.Log, e audit.Entry) audit.Entry {
	tb.Helper()
	e, err := l.Append(context.Background(), e)
	if err != nil {
		tb.Fatalf("Append = %v", err)
	}
	return e
}

// testAuditProofs appends 37 entries to one tenant and a few to another, and
// checks every inclusion proof against a signed checkpoint, and consistency
// between checkpoints of several sizes.
func testAuditProofs(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	s := mustSigner(t)
	l := audit.NewLog(db, s, nil)
	if c, err := l.Checkpoint(ctx, "DE-BY"); err != nil || c.Size != 0 || c.Root != audit.EmptyRoot {
		t.Fatalf("Checkpoint of an empty log = %+v, %v", c, err)
	}
	var cps []audit.Checkpoint
	for i := range 37 {
		e := mustAppend(t, l, testEntry("DE-BY", i))
		if e.Seq != uint64(i) {
			t.Fatalf("Seq = %d, want %d", e.Seq, i)
		}
		if i%5 == 0 {
			mustAppend(t, l, testEntry("DE-NW", i))
		}
		if i == 0 || i == 6 || i == 15 || i == 36 {
			c, err := l.Checkpoint(ctx, "DE-BY")
			if err != nil {
				t.Fatal(err)
			}
			if err := audit.VerifyCheckpoint(c, s.Public()); err != nil {
				t.Fatalf("VerifyCheckpoint = %v", err)
			}
			cps = append(cps, c)
		}
	}
	if n, err := db.AuditSize(ctx, "DE-NW"); err != nil || n != 8 {
		t.Errorf("AuditSize(DE-NW) = %d, %v; want 8", n, err)
	}
	stored, err := db.Checkpoints(ctx, "DE-BY")
	if err != nil || len(stored) != 5 { // with the empty one
		t.Fatalf("Checkpoints = %d, %v; want 5", len(stored), err)
	}
	for _, c := range stored {
		if err := audit.VerifyCheckpoint(c, s.Public()); err != nil {
			t.Errorf("stored checkpoint %d: %v", c.Size, err)
		}
	}
	// The same size gives the stored checkpoint back.
	if again, err := l.Checkpoint(ctx, "DE-BY"); err != nil || again.Size != 37 || !again.Time.Equal(cps[3].Time) {
		t.Errorf("second Checkpoint = %+v, %v; want the stored one", again, err)
	}
	for _, c := range cps {
		for seq := range c.Size {
			in, err := l.InclusionProof(ctx, "DE-BY", seq, c.Size)
			if err != nil {
				t.Fatalf("InclusionProof(%d, %d) = %v", seq, c.Size, err)
			}
			if err := in.Verify(c.Root); err != nil {
				t.Fatalf("inclusion of %d in %d: %v", seq, c.Size, err)
			}
			if e, err := audit.Decode(in.Entry); err != nil || e.Seq != seq || e.Document != fmt.Sprintf("d%d", seq) {
				t.Fatalf("entry %d = %+v, %v", seq, e, err)
			}
		}
	}
	for i, a := range cps {
		for _, b := range cps[i:] {
			cons, err := l.ConsistencyProof(ctx, "DE-BY", a.Size, b.Size)
			if err != nil {
				t.Fatal(err)
			}
			if err := audit.VerifyConsistency(a.Size, b.Size, a.Root, b.Root, cons.Proof); err != nil {
				t.Errorf("consistency %d → %d: %v", a.Size, b.Size, err)
			}
		}
	}
	if _, err := l.InclusionProof(ctx, "DE-BY", 3, 38); err == nil {
		t.Error("InclusionProof beyond the log succeeded")
	}
	if _, err := l.InclusionProof(ctx, "DE-BY", 5, 5); err == nil {
		t.Error("InclusionProof of an entry outside the tree succeeded")
	}
	for _, tenant := range []tenancy.ID{"DE-BY", "DE-NW"} {
		rep, err := audit.Verify(ctx, db, tenant, s.Public())
		if err != nil || !rep.OK() {
			t.Errorf("Verify(%s) = %+v, %v", tenant, rep, err)
		}
	}
}

// testAuditConcurrent: appends from many goroutines, to two tenants, get
// 0 … n-1 per tenant without gaps, batched or not, and the trees verify.
func testAuditConcurrent(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	s := mustSigner(t)
	logs := []*audit.Log{audit.NewLog(db, s, nil), audit.NewLog(db, s, nil)} // two replicas
	const workers, each = 8, 25
	tenants := []tenancy.ID{"DE-BY", "DE-NW"}
	var mu sync.Mutex
	seen := map[tenancy.ID]map[uint64]bool{"DE-BY": {}, "DE-NW": {}}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				tenant := tenants[(w+i)%2]
				e, err := logs[w%2].Append(ctx, testEntry(tenant, w*each+i))
				if err != nil {
					t.Errorf("Append = %v", err)
					return
				}
				mu.Lock()
				if seen[tenant][e.Seq] {
					t.Errorf("%s: sequence number %d given twice", tenant, e.Seq)
				}
				seen[tenant][e.Seq] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for _, tenant := range tenants {
		n := uint64(len(seen[tenant]))
		for i := range n {
			if !seen[tenant][i] {
				t.Fatalf("%s: sequence number %d missing", tenant, i)
			}
		}
		if size, err := db.AuditSize(ctx, tenant); err != nil || size != n {
			t.Errorf("AuditSize(%s) = %d, %v; want %d", tenant, size, err, n)
		}
		if _, err := logs[0].Checkpoint(ctx, tenant); err != nil {
			t.Fatal(err)
		}
		rep, err := audit.Verify(ctx, db, tenant, s.Public())
		if err != nil || !rep.OK() || rep.Entries != n {
			t.Errorf("Verify(%s) = %+v, %v", tenant, rep, err)
		}
	}
	if got := len(seen["DE-BY"]) + len(seen["DE-NW"]); got != workers*each {
		t.Errorf("%d entries, want %d", got, workers*each)
	}
}

func testAuditAppendOnly(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	l := audit.NewLog(db, mustSigner(t), nil)
	for i := range 4 {
		mustAppend(t, l, testEntry("DE-BY", i))
	}
	if _, err := l.Checkpoint(ctx, "DE-BY"); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`UPDATE audit_entries SET entry = entry WHERE seq = 1`,
		`DELETE FROM audit_entries WHERE seq = 3`,
		`UPDATE audit_nodes SET hash = hash`,
		`DELETE FROM audit_nodes`,
		`UPDATE audit_checkpoints SET size = size`,
		`DELETE FROM audit_checkpoints`,
	} {
		_, err := db.w.ExecContext(ctx, stmt)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s = %v, want refused as append-only", stmt, err)
		}
	}
	if db.Dialect() == Postgres {
		if _, err := db.w.ExecContext(ctx, `TRUNCATE audit_entries`); err == nil {
			t.Error("TRUNCATE audit_entries succeeded")
		}
	}
}

// testAuditTamper changes, removes and reorders stored entries behind the
// triggers' back and checks that Verify names the entry.
func testAuditTamper(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	for _, c := range []struct {
		name, stmt, want string
		seq              uint64
	}{
		{"altered", `UPDATE audit_entries SET entry = CAST(REPLACE(CAST(entry AS TEXT), 'd5', 'd9') AS BLOB) WHERE seq = 5`, "altered", 5},
		{"removed", `DELETE FROM audit_entries WHERE seq = 7`, "missing", 7},
		{"last removed", `DELETE FROM audit_entries WHERE seq = 9`, "entries removed", 10},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := mustDB(t, newDSN)
			s := mustSigner(t)
			l := audit.NewLog(db, s, nil)
			for i := range 10 {
				mustAppend(t, l, testEntry("DE-BY", i))
			}
			if _, err := l.Checkpoint(ctx, "DE-BY"); err != nil {
				t.Fatal(err)
			}
			stmt := c.stmt
			if db.Dialect() == Postgres {
				exec(t, db, `ALTER TABLE audit_entries DISABLE TRIGGER USER`)
				stmt = strings.Replace(stmt, `CAST(REPLACE(CAST(entry AS TEXT), 'd5', 'd9') AS BLOB)`,
					`convert_to(replace(convert_from(entry, 'UTF8'), 'd5', 'd9'), 'UTF8')`, 1)
			} else {
				exec(t, db, `DROP TRIGGER audit_entries_no_update`)
				exec(t, db, `DROP TRIGGER audit_entries_no_delete`)
			}
			exec(t, db, stmt)
			rep, err := audit.Verify(ctx, db, "DE-BY", s.Public())
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() {
				t.Fatal("Verify found nothing")
			}
			p := rep.Problems[0]
			if p.Seq != c.seq || !strings.Contains(p.Detail, c.want) {
				t.Errorf("first problem = %+v, want entry %d %q (all: %+v)", p, c.seq, c.want, rep.Problems)
			}
		})
	}
}

// BenchmarkAudit appends to a log of 100,000 entries and computes proofs in
// it. Run with: go test -run '^$' -bench Audit -benchtime 2000x ./sqlstore
func BenchmarkAudit(b *testing.B) {
	for _, dialect := range []string{SQLite, Postgres} {
		b.Run(dialect, func(b *testing.B) {
			var dsn string
			if dialect == SQLite {
				dsn = filepath.Join(b.TempDir(), "justizcloud.db")
			} else {
				dsn = pgtest.DSN(b)
			}
			db := mustOpen(b, dsn)
			if _, err := db.Migrate(context.Background()); err != nil {
				b.Fatal(err)
			}
			benchAudit(b, db, 100_000)
		})
	}
}

// BenchmarkAuditProof1M measures proofs in a log of 2^20+12345 entries
// (bulk-loaded; SQLite only, the load takes a while).
func BenchmarkAuditProof1M(b *testing.B) {
	db := mustOpen(b, filepath.Join(b.TempDir(), "justizcloud.db"))
	if _, err := db.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	benchProofs(b, db, bulkLoadAudit(b, db, "DE-BY", 1<<20+12345))
}

func benchAudit(b *testing.B, db *DB, n int) {
	ctx := context.Background()
	size := bulkLoadAudit(b, db, "DE-BY", n)
	l := audit.NewLog(db, mustSigner(b), nil)
	b.Run("append", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := l.Append(ctx, testEntry("DE-BY", i)); err != nil {
				b.Fatal(err)
			}
		}
	})
	// 32 concurrent requests per core append, as a loaded server does; the
	// log batches them into shared transactions.
	b.Run("append-parallel", func(b *testing.B) {
		b.SetParallelism(32)
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				if _, err := l.Append(ctx, testEntry("DE-BY", i)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	benchProofs(b, db, size)
}

func benchProofs(b *testing.B, db *DB, size uint64) {
	ctx := context.Background()
	l := audit.NewLog(db, mustSigner(b), nil)
	b.Run("inclusion", func(b *testing.B) {
		for i := uint64(0); b.Loop(); i++ {
			if _, err := l.InclusionProof(ctx, "DE-BY", (i*7919)%size, size); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("consistency", func(b *testing.B) {
		for i := uint64(0); b.Loop(); i++ {
			if _, err := l.ConsistencyProof(ctx, "DE-BY", 1+(i*7919)%(size-1), size); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("checkpoint", func(b *testing.B) {
		for b.Loop() {
			root, err := audit.RootAt(size, func(ids []audit.NodeID) ([]audit.Hash, error) { return db.AuditNodes(ctx, "DE-BY", ids) })
			if err != nil || root == audit.EmptyRoot {
				b.Fatal(err)
			}
		}
	})
}

// bulkLoadAudit writes n entries with their nodes in one transaction, as n
// appends would, and returns the new size.
func bulkLoadAudit(tb testing.TB, db *DB, t tenancy.ID, n int) uint64 {
	tb.Helper()
	ctx := context.Background()
	start := time.Now()
	var b audit.Builder
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		insE, err := tx.PrepareContext(ctx, db.q(`INSERT INTO audit_entries (tenant, seq, leaf, entry, at) VALUES (?, ?, ?, ?, ?)`))
		if err != nil {
			return err
		}
		insN, err := tx.PrepareContext(ctx, db.q(`INSERT INTO audit_nodes (tenant, level, idx, hash) VALUES (?, ?, ?, ?)`))
		if err != nil {
			return err
		}
		at := time.Now().UTC()
		for i := range n {
			e := testEntry(t, i)
			e.Seq, e.Time = uint64(i), at
			data, err := audit.Encode(e)
			if err != nil {
				return err
			}
			leaf := audit.HashLeaf(data)
			if _, err := insE.ExecContext(ctx, t, int64(i), leaf[:], data, db.ts(at)); err != nil {
				return err
			}
			for _, nd := range b.Add(leaf) {
				if _, err := insN.ExecContext(ctx, t, int(nd.ID.Level), int64(nd.ID.Index), nd.Hash[:]); err != nil {
					return err
				}
			}
		}
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO audit_heads (tenant, size) VALUES (?, ?)`), t, n)
		return err
	})
	if err != nil {
		tb.Fatalf("bulk load: %v", err)
	}
	tb.Logf("bulk-loaded %d audit entries in %v", n, time.Since(start).Round(time.Millisecond))
	return uint64(n)
}

// TestAuditFrontierCache: appends continue from the frontier cached by the
// last committed append, and read it from the store when another handle on
// the same database appended in between or an append failed: the tree
// verifies either way.
func TestAuditFrontierCache(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "justizcloud.db")
	db := mustDB(t, func(t *testing.T) string { return path })
	other := mustOpen(t, path)
	defer other.Close()
	appendN := func(d *DB, n int) error {
		for i := range n {
			if _, err := d.AppendAudit(ctx, []audit.Entry{testEntry("DE-BY", i), testEntry("DE-BY", i+100)}); err != nil {
				return err
			}
		}
		return nil
	}
	if err := appendN(db, 3); err != nil {
		t.Fatal(err)
	}
	if err := appendN(other, 2); err != nil { // db's cache is now behind
		t.Fatal(err)
	}
	if err := appendN(db, 2); err != nil {
		t.Fatal(err)
	}
	exec(t, db, `CREATE TRIGGER audit_broken BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit store unavailable'); END`)
	if err := appendN(db, 1); err == nil {
		t.Fatal("append with a broken store succeeded")
	}
	exec(t, db, `DROP TRIGGER audit_broken`)
	if err := appendN(db, 3); err != nil {
		t.Fatal(err)
	}
	rep, err := audit.Verify(ctx, db, "DE-BY", mustSigner(t).Public())
	if err != nil || !rep.OK() || rep.Entries != 20 {
		t.Errorf("Verify = %+v, %v", rep, err)
	}
}
