// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package oidctest runs a real OpenID Provider in-process on 127.0.0.1 for
// tests: the example provider of github.com/zitadel/oidc (an OpenID
// Foundation certified library), with our own users and clients, JWT access
// tokens on request and signing-key rotation. Only tests import it; the
// zitadel example packages are not API-stable and are never linked into the
// server.
package oidctest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// User is a person known to the provider.
type User struct {
	Sub, Username, Password, FirstName, LastName, Email string
	EmailVerified                                       bool
}

// Client is a registered relying party.
type Client struct {
	ID, Secret string
	// RedirectURIs may be added after the start (the server under test
	// learns its port late); see OP.AddRedirect.
	RedirectURIs []string
	// JWTAccess: access tokens are JWTs (RFC 9068 style) rather than opaque.
	JWTAccess bool
}

// OP is a running provider.
type OP struct {
	URL string // issuer
	srv *httptest.Server
	st  *store
}

// Start runs a provider with users and clients until the test ends.
func Start(tb testing.TB, users []User, clients ...Client) *OP {
	tb.Helper()
	srv := httptest.NewUnstartedServer(nil)
	issuer := "http://" + srv.Listener.Addr().String()
	us := userStore{}
	for _, u := range users {
		us[u.Sub] = &storage.User{ID: u.Sub, Username: u.Username, Password: u.Password, FirstName: u.FirstName,
			LastName: u.LastName, Email: u.Email, EmailVerified: u.EmailVerified, PreferredLanguage: language.German}
	}
	st := &store{Storage: storage.NewStorageWithClients(us, map[string]*storage.Client{}), clients: map[string]*Client{}}
	for _, c := range clients {
		st.clients[c.ID] = &c
	}
	st.rotate()
	// A nil logger: SetupServer would otherwise replace slog's default
	// logger. Its request log goes to the default logger; keep that quiet.
	slog.SetLogLoggerLevel(slog.LevelWarn)
	srv.Config.Handler = exampleop.SetupServer(issuer, st, nil, false)
	srv.Start()
	tb.Cleanup(srv.Close)
	return &OP{URL: issuer, srv: srv, st: st}
}

// AddRedirect registers another redirect URI for a client.
func (o *OP) AddRedirect(clientID, uri string) {
	o.st.mu.Lock()
	defer o.st.mu.Unlock()
	c := o.st.clients[clientID]
	c.RedirectURIs = append(c.RedirectURIs, uri)
}

// RotateKey makes a new signing key current. The key set publishes the new
// key and (with keepOld) the previous one.
func (o *OP) RotateKey(keepOld bool) {
	o.st.mu.Lock()
	if !keepOld {
		o.st.keys = nil
	}
	o.st.mu.Unlock()
	o.st.rotate()
}

// userStore implements storage.UserStore.
type userStore map[string]*storage.User

func (u userStore) GetUserByID(id string) *storage.User { return u[id] }
func (u userStore) GetUserByUsername(name string) *storage.User {
	for _, x := range u {
		if x.Username == name {
			return x
		}
	}
	return nil
}
func (u userStore) ExampleClientID() string { return "service" }

// store is the example storage with our clients and rotating keys.
type store struct {
	*storage.Storage
	mu      sync.Mutex
	clients map[string]*Client
	keys    []*signingKey // current last
}

type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k *signingKey) Key() any                                    { return k.key }
func (k *signingKey) ID() string                                  { return k.id }

type publicKey struct{ *signingKey }

func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return &k.key.PublicKey }

func (s *store) rotate() {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	var id [8]byte
	_, _ = rand.Read(id[:])
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = append(s.keys, &signingKey{id: "k" + strings.ToLower(strings.TrimRight(string(appendHex(nil, id[:])), "=")), key: k})
}

func appendHex(dst, b []byte) []byte {
	const hexdig = "0123456789abcdef"
	for _, c := range b {
		dst = append(dst, hexdig[c>>4], hexdig[c&15])
	}
	return dst
}

func (s *store) SigningKey(context.Context) (op.SigningKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keys[len(s.keys)-1], nil
}

func (s *store) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *store) KeySet(context.Context) ([]op.Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []op.Key
	for _, k := range s.keys {
		out = append(out, publicKey{k})
	}
	return out, nil
}

func (s *store) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clients[id]
	if !ok {
		return nil, errors.New("client not found")
	}
	cp := *c
	cp.RedirectURIs = append([]string(nil), c.RedirectURIs...)
	return &client{cp}, nil
}

func (s *store) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clients[id]
	if !ok || c.Secret != secret {
		return errors.New("invalid client")
	}
	return nil
}

// client implements op.Client: a confidential web client.
type client struct{ c Client }

func (c *client) GetID() string                       { return c.c.ID }
func (c *client) RedirectURIs() []string              { return c.c.RedirectURIs }
func (c *client) PostLogoutRedirectURIs() []string    { return nil }
func (c *client) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c *client) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodBasic }
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType {
	return []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken}
}
func (c *client) LoginURL(id string) string { return "/login/username?authRequestID=" + id }
func (c *client) AccessTokenType() op.AccessTokenType {
	if c.c.JWTAccess {
		return op.AccessTokenTypeJWT
	}
	return op.AccessTokenTypeBearer
}
func (c *client) IDTokenLifetime() time.Duration { return time.Hour }
func (c *client) DevMode() bool                  { return true } // http redirect URIs on 127.0.0.1
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) IsScopeAllowed(string) bool           { return false }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return false }
func (c *client) ClockSkew() time.Duration             { return 0 }

var authRequestRE = regexp.MustCompile(`name="id" value="([^"]+)"`)

// Browser is a cookie-keeping client that does not follow redirects, so
// that a test sees (and can tamper with) every step.
func Browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// LogIn follows a redirect to the provider's authorization endpoint with
// browser b, signs in with username and password at the provider's form,
// and returns the URL the provider redirects back to (the relying party's
// callback with code and state), without visiting it.
func LogIn(tb testing.TB, b *http.Client, authorizeURL, username, password string) *url.URL {
	tb.Helper()
	loc := authorizeURL
	for range 10 {
		resp, err := b.Get(loc)
		if err != nil {
			tb.Fatalf("GET %s: %v", loc, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			m := authRequestRE.FindSubmatch(body)
			if m == nil {
				tb.Fatalf("provider page without login form: %s", body)
			}
			form := url.Values{"username": {username}, "password": {password}, "id": {string(m[1])}}
			u, _ := url.Parse(loc)
			resp, err := b.PostForm(u.Scheme+"://"+u.Host+"/login/username", form)
			if err != nil {
				tb.Fatalf("POST login form: %v", err)
			}
			b2, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusFound {
				tb.Fatalf("POST login form = %d %s", resp.StatusCode, b2)
			}
			loc = resolve(tb, loc, resp.Header.Get("Location"))
			continue
		}
		if resp.StatusCode/100 != 3 {
			tb.Fatalf("GET %s = %d %s", loc, resp.StatusCode, body)
		}
		next := resolve(tb, loc, resp.Header.Get("Location"))
		u, _ := url.Parse(next)
		if u.Query().Get("code") != "" || u.Query().Get("error") != "" {
			return u
		}
		loc = next
	}
	tb.Fatalf("no redirect back to the relying party after 10 steps")
	return nil
}

func resolve(tb testing.TB, base, ref string) string {
	tb.Helper()
	b, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := b.Parse(ref)
	if err != nil {
		tb.Fatal(err)
	}
	return r.String()
}
