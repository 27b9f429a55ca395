// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"justizcloud/login/oidctest"
)

// loginWorld is a server with two real OpenID providers in-process: a
// citizens' provider (accounts are provisioned as buerger) and Bavaria's
// staff directory (accounts must exist beforehand).
type loginWorld struct {
	srv     *testServer
	logs    *syncBuffer
	citizen *oidctest.OP
	staff   *oidctest.OP
	secrets []string // every secret the test sees: none may appear in the log
	mu      sync.Mutex
}

var (
	erikaOP = oidctest.User{Sub: "b-4711", Username: "erika", Password: "pw-erika-7f3a9", FirstName: "Erika",
		LastName: "Mustermann", Email: "erika@example.org", EmailVerified: true}
	maxOP = oidctest.User{Sub: "b-4712", Username: "max", Password: "pw-max-1c9e2", FirstName: "Max",
		LastName: "Muster", Email: "max@example.org", EmailVerified: true}
	fremdOP = oidctest.User{Sub: "s-0001", Username: "fremd", Password: "pw-fremd-88d1", FirstName: "Fritz",
		LastName: "Fremd", Email: "fremd@justiz.example", EmailVerified: true}
)

const (
	citizenSecret = "cs-citizen-2b7e151628aed2a6"
	staffSecret   = "cs-staff-abf7158809cf4f3c"
)

func (w *loginWorld) secret(s ...string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, x := range s {
		if x != "" {
			w.secrets = append(w.secrets, x)
		}
	}
}

// startLoginWorld starts the providers and the server (logging at debug
// level into a buffer) with extra serve flags.
func startLoginWorld(t *testing.T, extra ...string) *loginWorld {
	t.Helper()
	w := &loginWorld{logs: &syncBuffer{}}
	w.citizen = oidctest.Start(t, []oidctest.User{erikaOP, maxOP},
		oidctest.Client{ID: "justizcloud", Secret: citizenSecret, JWTAccess: true},
		oidctest.Client{ID: "other-app", Secret: "cs-other-3c4fcf098815", JWTAccess: true})
	w.staff = oidctest.Start(t, []oidctest.User{fremdOP}, oidctest.Client{ID: "justizcloud", Secret: staffSecret})
	w.secret(citizenSecret, staffSecret, "cs-other-3c4fcf098815", erikaOP.Password, maxOP.Password, fremdOP.Password)
	dir := t.TempDir()
	for name, s := range map[string]string{"citizen.secret": citizenSecret, "staff.secret": staffSecret} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg := fmt.Sprintf(`{"providers": [
		{"name": "buerger", "label": "Bürgerkonto (Test)", "issuer": %q, "client_id": "justizcloud",
		 "client_secret_file": "citizen.secret", "scopes": ["email", "profile"], "provision": "buerger"},
		{"name": "by-justiz", "label": "Justiz Bayern – Beschäftigte", "issuer": %q, "client_id": "justizcloud",
		 "client_secret_file": "staff.secret"}]}`, w.citizen.URL, w.staff.URL)
	cfgPath := filepath.Join(dir, "oidc.json")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	w.srv = startServeLogs(t, t.TempDir(), w.logs, append([]string{"--demo=false", "--log-level", "debug", "--oidc-config", cfgPath}, extra...)...)
	w.citizen.AddRedirect("justizcloud", w.srv.url+"/auth/callback")
	w.staff.AddRedirect("justizcloud", w.srv.url+"/auth/callback")
	return w
}

// startServeLogs is startServe with the server's log kept in logs.
func startServeLogs(t *testing.T, data string, logs *syncBuffer, extra ...string) *testServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data}, extra...)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, func(string) string { return "" }, nil, &out, logs) }()
	re := regexp.MustCompile(`listens on (https?://\S+)`)
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			ts := &testServer{url: m[1], data: data}
			var once sync.Once
			ts.stop = func() {
				once.Do(func() {
					cancel()
					if err := <-done; err != nil {
						t.Errorf("serve: %v", err)
					}
				})
			}
			t.Cleanup(ts.stop)
			return ts
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve ended early: %v\n%s", err, logs.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start\n%s", logs.String())
		}
	}
}

