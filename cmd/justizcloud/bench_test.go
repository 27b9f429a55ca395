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

// TestBenchIngestAuditCost runs bench ingest --audit both with tiny sizes:
// two servers, with and without the audit log, each round and the ratios.
// The figures are not judged.
func TestBenchIngestAuditCost(t *testing.T) {
	exe := mustBinary(t)
	out, err := exec.Command(exe, "bench", "ingest", "--audit", "both", "--dir", t.TempDir(), "--runs", "2",
		"--large", "256KiB", "--large-count", "2", "--small-count", "10", "--clients", "4").CombinedOutput()
	if err != nil {
		t.Fatalf("bench ingest --audit both: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`(?m)^\s*median(\s+\d+){2}\s+[\d.]+ %(\s+\d+){2}\s+[\d.]+ %$`).Match(out) ||
		!regexp.MustCompile(`audit log cost \(median of the per-round ratios\): 256 KiB docs -?[\d.]+ %, 20 KiB docs -?[\d.]+ %`).Match(out) {
		t.Errorf("output:\n%s", out)
	}
}

// TestBenchSeedAndRead seeds a small store and loads it with every request
// kind of the read benchmark through the real binary: every kind must get
// answers and none may fail (a 4xx or 5xx counts as an error). The figures
// are not judged.
func TestBenchSeedAndRead(t *testing.T) {
	exe := mustBinary(t)
	data := t.TempDir()
	out, err := exec.Command(exe, "bench", "seed", "--data", data, "--cases", "300", "--docs-per-case", "3").CombinedOutput()
	if err != nil {
		t.Fatalf("bench seed: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`seeded 300 cases and 900 documents .*: \d+ documents/s`).Match(out) {
		t.Fatalf("bench seed printed:\n%s", out)
	}
	out, err = exec.Command(exe, "bench", "read", "--data", data, "--duration", "300ms", "--connections", "4").CombinedOutput()
	if err != nil {
		t.Fatalf("bench read: %v\n%s", err, out)
	}
	for _, kind := range []string{"bare handler", "case file listing", "case history", "inbox", "search"} {
		row := regexp.MustCompile(`(?m)^\s*` + kind + `\s+(\d+)\s+[\d.]+ %\s+[\d.]+\s+[\d.]+\s+(\d+)\s*$`).FindStringSubmatch(string(out))
		if row == nil {
			t.Errorf("no row for %q in:\n%s", kind, out)
			continue
		}
		if row[1] == "0" || row[2] != "0" {
			t.Errorf("%s: %s requests/s with %s errors", kind, row[1], row[2])
		}
	}
}
