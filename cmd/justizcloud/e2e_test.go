// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testServer is a serve command run in-process by run(), as main would.
type testServer struct {
	url  string
	data string
	stop func()
}

func startServe(t *testing.T, data string, extra ...string) *testServer {
	t.Helper()
	return startServeEnv(t, data, nil, extra...)
}

// startServeEnv is startServe with JUSTIZCLOUD_* variables.
func startServeEnv(t *testing.T, data string, env map[string]string, extra ...string) *testServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, logs syncBuffer
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--log-level", "warn"}, extra...)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, func(k string) string { return env[k] }, nil, &out, &logs) }()
	re := regexp.MustCompile(`listens on (http://\S+)`)
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			ts := &testServer{url: m[1], data: data}
			var once sync.Once
			ts.stop = func() {
				once.Do(func() {
					cancel()
					if err := <-done; err != nil {
						t.Errorf("serve: %v\n%s", err, logs.String())
					}
				})
			}
			t.Cleanup(ts.stop)
			return ts
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve ended early: %v\n%s", err, logs.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start\n%s", logs.String())
		}
	}
}

func mustToken(t *testing.T, data, tenant, role string, extra ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	args := append([]string{"token", "create", "--data", data, "--tenant", tenant, "--role", role}, extra...)
	if err := run(context.Background(), args, func(string) string { return "" }, nil, &out, &errb); err != nil {
		t.Fatalf("token create: %v\n%s", err, errb.String())
	}
	tok := strings.TrimSpace(out.String())
	if !strings.HasPrefix(tok, "jc_") {
		t.Fatalf("token create printed %q", tok)
	}
	return tok
}

type client struct {
	t     *testing.T
	base  string
	token string
}

func (c client) do(method, path string, body io.Reader, hdr map[string]string) (*http.Response, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	sp, err := loadSpec()
	if err != nil {
		c.t.Fatalf("openapi.json: %v", err)
	}
	sp.check(c.t, method, path, resp, b)
	return resp, b
}

// expect does the request and fails unless the status is want; it decodes JSON into v when v is not nil.
func (c client) expect(want int, method, path string, body io.Reader, hdr map[string]string, v any) *http.Response {
	c.t.Helper()
	resp, b := c.do(method, path, body, hdr)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s = %d %s, want %d", method, path, resp.StatusCode, b, want)
	}
	if resp.StatusCode >= 400 && resp.Header.Get("Content-Type") != "application/problem+json" {
		c.t.Errorf("%s %s: error Content-Type = %q, want application/problem+json", method, path, resp.Header.Get("Content-Type"))
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			c.t.Fatalf("%s %s: decode %s: %v", method, path, b, err)
		}
	}
	return resp
}

type caseResp struct {
	ID, Tenant, Court, Aktenzeichen, Register string
	Number, Year                              int
}

type docResp struct {
	ID, Case, SHA256, Filename string
	ContentType                string `json:"content_type"`
	Size                       int64
	Version                    int
	Predecessor                *string
}

type problemResp struct {
	Type, Title, Detail string
	Status              int
}

func jsonBody(v any) io.Reader {
	b, _ := json.Marshal(v)
	return bytes.NewReader(b)
}

var jsonHdr = map[string]string{"Content-Type": "application/json"}

func docHdr(name string, digest []byte) map[string]string {
	h := map[string]string{"Content-Type": "application/pdf", "Content-Disposition": fmt.Sprintf("attachment; filename=%q", name)}
	if digest != nil {
		h["Repr-Digest"] = "sha-256=:" + base64.StdEncoding.EncodeToString(digest) + ":"
	}
	return h
}

