// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"net/http"
	"strings"
)

// Content-Security-Policies. The pages load only their own stylesheets and
// hold no script; images may also be data: URIs, which the KERN-UX
// stylesheet uses for its icons (CSS masks; an image cannot run script).
// The API answers JSON and files, which may load nothing.
const (
	cspPages = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; " +
		"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
	cspAPI = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox"
)

// securityHeaders sets the headers every response carries. HSTS only when
// the browser reached us over TLS (here, or at a proxy in front of an https
// public URL): over plain http a browser ignores it anyway, and sending it
// from a development server would pin localhost to https.
func (s *Server) securityHeaders(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	if isPage(r.URL.Path) {
		h.Set("Content-Security-Policy", cspPages)
	} else {
		h.Set("Content-Security-Policy", cspAPI)
	}
	if r.TLS != nil || s.deps.HTTPS {
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
}

// isPage reports whether path belongs to the HTML pages of the login
// package or the portal rather than to the JSON API.
func isPage(path string) bool {
	return path == "/" || portalPage(path) || path == "/login" || path == "/logout" ||
		strings.HasPrefix(path, "/login/") || strings.HasPrefix(path, "/auth/") || strings.HasPrefix(path, "/assets/")
}
