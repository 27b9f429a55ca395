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

	"github.com/google/go-cmp/cmp"

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

// mutate changes the byte at i to another of its kind (digit, lower- or
// upper-case letter), so that the bundle stays well-formed JSON and base64
// where possible and the change reaches the verification itself.
func mutate(b []byte, i int) []byte {
	out := bytes.Clone(b)
	switch c := out[i]; {
	case c >= '0' && c <= '9':
		out[i] = '0' + (c-'0'+1)%10
	case c >= 'a' && c <= 'z':
		out[i] = 'a' + (c-'a'+1)%26
	case c >= 'A' && c <= 'Z':
		out[i] = 'A' + (c-'A'+1)%26
	default:
		out[i] ^= 1
	}
	return out
}

// TestDocumentProof: whoever may read a document gets its proof bundle;
// audit verify-proof accepts it offline with the pinned key and the
// document, and refuses it when one byte of the bundle or of the document
// changes, or when the key is not pinned or another key is.
func TestDocumentProof(t *testing.T) {
	data := t.TempDir()
	srv := startServe(t, data)
	gs := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle")}
	nw := client{t, srv.url, mustToken(t, data, "DE-NW", "landesadmin")}
	var c caseResp
	gs.expect(201, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C", "department": "12", "subject": "Beweis"}), jsonHdr, &c)
	content := []byte("%PDF-1.7 Urteil im Namen des Volkes\n")
	sum := sha256.Sum256(content)
	var d docResp
	gs.expect(201, "POST", "/api/v1/cases/"+c.ID+"/documents", bytes.NewReader(content), docHdr("urteil.pdf", sum[:]), &d)
	gs.expect(200, "GET", "/api/v1/documents/"+d.ID, nil, nil, nil)
	_, bundle := gs.do("GET", "/api/v1/documents/"+d.ID+"/proof", nil, nil)
	nw.expect(404, "GET", "/api/v1/documents/"+d.ID+"/proof", nil, nil, nil)
	gs.expect(404, "GET", "/api/v1/documents/00000000-0000-0000-0000-000000000000/proof", nil, nil, nil)
	// The read of the proof is itself recorded, and the next bundle has it.
	var again struct {
		Entries []struct{ Seq uint64 }
	}
	gs.expect(200, "GET", "/api/v1/documents/"+d.ID+"/proof", nil, nil, &again)
	if len(again.Entries) != 3 {
		t.Errorf("second bundle has %d entries, want 3 (create, read, proof read)", len(again.Entries))
	}
	srv.stop()

	dir := t.TempDir()
	bundlePath, docPath, pubPath := filepath.Join(dir, "bundle.json"), filepath.Join(dir, "urteil.pdf"), filepath.Join(dir, "audit.pub")
	write := func(path string, b []byte) {
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(bundlePath, bundle)
	write(docPath, content)
	out, err := runCmd("audit", "key", "--data", data, "--out", pubPath)
	if err != nil {
		t.Fatalf("audit key = %v\n%s", err, out)
	}
	fp, _, _ := strings.Cut(strings.TrimPrefix(out, "fingerprint "), "\n")
	if len(fp) != 64 {
		t.Fatalf("audit key printed %q", out)
	}
	verify := func(args ...string) (string, error) {
		return runCmd(append([]string{"audit", "verify-proof", bundlePath}, args...)...)
	}
	for _, pin := range []string{fp, "SHA256:" + strings.ToUpper(fp), pubPath, filepath.Join(data, "audit-key.pem")} {
		out, err := verify("--key", pin, "--document", docPath)
		if err != nil || !strings.HasSuffix(out, "OK\n") || !strings.Contains(out, "document.create") || !strings.Contains(out, "has the recorded SHA-256") {
			t.Fatalf("verify-proof --key %s = %v\n%s", pin, err, out)
		}
	}
	if out, err := verify("--document", docPath); err == nil || !strings.Contains(err.Error(), "not pinned") || !strings.Contains(out, "fingerprint "+fp) {
		t.Errorf("verify-proof without --key = %v\n%s", err, out)
	}
	if _, err := verify("--key", strings.Repeat("0", 64)); err == nil || !strings.Contains(err.Error(), "is not the pinned key") {
		t.Errorf("verify-proof with another fingerprint = %v", err)
	}
	otherKey := filepath.Join(dir, "other.pem")
	if out, err := runCmd("audit", "key", "--data", t.TempDir(), "--key", otherKey); err == nil {
		t.Fatalf("audit key created a key: %s", out)
	}

	// One changed byte anywhere that matters.
	at := func(anchor string, skip int) int {
		i := bytes.Index(bundle, []byte(anchor))
		if i < 0 {
			t.Fatalf("bundle has no %q:\n%s", anchor, bundle)
		}
		return i + len(anchor) + skip
	}
	for _, tt := range []struct {
		name string
		i    int
	}{
		{"document hash", at(`"sha256": "`, 10)},
		{"document id", at(`"id": "`, 3)},
		{"tenant", at(`"tenant": "`, 3)},
		{"checkpoint size", at(`"size": `, 0)},
		{"checkpoint root", at(`"root": "`, 5)},
		{"checkpoint time", at(`"time": "`, 18)},
		{"checkpoint key id", at(`"key_id": "`, 4)},
		{"signature", at(`"signature": "`, 7)},
		{"public key", at(`"public_key": "`, 9)},
		{"entry", at(`\"action\":\"`, 3)},
		{"entry hash", at(`\"document_sha256\":\"`, 20)},
		{"entry sequence number", at(`"seq": `, 0)},
		{"proof node", at(`"proof": [`+"\n"+`        "`, 2)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			write(bundlePath, mutate(bundle, tt.i))
			if out, err := verify("--key", fp, "--document", docPath); err == nil {
				t.Errorf("changed %s (byte %d) verified\n%s", tt.name, tt.i, out)
			}
		})
	}
	write(bundlePath, bundle)
	write(docPath, mutate(content, 5))
	if _, err := verify("--key", fp, "--document", docPath); err == nil || !strings.Contains(err.Error(), "not the document the log recorded") {
		t.Errorf("verify-proof with a changed document = %v", err)
	}
}

// TestCaseAccessLog: whoever may read a case sees who opened its file and
// when, newest first and paginated: court staff by role and court, refused
// requests left out, downloads filed under the case, and the reads of the
// access log recorded too.
func TestCaseAccessLog(t *testing.T) {
	data := t.TempDir()
	srv := startServe(t, data)
	gs := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle", "--court", "D2601")}
	reader := client{t, srv.url, mustToken(t, data, "DE-BY", "leser")}
	nw := client{t, srv.url, mustToken(t, data, "DE-NW", "landesadmin")}
	var c caseResp
	gs.expect(201, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C", "department": "12", "subject": "Einsicht"}), jsonHdr, &c)
	content := []byte("Klageerwiderung\n")
	sum := sha256.Sum256(content)
	var d docResp
	gs.expect(201, "POST", "/api/v1/cases/"+c.ID+"/documents", bytes.NewReader(content), docHdr("erwiderung.pdf", sum[:]), &d)
	reader.expect(200, "GET", "/api/v1/cases/"+c.ID, nil, nil, nil)
	reader.do("GET", "/api/v1/documents/"+d.ID+"/content", nil, nil)
	reader.expect(403, "POST", "/api/v1/cases/"+c.ID+"/documents", bytes.NewReader(content), docHdr("x.pdf", sum[:]), nil)
	nw.expect(404, "GET", "/api/v1/cases/"+c.ID, nil, nil, nil)
	nw.expect(404, "GET", "/api/v1/cases/"+c.ID+"/access-log", nil, nil, nil)
	gs.expect(400, "GET", "/api/v1/cases/"+c.ID+"/access-log?limit=0", nil, nil, nil)
	gs.expect(400, "GET", "/api/v1/cases/"+c.ID+"/access-log?after=x", nil, nil, nil)

	type access struct {
		Seq                                 uint64
		Action, Document, Role, Court, Name string
		Staff                               bool
	}
	type page struct {
		Items []access
		Next  string
	}
	var p1, p2, p3, p4 page
	reader.expect(200, "GET", "/api/v1/cases/"+c.ID+"/access-log?limit=2", nil, nil, &p1)
	want1 := []access{
		{Seq: 3, Action: "document.content.read", Document: d.ID, Role: "leser", Staff: true},
		{Seq: 2, Action: "case.read", Role: "leser", Staff: true},
	}
	if diff := cmp.Diff(want1, p1.Items); diff != "" || p1.Next != "2" {
		t.Errorf("first page (next %q) mismatch (-want +got):\n%s", p1.Next, diff)
	}
	reader.expect(200, "GET", "/api/v1/cases/"+c.ID+"/access-log?limit=2&after="+p1.Next, nil, nil, &p2)
	want2 := []access{
		{Seq: 1, Action: "document.create", Document: d.ID, Role: "geschaeftsstelle", Court: "D2601", Staff: true},
		{Seq: 0, Action: "case.create", Role: "geschaeftsstelle", Court: "D2601", Staff: true},
	}
	if diff := cmp.Diff(want2, p2.Items); diff != "" {
		t.Errorf("second page mismatch (-want +got):\n%s", diff)
	}
	reader.expect(200, "GET", "/api/v1/cases/"+c.ID+"/access-log?limit=2&after="+p2.Next, nil, nil, &p3)
	if len(p3.Items) != 0 || p3.Next != "" {
		t.Errorf("third page = %+v, want empty", p3)
	}
	// The refused upload (seq 4) and the two bad requests (5, 6) are not
	// accesses; the three reads of the access log (7, 8, 9) are, recorded as such.
	gs.expect(200, "GET", "/api/v1/cases/"+c.ID+"/access-log", nil, nil, &p4)
	if len(p4.Items) != 7 || p4.Items[0].Seq != 9 || p4.Items[0].Action != "case.access_log.read" || p4.Items[3].Seq != 3 {
		t.Errorf("full access log = %+v", p4.Items)
	}
	srv.stop()
	if out, err := runCmd("audit", "verify", "--data", data); err != nil {
		t.Errorf("audit verify = %v\n%s", err, out)
	}
}

// TestAccessLogOutsideSubject: a citizen on record as a party has no tenant
// of her own; her reads go into the log of the case's tenant, with her
// user and name (entry format 2), and the access log shows her by name.
// The case's tenant may verify it all afterwards.
func TestAccessLogOutsideSubject(t *testing.T) {
	data := t.TempDir()
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"user", "create", "--data", data, "--role", "buerger", "--name", "Erika Mustermann"},
		func(string) string { return "" }, nil, &out, &errb); err != nil {
		t.Fatalf("user create: %v\n%s", err, errb.String())
	}
	userID := strings.TrimSpace(out.String())
	srv := startServe(t, data)
	gs := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle", "--court", "D2601")}
	citizen := client{t, srv.url, mustToken(t, data, "", "", "--user", userID)}
	var c caseResp
	gs.expect(201, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C", "department": "12", "subject": "Mustermann ./. Beispiel"}), jsonHdr, &c)
	citizen.expect(404, "GET", "/api/v1/cases/"+c.ID, nil, nil, nil) // not yet a party: in no tenant's log
	gs.expect(201, "POST", "/api/v1/cases/"+c.ID+"/participants", jsonBody(map[string]string{"role": "klaeger", "name": "Erika Mustermann", "account": "user:" + userID}), jsonHdr, nil)
	citizen.expect(200, "GET", "/api/v1/cases/"+c.ID, nil, nil, nil)
	var log struct {
		Items []struct {
			Seq                       uint64
			Action, Role, Court, Name string
			Staff                     bool
		}
	}
	citizen.expect(200, "GET", "/api/v1/cases/"+c.ID+"/access-log", nil, nil, &log)
	if len(log.Items) != 3 {
		t.Fatalf("access log = %+v, want case.read, participant.create, case.create", log.Items)
	}
	if got := log.Items[0]; got.Action != "case.read" || got.Name != "Erika Mustermann" || got.Role != "buerger" || got.Staff || got.Court != "" {
		t.Errorf("citizen's read shown as %+v", got)
	}
	if got := log.Items[1]; got.Name != "" || !got.Staff || got.Court != "D2601" {
		t.Errorf("clerk's write shown as %+v", got)
	}
	srv.stop()
	if out, err := runCmd("audit", "verify", "--data", data, "--tenant", "DE-BY"); err != nil || !strings.Contains(out, "DE-BY: 4 entries") {
		t.Errorf("audit verify = %v\n%s", err, out)
	}
}
