// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"justizcloud/login/oidctest"
)

// portalUser is a logged-in browser on the portal.
type portalUser struct {
	*browser
	csrf string
}

// loginCitizen logs who in at the citizens' provider in a new browser.
func (w *loginWorld) loginCitizen(t *testing.T, who oidctest.User) *portalUser {
	t.Helper()
	b := w.browser(t)
	b.finish(b.logIn("buerger", who, w.citizen))
	return &portalUser{browser: b, csrf: b.csrf()}
}

// file is an upload of a multipart post.
type file struct {
	field, name string
	content     []byte
}

// post sends a form with the CSRF token (csrf false: without it).
func (c *portalUser) post(path string, vals map[string]string, withCSRF bool) (*http.Response, string) {
	c.t.Helper()
	form := url.Values{}
	if withCSRF {
		form.Set("csrf", c.csrf)
	}
	for k, v := range vals {
		form.Set(k, v)
	}
	return c.do("POST", path, strings.NewReader(form.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

// postMultipart sends a multipart form as a browser without JavaScript
// does: the CSRF token as the first field (token "" leaves it out).
func (c *portalUser) postMultipart(path, token string, vals map[string]string, files []file) (*http.Response, string) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if token != "" {
		mw.WriteField("csrf", token)
	}
	for k, v := range vals {
		mw.WriteField(k, v)
	}
	for _, f := range files {
		fw, err := mw.CreateFormFile(f.field, f.name)
		if err != nil {
			c.t.Fatal(err)
		}
		fw.Write(f.content)
	}
	mw.Close()
	return c.do("POST", path, &buf, map[string]string{"Content-Type": mw.FormDataContentType()})
}

// next posts a page that must be accepted and returns where it leads.
func (c *portalUser) next(path string, vals map[string]string) string {
	c.t.Helper()
	resp, body := c.post(path, vals, true)
	if resp.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("POST %s %v = %d, want 303\n%s", path, vals, resp.StatusCode, errorsOf(body))
	}
	return resp.Header.Get("Location")
}

// refused posts a page that must come back with the message.
func (c *portalUser) refused(path string, vals map[string]string, msg string) string {
	c.t.Helper()
	resp, body := c.post(path, vals, true)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, msg) || !strings.Contains(body, `id="fehler"`) ||
		!strings.Contains(body, "<title>Fehler: ") {
		c.t.Fatalf("POST %s %v = %d, want 422 with an error summary and %q\n%s", path, vals, resp.StatusCode, msg, errorsOf(body))
	}
	return body
}

var errorRE = regexp.MustCompile(`(?s)<div class="kern-alert kern-alert--danger".*?</div>\s*</div>`)

// errorsOf cuts the error summary out of a page, for failure messages.
func errorsOf(body string) string {
	if m := errorRE.FindString(body); m != "" {
		return m
	}
	if len(body) > 2000 {
		return body[:2000]
	}
	return body
}

var pdfBytes = []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")

// walk posts the pages in order, each leading to the next.
func (c *portalUser) walk(base string, pages []pageStep) string {
	c.t.Helper()
	loc := ""
	for _, s := range pages {
		want := base + "/seite/" + s.page
		if loc != "" && loc != want {
			c.t.Fatalf("went to %s, want %s", loc, want)
		}
		if s.files != nil {
			resp, body := c.postMultipart(want, c.csrf, s.values, s.files)
			if resp.StatusCode != http.StatusSeeOther {
				c.t.Fatalf("POST %s (multipart) = %d\n%s", want, resp.StatusCode, errorsOf(body))
			}
			loc = resp.Header.Get("Location")
			continue
		}
		loc = c.next(want, s.values)
	}
	return loc
}

type pageStep struct {
	page   string
	values map[string]string
	files  []file
}

// file a draft and check the receipt page; returns the case ID and page.
func (c *portalUser) file(name string) (string, string) {
	c.t.Helper()
	_, sum := c.expect(200, "GET", "/antrag/"+name+"/zusammenfassung", nil, nil)
	if !strings.Contains(sum, `id="einreichen"`) || !strings.Contains(sum, "Ändern") {
		c.t.Fatalf("summary without the filing button:\n%s", errorsOf(sum))
	}
	resp, body := c.post("/antrag/"+name+"/einreichen", nil, true)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/verfahren/") || !strings.HasSuffix(loc, "?eingereicht=1") {
		c.t.Fatalf("einreichen = %d %s\n%s", resp.StatusCode, loc, errorsOf(body))
	}
	id := strings.TrimSuffix(strings.TrimPrefix(loc, "/verfahren/"), "?eingereicht=1")
	_, page := c.expect(200, "GET", loc, nil, nil)
	return id, page
}

