// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package login_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"justizcloud/login/oidctest"
)

// BenchmarkResolveSession: what a request with a session cookie costs
// (session row by hash, account by ID, on SQLite; no last-seen write).
func BenchmarkResolveSession(b *testing.B) {
	op := mustOP(b)
	p := mustRP(b, op, 30*time.Minute, 12*time.Hour)
	br := oidctest.Browser()
	p.logIn(b, br)
	cookie := sessionCookie(b, br, p.url)
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(&http.Cookie{Name: "jc_session", Value: cookie})
	b.ResetTimer()
	for b.Loop() {
		if _, _, ok, err := p.svc.Resolve(r); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkBearerJWT: what a request with a JWT access token costs
// (RS256 signature, claims, the linked account).
func BenchmarkBearerJWT(b *testing.B) {
	op := mustOP(b)
	p := mustRP(b, op, 30*time.Minute, 12*time.Hour)
	tok := accessToken(b, op, "jc", "jc-secret")
	ctx := context.Background()
	if _, err := p.svc.Bearer(ctx, tok.AccessToken); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := p.svc.Bearer(ctx, tok.AccessToken); err != nil {
			b.Fatal(err)
		}
	}
}
