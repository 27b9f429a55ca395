// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"justizcloud/browsertest"
	"justizcloud/login/oidctest"
)

// The browser journeys: headless Chromium (package browsertest) against the
// real server started by run(), logging in at a real OpenID provider
// in-process. Every page of the server a browserJourney reaches gets a screenshot
// and an axe-core check (WCAG 2.0/2.1 A and AA: 0 violations), and every
// browserJourney runs twice, with JavaScript and without. Screenshots:
// $JUSTIZCLOUD_SCREENSHOTS/<test>/<mode>/ when set, else a temporary folder.

func TestMain(m *testing.M) {
	code := m.Run()
	browsertest.CloseShared()
	os.Exit(code)
}

// browserWorld is a server whose citizens log in at a test provider
// (accounts are provisioned as buerger at the first login).
type browserWorld struct {
	srv  *testServer
	logs *syncBuffer
	op   *oidctest.OP
}

const browserOPSecret = "cs-portal-6f1d0c2e9b8a7d45"

// startBrowserWorld starts the provider with users and the server.
func startBrowserWorld(t *testing.T, users ...oidctest.User) *browserWorld {
	t.Helper()
	w := &browserWorld{logs: &syncBuffer{}}
	w.op = oidctest.Start(t, users, oidctest.Client{ID: "justizcloud", Secret: browserOPSecret})
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "citizen.secret"), []byte(browserOPSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf(`{"providers": [{"name": "buerger", "label": "Bürgerkonto (Test)", "issuer": %q,
		"client_id": "justizcloud", "client_secret_file": "citizen.secret", "scopes": ["email", "profile"],
		"provision": "buerger"}]}`, w.op.URL)
	cfgPath := filepath.Join(dir, "oidc.json")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	w.srv = startServeLogs(t, t.TempDir(), w.logs, "--demo=false", "--log-level", "warn", "--oidc-config", cfgPath)
	w.op.AddRedirect("justizcloud", w.srv.url+"/auth/callback")
	return w
}

// citizen is a person of the test provider; each browserJourney and browserMode gets its
// own, so that drafts and proceedings do not mix.
func browserCitizen(sub, first, last string) oidctest.User {
	user := strings.ToLower(first) + "-" + sub
	return oidctest.User{Sub: sub, Username: user, Password: "pw-" + user + "-51c2", FirstName: first,
		LastName: last, Email: user + "@example.org", EmailVerified: true}
}

// browserMode is one way the browser runs a journey.
type browserMode struct {
	name string
	js   bool
}

var browserModes = []browserMode{{"mit-js", true}, {"ohne-js", false}}

// inBrowserModes runs journey once with JavaScript and once without, in parallel,
// each in a fresh browser context of the shared browser.
func inBrowserModes(t *testing.T, origin string, journey func(t *testing.T, p *browsertest.Page, m browserMode)) {
	t.Helper()
	b := browsertest.Shared(t)
	for _, m := range browserModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			p := b.NewPage(t, browsertest.Options{Origin: origin, JS: m.js})
			journey(t, p, m)
		})
	}
}

// browserLogIn signs in through the login page and the provider's form like a
// person, and ends on the page the server sends them to.
func browserLogIn(t *testing.T, p *browsertest.Page, u oidctest.User) {
	t.Helper()
	if !strings.HasSuffix(p.Path(), "/login") && !strings.Contains(p.Path(), "/login?") {
		p.Open("/login")
	}
	p.See("Anmelden", "Bitte wählen Sie, womit Sie sich anmelden")
	p.Press("Bürgerkonto (Test)")
	// The provider's own form (not ours: no axe check there).
	p.Fill("username", u.Username)
	p.Fill("password", u.Password)
	p.Press("Login")
	p.See(u.FirstName + " " + u.LastName)
}

// TestBrowserLogin: the start page without a session, the login page, the
// provider, back logged in, the 404 page, and out again; the skip link and
// visible focus by keyboard — with and without
// JavaScript.
func TestBrowserLogin(t *testing.T) {
	users := map[string]oidctest.User{
		"mit-js":  browserCitizen("bt-login-1", "Erika", "Mustermann"),
		"ohne-js": browserCitizen("bt-login-2", "Max", "Mustermann"),
	}
	w := startBrowserWorld(t, users["mit-js"], users["ohne-js"])
	inBrowserModes(t, w.srv.url, func(t *testing.T, p *browsertest.Page, m browserMode) {
		u := users[m.name]
		p.Open("/")
		p.See("Sie sind nicht angemeldet")
		// The keyboard: the first Tab reaches the skip link, visibly, and
		// Enter on it moves the focus to the main content.
		if f := p.Key(kb.Tab); f.Text != "Zum Inhalt springen" || !f.Indicator {
			t.Errorf("first Tab focuses %+v, want the visibly focused skip link \"Zum Inhalt springen\"", f)
		}
		if f := p.Key(kb.Enter); f.ID != "inhalt" {
			t.Errorf("Enter on the skip link focuses %+v, want #inhalt", f)
		}
		if f := p.Key(kb.Tab); !f.Indicator || f.Tag == "body" {
			t.Errorf("the next Tab focuses %+v, want a visibly focused element in the content", f)
		}
		p.Press("Anmelden")
		if got := p.Path(); !strings.HasPrefix(got, "/login") {
			t.Fatalf("after Anmelden: %s, want the login page", got)
		}
		browserLogIn(t, p, u)
		if got := p.Path(); got != "/" {
			t.Errorf("after the login: %s, want /", got)
		}
		p.NotSee("Sie sind nicht angemeldet")
		session := ""
		for _, c := range p.Cookies() {
			if c.Name == "jc_session" {
				session = c.Value
			}
		}
		if session == "" {
			t.Fatalf("no session cookie after the login")
		}
		// The session works for a request beside the browser, too.
		req, _ := http.NewRequest("GET", w.srv.url+"/api/v1/me", nil)
		req.AddCookie(&http.Cookie{Name: "jc_session", Value: session})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET /api/v1/me with the browser's session = %d, want 200", resp.StatusCode)
		}
		// A proceeding or an interview that is not there (or not hers) is a
		// German 404 page, checked like every other.
		for _, path := range []string{"/verfahren/01a21db9-d287-7ab4-a189-5704b5d8e183", "/antrag/gibt-es-nicht"} {
			p.OpenStatus(path, http.StatusNotFound)
			p.See("Seite nicht gefunden")
		}
		p.Press("abmelden")
		p.See("Sie sind nicht angemeldet")
		p.NotSee(u.FirstName + " " + u.LastName)
	})
}
