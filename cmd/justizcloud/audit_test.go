// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the test opens the SQLite file directly to tamper with it

	"justizcloud/audit"
	"justizcloud/sqlstore"
	"justizcloud/sqlstore/pgtest"
)

type checkpointResp struct {
	Tenant     string
	Size       uint64
	Root       string
	Time       time.Time
	KeyID      string `json:"key_id"`
	Signature  string
	PublicKey  string `json:"public_key"`
	SignedBody string `json:"signed_body"`
}

type proofResp struct {
	Seq, Size uint64
	Entry     string
	LeafHash  string `json:"leaf_hash"`
	Proof     []string
	Root      string
}

func mustB64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("base64 %q: %v", s, err)
	}
	return b
}

func mustHashes(t *testing.T, ss []string) []audit.Hash {
	t.Helper()
	out := make([]audit.Hash, len(ss))
	for i, s := range ss {
		copy(out[i][:], mustB64(t, s))
	}
	return out
}

// TestAuditLog: requests on case data are recorded, including refusals; the
// landesadmin gets a checkpoint and proofs that verify offline with only the
// public key; audit verify accepts the stopped server's data folder, and
// fails once a stored entry is changed behind the triggers' back.
func TestAuditLog(t *testing.T) {
	data := t.TempDir()
	srv := startServe(t, data)
	gs := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle")}
	admin := client{t, srv.url, mustToken(t, data, "DE-BY", "landesadmin")}
	nw := client{t, srv.url, mustToken(t, data, "DE-NW", "geschaeftsstelle")}

	var c caseResp
	gs.expect(201, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C", "department": "12", "subject": "Audit"}), jsonHdr, &c)
	content := []byte("Klageschrift für das Prüfprotokoll\n")
	sum := sha256.Sum256(content)
	var d docResp
	gs.expect(201, "POST", "/api/v1/cases/"+c.ID+"/documents", bytes.NewReader(content), docHdr("klage.pdf", sum[:]), &d)
	gs.expect(200, "GET", "/api/v1/documents/"+d.ID, nil, nil, nil)
	gs.do("GET", "/api/v1/documents/"+d.ID+"/content", nil, nil)
	nw.expect(404, "GET", "/api/v1/documents/"+d.ID, nil, nil, nil) // recorded in DE-NW's log
	gs.expect(403, "GET", "/api/v1/audit/checkpoint", nil, nil, nil)
	nw.expect(403, "GET", "/api/v1/audit/checkpoint", nil, nil, nil)

	var cp checkpointResp
	admin.expect(200, "GET", "/api/v1/audit/checkpoint", nil, nil, &cp)
	if cp.Tenant != "DE-BY" || cp.Size != 4 {
		t.Fatalf("checkpoint = %+v, want DE-BY with 4 entries", cp)
	}
	// Offline: the signature over the signed body, with the public key alone.
	pub := ed25519.PublicKey(mustB64(t, cp.PublicKey))
	var root audit.Hash
	copy(root[:], mustB64(t, cp.Root))
	signed := audit.Checkpoint{Tenant: "DE-BY", Size: cp.Size, Root: root, Time: cp.Time, KeyID: cp.KeyID, Signature: mustB64(t, cp.Signature)}
	if string(signed.SignedBody()) != cp.SignedBody {
		t.Errorf("signed_body = %q, want %q", cp.SignedBody, signed.SignedBody())
	}
	if err := audit.VerifyCheckpoint(signed, pub); err != nil {
		t.Fatalf("checkpoint signature: %v", err)
	}
	if !ed25519.Verify(pub, []byte(cp.SignedBody), signed.Signature) {
		t.Fatal("signed_body does not verify with the plain Ed25519 API")
	}

	want := []struct {
		action, caseID, doc, sha string
		outcome                  audit.Outcome
		status                   int
	}{
		{"case.create", c.ID, "", "", audit.Allowed, 201},
		{"document.create", c.ID, d.ID, hex.EncodeToString(sum[:]), audit.Allowed, 201},
		{"document.read", c.ID, d.ID, hex.EncodeToString(sum[:]), audit.Allowed, 200},
		{"document.content.read", "", d.ID, hex.EncodeToString(sum[:]), audit.Allowed, 200},
	}
	for i, w := range want {
		var p proofResp
		admin.expect(200, "GET", fmt.Sprintf("/api/v1/audit/proof?seq=%d&size=%d", i, cp.Size), nil, nil, &p)
		entry := mustB64(t, p.Entry)
		if err := audit.VerifyInclusion(p.Seq, p.Size, audit.HashLeaf(entry), mustHashes(t, p.Proof), root); err != nil {
			t.Fatalf("inclusion of %d: %v", i, err)
		}
		e, err := audit.Decode(entry)
		if err != nil {
			t.Fatal(err)
		}
		if e.Action != w.action || e.Case != w.caseID || e.Document != w.doc || e.SHA256 != w.sha ||
			e.Outcome != w.outcome || e.Status != w.status || e.Role != "geschaeftsstelle" || e.Tenant != "DE-BY" {
			t.Errorf("entry %d = %+v, want %+v", i, e, w)
		}
		// One changed byte of the entry no longer verifies.
		entry[10] ^= 1
		if audit.VerifyInclusion(p.Seq, p.Size, audit.HashLeaf(entry), mustHashes(t, p.Proof), root) == nil {
			t.Errorf("altered entry %d verified", i)
		}
	}

	// More traffic, a new checkpoint, and a consistency proof between the two.
	gs.expect(200, "GET", "/api/v1/cases/"+c.ID, nil, nil, nil)
	gs.expect(404, "GET", "/api/v1/cases/00000000-0000-0000-0000-000000000000", nil, nil, nil)
	var cp2 checkpointResp
	admin.expect(200, "GET", "/api/v1/audit/checkpoint", nil, nil, &cp2)
	if cp2.Size != 6 {
		t.Fatalf("second checkpoint size = %d, want 6", cp2.Size)
	}
	var cons struct {
		From, To uint64
		Proof    []string
	}
	admin.expect(200, "GET", fmt.Sprintf("/api/v1/audit/consistency?from=%d&to=%d", cp.Size, cp2.Size), nil, nil, &cons)
	var root2 audit.Hash
	copy(root2[:], mustB64(t, cp2.Root))
	if err := audit.VerifyConsistency(cp.Size, cp2.Size, root, root2, mustHashes(t, cons.Proof)); err != nil {
		t.Errorf("consistency %d → %d: %v", cp.Size, cp2.Size, err)
	}
	var p proofResp
	admin.expect(200, "GET", "/api/v1/audit/proof?seq=5&size=6", nil, nil, &p)
	if e, _ := audit.Decode(mustB64(t, p.Entry)); e.Action != "case.read" || e.Outcome != audit.Denied || e.Status != 404 {
		t.Errorf("refused read recorded as %+v", e)
	}
	admin.expect(400, "GET", "/api/v1/audit/proof?seq=1&size=999", nil, nil, nil)
	admin.expect(400, "GET", "/api/v1/audit/proof?seq=x&size=2", nil, nil, nil)
	admin.expect(400, "GET", "/api/v1/audit/consistency?from=5&to=3", nil, nil, nil)
	srv.stop()

	verify := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"audit", "verify", "--data", data}, args...), func(string) string { return "" }, nil, &out, &out)
		return out.String(), err
	}
	out, err := verify("--tenant", "DE-BY")
	if err != nil || !strings.Contains(out, "DE-BY: 6 entries") || !strings.Contains(out, "OK") {
		t.Fatalf("audit verify = %v\n%s", err, out)
	}
	if out, err := verify(); err != nil || !strings.Contains(out, "DE-NW: 1 entries") {
		t.Fatalf("audit verify (all tenants) = %v\n%s", err, out)
	}

	// Tamper: rewrite entry 2 (the document read) to name another subject.
	db, err := sql.Open("sqlite", filepath.Join(data, "justizcloud.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range []string{
		`UPDATE audit_entries SET entry = CAST(REPLACE(CAST(entry AS TEXT), '"role":"geschaeftsstelle"', '"role":"landesadmin"') AS BLOB) WHERE tenant = 'DE-BY' AND seq = 2`,
	} {
		if _, err := db.Exec(stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("update through the trigger = %v, want refused", err)
		}
		if _, err := db.Exec(`DROP TRIGGER audit_entries_no_update`); err != nil {
			t.Fatal(err)
		}
		if res, err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		} else if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("tampering changed %d rows", n)
		}
	}
	out, err = verify("--tenant", "DE-BY")
	if err == nil || !strings.Contains(out, "FAILED") || !strings.Contains(out, "entry 2: entry does not match its stored leaf hash") {
		t.Fatalf("audit verify after tampering = %v\n%s", err, out)
	}
	// Recomputing the leaf hash too is caught by the stored subtree and the signed root.
	if _, err := db.Exec(`DROP TRIGGER audit_entries_no_delete`); err != nil {
		t.Fatal(err)
	}
	var entry []byte
	if err := db.QueryRow(`SELECT entry FROM audit_entries WHERE tenant = 'DE-BY' AND seq = 2`).Scan(&entry); err != nil {
		t.Fatal(err)
	}
	leaf := audit.HashLeaf(entry)
	if _, err := db.Exec(`UPDATE audit_entries SET leaf = ? WHERE tenant = 'DE-BY' AND seq = 2`, leaf[:]); err != nil {
		t.Fatal(err)
	}
	out, err = verify("--tenant", "DE-BY")
	if err == nil || !strings.Contains(out, "signed root differs") {
		t.Fatalf("audit verify after tampering with entry and leaf = %v\n%s", err, out)
	}
}

