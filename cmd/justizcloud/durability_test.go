// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// buildBinary compiles this command once per test binary run.
var buildOnce = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "justizcloud-bin-")
	if err != nil {
		return "", err
	}
	exe := filepath.Join(dir, "justizcloud")
	out, err := exec.Command("go", "build", "-o", exe, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return exe, nil
})

func mustBinary(t *testing.T) string {
	t.Helper()
	exe, err := buildOnce()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

// process is the real binary running serve.
type process struct {
	cmd *exec.Cmd
	url string
}

func startProcess(t *testing.T, exe, data string, extra ...string) *process {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--log-level", "warn", "--demo=false"}, extra...)
	cmd := exec.Command(exe, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "Justizcloud listens on "); ok {
			p.url = u
			break
		}
	}
	go io.Copy(io.Discard, out)
	if p.url == "" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("server did not start: %s", logs.String())
	}
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	return p
}

func (p *process) kill9(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
}

func createCase(t *testing.T, c client) string {
	t.Helper()
	var cr caseResp
	c.expect(201, "POST", "/api/v1/cases", strings.NewReader(`{"court":"D2601","register":"C"}`), jsonHdr, &cr)
	return cr.ID
}

// TestDurabilityKill9 uploads from many clients, kills the server with
// SIGKILL, restarts it, and checks that every acknowledged document reads
// back with its hash and that nothing of the unacknowledged ones is left.
func TestDurabilityKill9(t *testing.T) {
	exe := mustBinary(t)
	data := t.TempDir()
	p := startProcess(t, exe, data)
	tok := mustToken(t, data, "DE-BY", "geschaeftsstelle")
	caseID := createCase(t, client{t, p.url, tok})

	type acked struct{ id, sha string }
	var (
		mu   sync.Mutex
		acks []acked
		wg   sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for w := range 12 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			for ctx.Err() == nil {
				body := make([]byte, 1+rng.IntN(300<<10))
				for i := range body {
					body[i] = byte(rng.Uint32())
				}
				req, _ := http.NewRequestWithContext(ctx, "POST", p.url+"/api/v1/cases/"+caseID+"/documents", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+tok)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					return // the server is gone
				}
				var d docResp
				err = json.NewDecoder(resp.Body).Decode(&d)
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated && err == nil {
					sum := sha256.Sum256(body)
					if d.SHA256 != hex.EncodeToString(sum[:]) {
						t.Errorf("acknowledged sha256 %s, sent %x", d.SHA256, sum)
					}
					mu.Lock()
					acks = append(acks, acked{d.ID, d.SHA256})
					mu.Unlock()
				}
			}
		})
	}
	time.Sleep(1500 * time.Millisecond)
	p.kill9(t)
	cancel()
	wg.Wait()
	if len(acks) < 10 {
		t.Fatalf("only %d uploads acknowledged before the kill; the test proves nothing", len(acks))
	}

	p = startProcess(t, exe, data)
	c := client{t, p.url, tok}
	for _, a := range acks {
		resp, body := c.do("GET", "/api/v1/documents/"+a.id+"/content", nil, nil)
		sum := sha256.Sum256(body)
		if resp.StatusCode != 200 || hex.EncodeToString(sum[:]) != a.sha {
			t.Fatalf("acknowledged document %s after kill -9: status %d, sha256 %x, want %s", a.id, resp.StatusCode, sum, a.sha)
		}
	}
	assertNoLeftovers(t, data)
	t.Logf("%d acknowledged documents survived kill -9", len(acks))
}

// TestKilledMidUpload kills the server while a large document streams in:
// after the restart neither a row nor a blob of it remains.
func TestKilledMidUpload(t *testing.T) {
	exe := mustBinary(t)
	data := t.TempDir()
	p := startProcess(t, exe, data)
	tok := mustToken(t, data, "DE-BY", "geschaeftsstelle")
	caseID := createCase(t, client{t, p.url, tok})

	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", p.url+"/api/v1/cases/"+caseID+"/documents", pr)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.ContentLength = 64 << 20
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
	}()
	chunk := bytes.Repeat([]byte("geheim "), 1<<15)
	for range 40 { // ~9 MiB, then the server dies mid-stream
		if _, err := pw.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, func() bool { return countRows(t, data, "uploads") == 1 }, "the upload intent")
	p.kill9(t)
	pw.CloseWithError(io.ErrClosedPipe)

	startProcess(t, exe, data)
	assertNoLeftovers(t, data)
	if n := countRows(t, data, "documents"); n != 0 {
		t.Errorf("documents after killed upload = %d, want 0", n)
	}
}

// assertNoLeftovers checks that no upload intent and no temp file remain and
// that every stored object belongs to a committed document.
func assertNoLeftovers(t *testing.T, data string) {
	t.Helper()
	if n := countRows(t, data, "uploads"); n != 0 {
		t.Errorf("upload intents left = %d, want 0", n)
	}
	if tmp, _ := os.ReadDir(filepath.Join(data, "blobs", "tmp")); len(tmp) != 0 {
		t.Errorf("temp files left = %d, want 0", len(tmp))
	}
	if objs, docs := countObjects(t, data), countRows(t, data, "documents"); objs != docs {
		t.Errorf("objects = %d, documents = %d; want equal", objs, docs)
	}
}

func countRows(t *testing.T, data, table string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "justizcloud.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}
