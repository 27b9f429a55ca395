// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"justizcloud/browsertest"
)

// publicationUrteil is the decision of the publication journey: the
// parties' names and address, the judge, the court, a company the
// pseudonymizer does not replace and the court's own e-mail address.
const publicationUrteil = "In dem Rechtsstreit der Klägerin Erika Mustermann, Musterstraße 12, 80331 Augsburg, " +
	"gegen den Beklagten Bernd Beispiel hat das Amtsgericht München durch die Richterin Dr. Weber für Recht erkannt: " +
	"Die Klage wird abgewiesen. Der Beklagte ist vom Kaufvertrag mit der Zweirad Knopfloch wirksam zurückgetreten (§ 323 BGB). " +
	"Anfragen zu diesem Urteil richten Sie an poststelle@ag-muenchen.example."

// spanLabelRE reads a span's checkbox label on the review page.
var spanLabelRE = regexp.MustCompile(`^Nr\. (\d+): „(.*)“ – ([^,]+?)(?:, wird zu „(.*)“)? \(Quelle: (.*)\)$`)

// reviewSpan is a span as the review page lists it.
type reviewSpan struct {
	N, Text, Kind, Replacement string
}

func reviewSpans(t *testing.T, p *browsertest.Page) []reviewSpan {
	t.Helper()
	var out []reviewSpan
	for _, l := range p.Texts("#stellen label") {
		m := spanLabelRE.FindStringSubmatch(strings.Join(strings.Fields(l), " "))
		if m == nil {
			t.Fatalf("span label %q", l)
		}
		out = append(out, reviewSpan{N: m[1], Text: m[2], Kind: m[3], Replacement: m[4]})
	}
	return out
}

