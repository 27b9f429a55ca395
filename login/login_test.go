// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package login_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/identity"
	"justizcloud/login"
	"justizcloud/login/oidctest"
	"justizcloud/sqlstore"
	"justizcloud/tenancy"
)

// clock is a settable time source that starts at the real time (the
// provider signs with the real time).
type clock struct {
	mu sync.Mutex
	d  time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.d)
}

func (c *clock) Reset() {
	c.mu.Lock()
	c.d = 0
	c.mu.Unlock()
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.d += d
	c.mu.Unlock()
}

// rp is a relying party under test: the login service on an httptest
// server, with /whoami answering the account of the session.
type rp struct {
	url   string
	svc   *login.Service
	db    *sqlstore.DB
	users *identity.Users
	clock *clock
}

var citizen = oidctest.User{Sub: "sub-anna", Username: "anna", Password: "geheim-anna", FirstName: "Anna",
	LastName: "Muster", Email: "anna@example.org", EmailVerified: true}

func mustRP(t testing.TB, op *oidctest.OP, idle, max time.Duration, extra ...login.ProviderConfig) *rp {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "jc.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cat, err := tenancy.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{}
	users := identity.NewUsers(db, cat, authz.NewAuthorizer(db, c.Now, 0), c.Now)
	srv := httptest.NewUnstartedServer(nil)
	public := "http://" + srv.Listener.Addr().String()
	op.AddRedirect("jc", public+"/auth/callback")
	providers := append([]login.ProviderConfig{{Name: "buerger", Label: "Bürgerkonto", Issuer: op.URL, ClientID: "jc",
		ClientSecret: "jc-secret", Provision: authz.Buerger}}, extra...)
	svc, err := login.New(login.Options{Providers: providers, PublicURL: public, Idle: idle, Max: max,
		Store: db, Users: users, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login/{provider}", svc.Start)
	mux.HandleFunc("GET /auth/callback", svc.Callback)
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		u, _, ok, err := svc.Resolve(r)
		switch {
		case err != nil && errors.Is(err, errs.ErrUnauthenticated):
			http.Error(w, err.Error(), http.StatusUnauthorized)
		case err != nil:
			http.Error(w, err.Error(), http.StatusInternalServerError)
		case !ok:
			http.Error(w, "no session", http.StatusUnauthorized)
		default:
			fmt.Fprint(w, u.ID)
		}
	})
	srv.Config.Handler = mux
	srv.Start()
	t.Cleanup(srv.Close)
	return &rp{url: public, svc: svc, db: db, users: users, clock: c}
}

func mustOP(t testing.TB) *oidctest.OP {
	t.Helper()
	return oidctest.Start(t, []oidctest.User{citizen},
		oidctest.Client{ID: "jc", Secret: "jc-secret", JWTAccess: true},
		oidctest.Client{ID: "other-app", Secret: "other-secret", JWTAccess: true})
}

