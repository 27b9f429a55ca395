// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"net/http"
	"strings"
)

// pageRoute is one HTML page of the login package or the portal. The pages
// are not part of the API (and not of openapi.json).
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

// pageRoutes is the route table of the pages; empty without a login
// service. With the portal, "/" is its start page and the login package's
// account page moves to /konto.
func (s *Server) pageRoutes() []pageRoute {
	l := s.deps.Login
	if l == nil {
		return nil
	}
	routes := []pageRoute{
		{"GET", "/login", false, true, l.LoginPage},
		{"GET", "/login/{provider}", false, true, l.Start},
		{"POST", "/login/demo", false, true, l.DemoLogin},
		{"GET", "/auth/callback", false, true, l.Callback},
		{"POST", "/logout", true, false, l.Logout},
		{"GET", "/assets/login.css", false, false, l.Stylesheet},
	}
	p := s.deps.Portal
	if p == nil {
		return append(routes, pageRoute{"GET", "/{$}", true, false, l.Landing})
	}
	return append(append(routes, []pageRoute{
		{"GET", "/{$}", true, false, p.Start},
		{"GET", "/konto", true, false, l.Landing},
		{"GET", "/assets/{version}/{name...}", false, false, p.Assets().ServeHTTP},
		{"GET", "/impressum", true, false, p.Info},
		{"GET", "/datenschutz", true, false, p.Info},
		{"GET", "/barrierefreiheit", true, false, p.Info},
		{"GET", "/antrag/{name}", true, false, p.Overview},
		{"POST", "/antrag/{name}", true, false, p.Begin},
		{"GET", "/antrag/{name}/seite/{page}", true, false, p.Page},
		// Pages with uploads post multipart forms, whose CSRF token
		// PeekCSRF reads before authentication checks it.
		{"POST", "/antrag/{name}/seite/{page}", false, false, s.multipartPage(p.PostPage)},
		{"GET", "/antrag/{name}/zusammenfassung", true, false, p.Summary},
		{"POST", "/antrag/{name}/einreichen", true, false, p.File},
		{"GET", "/verfahren", true, false, p.Cases},
		{"GET", "/verfahren/{id}", true, false, p.Case},
		{"GET", "/verfahren/{id}/dokumente/{doc}", true, false, p.Download},
		{"GET", "/antrag/", true, false, p.NotFound},
		{"GET", "/verfahren/", true, false, p.NotFound},
	}...), s.courtRoutes()...)
}

// courtRoutes are the court's workplace and the parties' pages
// (docs/portal.md, "Gericht").
func (s *Server) courtRoutes() []pageRoute {
	c := s.deps.Court
	if c == nil {
		return nil
	}
	return append([]pageRoute{
		{"GET", "/gericht", true, false, c.Inbox},
		{"GET", "/gericht/verfahren/{id}", true, false, c.Case},
		{"GET", "/gericht/verfahren/{id}/dokumente/{doc}", true, false, c.View},
		{"POST", "/gericht/verfahren/{id}/ereignis", true, false, c.Event},
		{"POST", "/gericht/verfahren/{id}/richter", true, false, c.AssignJudge},
		{"POST", "/gericht/verfahren/{id}/zustellung", true, false, c.Serve},
		{"POST", "/gericht/verfahren/{id}/termin", true, false, c.Hearing},
		{"POST", "/gericht/verfahren/{id}/urteil", true, false, c.Decision},
		{"GET", "/gericht/", true, false, s.deps.Portal.NotFound},
		{"GET", "/zugangscode", true, false, c.AccessCode},
		{"POST", "/zugangscode", true, false, c.RedeemCode},
		{"GET", "/verfahren/{id}/antwort", true, false, c.Answer},
		{"POST", "/verfahren/{id}/antwort", false, false, s.multipartPage(c.PostAnswer)},
		{"POST", "/verfahren/{id}/empfangsbekenntnis", true, false, c.Acknowledge},
	}, s.publicationRoutes()...)
}

// publicationRoutes are the review and publication of decisions and the
// public pages of published decisions, which need no session
// (docs/portal.md, "Veröffentlichung").
func (s *Server) publicationRoutes() []pageRoute {
	pp := s.deps.Publications
	if pp == nil {
		return nil
	}
	return []pageRoute{
		{"POST", "/gericht/verfahren/{id}/veroeffentlichung", true, false, pp.Prepare},
		{"GET", "/gericht/veroeffentlichungen", true, false, pp.List},
		{"GET", "/gericht/veroeffentlichungen/{id}", true, false, pp.Review},
		{"POST", "/gericht/veroeffentlichungen/{id}", true, false, pp.Save},
		{"POST", "/gericht/veroeffentlichungen/{id}/veroeffentlichen", true, false, pp.Publish},
		{"POST", "/gericht/veroeffentlichungen/{id}/verwerfen", true, false, pp.Discard},
		{"GET", "/entscheidungen", false, false, pp.Decisions},
		{"GET", "/entscheidungen/{id}", false, false, pp.Decision},
		{"GET", "/entscheidungen/", false, false, s.deps.Portal.NotFound},
	}
}

// multipartPage runs the portal's PeekCSRF, then authentication with the
// CSRF check, then h.
func (s *Server) multipartPage(h http.HandlerFunc) http.HandlerFunc {
	inner := s.authn(h, false)
	return func(w http.ResponseWriter, r *http.Request) {
		inner(w, s.deps.Portal.PeekCSRF(w, r))
	}
}

// portalPage reports whether path is one of the portal's pages.
func portalPage(path string) bool {
	switch path {
	case "/konto", "/impressum", "/datenschutz", "/barrierefreiheit", "/verfahren", "/gericht", "/zugangscode", "/entscheidungen":
		return true
	}
	return strings.HasPrefix(path, "/antrag/") || strings.HasPrefix(path, "/verfahren/") || strings.HasPrefix(path, "/gericht/") ||
		strings.HasPrefix(path, "/entscheidungen/")
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