// TestBrowserPublication: an Urteil with the parties' names is in the
// eAkte (filed through the API). The judge prepares it for publication
// from the case page; publishing before a saved review is refused; she
// rejects one suggestion (the court's e-mail address), adds the company's
// name and saves; the clerk, who had the page open, saves too and is told
// that it changed meanwhile; the judge publishes. An anonymous browser
// finds the decision under /entscheidungen: none of the anonymized texts
// is on its page or in its JSON, the added name is replaced, the rejected
// address kept. `audit verify` passes.
func TestBrowserPublication(t *testing.T) {
	b := browsertest.Shared(t)
	for _, m := range browserModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			w := startCourtWorld(t)
			origin := w.srv.url
			gs := client{t, origin, mustToken(t, w.data, "DE-BY", "geschaeftsstelle", "--court", "D2601")}
			var c caseResp
			gs.expect(201, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C", "subject": "Kaufpreis Fahrrad"}), jsonHdr, &c)
			for _, party := range []map[string]string{{"role": "klaeger", "name": "Erika Mustermann", "address": "Musterstraße 12, 80331 Augsburg"},
				{"role": "beklagter", "name": "Bernd Beispiel"}} {
				gs.expect(201, "POST", "/api/v1/cases/"+c.ID+"/participants", jsonBody(party), jsonHdr, nil)
			}
			gs.expect(201, "POST", "/api/v1/cases/"+c.ID+"/documents?class=Urteil", bytes.NewReader(classPDF(t, "Urteil", publicationUrteil)),
				docHdr("urteil.pdf", nil), nil)

			// The judge prepares the publication from the eAkte.
			p := b.NewPage(t, browsertest.Options{Origin: origin, JS: m.js})
			courtLogIn(t, p, demoJudge, "/gericht")
			p.Open("/gericht/verfahren/" + c.ID)
			p.Press("veroeffentlichen-1")
			p.SeeIn("#erledigt", "zur Veröffentlichung vorbereitet")
			p.SeeIn("#entscheidungstext", "Erika Mustermann", "wird zu „A.“")
			review := p.Path()

			// The clerk opens the same review (version 1).
			q := b.NewPage(t, browsertest.Options{Origin: origin, JS: m.js})
			courtLogIn(t, q, demoClerk, review)
			q.SeeIn("#stand", "Version 1")

			// Not published before a person saved the review.
			p.PressStatus("veroeffentlichen", http.StatusConflict)
			p.SeeIn("#fehler", "speichern Sie die Prüfung, bevor Sie veröffentlichen")

			// Reject the e-mail address, add the company, save.
			mail := ""
			for _, s := range reviewSpans(t, p) {
				if strings.Contains(s.Text, "poststelle@") {
					mail = "span-" + s.N
				}
			}
			if mail == "" {
				t.Fatalf("no suggestion for the e-mail address: %q", p.Texts("#stellen label"))
			}
			p.Fill(mail, "")
			p.Fill("text", "Zweirad Knopfloch")
			p.Fill("art", "Unternehmen")
			p.Press("speichern")
			p.SeeIn("#erledigt", "Die Prüfung ist gespeichert.")
			p.SeeIn("#stand", "Version 2")
			p.SeeIn("#vorschau", "[Unternehmen 1]", "poststelle@ag-muenchen.example")

			// The clerk's form is stale now.
			q.PressStatus("speichern", http.StatusConflict)
			q.SeeIn("#fehler", "inzwischen von einer anderen Person geändert")
			q.SeeIn("#stand", "Version 2")

			var anonymized []string
			for _, s := range reviewSpans(t, p) {
				if s.Replacement != "" {
					anonymized = append(anonymized, s.Text)
				}
			}
			if !strings.Contains(strings.Join(anonymized, "|"), "Bernd Beispiel") || !strings.Contains(strings.Join(anonymized, "|"), "Zweirad Knopfloch") {
				t.Fatalf("anonymized spans = %q", anonymized)
			}
			p.Press("veroeffentlichen")
			p.SeeIn("#erledigt", "Die Entscheidung ist veröffentlicht.")
			public := linkTo(t, p, "öffentliche Seite der Entscheidung")
			p.Press("Alle Veröffentlichungen")
			p.SeeIn("#veroeffentlichungen", c.Aktenzeichen, "veröffentlicht")

			// Anyone reads it, without logging in.
			a := b.NewPage(t, browsertest.Options{Origin: origin, JS: m.js})
			a.Open("/entscheidungen")
			a.SeeIn("#entscheidungen", "Amtsgericht München", c.Aktenzeichen)
			a.Press("Urteil " + c.Aktenzeichen)
			if a.Path() != public {
				t.Errorf("the list links %s, want %s", a.Path(), public)
			}
			a.SeeIn("#text", "[Unternehmen 1]", "poststelle@ag-muenchen.example", "Dr. Weber")
			page := strings.Join(strings.Fields(a.Text()), " ")
			var doc struct{ ID, Court, Aktenzeichen, Text string }
			for _, hdr := range []map[string]string{nil, {"Accept": "application/json"}} {
				path := public + ".json"
				if hdr != nil {
					path = public
				}
				req, _ := http.NewRequest("GET", origin+path, nil)
				for k, v := range hdr {
					req.Header.Set(k, v)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
					t.Fatalf("GET %s = %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
				}
				if err := json.Unmarshal(body, &doc); err != nil {
					t.Fatal(err)
				}
			}
			if doc.Aktenzeichen != c.Aktenzeichen || doc.Court != "Amtsgericht München" || !strings.Contains(doc.Text, "[Unternehmen 1]") {
				t.Errorf("JSON = %+v", doc)
			}
			text := strings.Join(strings.Fields(doc.Text), " ")
			for _, s := range append(anonymized, "Mustermann", "Beispiel", "Knopfloch", "Musterstraße") {
				if strings.Contains(page, s) || strings.Contains(text, s) {
					t.Errorf("the published decision contains %q:\npage: %s\njson: %s", s, page, text)
				}
			}
			w.verify()
		})
	}
}