// start begins a login at the relying party and returns the provider's authorization URL.
func (p *rp) start(t testing.TB, b *http.Client, path string) string {
	t.Helper()
	resp, err := b.Get(p.url + path)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("GET %s = %d, want 303", path, resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

func get(t testing.TB, b *http.Client, u string) (int, string, http.Header) {
	t.Helper()
	resp, err := b.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

// logIn runs the whole flow and returns the account ID.
func (p *rp) logIn(t testing.TB, b *http.Client) string {
	t.Helper()
	cb := oidctest.LogIn(t, b, p.start(t, b, "/login/buerger?return=/akten"), citizen.Username, citizen.Password)
	st, body, h := get(t, b, cb.String())
	if st != http.StatusSeeOther || h.Get("Location") != "/akten" {
		t.Fatalf("callback = %d %s (Location %q), want 303 to /akten", st, body, h.Get("Location"))
	}
	st, body, _ = get(t, b, p.url+"/whoami")
	if st != http.StatusOK || !strings.HasPrefix(body, "usr_") {
		t.Fatalf("whoami = %d %s", st, body)
	}
	return body
}

func TestLoginProvisionsAndLinks(t *testing.T) {
	op := mustOP(t)
	p := mustRP(t, op, 30*time.Minute, 12*time.Hour)
	b := oidctest.Browser()
	id := p.logIn(t, b)
	u, err := p.db.User(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	// The ID token of the example provider carries no e-mail: it came from userinfo.
	if u.Role != authz.Buerger || u.Email != citizen.Email || u.Name != "Anna Muster" {
		t.Errorf("provisioned user = %+v, want a buerger with e-mail %s and name Anna Muster", u, citizen.Email)
	}
	// A second login (another browser) lands on the same account.
	if id2 := p.logIn(t, oidctest.Browser()); id2 != id {
		t.Errorf("second login = %s, want %s", id2, id)
	}
}

func TestCallbackRefusals(t *testing.T) {
	op := mustOP(t)
	p := mustRP(t, op, 30*time.Minute, 12*time.Hour)

	t.Run("wrong state", func(t *testing.T) {
		b := oidctest.Browser()
		cb := oidctest.LogIn(t, b, p.start(t, b, "/login/buerger"), citizen.Username, citizen.Password)
		q := cb.Query()
		q.Set("state", "forged-"+q.Get("state"))
		cb.RawQuery = q.Encode()
		if st, _, _ := get(t, b, cb.String()); st != http.StatusBadRequest {
			t.Errorf("callback with a wrong state = %d, want 400", st)
		}
		if st, _, _ := get(t, b, p.url+"/whoami"); st != http.StatusUnauthorized {
			t.Errorf("whoami after refused callback = %d, want 401", st)
		}
	})
	t.Run("other browser (login CSRF)", func(t *testing.T) {
		b := oidctest.Browser()
		cb := oidctest.LogIn(t, b, p.start(t, b, "/login/buerger"), citizen.Username, citizen.Password)
		victim := oidctest.Browser()
		if st, _, _ := get(t, victim, cb.String()); st != http.StatusBadRequest {
			t.Errorf("callback in a browser that did not start the login = %d, want 400", st)
		}
	})
	t.Run("replayed code", func(t *testing.T) {
		b := oidctest.Browser()
		cb := oidctest.LogIn(t, b, p.start(t, b, "/login/buerger"), citizen.Username, citizen.Password)
		if st, body, _ := get(t, b, cb.String()); st != http.StatusSeeOther {
			t.Fatalf("first callback = %d %s", st, body)
		}
		// The same callback again: its state is used up.
		if st, _, _ := get(t, b, cb.String()); st != http.StatusBadRequest {
			t.Errorf("replayed callback = %d, want 400", st)
		}
		// The old code with a fresh, valid state: the provider refuses it.
		b2 := oidctest.Browser()
		fresh, _ := url.Parse(p.start(t, b2, "/login/buerger"))
		q := cb.Query()
		q.Set("state", fresh.Query().Get("state"))
		cb.RawQuery = q.Encode()
		if st, _, _ := get(t, b2, cb.String()); st != http.StatusUnauthorized {
			t.Errorf("replayed code with a fresh state = %d, want 401", st)
		}
	})
	t.Run("unknown provider", func(t *testing.T) {
		if st, _, _ := get(t, oidctest.Browser(), p.url+"/login/nope"); st != http.StatusNotFound {
			t.Errorf("GET /login/nope = %d, want 404", st)
		}
	})
	t.Run("return path stays local", func(t *testing.T) {
		b := oidctest.Browser()
		cb := oidctest.LogIn(t, b, p.start(t, b, "/login/buerger?return=//evil.example/x"), citizen.Username, citizen.Password)
		if st, _, h := get(t, b, cb.String()); st != http.StatusSeeOther || h.Get("Location") != "/" {
			t.Errorf("callback = %d to %q, want 303 to /", st, h.Get("Location"))
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	op := mustOP(t)
	p := mustRP(t, op, 30*time.Minute, 2*time.Hour)
	b := oidctest.Browser()
	p.logIn(t, b)
	// Active every 20 minutes: the idle limit never strikes, the absolute one does.
	for i := range 5 {
		p.clock.Advance(20 * time.Minute)
		if st, body, _ := get(t, b, p.url+"/whoami"); st != http.StatusOK {
			t.Fatalf("request %d after %v: %d %s", i, time.Duration(i+1)*20*time.Minute, st, body)
		}
	}
	p.clock.Advance(20 * time.Minute) // 2 h after the login
	if st, body, _ := get(t, b, p.url+"/whoami"); st != http.StatusUnauthorized || !strings.Contains(body, "expired") {
		t.Errorf("after the absolute end: %d %s, want 401 expired", st, body)
	}

	p.clock.Reset() // the provider's tokens carry the real time
	b2 := oidctest.Browser()
	p.logIn(t, b2)
	p.clock.Advance(29 * time.Minute)
	if st, _, _ := get(t, b2, p.url+"/whoami"); st != http.StatusOK {
		t.Fatalf("29 min idle: %d, want 200", st)
	}
	p.clock.Advance(30 * time.Minute)
	if st, body, _ := get(t, b2, p.url+"/whoami"); st != http.StatusUnauthorized || !strings.Contains(body, "idle") {
		t.Errorf("30 min idle: %d %s, want 401 idle", st, body)
	}
}

// TestLastSeenThrottled: a request writes last_seen only when the stored
// value is older than a tenth of the idle limit (at most a minute).
func TestLastSeenThrottled(t *testing.T) {
	op := mustOP(t)
	p := mustRP(t, op, 30*time.Minute, 12*time.Hour)
	b := oidctest.Browser()
	p.logIn(t, b)
	c := sessionCookie(t, b, p.url)
	hash := hashOf(c)
	s0, err := p.db.SessionByHash(context.Background(), hash)
	if err != nil {
		t.Fatal(err)
	}
	p.clock.Advance(30 * time.Second)
	get(t, b, p.url+"/whoami")
	if s1, _ := p.db.SessionByHash(context.Background(), hash); !s1.LastSeen.Equal(s0.LastSeen) {
		t.Errorf("last seen written after 30 s: %v → %v", s0.LastSeen, s1.LastSeen)
	}
	p.clock.Advance(31 * time.Second)
	get(t, b, p.url+"/whoami")
	if s2, _ := p.db.SessionByHash(context.Background(), hash); !s2.LastSeen.After(s0.LastSeen) {
		t.Errorf("last seen not written after 61 s")
	}
}

func TestDisabledUserStopsAtOnce(t *testing.T) {
	op := mustOP(t)
	p := mustRP(t, op, 30*time.Minute, 12*time.Hour)
	b := oidctest.Browser()
	id := p.logIn(t, b)
	ctx := context.Background()
	u, err := p.db.User(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	u.DisabledAt = time.Now()
	if err := p.db.UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if st, _, _ := get(t, b, p.url+"/whoami"); st != http.StatusUnauthorized {
		t.Errorf("session of a disabled user = %d, want 401", st)
	}
}

// accessToken runs the code flow as client id at the provider and returns
// the token response (a JWT access token).
func accessToken(t testing.TB, op *oidctest.OP, id, secret string) *oauth2.Token {
	t.Helper()
	redirect := "http://127.0.0.1:1/cb-" + id
	op.AddRedirect(id, redirect)
	cfg := &oauth2.Config{ClientID: id, ClientSecret: secret, RedirectURL: redirect, Scopes: []string{"openid", "email"},
		Endpoint: oauth2.Endpoint{AuthURL: op.URL + "/auth", TokenURL: op.URL + "/oauth/token"}}
	v := oauth2.GenerateVerifier()
	cb := oidctest.LogIn(t, oidctest.Browser(), cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(v)), citizen.Username, citizen.Password)
	tok, err := cfg.Exchange(context.Background(), cb.Query().Get("code"), oauth2.VerifierOption(v))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestBearerJWT(t *testing.T) {
	op := mustOP(t)
	p := mustRP(t, op, 30*time.Minute, 12*time.Hour)
	ctx := context.Background()
	tok := accessToken(t, op, "jc", "jc-secret")
	if strings.Count(tok.AccessToken, ".") != 2 {
		t.Fatalf("access token is no JWT")
	}
	u, err := p.svc.Bearer(ctx, tok.AccessToken)
	if err != nil {
		t.Fatalf("Bearer(access token) = %v", err)
	}
	if u.Role != authz.Buerger || u.Email != citizen.Email {
		t.Errorf("Bearer user = %+v, want the provisioned buerger (e-mail from userinfo)", u)
	}
	// Key rotation: the provider signs with a new key; the relying party
	// fetches the key set again when it meets the new key ID.
	op.RotateKey(false)
	tok2 := accessToken(t, op, "jc", "jc-secret")
	if u2, err := p.svc.Bearer(ctx, tok2.AccessToken); err != nil || u2.ID != u.ID {
		t.Errorf("Bearer after key rotation = %v, %v; want %s", u2.ID, err, u.ID)
	}
	// The old key is gone from the key set: a token signed with it no longer verifies.
	if _, err := p.svc.Bearer(ctx, tok.AccessToken); !errors.Is(err, errs.ErrUnauthenticated) {
		t.Errorf("Bearer with a token of a retired key = %v, want ErrUnauthenticated", err)
	}
	refusals := map[string]string{
		"wrong audience": accessToken(t, op, "other-app", "other-secret").AccessToken,
		"ID token":       tok2.Extra("id_token").(string),
		"tampered":       tok2.AccessToken[:len(tok2.AccessToken)-4] + "AAAA",
		"unknown issuer": "eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2V2aWwuZXhhbXBsZSJ9.",
		"garbage":        "a.b.c",
	}
	for name, raw := range refusals {
		if _, err := p.svc.Bearer(ctx, raw); !errors.Is(err, errs.ErrUnauthenticated) {
			t.Errorf("Bearer(%s) = %v, want ErrUnauthenticated", name, err)
		}
	}
}

func TestCheckCSRF(t *testing.T) {
	sess := login.Session{CSRF: "tok-123"}
	for _, c := range []struct {
		method, ctype, body, header string
		ok                          bool
	}{
		{"GET", "", "", "", true},
		{"HEAD", "", "", "", true},
		{"POST", "application/json", `{}`, "", false},
		{"POST", "application/json", `{}`, "tok-123", true},
		{"POST", "application/json", `{}`, "tok-124", false},
		{"DELETE", "", "", "", false},
		{"POST", "application/x-www-form-urlencoded", "csrf=tok-123", "", true},
		{"POST", "application/x-www-form-urlencoded", "csrf=tok-12", "", false},
		{"POST", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok-123\r\n--x--\r\n", "", false},
	} {
		r := httptest.NewRequest(c.method, "/x", strings.NewReader(c.body))
		if c.ctype != "" {
			r.Header.Set("Content-Type", c.ctype)
		}
		if c.header != "" {
			r.Header.Set("X-CSRF-Token", c.header)
		}
		err := login.CheckCSRF(r, sess)
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, errs.ErrForbidden)) {
			t.Errorf("CheckCSRF(%s %s %q, header %q) = %v, want ok=%v", c.method, c.ctype, c.body, c.header, err, c.ok)
		}
	}
}
