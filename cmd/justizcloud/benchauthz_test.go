// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"justizcloud/sqlstore/pgtest"
)

// TestBenchAuthz runs the authorization benchmark on a small world through
// the real binary, twice on the same --data (the second run reuses the
// world): every kind of decision must be measured, some checks allowed and
// none failing. The figures are not judged.
func TestBenchAuthz(t *testing.T) {
	exe := mustBinary(t)
	data := t.TempDir()
	args := []string{"bench", "authz", "--data", data, "--db", "off", "--cases", "200", "--users", "40",
		"--duration", "100ms", "--runs", "1", "--goroutines", "2"}
	out := runBenchAuthz(t, exe, args, "SQLite: world seeded", "cached", "lookup SQLite")
	if !strings.Contains(out, "PostgreSQL: skipped (--db off)") {
		t.Errorf("output does not say that PostgreSQL was skipped:\n%s", out)
	}
	runBenchAuthz(t, exe, args, "SQLite: world already seeded", "cached", "lookup SQLite")
}

// TestBenchAuthzPostgres measures the lookups on PostgreSQL too.
func TestBenchAuthzPostgres(t *testing.T) {
	exe := mustBinary(t)
	dsn := pgtest.DSN(t)
	runBenchAuthz(t, exe, []string{"bench", "authz", "--data", t.TempDir(), "--db", dsn, "--cases", "100", "--users", "20",
		"--duration", "100ms", "--runs", "1", "--goroutines", "2"},
		"PostgreSQL: world seeded", "cached", "lookup SQLite", "lookup PostgreSQL")
}

func runBenchAuthz(t *testing.T, exe string, args []string, seeded string, kinds ...string) string {
	t.Helper()
	out, err := exec.Command(exe, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("bench authz: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), seeded) {
		t.Errorf("output does not say %q:\n%s", seeded, out)
	}
	for _, kind := range kinds {
		for _, g := range []string{"1", "2"} {
			// decision, goroutines, checks/s, per CPU-second, p50, p99, p99 on-CPU, allowed, errors
			row := regexp.MustCompile(`(?m)^\s*` + kind + `\s+` + g + `\s+(\d+)\s+\d+\s+[\d.]+\s+[\d.]+\s+(?:[\d.]+|–)\s+(\d+) %\s+(\d+)\s*$`).FindStringSubmatch(string(out))
			if row == nil {
				t.Errorf("no row for %q with %s goroutines in:\n%s", kind, g, out)
				continue
			}
			if row[1] == "0" || row[2] == "0" || row[3] != "0" {
				t.Errorf("%s, %s goroutines: %s checks/s, %s %% allowed, %s errors", kind, g, row[1], row[2], row[3])
			}
		}
	}
	return string(out)
}
