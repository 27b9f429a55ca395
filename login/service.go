// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package login

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"justizcloud/errs"
	"justizcloud/identity"
)

// Options configure a Service.
type Options struct {
	Providers []ProviderConfig
	// PublicURL is the origin browsers reach the server at (scheme, host and
	// port, no path), e.g. https://justizcloud.example.de; the callback is
	// PublicURL/auth/callback.
	PublicURL string
	// TLS: the server itself terminates TLS. With TLS or an https PublicURL
	// the cookies are Secure and carry the __Host- prefix.
	TLS bool
	// Idle ends a session after this long without a request (default 30 min);
	// Max ends it this long after the login, however active (default 12 h).
	Idle, Max time.Duration
	Store     Store
	Users     *identity.Users
	Logger    *slog.Logger
	Now       func() time.Time
	// Client makes the calls to the providers (discovery, keys, token,
	// userinfo); default: a client with a 10 s timeout.
	Client *http.Client
	// Demo lists accounts one may log in as without a provider (for trying
	// the platform out; the caller decides when that is safe).
	Demo []DemoAccount
}

// Service logs people in with OpenID Connect and keeps their sessions. It
// resolves session cookies and bearer JWTs to accounts; httpapi's
// authenticate turns those into subjects. Safe for concurrent use.
type Service struct {
	providers  []*provider
	byName     map[string]*provider
	store      Store
	users      *identity.Users
	log        *slog.Logger
	now        func() time.Time
	idle, max  time.Duration
	touchEvery time.Duration
	secure     bool
	public     *url.URL
	demo       []DemoAccount
}

// Cookie names. Over https they carry the __Host- prefix, which makes the
// browser insist on Secure, Path=/ and no Domain, so that no sibling host
// can set or shadow them; over plain http (local development, tests) a
// __Host- cookie would be dropped by the browser, so the bare name is used.
const (
	sessionCookie = "jc_session"
	pendingCookie = "jc_login"
	hostPrefix    = "__Host-"
	// pendingTTL is how long a started login may take at the provider.
	pendingTTL = 10 * time.Minute
	// sessionPrefix marks session cookie values, so that secret scanners find leaked ones.
	sessionPrefix = "jcs_"
)

// New checks the options and returns the service. Providers are discovered
// at their first use.
func New(o Options) (*Service, error) {
	if o.Store == nil || o.Users == nil {
		return nil, fmt.Errorf("login: %w: store and users are required", errs.ErrInvalid)
	}
	pub, err := url.Parse(o.PublicURL)
	if err != nil || (pub.Scheme != "http" && pub.Scheme != "https") || pub.Host == "" || strings.TrimSuffix(pub.Path, "/") != "" || pub.RawQuery != "" {
		return nil, fmt.Errorf("login: %w: public URL %q must be http(s)://host[:port] without path", errs.ErrInvalid, o.PublicURL)
	}
	pub.Path = ""
	if o.Idle <= 0 {
		o.Idle = 30 * time.Minute
	}
	if o.Max <= 0 {
		o.Max = 12 * time.Hour
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 10 * time.Second}
	}
	s := &Service{store: o.Store, users: o.Users, log: o.Logger, now: o.Now, idle: o.Idle, max: o.Max,
		touchEvery: min(time.Minute, o.Idle/10), secure: o.TLS || pub.Scheme == "https", public: pub,
		byName: map[string]*provider{}, demo: o.Demo}
	for _, c := range o.Providers {
		if err := c.validate(); err != nil {
			return nil, fmt.Errorf("login: provider %s: %w", c.Name, err)
		}
		if s.byName[c.Name] != nil {
			return nil, fmt.Errorf("login: %w: provider name %q twice", errs.ErrInvalid, c.Name)
		}
		p := &provider{cfg: c, redirectURL: pub.String() + "/auth/callback", client: o.Client, now: o.Now}
		s.providers = append(s.providers, p)
		s.byName[c.Name] = p
	}
	return s, nil
}

// Secure reports whether cookies are Secure (TLS or an https public URL);
// HSTS is sent on the same condition.
func (s *Service) Secure() bool { return s.secure }

// SessionCookieName is the name of the session cookie.
func (s *Service) SessionCookieName() string { return s.cookieName(sessionCookie) }

func (s *Service) cookieName(base string) string {
	if s.secure {
		return hostPrefix + base
	}
	return base
}

func (s *Service) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(name), Value: value, Path: "/", MaxAge: maxAge,
		Secure: s.secure, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// randomToken returns n random bytes, base64url without padding.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// parseSessionCookie checks the form of a session cookie value: the prefix
