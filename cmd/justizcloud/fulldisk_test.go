// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFullDisk puts the blob folder on a 4 MiB tmpfs: a larger upload is
// refused with 507, leaves nothing behind, and the server keeps serving.
func TestFullDisk(t *testing.T) {
	data := t.TempDir()
	blobs := filepath.Join(data, "blobs")
	if err := os.MkdirAll(blobs, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", blobs).CombinedOutput(); err != nil {
		if os.Getenv("CI") != "" && os.Geteuid() == 0 {
			t.Fatalf("mount tmpfs: %v %s", err, out)
		}
		t.Skipf("cannot mount a tmpfs here (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", blobs).Run() })

	srv := startServe(t, data, "--demo=false")
	c := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle")}
	caseID := createCase(t, c)
	big := make([]byte, 6<<20)
	rand.Read(big)
	var pr problemResp
	c.expect(507, "POST", "/api/v1/cases/"+caseID+"/documents", bytes.NewReader(big), nil, &pr)
	if !strings.Contains(pr.Detail, "storage is full") {
		t.Errorf("507 detail = %q", pr.Detail)
	}
	if n := countObjects(t, data); n != 0 {
		t.Errorf("files in the blob store after ENOSPC = %d, want 0", n)
	}
	if n := countRows(t, data, "uploads"); n != 0 {
		t.Errorf("upload intents after ENOSPC = %d, want 0", n)
	}
	var d docResp
	c.expect(201, "POST", "/api/v1/cases/"+caseID+"/documents", strings.NewReader("klein"), nil, &d)
	_, got := c.do("GET", "/api/v1/documents/"+d.ID+"/content", nil, nil)
	if string(got) != "klein" {
		t.Errorf("after a full disk, read back %q, want %q", got, "klein")
	}
}