// browser is a cookie-keeping client that does not follow redirects.
type browser struct {
	t *testing.T
	w *loginWorld
	c *http.Client
}

func (w *loginWorld) browser(t *testing.T) *browser {
	return &browser{t: t, w: w, c: oidctest.Browser()}
}

func (b *browser) do(method, path string, body io.Reader, hdr map[string]string) (*http.Response, string) {
	b.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = b.w.srv.url + path
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		b.t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, string(raw)
}

func (b *browser) expect(want int, method, path string, body io.Reader, hdr map[string]string) (*http.Response, string) {
	b.t.Helper()
	resp, s := b.do(method, path, body, hdr)
	if resp.StatusCode != want {
		b.t.Fatalf("%s %s = %d %s, want %d", method, path, resp.StatusCode, s, want)
	}
	return resp, s
}

func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.w.srv.url)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// logIn goes through the provider's login form like a person: the
// server's redirect, the provider's form, the callback. It returns the
// callback URL (with code and state) and records every secret on the way.
func (b *browser) logIn(provider string, u oidctest.User, op *oidctest.OP) *url.URL {
	b.t.Helper()
	resp, _ := b.expect(http.StatusSeeOther, "GET", "/login/"+provider, nil, nil)
	authz := resp.Header.Get("Location")
	au, _ := url.Parse(authz)
	if !strings.HasPrefix(authz, op.URL) || au.Query().Get("code_challenge_method") != "S256" || au.Query().Get("nonce") == "" {
		b.t.Fatalf("redirect to %s: want the provider's endpoint with PKCE S256 and a nonce", authz)
	}
	b.w.secret(au.Query().Get("state"), au.Query().Get("nonce"), b.cookie("jc_login"))
	cb := oidctest.LogIn(b.t, b.c, authz, u.Username, u.Password)
	b.w.secret(cb.Query().Get("code"))
	return cb
}

// finish visits the callback and returns the page it redirects to.
func (b *browser) finish(cb *url.URL) string {
	b.t.Helper()
	resp, body := b.do("GET", cb.String(), nil, nil)
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("callback = %d %s", resp.StatusCode, body)
	}
	var sc *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "jc_session" && c.Value != "" {
			sc = c
		}
	}
	if sc == nil || !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Path != "/" || sc.Secure {
		b.t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Lax, Path=/ (not Secure over http)", sc)
	}
	b.w.secret(sc.Value)
	return resp.Header.Get("Location")
}

// csrf reads the CSRF token from the landing page's logout form.
func (b *browser) csrf() string {
	b.t.Helper()
	_, page := b.expect(200, "GET", "/", nil, nil)
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		b.t.Fatalf("landing page without logout form:\n%s", page)
	}
	b.w.secret(m[1])
	return m[1]
}

func caseIDs(t *testing.T, body string) []string {
	t.Helper()
	var l listResp
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	ids := l.ids()
	slices.Sort(ids)
	return ids
}