// TestMainStory walks the README's curl tour and the foundation's promises
// through the real run() on a free port.
func TestMainStory(t *testing.T) {
	data := t.TempDir()
	srv := startServe(t, data, "--max-upload", "1MiB")
	by := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle")}
	nw := client{t, srv.url, mustToken(t, data, "DE-NW", "landesadmin")}

	// Health and the demo data.
	client{t, srv.url, ""}.expect(200, "GET", "/healthz", nil, nil, nil)
	client{t, srv.url, ""}.expect(200, "GET", "/readyz", nil, nil, nil)
	var demo struct{ Items []caseResp }
	by.expect(200, "GET", "/api/v1/cases", nil, nil, &demo)
	if len(demo.Items) < 2 {
		t.Fatalf("demo cases of DE-BY = %d, want ≥ 2", len(demo.Items))
	}

	// Courts.
	var courts struct {
		Items []struct{ ID, Type, Tenant string }
	}
	by.expect(200, "GET", "/api/v1/courts?tenant=DE-BY&type=Amtsgericht", nil, nil, &courts)
	if len(courts.Items) < 50 {
		t.Errorf("Amtsgerichte in DE-BY = %d, want ≥ 50", len(courts.Items))
	}
	for _, c := range courts.Items {
		if c.Type != "Amtsgericht" || c.Tenant != "DE-BY" {
			t.Fatalf("court filter returned %+v", c)
		}
	}

	// Create a case and check the Aktenzeichen.
	var c caseResp
	by.expect(201, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C", "department": "12", "subject": "Zahlungsklage"}), jsonHdr, &c)
	if ok, _ := regexp.MatchString(`^12 C \d+/\d\d$`, c.Aktenzeichen); !ok || c.Tenant != "DE-BY" {
		t.Errorf("created case %+v: want Aktenzeichen like 12 C n/yy in DE-BY", c)
	}

	// Upload with Repr-Digest, read back byte-identical, ranges, ETag.
	content := bytes.Repeat([]byte("Klageschrift der Klägerin – Seite. "), 5000) // ~180 KB, several segments
	sum := sha256.Sum256(content)
	var d docResp
	resp := by.expect(201, "POST", "/api/v1/cases/"+c.ID+"/documents", bytes.NewReader(content), docHdr("../../Klage.pdf", sum[:]), &d)
	if d.SHA256 != hex.EncodeToString(sum[:]) || d.Size != int64(len(content)) || d.Filename != "Klage.pdf" || d.Version != 1 || d.Predecessor != nil {
		t.Errorf("upload answered %+v", d)
	}
	if resp.Header.Get("Location") != "/api/v1/documents/"+d.ID {
		t.Errorf("Location = %q", resp.Header.Get("Location"))
	}
	resp, got := by.do("GET", "/api/v1/documents/"+d.ID+"/content", nil, nil)
	if resp.StatusCode != 200 || !bytes.Equal(got, content) {
		t.Fatalf("download = %d, %d bytes identical=%v", resp.StatusCode, len(got), bytes.Equal(got, content))
	}
	etag := resp.Header.Get("ETag")
	if etag != `"`+d.SHA256+`"` {
		t.Errorf("ETag = %q", etag)
	}
	resp, got = by.do("GET", "/api/v1/documents/"+d.ID+"/content", nil, map[string]string{"Range": "bytes=70000-70099"})
	if resp.StatusCode != 206 || !bytes.Equal(got, content[70000:70100]) {
		t.Errorf("range = %d %q, want 206 %q", resp.StatusCode, got, content[70000:70100])
	}
	resp, _ = by.do("GET", "/api/v1/documents/"+d.ID+"/content", nil, map[string]string{"If-None-Match": etag})
	if resp.StatusCode != 304 {
		t.Errorf("If-None-Match = %d, want 304", resp.StatusCode)
	}

	// A new version points to its predecessor.
	var v2 docResp
	by.expect(201, "POST", "/api/v1/cases/"+c.ID+"/documents?predecessor="+d.ID, strings.NewReader("v2"), docHdr("Klage.pdf", nil), &v2)
	if v2.Version != 2 || v2.Predecessor == nil || *v2.Predecessor != d.ID {
		t.Errorf("second version = %+v", v2)
	}
	var docs struct{ Items []docResp }
	by.expect(200, "GET", "/api/v1/cases/"+c.ID+"/documents", nil, nil, &docs)
	if len(docs.Items) != 2 || docs.Items[0].ID != d.ID || docs.Items[1].ID != v2.ID {
		t.Errorf("documents = %+v", docs.Items)
	}
	var list struct{ Items []caseResp }
	by.expect(200, "GET", "/api/v1/cases?court=D2601", nil, nil, &list)
	found := false
	for _, x := range list.Items {
		found = found || x.ID == c.ID
		if x.Court != "D2601" {
			t.Errorf("cases?court=D2601 listed %+v", x)
		}
	}
	if !found {
		t.Errorf("cases?court=D2601 misses %s", c.ID)
	}

	// Tenant isolation: every case and document path answers 404 to another Land.
	for _, p := range []struct{ method, path string }{
		{"GET", "/api/v1/cases/" + c.ID},
		{"GET", "/api/v1/cases/" + c.ID + "/documents"},
		{"POST", "/api/v1/cases/" + c.ID + "/documents"},
		{"GET", "/api/v1/documents/" + d.ID},
		{"GET", "/api/v1/documents/" + d.ID + "/content"},
	} {
		var pr problemResp
		nw.expect(404, p.method, p.path, strings.NewReader("x"), nil, &pr)
		if strings.Contains(pr.Detail, c.ID) || strings.Contains(pr.Detail, "DE-BY") {
			t.Errorf("404 for %s reveals something: %+v", p.path, pr)
		}
	}
	var nwList struct{ Items []caseResp }
	nw.expect(200, "GET", "/api/v1/cases?court=D2601", nil, nil, &nwList)
	if len(nwList.Items) != 0 {
		t.Errorf("DE-NW lists DE-BY cases: %+v", nwList.Items)
	}
	// A Land's token cannot file at another Land's court.
	nw.expect(400, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C"}), jsonHdr, nil)

	// A read-only role may look but not file.
	leser := client{t, srv.url, mustToken(t, data, "DE-BY", "leser")}
	leser.expect(200, "GET", "/api/v1/documents/"+d.ID, nil, nil, nil)
	leser.expect(403, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C"}), jsonHdr, nil)
	leser.expect(403, "POST", "/api/v1/cases/"+c.ID+"/documents", strings.NewReader("x"), nil, nil)
	by.expect(416, "GET", "/api/v1/documents/"+d.ID+"/content", nil, map[string]string{"Range": "bytes=999999999-"}, nil)

	// No token, bad token.
	for _, tok := range []string{"", "jc_nonsense", "Basic abc"} {
		client{t, srv.url, tok}.expect(401, "GET", "/api/v1/cases/"+c.ID, nil, nil, nil)
	}

	// Bad JSON input names the field.
	for _, tt := range []struct {
		body, want string
	}{
		{`{"court":"D2601","register":"C","color":"red"}`, `"color"`},
		{`{"court":5,"register":"C"}`, `"court"`},
		{`{"court":"D2601","register":"c"}`, `"c"`},
		{`{"court":"D2601","register":"O"}`, "Amtsgericht"},
		{`{"court":"D2601","register":"C"} {}`, "single"},
		{`{"court":"D2601",`, "truncated"},
		{`{"court":"XXXX","register":"C"}`, "XXXX"},
	} {
		var pr problemResp
		by.expect(400, "POST", "/api/v1/cases", strings.NewReader(tt.body), jsonHdr, &pr)
		if !strings.Contains(pr.Detail, tt.want) {
			t.Errorf("POST %s: detail %q does not mention %s", tt.body, pr.Detail, tt.want)
		}
	}

	// Bad uploads leave nothing behind.
	before := countObjects(t, data)
	big := bytes.Repeat([]byte{'x'}, 2<<20)
	by.expect(413, "POST", "/api/v1/cases/"+c.ID+"/documents", bytes.NewReader(big), docHdr("big.pdf", nil), nil)
	by.expect(413, "POST", "/api/v1/cases/"+c.ID+"/documents", io.MultiReader(bytes.NewReader(big)), docHdr("big-chunked.pdf", nil), nil) // no Content-Length
	wrong := sha256.Sum256([]byte("something else"))
	by.expect(400, "POST", "/api/v1/cases/"+c.ID+"/documents", strings.NewReader("inhalt"), docHdr("a.pdf", wrong[:]), nil)
	by.expect(400, "POST", "/api/v1/cases/"+c.ID+"/documents", strings.NewReader("inhalt"), map[string]string{"Repr-Digest": "sha-256=nonsense"}, nil)
	by.expect(400, "POST", "/api/v1/cases/"+c.ID+"/documents?predecessor=nope", strings.NewReader("inhalt"), nil, nil)
	by.expect(409, "POST", "/api/v1/cases/"+c.ID+"/documents?predecessor="+d.ID, strings.NewReader("fork"), nil, nil)
	abortUpload(t, srv.url, by.token, c.ID)
	waitFor(t, func() bool { return countObjects(t, data) == before }, "objects after failed uploads")

	// Nothing under the data folder holds plaintext.
	assertNoPlaintext(t, data, content[:64])
}

// abortUpload sends half a document and hangs up.
func abortUpload(t *testing.T, base, token, caseID string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "POST /api/v1/cases/%s/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: 500000\r\n\r\n", caseID, token)
	conn.Write(bytes.Repeat([]byte("a"), 200000))
	time.Sleep(100 * time.Millisecond)
	conn.Close()
}

// countObjects counts the files in the blob store, including temp files.
func countObjects(t *testing.T, data string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(filepath.Join(data, "blobs"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("timed out waiting for %s", what)
}

func assertNoPlaintext(t *testing.T, dir string, needle []byte) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err == nil && bytes.Contains(b, needle) {
			t.Errorf("plaintext found in %s", p)
		}
		return nil
	})
}

// TestEveryErrorIsAProblem: errors that the handlers do not write themselves
// (wrong method, unknown route) are problem documents too.
func TestEveryErrorIsAProblem(t *testing.T) {
	data := t.TempDir()
	srv := startServe(t, data, "--demo=false")
	c := client{t, srv.url, mustToken(t, data, "DE-BY", "leser")}
	c.expect(405, "DELETE", "/api/v1/cases", nil, nil, nil)
	c.expect(405, "PUT", "/api/v1/documents/x", nil, nil, nil)
	c.expect(404, "GET", "/api/v1/nothing", nil, nil, nil)
	c.expect(404, "GET", "/nothing", nil, nil, nil) // "/" is the landing page (login package)
}