// and 32 bytes in base64url. It returns the hash to look up.
func parseSessionCookie(v string) ([32]byte, bool) {
	raw, ok := strings.CutPrefix(v, sessionPrefix)
	if !ok || len(raw) != 43 {
		return [32]byte{}, false
	}
	if _, err := base64.RawURLEncoding.DecodeString(raw); err != nil {
		return [32]byte{}, false
	}
	return sha256.Sum256([]byte(v)), true
}

// Resolve returns the account and session of the request's session cookie.
// Without a session cookie ok is false and err nil. An unknown, expired or
// idle session, or a disabled account, yields errs.ErrUnauthenticated; the
// expired session is deleted. The last-seen time is written at most every
// touchEvery, not on every request.
func (s *Service) Resolve(r *http.Request) (u identity.User, sess Session, ok bool, err error) {
	c, cerr := r.Cookie(s.SessionCookieName())
	if cerr != nil || c.Value == "" {
		return identity.User{}, Session{}, false, nil
	}
	ctx := r.Context()
	hash, valid := parseSessionCookie(c.Value)
	if !valid {
		return identity.User{}, Session{}, true, fmt.Errorf("session: malformed cookie: %w", errs.ErrUnauthenticated)
	}
	sess, err = s.store.SessionByHash(ctx, hash)
	if errors.Is(err, errs.ErrNotFound) {
		return identity.User{}, Session{}, true, fmt.Errorf("session: unknown: %w", errs.ErrUnauthenticated)
	}
	if err != nil {
		return identity.User{}, Session{}, true, err
	}
	now := s.now()
	var why string
	switch {
	case !now.Before(sess.Expires):
		why = "expired"
	case now.Sub(sess.LastSeen) >= s.idle:
		why = "idle"
	}
	if why != "" {
		if derr := s.store.DeleteSession(ctx, hash); derr != nil {
			s.log.WarnContext(ctx, "delete ended session", "err", derr)
		}
		return identity.User{}, Session{}, true, fmt.Errorf("session: %s: %w", why, errs.ErrUnauthenticated)
	}
	u, err = s.users.Active(ctx, sess.User)
	if err != nil {
		if errors.Is(err, errs.ErrUnauthenticated) {
			if derr := s.store.DeleteSession(ctx, hash); derr != nil {
				s.log.WarnContext(ctx, "delete session of inactive user", "err", derr)
			}
		}
		return identity.User{}, Session{}, true, fmt.Errorf("session: %w", err)
	}
	if now.Sub(sess.LastSeen) >= s.touchEvery {
		if err := s.store.TouchSession(ctx, hash, now); err != nil {
			s.log.WarnContext(ctx, "touch session", "err", err)
		}
		sess.LastSeen = now
	}
	return u, sess, true, nil
}

// CheckCSRF lets safe methods (GET, HEAD, OPTIONS) pass and requires the
// session's CSRF token on every other request: header X-CSRF-Token, or the
// form field csrf of an application/x-www-form-urlencoded body (other bodies,
// such as uploads, must use the header). Missing or wrong: errs.ErrForbidden.
func CheckCSRF(r *http.Request, sess Session) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	tok := r.Header.Get("X-CSRF-Token")
	if tok == "" && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		r.Body = http.MaxBytesReader(nil, r.Body, 64<<10)
		if err := r.ParseForm(); err == nil {
			tok = r.PostForm.Get("csrf")
		}
	}
	if tok == "" || sess.CSRF == "" || subtle.ConstantTimeCompare([]byte(tok), []byte(sess.CSRF)) != 1 {
		return fmt.Errorf("csrf token missing or wrong: %w", errs.ErrForbidden)
	}
	return nil
}

// newSession creates a session for user and returns the cookie value.
func (s *Service) newSession(ctx context.Context, user, provider string) (string, Session, error) {
	secret := sessionPrefix + randomToken(32)
	now := s.now()
	sess := Session{Hash: sha256.Sum256([]byte(secret)), User: user, Provider: provider, CSRF: randomToken(32),
		CreatedAt: now, LastSeen: now, Expires: now.Add(s.max)}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return "", Session{}, err
	}
	return secret, sess, nil
}

// Sweep removes ended sessions and abandoned pending logins; serve calls it
// every few minutes.
func (s *Service) Sweep(ctx context.Context) (int64, error) {
	now := s.now()
	return s.store.SweepSessions(ctx, now, now.Add(-s.idle))
}

type sessionKey struct{}

// WithSession returns ctx carrying the request's session; authenticate sets
// it for cookie-authenticated requests.
func WithSession(ctx context.Context, s Session) context.Context {
	return context.WithValue(ctx, sessionKey{}, s)
}

// SessionFrom returns the session set by WithSession.
func SessionFrom(ctx context.Context) (Session, bool) {
	s, ok := ctx.Value(sessionKey{}).(Session)
	return s, ok
}
