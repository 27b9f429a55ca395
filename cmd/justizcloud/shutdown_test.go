// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestGracefulShutdown stops the server (as SIGTERM does) while two uploads
// run: one that finishes within --shutdown-timeout is acknowledged and
// stored; one that stalls past it is cut off and leaves nothing behind.
func TestGracefulShutdown(t *testing.T) {
	data := t.TempDir()
	srv := startServe(t, data, "--demo=false", "--shutdown-timeout", "1s")
	c := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle")}
	caseID := createCase(t, c)

	upload := func(body io.Reader) (chan int, chan string) {
		status, id := make(chan int, 1), make(chan string, 1)
		req, _ := http.NewRequest("POST", srv.url+"/api/v1/cases/"+caseID+"/documents", body)
		req.Header.Set("Authorization", "Bearer "+c.token)
		req.ContentLength = 2 << 20
		go func() {
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				status <- 0
				id <- ""
				return
			}
			defer resp.Body.Close()
			var d docResp
			json.NewDecoder(resp.Body).Decode(&d)
			status <- resp.StatusCode
			id <- d.ID
		}()
		return status, id
	}
	finishing, finishingW := io.Pipe()
	stalling, stallingW := io.Pipe()
	okStatus, okID := upload(finishing)
	_, _ = upload(stalling)
	half := bytes.Repeat([]byte("z"), 1<<20)
	finishingW.Write(half)
	stallingW.Write(half)
	waitFor(t, func() bool { return countRows(t, data, "uploads") == 2 }, "two uploads in flight")

	stopped := make(chan struct{})
	go func() { srv.stop(); close(stopped) }()
	time.Sleep(200 * time.Millisecond) // the server is draining now
	finishingW.Write(half)             // the first upload completes within the timeout
	finishingW.Close()
	if st := <-okStatus; st != http.StatusCreated {
		t.Errorf("upload finished during shutdown: status %d, want 201", st)
	}
	id := <-okID
	select {
	case <-stopped:
	case <-time.After(20 * time.Second):
		t.Fatal("server did not stop")
	}
	stallingW.CloseWithError(io.ErrClosedPipe)

	if n := countRows(t, data, "uploads"); n != 0 {
		t.Errorf("upload intents after shutdown = %d, want 0", n)
	}
	if n := countRows(t, data, "documents"); n != 1 {
		t.Errorf("documents after shutdown = %d, want 1 (%s)", n, id)
	}
	if objs := countObjects(t, data); objs != 1 {
		t.Errorf("objects after shutdown = %d, want 1", objs)
	}
	if tmp, _ := os.ReadDir(filepath.Join(data, "blobs", "tmp")); len(tmp) != 0 {
		t.Errorf("temp files after shutdown = %d, want 0", len(tmp))
	}
}
