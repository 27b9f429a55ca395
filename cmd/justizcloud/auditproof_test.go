// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"justizcloud/sqlstore/pgtest"
)

// runCmd runs the binary's run with args and returns its output.
func runCmd(args ...string) (string, error) {
	var out bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, nil, &out, &out)
	return out.String(), err
}

// copyDir copies a stopped server's data folder, so that each tampering
// starts from the intact one.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		if d.Name() == "LOCK" {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func mustExec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// auditFixture files two documents through the API, reads them, and stops
// the server: a data folder whose log names both documents.
func auditFixture(t *testing.T, data string, storage ...string) (caseID string, docs [2]docResp, contents [2][]byte) {
	t.Helper()
	srv := startServe(t, data, storage...)
	gs := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle", storage...)}
	var c caseResp
	gs.expect(201, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C", "department": "12", "subject": "Prüfung"}), jsonHdr, &c)
	for i := range docs {
		contents[i] = []byte(fmt.Sprintf("Schriftsatz %d für die Prüfung des Protokolls\n", i+1))
		sum := sha256.Sum256(contents[i])
		gs.expect(201, "POST", "/api/v1/cases/"+c.ID+"/documents", bytes.NewReader(contents[i]), docHdr(fmt.Sprintf("s%d.pdf", i+1), sum[:]), &docs[i])
		gs.expect(200, "GET", "/api/v1/documents/"+docs[i].ID, nil, nil, nil)
	}
	gs.do("GET", "/api/v1/documents/"+docs[1].ID+"/content", nil, nil)
	srv.stop()
	return c.ID, docs, contents
}

// TestAuditVerifyTamper: audit verify on a stopped server's data folder
// accepts the intact one and names exactly what was changed in a copy: a
// document row's hash, one byte of a blob, a log entry, a removed entry and
// two swapped entries.
func TestAuditVerifyTamper(t *testing.T) {
	data := t.TempDir()
	_, docs, _ := auditFixture(t, data)
	out, err := runCmd("audit", "verify", "--data", data, "--tenant", "DE-BY")
	if err != nil || !strings.Contains(out, "DE-BY: 6 entries") || !strings.Contains(out, "2 documents named by entries cross-checked") {
		t.Fatalf("audit verify (intact) = %v\n%s", err, out)
	}
	other := hex.EncodeToString(make([]byte, 32))
	tests := []struct {
		name   string
		tamper func(t *testing.T, dir string, db *sql.DB)
		want   string
	}{
		{"document row hash", func(t *testing.T, dir string, db *sql.DB) {
			mustExec(t, db, `UPDATE documents SET sha256 = X'`+other+`' WHERE id = '`+docs[0].ID+`'`)
		}, "document " + docs[0].ID + " (entry 1): the database records SHA-256 " + other + ", the log recorded " + docs[0].SHA256 + " (document row altered)"},
		{"blob byte", func(t *testing.T, dir string, db *sql.DB) {
			var name string
			if err := db.QueryRow(`SELECT blob FROM documents WHERE id = ?`, docs[1].ID).Scan(&name); err != nil {
				t.Fatal(err)
			}
			files, _ := filepath.Glob(filepath.Join(dir, "blobs", "objects", "DE-BY", "*", name+"_*"))
			if len(files) != 1 {
				t.Fatalf("blob files of %s: %v", name, files)
			}
			b, err := os.ReadFile(files[0])
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)-20] ^= 1
			if err := os.WriteFile(files[0], b, 0o600); err != nil {
				t.Fatal(err)
			}
		}, "document " + docs[1].ID + " (entry 3): stored content cannot be read back (content altered, truncated or removed)"},
		{"document row removed", func(t *testing.T, dir string, db *sql.DB) {
			mustExec(t, db, `PRAGMA foreign_keys = OFF`, `DELETE FROM documents WHERE id = '`+docs[1].ID+`'`)
		}, "document " + docs[1].ID + " (entry 3): is missing from the database, and no tombstone records its destruction"},
		{"log entry", func(t *testing.T, dir string, db *sql.DB) {
			mustExec(t, db, `DROP TRIGGER audit_entries_no_update`,
				`UPDATE audit_entries SET entry = CAST(REPLACE(CAST(entry AS TEXT), '"status":200', '"status":204') AS BLOB) WHERE tenant = 'DE-BY' AND seq = 2`)
		}, "entry 2: entry does not match its stored leaf hash (altered)"},
		{"entry removed", func(t *testing.T, dir string, db *sql.DB) {
			mustExec(t, db, `DROP TRIGGER audit_entries_no_delete`, `DELETE FROM audit_entries WHERE tenant = 'DE-BY' AND seq = 2`)
		}, "entry 2: missing (removed): the next stored entry is 3"},
		{"entries swapped", func(t *testing.T, dir string, db *sql.DB) {
			mustExec(t, db, `DROP TRIGGER audit_entries_no_update`,
				`UPDATE audit_entries SET seq = 1000 WHERE tenant = 'DE-BY' AND seq = 3`,
				`UPDATE audit_entries SET seq = 3 WHERE tenant = 'DE-BY' AND seq = 4`,
				`UPDATE audit_entries SET seq = 4 WHERE tenant = 'DE-BY' AND seq = 1000`)
		}, "entry 3: stored as entry 3 but names sequence 4 (reordered or moved)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyDir(t, data)
			db, err := sql.Open("sqlite", filepath.Join(dir, "justizcloud.db"))
			if err != nil {
				t.Fatal(err)
			}
			db.SetMaxOpenConns(1) // PRAGMA foreign_keys holds per connection
			tt.tamper(t, dir, db)
			db.Close()
			out, err := runCmd("audit", "verify", "--data", dir, "--tenant", "DE-BY")
			if err == nil || !strings.Contains(out, "FAILED") || !strings.Contains(out, tt.want) {
				t.Fatalf("audit verify = %v, want it to report %q\n%s", err, tt.want, out)
			}
		})
	}
	if out, err := runCmd("audit", "verify", "--data", data, "--documents=false"); err != nil || strings.Contains(out, "cross-checked") {
		t.Errorf("audit verify --documents=false = %v\n%s", err, out)
	}
}

