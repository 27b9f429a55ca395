// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestDemoLogin: serve --demo on a loopback address offers the demo accounts
// on the login page; logging in as the demo claimant gives a session that
// reaches exactly her proceeding; forged or foreign posts are refused.
func TestDemoLogin(t *testing.T) {
	srv := startServe(t, t.TempDir())
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (int, string) {
		resp, err := browser.Get(srv.url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	post := func(form url.Values) *http.Response {
		resp, err := browser.PostForm(srv.url+"/login/demo", form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	code, page := get("/login?return=/verfahren")
	if code != 200 || !strings.Contains(page, "Demo-Konten") || !strings.Contains(page, "usr_demo_erika") {
		t.Fatalf("login page: %d\n%s", code, page)
	}
	m := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no form token on the login page")
	}
	token := m[1]
	if r := post(url.Values{"token": {"forged"}, "account": {"usr_demo_erika"}}); r.StatusCode != 403 {
		t.Errorf("forged token: %d", r.StatusCode)
	}
	if r := post(url.Values{"token": {token}, "account": {"usr_someone_else"}}); r.StatusCode != 403 {
		t.Errorf("an account that is not a demo account: %d", r.StatusCode)
	}
	r := post(url.Values{"token": {token}, "account": {"usr_demo_erika"}, "return": {"/verfahren"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/verfahren" {
		t.Fatalf("demo login: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	code, body := get("/api/v1/cases")
	var cases struct {
		Items []struct{ Aktenzeichen string }
	}
	if err := json.Unmarshal([]byte(body), &cases); err != nil || code != 200 {
		t.Fatalf("cases with the demo session: %d %s", code, body)
	}
	if len(cases.Items) != 1 || cases.Items[0].Aktenzeichen != "12 C 1/26" {
		t.Errorf("the demo claimant sees %+v, want exactly 12 C 1/26", cases.Items)
	}
	code, body = get("/api/v1/me")
	if code != 200 || !strings.Contains(body, `"role":"buerger"`) {
		t.Errorf("/me: %d %s", code, body)
	}
}

// TestNoDemoLoginWithoutDemo: without --demo the login page offers no demo
// accounts and the demo route answers 404.
func TestNoDemoLoginWithoutDemo(t *testing.T) {
	srv := startServe(t, t.TempDir(), "--demo=false")
	resp, err := http.Get(srv.url + "/login")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(b), "Demo-Konten") {
		t.Error("demo accounts offered without --demo")
	}
	resp, err = http.PostForm(srv.url+"/login/demo", url.Values{"account": {"usr_demo_erika"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("POST /login/demo without --demo: %d", resp.StatusCode)
	}
	if !loopback(&netTCPAddrLoopback) || loopback(&netTCPAddrAny) {
		t.Error("loopback() misjudges addresses")
	}
}

var (
	netTCPAddrLoopback = net.TCPAddr{IP: net.IPv6loopback, Port: 8080}
	netTCPAddrAny      = net.TCPAddr{IP: net.IPv4zero, Port: 8080}
)