// jwtFor runs the code flow at op as client id for user and returns the
// tokens (the access token is a JWT).
func jwtFor(t *testing.T, op *oidctest.OP, id, secret string, u oidctest.User) *oauth2.Token {
	t.Helper()
	redirect := "http://127.0.0.1:9/cli-" + id
	op.AddRedirect(id, redirect)
	cfg := &oauth2.Config{ClientID: id, ClientSecret: secret, RedirectURL: redirect, Scopes: []string{"openid", "email"},
		Endpoint: oauth2.Endpoint{AuthURL: op.URL + "/auth", TokenURL: op.URL + "/oauth/token"}}
	v := oauth2.GenerateVerifier()
	cb := oidctest.LogIn(t, oidctest.Browser(), cfg.AuthCodeURL("cli-state", oauth2.S256ChallengeOption(v)), u.Username, u.Password)
	tok, err := cfg.Exchange(context.Background(), cb.Query().Get("code"), oauth2.VerifierOption(v))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestLoginEndToEnd: a citizen logs in through the real provider and sees
// exactly her proceedings, by session cookie and by JWT bearer token; CSRF,
// logout, wrong audiences, headers; and no secret of the whole run is in
// the server's debug log.
func TestLoginEndToEnd(t *testing.T) {
	w := startLoginWorld(t)
	data := w.srv.data
	adminTok := mustToken(t, data, "DE-BY", "landesadmin")
	gsTok := mustToken(t, data, "DE-BY", "geschaeftsstelle", "--court", "D2601")
	w.secret(adminTok, gsTok)
	admin := client{t, w.srv.url, adminTok}
	gs := client{t, w.srv.url, gsTok}

	// Erika's account exists before her first login (linked by her verified
	// e-mail); she is a party to proceeding A only.
	var erika idResp
	admin.expect(201, "POST", "/api/v1/users", jsonBody(map[string]string{"role": "buerger", "name": "Erika Mustermann", "email": "erika@example.org"}), jsonHdr, &erika)
	caseA, caseB := createCase(t, gs), createCase(t, gs)
	gs.expect(201, "POST", "/api/v1/cases/"+caseA+"/participants", jsonBody(map[string]string{"role": "klaeger", "name": "Erika Mustermann", "account": "user:" + erika.ID}), jsonHdr, nil)

	b := w.browser(t)
	resp, page := b.expect(200, "GET", "/login", nil, nil)
	for _, want := range []string{"Bürgerkonto (Test)", "Justiz Bayern – Beschäftigte", `href="/login/buerger"`} {
		if !strings.Contains(page, want) {
			t.Errorf("login page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script") || strings.Contains(page, "style=") {
		t.Errorf("login page has inline script or style")
	}
	checkHeaders(t, resp, true)

	// Not logged in: the API refuses, the landing page offers the login.
	b.expect(401, "GET", "/api/v1/cases", nil, nil)
	if _, page := b.expect(200, "GET", "/", nil, nil); !strings.Contains(page, "nicht angemeldet") {
		t.Errorf("landing page before login:\n%s", page)
	}

	if to := b.finish(b.logIn("buerger", erikaOP, w.citizen)); to != "/" {
		t.Errorf("after login redirected to %q, want /", to)
	}
	_, page = b.expect(200, "GET", "/konto", nil, nil) // the account page; "/" is the portal
	if !strings.Contains(page, "Erika Mustermann") || !strings.Contains(page, erika.ID) || !strings.Contains(page, "Bürgerkonto (Test)") {
		t.Errorf("landing page after login:\n%s", page)
	}
	csrf := b.csrf()
	resp, body := b.expect(200, "GET", "/api/v1/cases", nil, nil)
	if got := caseIDs(t, body); !slices.Equal(got, []string{caseA}) {
		t.Errorf("cases by session = %v, want exactly [%s] (not %s)", got, caseA, caseB)
	}
	checkHeaders(t, resp, false)
	if _, body := b.expect(200, "GET", "/api/v1/me", nil, nil); !strings.Contains(body, erika.ID) {
		t.Errorf("/me = %s, want %s", body, erika.ID)
	}

	// A state-changing request with the cookie needs the CSRF token.
	part := jsonBody(map[string]string{"role": "zeuge", "name": "X"})
	b.expect(403, "POST", "/api/v1/cases/"+caseB+"/participants", part, jsonHdr)
	b.expect(404, "POST", "/api/v1/cases/no-such-case/participants", jsonBody(map[string]string{"role": "zeuge", "name": "X"}),
		map[string]string{"Content-Type": "application/json", "X-CSRF-Token": csrf})
	b.expect(403, "POST", "/api/v1/cases/no-such-case/participants", jsonBody(map[string]string{"role": "zeuge", "name": "X"}),
		map[string]string{"Content-Type": "application/json", "X-CSRF-Token": csrf + "x"})

	// JWT access tokens of the citizens' provider work as bearer tokens.
	tok := jwtFor(t, w.citizen, "justizcloud", citizenSecret, erikaOP)
	idTok, _ := tok.Extra("id_token").(string)
	w.secret(tok.AccessToken, tok.RefreshToken, idTok)
	jwt := client{t, w.srv.url, tok.AccessToken}
	var list listResp
	jwt.expect(200, "GET", "/api/v1/cases", nil, nil, &list)
	if got := list.ids(); !slices.Equal(got, []string{caseA}) {
		t.Errorf("cases by JWT = %v, want [%s]", got, caseA)
	}
	other := jwtFor(t, w.citizen, "other-app", "cs-other-3c4fcf098815", erikaOP)
	w.secret(other.AccessToken)
	client{t, w.srv.url, other.AccessToken}.expect(401, "GET", "/api/v1/cases", nil, nil, nil)
	client{t, w.srv.url, idTok}.expect(401, "GET", "/api/v1/cases", nil, nil, nil)
	// A few wrong API tokens (fewer than the lockout needs).
	for _, bad := range []string{"jc_wrong0000000000000000000000000000000000001", "jc_wrong0000000000000000000000000000000000002"} {
		w.secret(bad)
		client{t, w.srv.url, bad}.expect(401, "GET", "/api/v1/cases", nil, nil, nil)
	}

	// A staff member unknown to the Justizcloud is refused: the staff
	// directory provisions no accounts.
	s := w.browser(t)
	resp, page = s.do("GET", s.logIn("by-justiz", fremdOP, w.staff).String(), nil, nil)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "kein (aktives) Konto") || s.cookie("jc_session") != "" {
		t.Errorf("unknown staff login = %d, session %q:\n%s", resp.StatusCode, s.cookie("jc_session"), page)
	}

	// Logout needs the CSRF token, ends the session on the server and
	// clears the cookie; the old cookie no longer works.
	old := b.cookie("jc_session")
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	b.expect(403, "POST", "/logout", strings.NewReader("csrf=wrong"), form)
	resp, _ = b.expect(303, "POST", "/logout", strings.NewReader("csrf="+url.QueryEscape(csrf)), form)
	if b.cookie("jc_session") != "" || resp.Header.Get("Location") != "/" {
		t.Errorf("after logout: cookie %q, Location %q", b.cookie("jc_session"), resp.Header.Get("Location"))
	}
	b.expect(401, "GET", "/api/v1/cases", nil, map[string]string{"Cookie": "jc_session=" + old})

	// The citizens' provider provisions Max at his first login; he sees nothing.
	m := w.browser(t)
	m.finish(m.logIn("buerger", maxOP, w.citizen))
	_, body = m.expect(200, "GET", "/api/v1/cases", nil, nil)
	if got := caseIDs(t, body); len(got) != 0 {
		t.Errorf("cases of a fresh citizen = %v, want none", got)
	}
	m.csrf()

	// Disabling Erika stops her JWT at once.
	admin.expect(200, "PATCH", "/api/v1/users/"+erika.ID, jsonBody(map[string]bool{"disabled": true}), jsonHdr, nil)
	jwt.expect(401, "GET", "/api/v1/cases", nil, nil, nil)

	w.srv.stop()
	logs := w.logs.String()
	if !strings.Contains(logs, "level=DEBUG") || !strings.Contains(logs, "msg=login") || !strings.Contains(logs, "authentication failed") {
		t.Fatalf("the log is not at debug level or lacks the logins:\n%s", logs)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.secrets) < 20 {
		t.Fatalf("only %d secrets collected", len(w.secrets))
	}
	for _, sec := range w.secrets {
		if strings.Contains(logs, sec) {
			t.Errorf("the server log contains a secret (%.6s…)", sec)
		}
	}
	t.Logf("%d secrets checked against %d bytes of debug log", len(w.secrets), len(logs))
}

// checkHeaders checks the security headers of a page or an API answer.
func checkHeaders(t *testing.T, resp *http.Response, page bool) {
	t.Helper()
	h := resp.Header
	want := map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}
	for k, v := range want {
		if h.Get(k) != v {
			t.Errorf("%s: %s = %q, want %q", resp.Request.URL.Path, k, h.Get(k), v)
		}
	}
	csp := h.Get("Content-Security-Policy")
	for _, d := range []string{"frame-ancestors 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("%s: CSP %q lacks %s", resp.Request.URL.Path, csp, d)
		}
	}
	if page && (!strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline")) {
		t.Errorf("page CSP %q", csp)
	}
	if !page && !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("API CSP %q", csp)
	}
	if h.Get("Strict-Transport-Security") != "" {
		t.Errorf("HSTS over plain http: %q", h.Get("Strict-Transport-Security"))
	}
}

