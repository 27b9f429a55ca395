// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package login_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"justizcloud/login"
)

// TestDocumentedConfigs: the provider files shown in the README and in
// docs/security.md parse as written (with their secret files present).
func TestDocumentedConfigs(t *testing.T) {
	for file, section := range map[string]string{"../README.md": "## Login", "../docs/security.md": "### Configuring providers"} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		_, rest, ok := strings.Cut(string(b), section)
		if !ok {
			t.Fatalf("%s has no section %q", file, section)
		}
		m := regexp.MustCompile("(?s)```json\n(.*?)```").FindStringSubmatch(rest)
		if m == nil {
			t.Fatalf("%s %s: no JSON example", file, section)
		}
		dir := t.TempDir()
		cfg := m[1]
		for _, sm := range regexp.MustCompile(`"client_secret_file": "([^"]+)"`).FindAllStringSubmatch(cfg, -1) {
			name := filepath.Base(sm[1])
			if err := os.WriteFile(filepath.Join(dir, name), []byte("s3cret\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg = strings.ReplaceAll(cfg, `"`+sm[1]+`"`, `"`+name+`"`)
		}
		ps, err := login.ParseConfig([]byte(cfg), dir)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if len(ps) < 2 || ps[0].ClientSecret != "s3cret" {
			t.Errorf("%s: parsed %+v", file, ps)
		}
	}
}
