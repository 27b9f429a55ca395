// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"justizcloud/blob"
	"justizcloud/blob/s3blob"
	"justizcloud/blob/s3blob/s3test"
	"justizcloud/sqlstore/pgtest"
)

// TestScaleOut runs the server on PostgreSQL and a real S3 server
// (versitygw), with the secrets read from *_FILE variables, and walks a
// case through it: two replicas sharing database, bucket and keyring serve
// each other's documents, and the bucket holds no plaintext.
func TestScaleOut(t *testing.T) {
	dsn := pgtest.DSN(t)
	s3 := s3test.Start(t)
	secrets := t.TempDir()
	writeSecret := func(name, value string) string {
		p := filepath.Join(secrets, name)
		if err := os.WriteFile(p, []byte(value+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	env := map[string]string{
		"JUSTIZCLOUD_DB_FILE":            writeSecret("db", dsn),
		"JUSTIZCLOUD_BLOB":               "s3",
		"JUSTIZCLOUD_S3_ENDPOINT":        s3.Endpoint,
		"JUSTIZCLOUD_S3_BUCKET":          s3.Bucket,
		"JUSTIZCLOUD_S3_ACCESS_KEY":      s3.AccessKey,
		"JUSTIZCLOUD_S3_SECRET_KEY_FILE": writeSecret("s3", s3.SecretKey),
		"JUSTIZCLOUD_KEYRING":            filepath.Join(secrets, "keyring.json"),
	}
	a := startServeEnv(t, t.TempDir(), env, "--demo=false")
	b := startServeEnv(t, t.TempDir(), env, "--demo=false")

	tok := mustTokenPG(t, dsn, "DE-BY")
	ca, cb := client{t, a.url, tok}, client{t, b.url, tok}
	ca.expect(200, "GET", "/readyz", nil, nil, nil)

	caseID := createCase(t, ca)
	content := bytes.Repeat([]byte("Beschluss über die Zuständigkeit. "), 10000) // several segments and S3 parts' worth
	sum := sha256.Sum256(content)
	var d docResp
	ca.expect(201, "POST", "/api/v1/cases/"+caseID+"/documents", bytes.NewReader(content), docHdr("beschluss.pdf", sum[:]), &d)
	if d.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("sha256 = %s, want %x", d.SHA256, sum)
	}
	// The other replica reads it: shared database, bucket and keys.
	resp, got := cb.do("GET", "/api/v1/documents/"+d.ID+"/content", nil, map[string]string{"Range": "bytes=100000-100099"})
	if resp.StatusCode != 206 || !bytes.Equal(got, content[100000:100100]) {
		t.Errorf("range from replica b = %d %q", resp.StatusCode, got)
	}
	_, got = cb.do("GET", "/api/v1/documents/"+d.ID+"/content", nil, nil)
	if !bytes.Equal(got, content) {
		t.Errorf("download from replica b differs (%d bytes)", len(got))
	}
	nw := client{t, b.url, ""}
	nw.token = mustTokenPG(t, dsn, "DE-NW")
	nw.expect(404, "GET", "/api/v1/documents/"+d.ID, nil, nil, nil)

	// Nothing in the bucket is plaintext.
	st, err := s3blob.Open(context.Background(), s3)
	if err != nil {
		t.Fatal(err)
	}
	names, err := st.List(context.Background(), "DE-BY", "")
	if err != nil || len(names) != 1 {
		t.Fatalf("objects in the bucket = %v, %v; want one", names, err)
	}
	for _, n := range names {
		if strings.Contains(n, d.ID) {
			t.Errorf("object name %q reveals the document id", n)
		}
		rc, err := st.Get(context.Background(), s3blobKey(n))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(rc)
		rc.Close()
		if bytes.Contains(raw, content[:40]) {
			t.Errorf("object %s holds plaintext", n)
		}
	}

	// Search on PostgreSQL: filed through replica a, found through replica b
	// within 2 s; the other tenant finds nothing.
	ca.expect(201, "POST", "/api/v1/cases/"+caseID+"/documents", strings.NewReader("Die Urteile des Landgerichts Muenchen"),
		map[string]string{"Content-Type": "text/plain", "Content-Disposition": `attachment; filename="urteil.txt"`}, nil)
	filed := time.Now()
	var found struct {
		Items []struct{ Kind, Snippet string }
	}
	for time.Since(filed) < 2*time.Second {
		cb.expect(200, "GET", "/api/v1/search?q=Urteil+m%C3%BCnchen", nil, nil, &found)
		if len(found.Items) > 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(found.Items) != 1 || found.Items[0].Snippet != "Die «Urteile» des Landgerichts «Muenchen»" {
		t.Errorf("search on replica b = %+v, want the document with both words marked", found.Items)
	}
	nw.expect(200, "GET", "/api/v1/search?q=Urteil", nil, nil, &found)
	if len(found.Items) != 0 {
		t.Errorf("other tenant's search = %+v, want nothing", found.Items)
	}
}

func s3blobKey(name string) blob.Key { return blob.Key{Tenant: "DE-BY", Name: name} }

func mustTokenPG(t *testing.T, dsn, tenant string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"token", "create", "--data", t.TempDir(), "--db", dsn, "--tenant", tenant, "--role", "landesadmin"},
		func(string) string { return "" }, nil, &out, &errb); err != nil {
		t.Fatalf("token create: %v %s", err, errb.String())
	}
	return strings.TrimSpace(out.String())
}
