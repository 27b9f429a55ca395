// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package browsertest

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	CloseShared()
	os.Exit(code)
}

const layout = `<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>%s</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>%s</h1>%s</main></body></html>`

// site is a tiny form that keeps what was entered and answers in German,
// plus a page full of accessibility faults and one with a script.
func site() *httptest.Server {
	mux := http.NewServeMux()
	form := func(w http.ResponseWriter, name, land, errMsg string, agree bool) {
		errs := ""
		title := "Angaben – Test"
		if errMsg != "" {
			title = "Fehler: " + title
			errs = `<div id="fehler" role="alert"><h2>Bitte prüfen Sie Ihre Angaben</h2><ul><li><a href="#name">` + errMsg + `</a></li></ul></div>`
		}
		checked := ""
		if agree {
			checked = " checked"
		}
		sel := func(v string) string {
			if v == land {
				return " selected"
			}
			return ""
		}
		fmt.Fprintf(w, layout, title, "Angaben", errs+`<form method="post" action="/senden">
<p><label for="name">Ihr Name</label> <input id="name" name="name" value="`+html.EscapeString(name)+`"></p>
<p><label for="land">Bundesland</label> <select id="land" name="land"><option value="">bitte wählen</option>
<option value="BY"`+sel("BY")+`>Bayern</option><option value="BE"`+sel("BE")+`>Berlin</option></select></p>
<p><input type="checkbox" id="ok" name="ok" value="1"`+checked+`> <label for="ok">Ich bin einverstanden</label></p>
<p><button type="submit" id="weiter">Weiter</button></p></form>`)
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { form(w, "", "", "", false) })
	mux.HandleFunc("POST /senden", func(w http.ResponseWriter, r *http.Request) {
		name, land, ok := r.FormValue("name"), r.FormValue("land"), r.FormValue("ok") == "1"
		if strings.TrimSpace(name) == "" {
			w.WriteHeader(http.StatusUnprocessableEntity)
			form(w, name, land, "Bitte geben Sie Ihren Namen an.", ok)
			return
		}
		http.Redirect(w, r, "/danke?n="+name+"&l="+land+fmt.Sprintf("&ok=%v", ok), http.StatusSeeOther)
	})
	mux.HandleFunc("GET /danke", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		fmt.Fprintf(w, layout, "Danke – Test", "Danke", "<p>Name: "+html.EscapeString(q.Get("n"))+", Land: "+
			html.EscapeString(q.Get("l"))+", einverstanden: "+html.EscapeString(q.Get("ok"))+`</p><p><a href="/">Zurück zum Anfang</a></p>`)
	})
	mux.HandleFunc("GET /schlecht", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!DOCTYPE html><html><head></head><body><img src="x.png"><input id="q"><p style="color:#eee;background:#fff">blass</p></body></html>`)
	})
	mux.HandleFunc("GET /skript", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, layout, "Skript – Test", "Skript", `<p id="s">ohne Skript</p><script>document.getElementById('s').textContent = 'mit Skript';</script>`)
	})
	return httptest.NewServer(mux)
}

func TestForm(t *testing.T) {
	srv := site()
	t.Cleanup(srv.Close)
	b := Shared(t)
	for _, js := range []bool{true, false} {
		t.Run(fmt.Sprintf("js=%v", js), func(t *testing.T) {
			t.Parallel()
			p := b.NewPage(t, Options{Origin: srv.URL, JS: js})
			p.Open("/")
			if got := p.Title(); got != "Angaben – Test" {
				t.Errorf("Title = %q", got)
			}
			// Wrong input: the error summary, values kept.
			p.Fill("Bundesland", "Bayern")
			p.Fill("Ich bin einverstanden", "ja")
			p.PressStatus("Weiter", http.StatusUnprocessableEntity)
			p.SeeIn("#fehler", "Bitte geben Sie Ihren Namen an.")
			if got := p.Value("land"); got != "BY" {
				t.Errorf("land = %q after the error, want BY", got)
			}
			if got := p.Value("ok"); got != "on" {
				t.Errorf("ok = %q after the error, want on", got)
			}
			// Correction.
			p.Fill("Ihr Name", "Erika Müller-Lüdenscheidt")
			p.Fill("land", "BE")
			p.Fill("ok", "")
			p.Press("weiter")
			p.See("Name: Erika Müller-Lüdenscheidt, Land: BE, einverstanden: false")
			if got := p.Path(); !strings.HasPrefix(got, "/danke?") {
				t.Errorf("Path = %q", got)
			}
			p.Press("Zurück zum Anfang")
			p.See("Angaben")
			shots, _ := filepath.Glob(filepath.Join(p.opt.Dir, "*.png"))
			if len(shots) != 4 {
				t.Errorf("screenshots = %v, want 4", shots)
			}
		})
	}
}

// recorder is a test that records its errors instead of failing.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestCheckFails: a page of the origin with faults fails the test with the
// violations named.
func TestCheckFails(t *testing.T) {
	srv := site()
	t.Cleanup(srv.Close)
	rec := &recorder{TB: t}
	p := Shared(t).NewPage(rec, Options{Origin: srv.URL, JS: true})
	p.Open("/schlecht")
	all := strings.Join(rec.errs, "\n")
	for _, want := range []string{"has no title", "image-alt (critical)", "html-has-lang", "label (critical)", "#q"} {
		if !strings.Contains(all, want) {
			t.Errorf("errors of the check do not mention %q:\n%s", want, all)
		}
	}
}

func TestAxeViolationsListed(t *testing.T) {
	srv := site()
	t.Cleanup(srv.Close)
	// An origin that is not the site's: Check does not run axe, so the test
	// itself can look at the violations.
	p := Shared(t).NewPage(t, Options{Origin: "http://example.invalid", JS: false})
	p.Open(srv.URL + "/schlecht")
	var ids []string
	for _, v := range p.Axe() {
		ids = append(ids, v.ID)
		if v.Impact == "" || v.Help == "" || len(v.Nodes) == 0 || v.Nodes[0].Target == "" {
			t.Errorf("violation without impact, help or target: %+v", v)
		}
	}
	for _, want := range []string{"document-title", "html-has-lang", "image-alt", "label"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe violations = %v, want %s among them", ids, want)
		}
	}
}

func TestScriptsOff(t *testing.T) {
	srv := site()
	t.Cleanup(srv.Close)
	b := Shared(t)
	for js, want := range map[bool]string{true: "mit Skript", false: "ohne Skript"} {
		p := b.NewPage(t, Options{Origin: srv.URL, JS: js})
		p.Open("/skript")
		if got := p.TextOf("#s"); got != want {
			t.Errorf("JS=%v: text = %q, want %q", js, got, want)
		}
	}
}
