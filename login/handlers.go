// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package login

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/identity"
)

// LocalPath returns p if it is a path on this server, and "/" otherwise, so
// that the return path after a login can never send the browser elsewhere:
// it must start with one "/" (not "//" or "/\", which browsers read as
// another host), hold no control characters or backslashes, and parse as a
// URL without scheme or host.
func LocalPath(p string) string {
	if p == "" || len(p) > 1024 || p[0] != '/' || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\") {
		return "/"
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7f {
			return "/"
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return p
}

// LoginPage (GET /login) lists the providers; each is a plain link.
func (s *Service) LoginPage(w http.ResponseWriter, r *http.Request) {
	ret := LocalPath(r.URL.Query().Get("return"))
	type item struct{ Label, URL string }
	var items []item
	for _, p := range s.providers {
		u := "/login/" + p.cfg.Name
		if ret != "/" {
			u += "?" + url.Values{"return": {ret}}.Encode()
		}
		items = append(items, item{p.cfg.Label, u})
	}
	data := map[string]any{"Providers": items}
	s.demoForm(w, data, ret)
	s.render(w, r, http.StatusOK, "login", data)
}

// Start (GET /login/{provider}) stores a pending login and redirects to the
// provider's authorization endpoint: code flow with PKCE (S256), state and nonce.
func (s *Service) Start(w http.ResponseWriter, r *http.Request) {
	p := s.byName[r.PathValue("provider")]
	if p == nil {
		s.fail(w, r, http.StatusNotFound, "Diesen Anmeldedienst gibt es nicht.", "unknown provider", nil)
		return
	}
	op, err := p.discover(r.Context())
	if err != nil {
		s.fail(w, r, http.StatusBadGateway, "Der Anmeldedienst ist gerade nicht erreichbar. Bitte versuchen Sie es später erneut.", "discovery failed", err)
		return
	}
	state, nonce, verifier := randomToken(32), randomToken(32), oauth2.GenerateVerifier()
	now := s.now()
	pend := Pending{StateHash: sha256.Sum256([]byte(state)), Provider: p.cfg.Name, Nonce: nonce, Verifier: verifier,
		Return: LocalPath(r.URL.Query().Get("return")), CreatedAt: now, Expires: now.Add(pendingTTL)}
	if err := s.store.CreatePending(r.Context(), pend); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "Interner Fehler.", "store pending login", err)
		return
	}
	// The cookie binds the state to this browser: a callback that arrives
	// in another browser (login CSRF) has no matching cookie.
	s.setCookie(w, pendingCookie, state, int(pendingTTL.Seconds()))
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, p.oauth2Config(op).AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce)), http.StatusSeeOther)
}