// TestLoginLimits: the login endpoints are rate-limited per IP, and
// repeated failed bearer authentications lock the IP out (429 with
// Retry-After), even for a valid token.
func TestLoginLimits(t *testing.T) {
	w := startLoginWorld(t, "--login-rate", "4", "--auth-fail-limit", "3", "--auth-lockout", "2m")
	b := w.browser(t)
	for i := range 4 {
		b.expect(200, "GET", "/login", nil, nil)
		_ = i
	}
	resp, _ := b.expect(429, "GET", "/login", nil, nil)
	if resp.Header.Get("Retry-After") == "" {
		t.Errorf("429 without Retry-After")
	}
	b.expect(429, "GET", "/auth/callback?state=x&code=y", nil, nil)

	good := mustToken(t, w.srv.data, "DE-BY", "geschaeftsstelle", "--court", "D2601")
	client{t, w.srv.url, good}.expect(200, "GET", "/api/v1/cases", nil, nil, nil)
	for range 3 {
		client{t, w.srv.url, "jc_bad"}.expect(401, "GET", "/api/v1/cases", nil, nil, nil)
	}
	resp, _ = b.expect(429, "GET", "/api/v1/cases", nil, map[string]string{"Authorization": "Bearer " + good})
	if ra := resp.Header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("lockout Retry-After = %q", ra)
	}
	if !strings.Contains(w.logs.String(), "login rate limit") {
		t.Errorf("the rate limit is not logged")
	}
}

