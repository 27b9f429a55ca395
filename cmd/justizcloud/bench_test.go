// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestBenchIngestSmall runs the ingest benchmark with tiny sizes through the
// real binary, so the command keeps working; the figures are not judged.
func TestBenchIngestSmall(t *testing.T) {
	exe := mustBinary(t)
	out, err := exec.Command(exe, "bench", "ingest", "--dir", t.TempDir(), "--runs", "1",
		"--large", "256KiB", "--large-count", "4", "--small-count", "20", "--clients", "4", "--stream", "3MiB").CombinedOutput()
	if err != nil {
		t.Fatalf("bench ingest: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	last := lines[len(lines)-1]
	if !regexp.MustCompile(`^\s*median(\s+\d+){3}\s+\d+ %\s+\d+\s+\d+$`).MatchString(last) {
		t.Errorf("last line %q is not a row of medians; output:\n%s", last, out)
	}
	if !strings.Contains(string(out), "3 MiB streamed") {
		t.Errorf("output does not name the streamed size:\n%s", out)
	}
}
