// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package login

import (
	"net/url"
	"strings"
	"testing"
)

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"":                              "/",
		"/":                             "/",
		"/akten?x=1#f":                  "/akten?x=1#f",
		"//evil.example":                "/",
		"/\\evil.example":               "/",
		"https://evil.example":          "/",
		"evil.example":                  "/",
		"/%0d%0aSet-Cookie:x":           "/%0d%0aSet-Cookie:x", // stays encoded: harmless in Location
		"/a\r\nb":                       "/",
		"javascript:alert(1)":           "/",
		"/" + strings.Repeat("a", 2000): "/",
	} {
		if got := LocalPath(in); got != want {
			t.Errorf("LocalPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzLocalPath: whatever comes in, the result is a path on this host.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "//x", "/\\x", "https://x/", "/a?b#c", "/%2f%2fx", "\t/x", "/\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := LocalPath(in)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\r\n\t") {
			t.Fatalf("LocalPath(%q) = %q", in, got)
		}
		u, err := url.Parse(got)
		if err != nil || u.Host != "" || u.Scheme != "" {
			t.Fatalf("LocalPath(%q) = %q, which names a host", in, got)
		}
		// What a browser resolves it to against our origin stays on our origin.
		base, _ := url.Parse("https://justizcloud.example/")
		if r := base.ResolveReference(u); r.Host != base.Host {
			t.Fatalf("LocalPath(%q) = %q resolves to host %q", in, got, r.Host)
		}
	})
}

// FuzzPeekIssuer: the unverified peek never panics and returns an issuer
// only from a three-part token.
func FuzzPeekIssuer(f *testing.F) {
	for _, s := range []string{"a.b.c", "eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL3gifQ.", "..", "x", "a.eyJpc3MiOjF9.c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		iss, err := peekIssuer(in)
		if err == nil && (iss == "" || strings.Count(in, ".") != 2) {
			t.Fatalf("peekIssuer(%q) = %q without error", in, iss)
		}
	})
}

// FuzzParseSessionCookie: only the exact form passes.
func FuzzParseSessionCookie(f *testing.F) {
	f.Add(sessionPrefix + strings.Repeat("A", 43))
	f.Add("jcs_")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		if _, ok := parseSessionCookie(in); ok && (len(in) != len(sessionPrefix)+43 || !strings.HasPrefix(in, sessionPrefix)) {
			t.Fatalf("parseSessionCookie(%q) accepted", in)
		}
	})
}

// FuzzParseConfig: any input either fails or yields valid providers.
func FuzzParseConfig(f *testing.F) {
	f.Add(`{"providers":[{"name":"by","label":"Bayern","issuer":"https://login.example","client_id":"jc"}]}`)
	f.Add(`{"providers":[{"name":"b","issuer":"http://127.0.0.1:1","client_id":"x","provision":"buerger"}]}`)
	f.Add(`{}`)
	f.Fuzz(func(t *testing.T, in string) {
		ps, err := ParseConfig([]byte(in), t.TempDir())
		if err != nil {
			return
		}
		for _, p := range ps {
			if !nameRE.MatchString(p.Name) || p.ClientID == "" || checkIssuer(p.Issuer) != nil || (p.Provision != "" && p.Provision.Staff()) || len(p.Audiences) == 0 {
				t.Fatalf("ParseConfig(%q) accepted %+v", in, p)
			}
		}
	})
}
