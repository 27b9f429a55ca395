// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeTour runs the README's curl tour as written, against the real
// binary on a free port, so the tour cannot drift from the product.
func TestReadmeTour(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "openssl", "cmp"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed: %v", tool, err)
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, tour, ok := strings.Cut(string(readme), "## A tour with curl")
	if !ok {
		t.Fatal("README has no curl tour")
	}
	tour, _, _ = strings.Cut(tour, "\n## ")
	var script strings.Builder
	script.WriteString("set -euo pipefail\n")
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(tour, -1) {
		script.WriteString(m[1])
	}
	if !strings.Contains(script.String(), "cmp klage.txt back.txt") {
		t.Fatalf("tour lost its byte-identity check:\n%s", script.String())
	}

	exe := mustBinary(t)
	data := t.TempDir()
	p := startProcess(t, exe, data, "--demo=true") // as the README runs it
	s := script.String()
	s = strings.ReplaceAll(s, "go run ./cmd/justizcloud", exe)
	s = strings.ReplaceAll(s, "--data ./data", "--data "+data)
	s = strings.ReplaceAll(s, "http://127.0.0.1:8080", p.url)
	cmd := exec.Command("bash", "-c", s)
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tour failed: %v\n%s\nscript:\n%s", err, out, s)
	}
	for _, want := range []string{`"aktenzeichen":"12 C 2/`, `"sha256":"`, "Klage", `"name":"Amtsgericht München"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("tour output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(cmd.Dir, "back.txt")); err != nil {
		t.Errorf("tour did not download back.txt: %v", err)
	}
}
