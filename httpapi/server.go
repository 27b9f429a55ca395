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
	"justizcloud/search"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
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
	// Audit records every request that touches case data (see recordAudit)
	// and answers the /api/v1/audit endpoints; nil: nothing is recorded and
	// those endpoints answer 500.
	Audit *audit.Log
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
}

// New builds the handler with all routes of routes.go.
func New(d Deps) *Server {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{deps: d, log: d.Logger, mux: http.NewServeMux()}
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
	w.Header().Set("X-Content-Type-Options", "nosniff")
	ctx := context.WithValue(r.Context(), requestIDKey{}, id)
	r = r.WithContext(ctx)
	rec := &recorder{ResponseWriter: &problemWriter{ResponseWriter: w, r: r}, status: http.StatusOK}
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

// authenticate resolves the bearer token to a subject and puts it into the context.
func (s *Server) authenticate(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			writeError(w, r, s.log, fmt.Errorf("no bearer token: %w", errs.ErrUnauthenticated))
			return
		}
		sub, err := s.deps.Tokens.Verify(r.Context(), strings.TrimSpace(token))
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		next(w, r.WithContext(authz.WithSubject(r.Context(), sub)))
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
