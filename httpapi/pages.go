// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"net/http"
)

// pageRoute is one HTML page of the login package. The pages are not part
// of the API (and not of openapi.json).
type pageRoute struct {
	method  string
	pattern string
	// session: authenticate runs in its optional mode, so that the page
	// sees who is logged in (and a non-GET request must carry the CSRF token).
	session bool
	// limited: the login rate limit per client IP applies.
	limited bool
	handler http.HandlerFunc
}

// pageRoutes is the route table of the pages; empty without a login service.
func (s *Server) pageRoutes() []pageRoute {
	l := s.deps.Login
	if l == nil {
		return nil
	}
	return []pageRoute{
		{"GET", "/{$}", true, false, l.Landing},
		{"GET", "/login", false, true, l.LoginPage},
		{"GET", "/login/{provider}", false, true, l.Start},
		{"POST", "/login/demo", false, true, l.DemoLogin},
		{"GET", "/auth/callback", false, true, l.Callback},
		{"POST", "/logout", true, false, l.Logout},
		{"GET", "/assets/login.css", false, false, l.Stylesheet},
	}
}

// limitLogin applies the login rate limit of the client's IP.
func (s *Server) limitLogin(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := s.guard.allowLogin(s.guard.clientIP(r)); !ok {
			s.log.WarnContext(r.Context(), "login rate limit", "route", r.Pattern)
			tooMany(w, r, wait, "too many login requests from this address; try again later")
			return
		}
		next(w, r)
	}
}
