// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package httpapi is the REST/JSON edge of the platform under /api/v1: thin
// handlers that decode a request, call a domain service and encode the answer.
// It decides nothing itself: authorization is authz.May, called by the services.
package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"justizcloud/akte"
	"justizcloud/anon"
	"justizcloud/audit"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/frist"
	"justizcloud/identity"
	"justizcloud/login"
	"justizcloud/portal"
	"justizcloud/search"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
	"justizcloud/zustellung"
)

// Deps are the services the handlers call.
type Deps struct {
	Akte   *akte.Service
	Tokens *identity.Tokens
	// Users manages accounts (/api/v1/users); nil: those endpoints answer 500.
	Users   *identity.Users
	Catalog *tenancy.Catalog
	Fristen *frist.Calendar
	// Verfahren runs proceedings; it also creates cases (with their procedure type).
	Verfahren *verfahren.Service
	// Search answers full-text queries over documents and case metadata.
	Search *search.Search
	// XJustiz imports and exports XJustiz messages; nil: those endpoints
	// answer 500.
	XJustiz *XJustiz
	// Anonymize pseudonymizes texts for every tenant; nil: the endpoint
	// answers 500.
	Anonymize *anon.Service
	// Zustellung orders service of documents and records it; nil: those
	// endpoints answer 500.
	Zustellung *zustellung.Service
	// Audit records every request that touches case data (see recordAudit)
	// and answers the /api/v1/audit endpoints; nil: nothing is recorded and
	// those endpoints answer 500.
	Audit *audit.Log
	// Login logs people in with OpenID Connect, keeps their sessions and
	// resolves bearer JWTs; nil: only API tokens authenticate and the pages
	// (/, /login, …) are not served.
	Login *login.Service
	// Portal renders the citizens' pages (/, /antrag/…, /verfahren/…; see
	// docs/portal.md); nil: only the login package's pages are served.
	Portal *portal.Portal
	// Court renders the court's workplace (/gericht/…) and the parties'
	// pages (/zugangscode, /verfahren/{id}/antwort); nil: not served.
	Court *portal.Court
	// Publications renders the review and publication of decisions
	// (/gericht/veroeffentlichungen/…) and the published decisions
	// (/entscheidungen/…); nil: not served. It needs Court.
	Publications *portal.Publications
	// Limits are the login rate limit and the lockout after failed
	// authentications (zero value: the defaults).
	Limits Limits
	// HTTPS: browsers reach the server over https (TLS here or at a proxy
	// in front of it), so responses carry HSTS.
	HTTPS bool
	// Ready reports whether the backends answer; /readyz calls it.
	Ready  func(ctx context.Context) error
	Logger *slog.Logger
}

// Server is the HTTP handler of the API and the ops endpoints.
type Server struct {
	deps     Deps
	log      *slog.Logger
	mux      *http.ServeMux
	inflight sync.WaitGroup
	guard    *guard
}

// New builds the handler with all routes of routes.go.
func New(d Deps) *Server {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{deps: d, log: d.Logger, mux: http.NewServeMux(), guard: newGuard(d.Limits, time.Now)}
	for _, rt := range s.routes() {
		h := rt.handler
		if _, ok := auditActions[rt.method+" "+rt.pattern]; ok && d.Audit != nil {
			h = s.recordAudit(rt.method, rt.pattern, h)
		}
		if rt.auth {
			h = s.authenticate(h)
		}
		s.mux.Handle(rt.method+" "+rt.pattern, h)
	}
	for _, pr := range s.pageRoutes() {
		h := pr.handler
		if pr.session {
			h = s.authn(h, false)
		}
		if pr.limited {
			h = s.limitLogin(h)
		}
		s.mux.Handle(pr.method+" "+pr.pattern, h)
	}
	return s
}