// TestSessionExpiryServe: a session unused for --session-idle ends, and an
// active one ends --session-max after the login.
func TestSessionExpiryServe(t *testing.T) {
	t.Run("idle", func(t *testing.T) {
		t.Parallel()
		w := startLoginWorld(t, "--session-idle", "1s")
		b := w.browser(t)
		b.finish(b.logIn("buerger", maxOP, w.citizen))
		b.expect(200, "GET", "/api/v1/me", nil, nil)
		time.Sleep(1100 * time.Millisecond)
		b.expect(401, "GET", "/api/v1/me", nil, nil)
	})
	t.Run("absolute", func(t *testing.T) {
		t.Parallel()
		w := startLoginWorld(t, "--session-max", "2s")
		b := w.browser(t)
		b.finish(b.logIn("buerger", maxOP, w.citizen))
		old := b.cookie("jc_session")
		start := time.Now()
		for time.Since(start) < 1500*time.Millisecond {
			b.expect(200, "GET", "/api/v1/me", nil, nil)
			time.Sleep(300 * time.Millisecond)
		}
		time.Sleep(time.Until(start.Add(2100 * time.Millisecond)))
		// The browser drops the cookie at its Max-Age; the server refuses it too.
		b.expect(401, "GET", "/api/v1/me", nil, map[string]string{"Cookie": "jc_session=" + old})
	})
}
