// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package login

import (
	"crypto/subtle"
	"net/http"
	"slices"
)

// DemoAccount is an account one may log in as without a provider, for
// trying the platform out (serve --demo on a loopback address only; see
// cmd/justizcloud). Only the listed accounts can be chosen.
type DemoAccount struct {
	User  string // identity.User ID
	Label string // shown on the login page, e.g. "Erika Mustermann (Bürgerin, Klägerin)"
}

// demoCookie carries the double-submit token of the demo login form: a
// page of another site cannot read it, so it cannot post a valid form.
const demoCookie = "jc_demo"

// demoForm adds the demo accounts and a fresh form token to the login page.
func (s *Service) demoForm(w http.ResponseWriter, data map[string]any, ret string) {
	if len(s.demo) == 0 {
		return
	}
	tok := randomToken(24)
	s.setCookie(w, demoCookie, tok, int(pendingTTL.Seconds()))
	data["Demo"] = s.demo
	data["DemoToken"] = tok
	data["Return"] = ret
}

// DemoLogin (POST /login/demo) logs in as one of the demo accounts.
func (s *Service) DemoLogin(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if len(s.demo) == 0 {
		http.NotFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, http.StatusBadRequest, "Das Formular war unvollständig.", "demo login form", err)
		return
	}
	c, err := r.Cookie(s.cookieName(demoCookie))
	tok := r.PostForm.Get("token")
	if err != nil || tok == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(tok)) != 1 {
		s.fail(w, r, http.StatusForbidden, "Das Formular ist abgelaufen. Bitte laden Sie die Anmeldeseite neu.", "demo login token", nil)
		return
	}
	user := r.PostForm.Get("account")
	if !slices.ContainsFunc(s.demo, func(a DemoAccount) bool { return a.User == user }) {
		s.fail(w, r, http.StatusForbidden, "Dieses Konto ist kein Demo-Konto.", "demo login account", nil)
		return
	}
	u, err := s.users.Active(ctx, user)
	if err != nil {
		s.fail(w, r, http.StatusForbidden, "Dieses Demo-Konto ist nicht (mehr) aktiv.", "demo login inactive", err)
		return
	}
	if old, err := r.Cookie(s.SessionCookieName()); err == nil {
		if h, ok := parseSessionCookie(old.Value); ok {
			_ = s.store.DeleteSession(ctx, h)
		}
	}
	secret, _, err := s.newSession(ctx, u.ID, "demo")
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "Interner Fehler.", "create session", err)
		return
	}
	s.setCookie(w, demoCookie, "", -1)
	s.setCookie(w, sessionCookie, secret, int(s.max.Seconds()))
	s.log.InfoContext(ctx, "demo login", "user", u.ID)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, LocalPath(r.PostForm.Get("return")), http.StatusSeeOther)
}