// ServeHTTP adds a request id, recovers panics and logs every request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.inflight.Add(1)
	defer s.inflight.Done()
	start := time.Now()
	id := r.Header.Get("X-Request-Id")
	if !requestIDRE.MatchString(id) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	w.Header().Set("X-Request-Id", id)
	s.securityHeaders(w, r)
	ctx := context.WithValue(r.Context(), requestIDKey{}, id)
	r = r.WithContext(ctx)
	// The API answers every error with a problem document; the pages
	// render their own German error pages.
	var inner http.ResponseWriter = &problemWriter{ResponseWriter: w, r: r}
	if isPage(r.URL.Path) && s.deps.Login != nil {
		inner = w
	}
	rec := &recorder{ResponseWriter: inner, status: http.StatusOK}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.log.ErrorContext(ctx, "panic", "panic", p, "request_id", id)
			if !rec.wrote {
				writeError(rec, r, s.log, fmt.Errorf("panic: %v", p))
			}
		}
		s.log.LogAttrs(ctx, slog.LevelInfo, "request",
			slog.String("request_id", id), slog.String("method", r.Method),
			slog.String("route", r.Pattern), slog.String("path", r.URL.Path),
			slog.Int("status", rec.status), slog.Int64("bytes", rec.bytes),
			slog.Duration("duration", time.Since(start)))
	}()
	s.mux.ServeHTTP(rec, r)
}

// Wait blocks until every request that has started has finished, or ctx ends.
// After http.Server.Close it lets the handlers clean up their uploads.
func (s *Server) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { s.inflight.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

type requestIDKey struct{}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// authenticate resolves the request's credentials to a subject and puts it
// into the context; without valid credentials the request is refused.
func (s *Server) authenticate(next http.HandlerFunc) http.HandlerFunc {
	return s.authn(next, true)
}

// authn is the one place that builds the subject of a request, from
//   - Authorization: Bearer jc_…: an API token (identity.Tokens);
//   - Authorization: Bearer <JWT>: an access token of a configured OpenID
//     provider (login.Service.Bearer);
//   - the session cookie of a browser login (login.Service.Resolve); every
//     request but GET, HEAD and OPTIONS must then carry the session's CSRF
//     token, or it is refused with 403.
//
// A client IP with too many failed bearer authentications is locked out
// (429). With required false (the pages), a request without valid
// credentials goes on without a subject.
func (s *Server) authn(next http.HandlerFunc, required bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if hdr := r.Header.Get("Authorization"); hdr != "" {
			ip := s.guard.clientIP(r)
			if wait := s.guard.lockedFor(ip); wait > 0 {
				tooMany(w, r, wait, "too many failed authentications from this address; try again later")
				return
			}
			scheme, token, ok := strings.Cut(hdr, " ")
			token = strings.TrimSpace(token)
			var sub authz.Subject
			var err error
			switch {
			case !ok || !strings.EqualFold(scheme, "Bearer"):
				err = fmt.Errorf("no bearer token: %w", errs.ErrUnauthenticated)
			case s.deps.Login != nil && login.LooksLikeJWT(token):
				var u identity.User
				if u, err = s.deps.Login.Bearer(ctx, token); err == nil {
					sub = u.Subject()
				}
			default:
				sub, err = s.deps.Tokens.Verify(ctx, token)
			}
			if err != nil {
				if errors.Is(err, errs.ErrUnauthenticated) {
					s.guard.fail(ip)
					s.log.DebugContext(ctx, "authentication failed", "err", err)
				}
				writeError(w, r, s.log, err)
				return
			}
			next(w, r.WithContext(authz.WithSubject(ctx, sub)))
			return
		}
		if s.deps.Login != nil {
			u, sess, had, err := s.deps.Login.Resolve(r)
			switch {
			case err == nil && had:
				if err := login.CheckCSRF(r, sess); err != nil {
					writeError(w, r, s.log, err)
					return
				}
				next(w, r.WithContext(login.WithSession(authz.WithSubject(ctx, u.Subject()), sess)))
				return
			case err != nil && (required || !errors.Is(err, errs.ErrUnauthenticated)):
				writeError(w, r, s.log, err)
				return
			}
		}
		if required {
			writeError(w, r, s.log, fmt.Errorf("no bearer token or session: %w", errs.ErrUnauthenticated))
			return
		}
		next(w, r)
	}
}

// subject returns the authenticated subject; authenticate guarantees one.
func subject(r *http.Request) authz.Subject {
	sub, _ := authz.SubjectFrom(r.Context())
	return sub
}

// recorder remembers the status and size of a response for the access log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// may asks the one decision function about the request's subject.
func (s *Server) may(r *http.Request, a authz.Action, res authz.Resource) error {
	return s.deps.Akte.Authorizer().May(r.Context(), subject(r), a, res)
}
