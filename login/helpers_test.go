// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package login_test

import (
	"crypto/sha256"
	"net/http"
	"net/url"
	"testing"
)

func sessionCookie(t testing.TB, b *http.Client, base string) string {
	t.Helper()
	u, _ := url.Parse(base)
	for _, c := range b.Jar.Cookies(u) {
		if c.Name == "jc_session" {
			return c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

func hashOf(s string) [32]byte { return sha256.Sum256([]byte(s)) }