// Callback (GET /auth/callback) finishes a login: the state must match the
// browser's pending-login cookie and a stored pending login (used once);
// the code is exchanged with the PKCE verifier; the ID token's signature,
// issuer, audience, expiry, nonce and access-token hash are checked; the
// person is mapped to an account; a new session replaces any old one.
func (s *Service) Callback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	state := q.Get("state")
	c, cerr := r.Cookie(s.cookieName(pendingCookie))
	s.setCookie(w, pendingCookie, "", -1)
	if cerr != nil || state == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(state)) != 1 {
		s.fail(w, r, http.StatusBadRequest, "Die Anmeldung passt nicht zu diesem Browser oder ist abgelaufen. Bitte melden Sie sich erneut an.", "state does not match the browser's pending login", nil)
		return
	}
	pend, err := s.store.TakePending(ctx, sha256.Sum256([]byte(state)))
	if err != nil || !s.now().Before(pend.Expires) {
		if err == nil || errors.Is(err, errs.ErrNotFound) {
			s.fail(w, r, http.StatusBadRequest, "Die Anmeldung ist abgelaufen oder wurde schon verwendet. Bitte melden Sie sich erneut an.", "unknown, used or expired state", nil)
			return
		}
		s.fail(w, r, http.StatusInternalServerError, "Interner Fehler.", "take pending login", err)
		return
	}
	if e := q.Get("error"); e != "" {
		s.fail(w, r, http.StatusUnauthorized, "Die Anmeldung wurde beim Anmeldedienst abgebrochen.", "provider answered "+oauthErrorCode(e), nil)
		return
	}
	p := s.byName[pend.Provider]
	if p == nil {
		s.fail(w, r, http.StatusBadRequest, "Diesen Anmeldedienst gibt es nicht mehr.", "provider of pending login gone", nil)
		return
	}
	op, err := p.discover(ctx)
	if err != nil {
		s.fail(w, r, http.StatusBadGateway, "Der Anmeldedienst ist gerade nicht erreichbar.", "discovery failed", err)
		return
	}
	cctx := oidc.ClientContext(ctx, p.client)
	tok, err := p.oauth2Config(op).Exchange(cctx, q.Get("code"), oauth2.VerifierOption(pend.Verifier))
	if err != nil {
		s.fail(w, r, http.StatusUnauthorized, "Die Anmeldung wurde nicht bestätigt. Bitte melden Sie sich erneut an.", "code exchange refused", err)
		return
	}
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		s.fail(w, r, http.StatusUnauthorized, "Der Anmeldedienst hat keine Identität bestätigt.", "no id_token in the token response", nil)
		return
	}
	idt, err := p.idVerifier(op).Verify(cctx, rawID)
	if err != nil {
		s.fail(w, r, http.StatusUnauthorized, "Die Anmeldung konnte nicht geprüft werden.", "id token refused", err)
		return
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(pend.Nonce)) != 1 {
		s.fail(w, r, http.StatusUnauthorized, "Die Anmeldung konnte nicht geprüft werden.", "nonce mismatch", nil)
		return
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			s.fail(w, r, http.StatusUnauthorized, "Die Anmeldung konnte nicht geprüft werden.", "at_hash mismatch", nil)
			return
		}
	}
	var tc tokenClaims
	if err := idt.Claims(&tc); err != nil {
		s.fail(w, r, http.StatusUnauthorized, "Die Anmeldung konnte nicht geprüft werden.", "id token claims", err)
		return
	}
	claims := identity.Claims{Issuer: idt.Issuer, Subject: idt.Subject, Email: tc.Email, EmailVerified: tc.verified(), Name: tc.Name}
	if claims.Email == "" || claims.Name == "" {
		// Many providers put e-mail and name only into userinfo.
		if ui, err := op.UserInfo(cctx, oauth2.StaticTokenSource(tok)); err == nil && ui.Subject == idt.Subject {
			var uc tokenClaims
			_ = ui.Claims(&uc)
			if claims.Email == "" {
				claims.Email, claims.EmailVerified = ui.Email, ui.EmailVerified
			}
			if claims.Name == "" {
				claims.Name = uc.Name
			}
		}
	}
	u, err := s.users.Login(ctx, claims, p.cfg.Provision)
	if err != nil {
		if errors.Is(err, errs.ErrUnauthenticated) {
			s.fail(w, r, http.StatusForbidden, "Für diese Anmeldung ist kein (aktives) Konto in der Justizcloud freigeschaltet. Bitte wenden Sie sich an Ihre Verwaltung.", "no active account", err)
			return
		}
		s.fail(w, r, http.StatusInternalServerError, "Interner Fehler.", "resolve account", err)
		return
	}
	// A new session ID at every login (no session fixation); the old one ends.
	if old, err := r.Cookie(s.SessionCookieName()); err == nil {
		if h, ok := parseSessionCookie(old.Value); ok {
			if err := s.store.DeleteSession(ctx, h); err != nil {
				s.log.WarnContext(ctx, "delete previous session", "err", err)
			}
		}
	}
	secret, _, err := s.newSession(ctx, u.ID, p.cfg.Name)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "Interner Fehler.", "create session", err)
		return
	}
	s.setCookie(w, sessionCookie, secret, int(s.max.Seconds()))
	s.log.InfoContext(ctx, "login", "user", u.ID, "provider", p.cfg.Name)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, pend.Return, http.StatusSeeOther)
}

// oauthErrorCode keeps an error code from the provider's redirect for the
// log only if it is one of the registered codes; anything else could be
// text an attacker put into the URL.
func oauthErrorCode(e string) string {
	switch e {
	case "access_denied", "login_required", "consent_required", "interaction_required", "invalid_request",
		"unauthorized_client", "unsupported_response_type", "invalid_scope", "server_error", "temporarily_unavailable":
		return e
	}
	return "an unregistered error code"
}

// Logout (POST /logout) ends the request's session on the server and clears
// the cookie. authenticate has checked the CSRF token of a live session;
// without one there is nothing to end, and the cookie is cleared anyway.
func (s *Service) Logout(w http.ResponseWriter, r *http.Request) {
	if sess, ok := SessionFrom(r.Context()); ok {
		if err := s.store.DeleteSession(r.Context(), sess.Hash); err != nil {
			s.fail(w, r, http.StatusInternalServerError, "Interner Fehler.", "delete session", err)
			return
		}
		s.log.InfoContext(r.Context(), "logout", "user", sess.User)
	}
	s.setCookie(w, sessionCookie, "", -1)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// Landing (GET /) shows who is logged in, a link to the login page and a
// logout form with the CSRF token. The subject comes from authenticate.
func (s *Service) Landing(w http.ResponseWriter, r *http.Request) {
	data := map[string]any{}
	if sub, ok := authz.SubjectFrom(r.Context()); ok {
		data["Subject"] = sub
		if sess, ok := SessionFrom(r.Context()); ok {
			data["CSRF"] = sess.CSRF
			if p := s.byName[sess.Provider]; p != nil {
				data["Provider"] = p.cfg.Label
			}
		}
	}
	s.render(w, r, http.StatusOK, "landing", data)
}

// Stylesheet serves the pages' only stylesheet (the CSP allows no inline style).
func (s *Service) Stylesheet(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(stylesheet)
}

// fail logs why a login step was refused (never a secret: no code, state,
// token or cookie value) and shows the person a German page.
func (s *Service) fail(w http.ResponseWriter, r *http.Request, status int, msg, reason string, err error) {
	attrs := []any{"status", status, "reason", reason}
	if err != nil {
		attrs = append(attrs, "err", err)
	}
	if status >= 500 && status != http.StatusBadGateway {
		s.log.ErrorContext(r.Context(), "login failed", attrs...)
	} else {
		s.log.WarnContext(r.Context(), "login refused", attrs...)
	}
	s.render(w, r, status, "error", map[string]any{"Message": msg})
}
