// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package zustellung

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"justizcloud/errs"
	"justizcloud/tenancy"
)

func TestCodeFormat(t *testing.T) {
	re := regexp.MustCompile(`^BY(-[0-9A-HJKMNP-TV-Z]{4}){4}$`)
	seen := map[string]bool{}
	for range 1000 {
		c, err := newCode("DE-BY")
		if err != nil {
			t.Fatal(err)
		}
		if !re.MatchString(c) {
			t.Fatalf("code %q does not match %s", c, re)
		}
		if seen[c] {
			t.Fatalf("code %q twice in 1000", c)
		}
		seen[c] = true
		tn, canon, err := parseCode(c)
		if err != nil || tn != "DE-BY" || canon != c {
			t.Fatalf("parseCode(%q) = %q, %q, %v", c, tn, canon, err)
		}
	}
	if c, _ := newCode("DE"); !strings.HasPrefix(c, "DE-") {
		t.Errorf("Bund code %q, want prefix DE-", c)
	}
}

func TestParseCode(t *testing.T) {
	for _, tc := range []struct {
		in     string
		tenant tenancy.ID
		canon  string
	}{
		{"BY-7K3M-Q9TX-2HRD-WN4E", "DE-BY", "BY-7K3M-Q9TX-2HRD-WN4E"},
		{" by 7k3m q9tx 2hrd wn4e ", "DE-BY", "BY-7K3M-Q9TX-2HRD-WN4E"},
		{"NW-O0IL-1111-0000-ZZZZ", "DE-NW", "NW-0011-1111-0000-ZZZZ"},
		{"DE-0000-0000-0000-0000", "DE", "DE-0000-0000-0000-0000"},
	} {
		tn, canon, err := parseCode(tc.in)
		if err != nil || tn != tc.tenant || canon != tc.canon {
			t.Errorf("parseCode(%q) = %q, %q, %v; want %q, %q", tc.in, tn, canon, err, tc.tenant, tc.canon)
		}
	}
	for _, bad := range []string{"", "BY", "BY-7K3M-Q9TX-2HRD-WN4", "BY-7K3M-Q9TX-2HRD-WN4EE", "B1-7K3M-Q9TX-2HRD-WN4E", "ZZ-7K3M-Q9TX-2HRD-WN4E", "BY-7K3M-Q9TX-2HRD-WN4U", "BY-7K3M-Q9TX-2HRD-WN4!"} {
		if _, _, err := parseCode(bad); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("parseCode(%q) = %v, want ErrInvalid", bad, err)
		}
	}
	if codeHash("BY-0000-0000-0000-0000") == codeHash("NW-0000-0000-0000-0000") {
		t.Error("the hash ignores the tenant prefix")
	}
}

func TestLimiter(t *testing.T) {
	l := newLimiter(5, 15*time.Minute)
	t0 := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for i := range 5 {
		if w := l.wait(t0.Add(time.Duration(i)*time.Minute), "u", "c"); w != 0 {
			t.Fatalf("attempt %d: wait %s, want 0", i+1, w)
		}
		l.fail(t0.Add(time.Duration(i)*time.Minute), "u", "c")
	}
	if w := l.wait(t0.Add(5*time.Minute), "u"); w != 10*time.Minute {
		t.Errorf("after 5 failures: wait %s, want 10m (until the first leaves the window)", w)
	}
	if w := l.wait(t0.Add(5*time.Minute), "other-user", "c"); w == 0 {
		t.Error("the client is not locked for another user")
	}
	if w := l.wait(t0.Add(15*time.Minute), "u"); w != 0 {
		t.Errorf("after the window: wait %s, want 0", w)
	}
}