// checkDocuments downloads every document linked on a case page and
// compares its SHA-256 with the one the page (the receipt) shows.
func (c *portalUser) checkDocuments(page string, want ...string) {
	c.t.Helper()
	rows := regexp.MustCompile(`<a class="kern-link" href="(/verfahren/[^"]+/dokumente/[^"]+)">([^<]+)</a></td><td class="kern-table__cell">[^<]*</td><td class="kern-table__cell">[^<]*</td><td class="kern-table__cell portal-hash">([0-9a-f]{64})</td>`).FindAllStringSubmatch(page, -1)
	var names []string
	for _, r := range rows {
		names = append(names, r[2])
		resp, body := c.expect(200, "GET", r[1], nil, nil)
		sum := sha256.Sum256([]byte(body))
		if hex.EncodeToString(sum[:]) != r[3] || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
			c.t.Errorf("%s: SHA-256 %x, receipt says %s; disposition %q", r[2], sum, r[3], resp.Header.Get("Content-Disposition"))
		}
	}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		c.t.Errorf("documents = %v, want %v", names, want)
	}
}

func TestPortalGeldEinklagen(t *testing.T) {
	w := startLoginWorld(t)
	anon := w.browser(t)
	// Not logged in: the interview sends to the login with the way back.
	resp, _ := anon.expect(http.StatusSeeOther, "GET", "/antrag/geld-einklagen", nil, nil)
	if loc := resp.Header.Get("Location"); loc != "/login?return=%2Fantrag%2Fgeld-einklagen" {
		t.Errorf("anonymous interview → %q", loc)
	}
	_, start := anon.expect(200, "GET", "/", nil, nil)
	for _, s := range []string{"<title>Digitale Rechtsantragstelle – Justizcloud</title>", `<html lang="de">`, `href="#inhalt"`,
		"/antrag/geld-einklagen", "/antrag/fluggastrechte", "/antrag/beratungshilfe", "/verfahren", "nicht angemeldet"} {
		if !strings.Contains(start, s) {
			t.Errorf("start page lacks %q", s)
		}
	}
	if strings.Contains(start, "<script") || strings.Contains(start, "style=") {
		t.Error("start page has script or inline style")
	}

	c := w.loginCitizen(t, erikaOP)
	const base = "/antrag/geld-einklagen"
	// A post without the CSRF token is refused, urlencoded and multipart.
	if resp, _ := c.post(base, map[string]string{"aktion": "beginnen"}, false); resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST without csrf = %d, want 403", resp.StatusCode)
	}
	if loc := c.next(base, map[string]string{"aktion": "beginnen"}); loc != base+"/seite/start" {
		t.Fatalf("beginnen → %s", loc)
	}
	if resp, _ := c.postMultipart(base+"/seite/beweise", "", nil, []file{{"belege", "a.pdf", pdfBytes}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("multipart POST without csrf = %d, want 403", resp.StatusCode)
	}
	if resp, _ := c.postMultipart(base+"/seite/beweise", "forged-token", nil, []file{{"belege", "a.pdf", pdfBytes}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("multipart POST with a wrong csrf = %d, want 403", resp.StatusCode)
	}
	_, page := c.expect(200, "GET", base+"/seite/start", nil, nil)
	if !strings.Contains(page, "<title>Bevor Sie beginnen – Geld einklagen – Justizcloud</title>") || !strings.Contains(page, `<label class="kern-label" for="hinweise_gelesen">`) {
		t.Errorf("start page of the interview:\n%s", page)
	}
	c.refused(base+"/seite/start", nil, "Bitte bestätigen Sie, dass Sie die Hinweise gelesen haben.")
	c.next(base+"/seite/start", map[string]string{"hinweise_gelesen": "true"})

	klaeger := map[string]string{"klaeger_vorname": "Erika", "klaeger_nachname": "Mustermann", "klaeger_strasse": "Heidestraße 17",
		"klaeger_plz": "5114", "klaeger_ort": "Köln", "klaeger_email": "erika@example.org"}
	body := c.refused(base+"/seite/klaeger", klaeger, "Bitte geben Sie eine fünfstellige Postleitzahl an")
	if !strings.Contains(body, `value="5114"`) || !strings.Contains(body, `value="Heidestraße 17"`) || !strings.Contains(body, `href="#klaeger_plz"`) {
		t.Errorf("the refused page does not keep the input or link the field:\n%s", errorsOf(body))
	}
	klaeger["klaeger_plz"] = "51147"
	c.next(base+"/seite/klaeger", klaeger)
	// Save and resume: the answers are there after "Speichern".
	if loc := c.next(base+"/seite/beklagter", map[string]string{"aktion": "speichern", "beklagter_name": "Muster GmbH"}); loc != base+"?gespeichert=1" {
		t.Errorf("speichern → %s", loc)
	}
	if loc := c.next(base, map[string]string{"aktion": "beginnen"}); loc != base+"/seite/beklagter" {
		t.Errorf("resume → %s, want the first page with a missing answer", loc)
	}
	if _, page := c.expect(200, "GET", base+"/seite/beklagter", nil, nil); !strings.Contains(page, `value="Muster GmbH"`) {
		t.Error("saved answer not shown after resuming")
	}
	loc := c.walk(base, []pageStep{
		{page: "beklagter", values: map[string]string{"beklagter_art": "unternehmen", "beklagter_name": "Muster GmbH",
			"beklagter_vertreter": "Max Muster", "beklagter_strasse": "Zeil 1", "beklagter_plz": "60313", "beklagter_ort": "Frankfurt am Main"}},
	})
	if loc != base+"/seite/forderung" {
		t.Fatalf("after beklagter → %s", loc)
	}
	c.refused(base+"/seite/forderung", map[string]string{"forderung": "12.000,00", "forderung_grund": "werklohn"}, "10.000,00 € nicht übersteigen")
	c.next(base+"/seite/forderung", map[string]string{"forderung": "1.234,56", "forderung_grund": "werklohn", "faellig_seit": "01.02.2026", "zinsen": "true"})
	c.refused(base+"/seite/begruendung", map[string]string{"sachverhalt": "Zu kurz.", "gemahnt": "ja"}, "mindestens 30 Zeichen")
	// A long text posts as multipart (as the page's form does): 9,000 "€"
	// would be 81 KB urlencoded, beyond what the CSRF check parses.
	if resp, body := c.postMultipart(base+"/seite/begruendung", c.csrf, map[string]string{"sachverhalt": strings.Repeat("€", 9000), "gemahnt": "nein"}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("long text = %d\n%s", resp.StatusCode, errorsOf(body))
	}
	c.next(base+"/seite/begruendung", map[string]string{"sachverhalt": "Ich habe im Januar die Küche renoviert; die Rechnung ist unbezahlt.",
		"gemahnt": "ja", "mahnung_datum": "01.03.2026"})

	// Uploads: empty, wrong type (sniffed, whatever the name says), too
	// large are refused with the reason; a PDF is stored.
	for _, tc := range []struct {
		f   file
		msg string
	}{
		{file{"belege", "leer.pdf", nil}, "ist leer"},
		{file{"belege", "rechnung.pdf", []byte("MZ\x90\x00 this is no PDF at all")}, "Format, das nicht erlaubt ist"},
		{file{"belege", "riesig.pdf", append(append([]byte{}, pdfBytes...), make([]byte, 10<<20)...)}, "ist zu groß"},
	} {
		resp, body := c.postMultipart(base+"/seite/beweise", c.csrf, map[string]string{"aktion": "weiter"}, []file{tc.f})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.msg) {
			t.Errorf("upload %s = %d, want 422 with %q\n%s", tc.f.name, resp.StatusCode, tc.msg, errorsOf(body))
		}
	}
	resp, body = c.postMultipart(base+"/seite/beweise", c.csrf, map[string]string{"aktion": "weiter", "zeugen": "Max Zeuge, Köln"},
		[]file{{"belege", "rechnung.pdf", pdfBytes}, {"belege", "mahnung.pdf", pdfBytes}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != base+"/seite/gericht" {
		t.Fatalf("upload = %d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), errorsOf(body))
	}
	// Remove one of the two uploads again.
	_, page = c.expect(200, "GET", base+"/seite/beweise", nil, nil)
	rm := regexp.MustCompile(`name="entfernen" value="(belege/[^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(rm) != 2 {
		t.Fatalf("uploads on the page: %v", rm)
	}
	if resp, _ := c.postMultipart(base+"/seite/beweise", c.csrf, map[string]string{"entfernen": rm[1][1]}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("entfernen = %d", resp.StatusCode)
	}
	if resp, _ := c.postMultipart(base+"/seite/beweise", c.csrf, map[string]string{"entfernen": "belege/not-mine"}, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("entfernen of an unknown upload = %d, want 404", resp.StatusCode)
	}

	// The court: Frankfurt am Main is proposed and preselected.
	_, page = c.expect(200, "GET", base+"/seite/gericht", nil, nil)
	sel := regexp.MustCompile(`<option value="([^"]+)" selected>Amtsgericht Frankfurt`).FindStringSubmatch(page)
	if sel == nil {
		t.Fatalf("court page without the proposal selected:\n%s", page[strings.Index(page, "<form"):][:3000])
	}
	c.refused(base+"/seite/gericht", map[string]string{"gericht": "nonsense"}, "Amtsgericht aus der Liste")
	c.next(base+"/seite/gericht", map[string]string{"gericht": sel[1]})
	// The fee is shown: 1.234,56 € → 3 × 82,00 € (KV 1210 GKG, Anlage 2: 40 € + 2 × 21 €).
	if _, page = c.expect(200, "GET", base+"/seite/kosten", nil, nil); !strings.Contains(page, "246,00 €") {
		t.Errorf("fee not shown on the kosten page:\n%s", errorsOf(page))
	}
	c.refused(base+"/seite/kosten", map[string]string{"kosten_akzeptiert": "true", "klaeger_iban": "DE02 1203 0000 0000 2020 52"}, "IBAN ist nicht gültig")
	c.next(base+"/seite/kosten", map[string]string{"kosten_akzeptiert": "true", "klaeger_iban": "DE02 1203 0000 0000 2020 51"})
	if loc := c.next(base+"/seite/erklaerung", map[string]string{"wahrheit": "true"}); loc != base+"/zusammenfassung" {
		t.Fatalf("after erklaerung → %s", loc)
	}
	// Change an answer from the summary: back to the summary afterwards.
	if loc := c.next(base+"/seite/forderung", map[string]string{"aendern": "1", "forderung": "1.250,00", "forderung_grund": "werklohn"}); loc != base+"/zusammenfassung" {
		t.Errorf("after a change → %s, want the summary", loc)
	}

	id, receipt := c.file("geld-einklagen")
	if !regexp.MustCompile(`Aktenzeichen <strong>1 C 1/\d\d</strong>`).MatchString(receipt) || !strings.Contains(receipt, "Amtsgericht Frankfurt") ||
		!strings.Contains(receipt, "<title>Verfahren 1 C 1/") {
		t.Errorf("receipt page:\n%s", receipt)
	}
	c.checkDocuments(receipt, "klage.pdf", "antrag.json", "rechnung.pdf", "eingangsbestaetigung.pdf")
	// The claim and the receipt are text-searchable PDFs with the facts.
	az := regexp.MustCompile(`1 C 1/\d\d`).FindString(receipt)
	claimHash := regexp.MustCompile(`>klage\.pdf</a>.*?portal-hash">([0-9a-f]{64})<`).FindStringSubmatch(receipt)
	for name, want := range map[string][]string{
		"klage.pdf":                {"Klage: Geld einklagen", "An das Amtsgericht Frankfurt", "Muster GmbH", "Erika Mustermann", "1.250,00 €", "Eingereicht über die Justizcloud"},
		"eingangsbestaetigung.pdf": {"Eingangsbestätigung", az, "Amtsgericht Frankfurt", "klage.pdf", "rechnung.pdf", claimHash[1]},
	} {
		link := regexp.MustCompile(`href="(/verfahren/[^"]+/dokumente/[^"]+)">` + regexp.QuoteMeta(name) + `<`).FindStringSubmatch(receipt)
		_, pdf := c.expect(200, "GET", link[1], nil, nil)
		text := pdfText(t, []byte(pdf))
		for _, w := range want {
			// A hash may wrap in its column: compare it without white space.
			if !strings.Contains(strings.Join(strings.Fields(text), " "), w) && !strings.Contains(strings.Join(strings.Fields(text), ""), w) {
				t.Errorf("%s lacks %q:\n%s", name, w, text)
			}
		}
	}
	// HEAD reads nothing (it is not an access to the document).
	if resp, _ := c.do("HEAD", regexp.MustCompile(`/verfahren/[^"]+/dokumente/[^"]+`).FindString(receipt), nil, nil); resp.StatusCode != 200 || resp.ContentLength <= 0 {
		t.Errorf("HEAD of a document = %d, length %d", resp.StatusCode, resp.ContentLength)
	}
	// The structured data and the filer's participant, through the API with the session.
	_, docs := c.expect(200, "GET", "/api/v1/cases/"+id+"/participants", nil, nil)
	var ps struct {
		Items []struct{ Role, Name, Account string } `json:"items"`
	}
	if err := json.Unmarshal([]byte(docs), &ps); err != nil || len(ps.Items) != 2 || ps.Items[0].Role != "klaeger" || !strings.HasPrefix(ps.Items[0].Account, "user:") || ps.Items[1].Name != "Muster GmbH" {
		t.Errorf("participants = %s (%v)", docs, err)
	}
	// The audit log of the court's Land recorded the filing and the
	// downloads; the filer sees them in the file's access log.
	if _, log := c.expect(200, "GET", "/api/v1/cases/"+id+"/access-log", nil, nil); !strings.Contains(log, "case.file") || !strings.Contains(log, "document.content.read") {
		t.Errorf("access log: %s", log)
	}
	// The court's Geschäftsstelle finds the filing in its inbox.
	clerk := mustToken(t, w.srv.data, "DE-HE", "geschaeftsstelle", "--court", "M1201")
	if _, inbox := c.expect(200, "GET", "/api/v1/inbox", nil, map[string]string{"Authorization": "Bearer " + clerk}); !strings.Contains(inbox, id) {
		t.Errorf("the filing is not in the court's inbox: %s", inbox)
	}
	_, list := c.expect(200, "GET", "/verfahren", nil, nil)
	if !strings.Contains(list, "/verfahren/"+id) || !strings.Contains(list, "Klage eingereicht") {
		t.Errorf("Meine Verfahren:\n%s", list)
	}
	// The draft is gone.
	if resp, _ := c.do("GET", base+"/seite/start", nil, nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != base {
		t.Errorf("draft after filing: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}

	// Another citizen reaches neither the proceeding nor its documents.
	m := w.loginCitizen(t, maxOP)
	m.expect(404, "GET", "/verfahren/"+id, nil, nil)
	docLink := regexp.MustCompile(`/verfahren/` + id + `/dokumente/[^"]+`).FindString(receipt)
	m.expect(404, "GET", docLink, nil, nil)
	if _, l := m.expect(200, "GET", "/verfahren", nil, nil); strings.Contains(l, id) {
		t.Error("another citizen's list shows the proceeding")
	}
}

func TestPortalDraftsArePersonal(t *testing.T) {
	w := startLoginWorld(t)
	e := w.loginCitizen(t, erikaOP)
	const base = "/antrag/beratungshilfe"
	e.next(base, map[string]string{"aktion": "beginnen"})
	e.walk(base, []pageStep{
		{page: "start", values: map[string]string{"hinweise_gelesen": "on"}},
		{page: "angelegenheit", values: map[string]string{"rechtsgebiet": "zivilrecht", "sachverhalt": "Mein Vermieter behält die Kaution ein.",
			"gerichtsverfahren": "nein", "frueher_beantragt": "nein"}},
		{page: "andere_hilfe", values: map[string]string{"rechtsschutz": "nein", "mitgliedschaft": "nein"}},
		{page: "person", values: map[string]string{"vorname": "Erika", "nachname": "Mustermann", "geburtsdatum": "12.08.1964",
			"strasse": "Hauptstraße 1", "plz": "10785", "ort": "Berlin-Schöneberg", "familienstand": "ledig"}},
		{page: "einkommen", values: map[string]string{"einkommen_art": "buergergeld", "einkommen_netto": "563", "wohnkosten": "450,00", "unterhalt_personen": "0"}},
		{page: "vermoegen", values: map[string]string{"vermoegen_vorhanden": "nein"}},
		{page: "nachweise", files: []file{{"belege", "bescheid.pdf", pdfBytes}}},
	})
	_, page := e.expect(200, "GET", base+"/seite/nachweise", nil, nil)
	ref := regexp.MustCompile(`name="entfernen" value="(belege/[^"]+)"`).FindStringSubmatch(page)
	if ref == nil {
		t.Fatal("upload not listed")
	}
	m := w.loginCitizen(t, maxOP)
	// Max has no draft: the pages send him to the start of the interview.
	if resp, _ := m.do("GET", base+"/seite/person", nil, nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != base {
		t.Errorf("another user's draft page = %d %s, want a redirect to the overview", resp.StatusCode, resp.Header.Get("Location"))
	}
	m.next(base, map[string]string{"aktion": "beginnen"})
	if _, page := m.expect(200, "GET", base+"/seite/start", nil, nil); strings.Contains(page, "checked") {
		t.Error("Max sees Erika's answers")
	}
	// Erika's upload ref does not reach into Max's draft.
	m.next(base+"/seite/start", map[string]string{"hinweise_gelesen": "on"})
	if resp, _ := m.post(base+"/seite/start", map[string]string{"entfernen": ref[1]}, true); resp.StatusCode != http.StatusNotFound {
		t.Errorf("removing another user's upload = %d, want 404", resp.StatusCode)
	}
	if _, page := e.expect(200, "GET", base+"/seite/nachweise", nil, nil); !strings.Contains(page, ref[1]) {
		t.Error("Erika's upload is gone")
	}
	// Discarding deletes the draft.
	if loc := e.next(base, map[string]string{"aktion": "verwerfen"}); loc != base+"?verworfen=1" {
		t.Errorf("verwerfen → %s", loc)
	}
	if resp, _ := e.do("GET", base+"/seite/person", nil, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("discarded draft still there: %d", resp.StatusCode)
	}
}

func TestPortalFluggastrechte(t *testing.T) {
	w := startLoginWorld(t)
	c := w.loginCitizen(t, erikaOP)
	const base = "/antrag/fluggastrechte"
	c.next(base, map[string]string{"aktion": "beginnen"})
	c.next(base+"/seite/start", map[string]string{"hinweise_gelesen": "true"})
	flug := map[string]string{"flugnummer": "Lufthansa", "flugdatum": "10.02.2026", "von": "FRA", "nach": "XXX"}
	body := c.refused(base+"/seite/flug", flug, "Bitte geben Sie die Flugnummer an, zum Beispiel LH 400.")
	if !strings.Contains(body, "Den Flughafen „XXX“ kennen wir nicht") || !strings.Contains(body, `<option value="FRA" selected>`) {
		t.Errorf("flight page after errors:\n%s", errorsOf(body))
	}
	flug["flugnummer"], flug["nach"] = "LH 400", "JFK"
	c.walk(base, []pageStep{
		{page: "flug", values: flug},
		{page: "fluggesellschaft", values: map[string]string{"airline_name": "Deutsche Lufthansa AG", "airline_anschrift": "Venloer Straße 151-153, 50672 Köln"}},
		{page: "ereignis", values: map[string]string{"ereignis": "verspaetung"}},
	})
	// 2:50 late: no compensation (Sturgeon: 3 hours); the stop page explains it.
	if loc := c.next(base+"/seite/ankunft", map[string]string{"verspaetung_minuten": "170"}); loc != base+"/seite/kein_anspruch" {
		t.Fatalf("after a delay of 170 minutes → %s", loc)
	}
	_, stop := c.expect(200, "GET", base+"/seite/kein_anspruch", nil, nil)
	if !strings.Contains(stop, "kann so nicht eingereicht werden") || strings.Contains(stop, `id="weiter"`) {
		t.Errorf("stop page:\n%s", stop)
	}
	if resp, _ := c.do("GET", base+"/zusammenfassung", nil, nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != base+"/seite/kein_anspruch" {
		t.Errorf("summary while stopped = %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := c.post(base+"/einreichen", nil, true); resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(resp.Header.Get("Location"), "/verfahren/") {
		t.Fatal("a stopped interview was filed")
	}
	// Corrected to 5 hours: 600 € (Art. 7(1)(c), FRA–JFK 6189 km).
	if loc := c.next(base+"/seite/ankunft", map[string]string{"verspaetung_minuten": "300"}); loc != base+"/seite/umstaende" {
		t.Fatalf("after the correction → %s", loc)
	}
	if _, page := c.expect(200, "GET", base+"/seite/umstaende", nil, nil); !strings.Contains(page, "600,00 €") {
		t.Errorf("compensation not shown:\n%s", errorsOf(page))
	}
	c.walk(base, []pageStep{
		{page: "umstaende", values: map[string]string{"umstaende_geltend": "ja", "umstaende_angabe": "Technischer Defekt."}},
		{page: "belege", files: []file{{"belege", "buchung.pdf", pdfBytes}}},
		{page: "fluggast", values: map[string]string{"vorname": "Erika", "nachname": "Mustermann", "strasse": "Heidestraße 17", "plz": "51147", "ort": "Köln"}},
	})
	// Without JavaScript the proposals for the place appear after the first post.
	body = c.refused(base+"/seite/gericht", map[string]string{"gerichtsort": "Frankfurt am Main"}, "Bitte wählen Sie ein Amtsgericht aus.")
	sel := regexp.MustCompile(`<optgroup label="Vorschläge[^"]*"><option value="([^"]+)"`).FindStringSubmatch(body)
	if sel == nil {
		t.Fatalf("no proposals after the place was given:\n%s", errorsOf(body))
	}
	c.next(base+"/seite/gericht", map[string]string{"gerichtsort": "Frankfurt am Main", "gericht": sel[1]})
	if _, page := c.expect(200, "GET", base+"/seite/erklaerung", nil, nil); !strings.Contains(page, "183,00 €") {
		t.Errorf("court fee for 600 € (3 × 61,00 €) not shown:\n%s", errorsOf(page))
	}
	c.next(base+"/seite/erklaerung", map[string]string{"wahrheit": "true"})
	_, receipt := c.file("fluggastrechte")
	c.checkDocuments(receipt, "klage.pdf", "antrag.json", "buchung.pdf", "eingangsbestaetigung.pdf")
}

func TestPortalBeratungshilfe(t *testing.T) {
	w := startLoginWorld(t)
	c := w.loginCitizen(t, erikaOP)
	const base = "/antrag/beratungshilfe"
	c.next(base, map[string]string{"aktion": "beginnen"})
	c.next(base+"/seite/start", map[string]string{"hinweise_gelesen": "on"})
	angelegenheit := map[string]string{"rechtsgebiet": "zivilrecht", "sachverhalt": "Mein Vermieter behält die Kaution ein.",
		"gerichtsverfahren": "ja", "frueher_beantragt": "nein"}
	// A pending court proceeding excludes Beratungshilfe: the stop page.
	if loc := c.next(base+"/seite/angelegenheit", angelegenheit); loc != base+"/seite/ausgeschlossen" {
		t.Fatalf("with a pending proceeding → %s", loc)
	}
	angelegenheit["gerichtsverfahren"] = "nein"
	c.walk(base, []pageStep{
		{page: "angelegenheit", values: angelegenheit},
		{page: "andere_hilfe", values: map[string]string{"rechtsschutz": "nein", "mitgliedschaft": "nein"}},
	})
	person := map[string]string{"vorname": "Erika", "nachname": "Mustermann", "geburtsdatum": "31.02.1964",
		"strasse": "Hauptstraße 1", "plz": "10785", "ort": "Berlin-Schöneberg", "familienstand": "ledig"}
	c.refused(base+"/seite/person", person, "gültiges Datum")
	person["geburtsdatum"] = "12.08.1964"
	c.walk(base, []pageStep{
		{page: "person", values: person},
		{page: "einkommen", values: map[string]string{"einkommen_art": "buergergeld", "einkommen_netto": "563", "wohnkosten": "450,00", "unterhalt_personen": "0"}},
		{page: "vermoegen", values: map[string]string{"vermoegen_vorhanden": "nein"}},
		{page: "nachweise", files: []file{{"belege", "bescheid.pdf", pdfBytes}}},
	})
	_, page := c.expect(200, "GET", base+"/seite/gericht", nil, nil)
	sel := regexp.MustCompile(`<option value="([^"]+)" selected>`).FindStringSubmatch(page)
	if sel == nil {
		t.Fatalf("no court proposed for Berlin-Schöneberg")
	}
	c.walk(base, []pageStep{
		{page: "gericht", values: map[string]string{"gericht": sel[1]}},
		{page: "erklaerung", values: map[string]string{"versicherung": "on"}},
	})
	id, receipt := c.file("beratungshilfe")
	if !regexp.MustCompile(`Aktenzeichen <strong>1 II 1/\d\d</strong>`).MatchString(receipt) || !strings.Contains(receipt, "Ihr Antrag ist beim") {
		t.Errorf("receipt:\n%s", receipt)
	}
	c.checkDocuments(receipt, "antrag.pdf", "antrag.json", "bescheid.pdf", "eingangsbestaetigung.pdf")
	_, data := c.expect(200, "GET", "/api/v1/cases/"+id+"/documents", nil, nil)
	if !strings.Contains(data, `"class":"Antrag"`) && !strings.Contains(data, `"class": "Antrag"`) {
		t.Errorf("documents of the case: %s", data)
	}
}

// TestPortalDraftsEncryptedAndExpire: a saved interview and its upload lie
// encrypted in the blob folder (no answer, no PDF header in any file), and
// the sweep at the next start deletes them after the retention time.
func TestPortalDraftsEncryptedAndExpire(t *testing.T) {
	w := startLoginWorld(t, "--draft-ttl", "2s")
	c := w.loginCitizen(t, erikaOP)
	const base = "/antrag/geld-einklagen"
	c.next(base, map[string]string{"aktion": "beginnen"})
	c.walk(base, []pageStep{
		{page: "start", values: map[string]string{"hinweise_gelesen": "true"}},
		{page: "klaeger", values: map[string]string{"klaeger_vorname": "Erikaxyzzy", "klaeger_nachname": "Mustermann", "klaeger_strasse": "Heidestraße 17",
			"klaeger_plz": "51147", "klaeger_ort": "Köln"}},
		{page: "beklagter", values: map[string]string{"beklagter_art": "person", "beklagter_name": "Max Schuldner",
			"beklagter_strasse": "Zeil 1", "beklagter_plz": "60313", "beklagter_ort": "Frankfurt am Main"}},
		{page: "forderung", values: map[string]string{"forderung": "500", "forderung_grund": "darlehen"}},
		{page: "begruendung", values: map[string]string{"sachverhalt": "Ich habe ihm im Januar 500 Euro geliehen; er zahlt nicht zurück.", "gemahnt": "nein"}},
		{page: "beweise", files: []file{{"belege", "vertrag.pdf", pdfBytes}}},
	})
	blobs := filepath.Join(w.srv.data, "blobs")
	count := func() (drafts int) {
		t.Helper()
		err := filepath.WalkDir(blobs, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			raw, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if bytes.Contains(raw, []byte("Erikaxyzzy")) || bytes.Contains(raw, []byte("%PDF")) {
				t.Errorf("%s holds plaintext", p)
			}
			if strings.Contains(p, string(filepath.Separator)+"DE"+string(filepath.Separator)) {
				drafts++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return drafts
	}
	if n := count(); n < 2 {
		t.Fatalf("%d blobs of tenant DE, want the answers and the upload", n)
	}
	time.Sleep(2100 * time.Millisecond)
	// Past its time the draft counts as gone even before the sweep ...
	if resp, _ := c.do("GET", base+"/seite/forderung", nil, nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != base {
		t.Errorf("expired draft: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// ... and the sweep at the next start deletes answers and uploads.
	w.srv.stop()
	startServeLogs(t, w.srv.data, w.logs, "--demo=false", "--draft-ttl", "2s")
	if n := count(); n != 0 {
		t.Errorf("%d blobs of tenant DE after the sweep, want 0", n)
	}
}

// TestPortalCourtChoice: a place with several Amtsgerichte (Berlin) gets
// them all as proposals, none chosen for the citizen, who must pick one.
func TestPortalCourtChoice(t *testing.T) {
	w := startLoginWorld(t)
	c := w.loginCitizen(t, erikaOP)
	const base = "/antrag/geld-einklagen"
	c.next(base, map[string]string{"aktion": "beginnen"})
	c.walk(base, []pageStep{
		{page: "start", values: map[string]string{"hinweise_gelesen": "true"}},
		{page: "klaeger", values: map[string]string{"klaeger_vorname": "Erika", "klaeger_nachname": "Mustermann", "klaeger_strasse": "Heidestraße 17", "klaeger_plz": "51147", "klaeger_ort": "Köln"}},
		{page: "beklagter", values: map[string]string{"beklagter_art": "person", "beklagter_name": "Max Schuldner", "beklagter_strasse": "Unter den Linden 1", "beklagter_plz": "10117", "beklagter_ort": "Berlin"}},
		{page: "forderung", values: map[string]string{"forderung": "300", "forderung_grund": "kaufpreis"}},
		{page: "begruendung", values: map[string]string{"sachverhalt": "Er hat mein Fahrrad gekauft und nicht bezahlt, trotz Mahnung.", "gemahnt": "nein"}},
		{page: "beweise", values: map[string]string{}},
	})
	_, page := c.expect(200, "GET", base+"/seite/gericht", nil, nil)
	group := regexp.MustCompile(`<optgroup label="Vorschläge[^"]*">(.*?)</optgroup>`).FindStringSubmatch(page)
	if group == nil || strings.Count(group[1], "<option") < 2 || strings.Contains(page, " selected>") {
		t.Fatalf("proposals for Berlin: %v", group)
	}
	c.refused(base+"/seite/gericht", map[string]string{"gericht": ""}, "Bitte wählen Sie ein Amtsgericht aus.")
	first := regexp.MustCompile(`<option value="([^"]+)"`).FindStringSubmatch(group[1])[1]
	if loc := c.next(base+"/seite/gericht", map[string]string{"gericht": first}); loc != base+"/seite/kosten" {
		t.Errorf("after choosing → %s", loc)
	}
}