// TestAuditVerifyPostgresDocuments: the same cross-check with --db on
// PostgreSQL, the blobs and keyring under --data.
func TestAuditVerifyPostgresDocuments(t *testing.T) {
	dsn := pgtest.DSN(t)
	data := t.TempDir()
	_, docs, _ := auditFixture(t, data, "--db", dsn)
	verify := func() (string, error) {
		return runCmd("audit", "verify", "--data", data, "--db", dsn, "--tenant", "DE-BY")
	}
	if out, err := verify(); err != nil || !strings.Contains(out, "2 documents named by entries cross-checked") {
		t.Fatalf("audit verify --db = %v\n%s", err, out)
	}
	pg, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	other := strings.Repeat("ab", 32)
	mustExec(t, pg, `UPDATE documents SET sha256 = decode('`+other+`', 'hex') WHERE id = '`+docs[0].ID+`'`)
	out, err := verify()
	if want := "document " + docs[0].ID + " (entry 1): the database records SHA-256 " + other; err == nil || !strings.Contains(out, want) {
		t.Fatalf("audit verify --db after tampering = %v, want %q\n%s", err, want, out)
	}
	mustExec(t, pg, `UPDATE documents SET sha256 = decode('`+docs[0].SHA256+`', 'hex') WHERE id = '`+docs[0].ID+`'`,
		`ALTER TABLE audit_entries DISABLE TRIGGER USER`,
		`DELETE FROM audit_entries WHERE tenant = 'DE-BY' AND seq = 4`)
	if out, err := verify(); err == nil || !strings.Contains(out, "entry 4: missing (removed)") || strings.Contains(out, "document "+docs[0].ID) {
		t.Fatalf("audit verify --db after removing an entry = %v\n%s", err, out)
	}
}