// TestAuditVerifyPostgres: audit verify --db on PostgreSQL accepts an intact
// log and names an entry altered behind the trigger's back.
func TestAuditVerifyPostgres(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	db, err := sqlstore.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(t.TempDir(), "audit-key.pem")
	s, err := audit.OpenFileSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	l := audit.NewLog(db, s, nil)
	for i := range 11 {
		if _, err := l.Append(ctx, audit.Entry{Tenant: "DE-HH", Subject: "tok", Role: "richter", Action: "case.read",
			Case: fmt.Sprintf("c%d", i), Outcome: audit.Allowed, Status: 200}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Checkpoint(ctx, "DE-HH"); err != nil {
		t.Fatal(err)
	}
	verify := func() (string, error) {
		var out bytes.Buffer
		err := run(ctx, []string{"audit", "verify", "--db", dsn, "--key", key, "--tenant", "DE-HH"}, func(string) string { return "" }, nil, &out, &out)
		return out.String(), err
	}
	if out, err := verify(); err != nil || !strings.Contains(out, "DE-HH: 11 entries") {
		t.Fatalf("audit verify --db = %v\n%s", err, out)
	}
	pg, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	for _, stmt := range []string{
		`ALTER TABLE audit_entries DISABLE TRIGGER USER`,
		`UPDATE audit_entries SET entry = convert_to(replace(convert_from(entry, 'UTF8'), '"c7"', '"c8"'), 'UTF8') WHERE tenant = 'DE-HH' AND seq = 7`,
	} {
		if _, err := pg.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := verify(); err == nil || !strings.Contains(out, "entry 7: entry does not match its stored leaf hash") {
		t.Fatalf("audit verify --db after tampering = %v\n%s", err, out)
	}
}

// TestAuditFailurePolicy: when the audit log cannot be written, a write
// answers 500 and a read is answered anyway (the server logs both).
func TestAuditFailurePolicy(t *testing.T) {
	data := t.TempDir()
	srv := startServe(t, data)
	gs := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle")}
	var c caseResp
	gs.expect(201, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C", "department": "12", "subject": "Audit"}), jsonHdr, &c)

	// Break the log store from outside, as a full or failing database would.
	db, err := sql.Open("sqlite", filepath.Join(data, "justizcloud.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TRIGGER audit_broken BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit store unavailable'); END`); err != nil {
		t.Fatal(err)
	}
	raw := func(method, path string, body []byte) int {
		req, _ := http.NewRequest(method, srv.url+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+gs.token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := raw("POST", "/api/v1/cases", []byte(`{"court":"D2601","register":"C","department":"12","subject":"unaudited"}`)); got != 500 {
		t.Errorf("write with a broken audit log = %d, want 500", got)
	}
	if got := raw("GET", "/api/v1/cases/"+c.ID, nil); got != 200 {
		t.Errorf("read with a broken audit log = %d, want 200", got)
	}
	if _, err := db.Exec(`DROP TRIGGER audit_broken`); err != nil {
		t.Fatal(err)
	}
	gs.expect(200, "GET", "/api/v1/cases/"+c.ID, nil, nil, nil)
	srv.stop()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"audit", "verify", "--data", data, "--tenant", "DE-BY"}, func(string) string { return "" }, nil, &out, &out); err != nil || !strings.Contains(out.String(), "DE-BY: 2 entries") {
		t.Errorf("audit verify = %v\n%s", err, out.String())
	}
}
