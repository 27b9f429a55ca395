// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"justizcloud/pdfdoc"
)

// pageSession is a browser-like client of the pages: cookies, no
// redirects followed, the session's CSRF token read from the pages.
type pageSession struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

var (
	courtCSRFRE  = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	loginTokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)
)

// demoSession logs in as a demo account (serve --demo on loopback).
func demoSession(t *testing.T, base, account string) *pageSession {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	s := &pageSession{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	_, page := s.get(200, "/login")
	m := loginTokenRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no form token on the login page")
	}
	s.post(303, "/login/demo", url.Values{"token": {m[1]}, "account": {account}, "return": {"/konto"}})
	_, page = s.get(200, "/verfahren")
	if m := courtCSRFRE.FindStringSubmatch(page); m != nil {
		s.csrf = m[1]
	} else {
		t.Fatalf("no CSRF token on a page of %s", account)
	}
	return s
}

func (s *pageSession) do(want int, req *http.Request) (*http.Response, string) {
	s.t.Helper()
	resp, err := s.c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if want != 0 && resp.StatusCode != want {
		s.t.Fatalf("%s %s = %d, want %d\n%s", req.Method, req.URL.Path, resp.StatusCode, want, pageText(string(b)))
	}
	return resp, string(b)
}

func (s *pageSession) get(want int, path string) (*http.Response, string) {
	s.t.Helper()
	req, _ := http.NewRequest("GET", s.base+path, nil)
	return s.do(want, req)
}

func (s *pageSession) post(want int, path string, form url.Values) (*http.Response, string) {
	s.t.Helper()
	if s.csrf != "" {
		form.Set("csrf", s.csrf)
	}
	req, _ := http.NewRequest("POST", s.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.do(want, req)
}

// postMultipart posts fields in order, the CSRF token first, and files last.
func (s *pageSession) postMultipart(want int, path string, fields [][2]string, fileField, fileName string, file []byte) (*http.Response, string) {
	s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", s.csrf)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	if fileField != "" {
		fw, _ := mw.CreateFormFile(fileField, fileName)
		fw.Write(file)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", s.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return s.do(want, req)
}

var tagRE = regexp.MustCompile(`<[^>]*>|\s+`)

// pageText is a page's text without tags, for failure messages.
func pageText(page string) string {
	s := tagRE.ReplaceAllString(page, " ")
	if len(s) > 3000 {
		s = s[:3000] + " …"
	}
	return s
}

func mustContain(t *testing.T, what, page string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(page, s) {
			t.Fatalf("%s does not show %q:\n%s", what, s, pageText(page))
		}
	}
}

func classPDF(t testing.TB, title, text string) []byte {
	t.Helper()
	b, err := pdfdoc.Bytes(pdfdoc.Document{Title: title, Blocks: []pdfdoc.Block{{Paragraph: text}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// courtClaim files a registered-to-be zivil-online claim at the AG
// München through the API: the demo claimant with her account, a
// defendant without one, and the Klage. It returns the case id and the
// defendant's and claimant's participant ids, the Klage's document id and
// the Aktenzeichen.
func courtClaim(t *testing.T, srv *testServer, subject string) (id, defendant, claimant, klage, az string) {
	t.Helper()
	gs := client{t, srv.url, mustToken(t, srv.data, "DE-BY", "geschaeftsstelle", "--court", "D2601")}
	var c caseResp
	gs.expect(201, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C", "procedure": "zivil-online",
		"subject": subject}), jsonHdr, &c)
	base := "/api/v1/cases/" + c.ID
	var kl, bk idResp
	gs.expect(201, "POST", base+"/participants", jsonBody(map[string]string{"role": "klaeger", "name": "Erika Mustermann",
		"address": "Musterstraße 1, 80331 München", "account": "user:usr_demo_erika"}), jsonHdr, &kl)
	gs.expect(201, "POST", base+"/participants", jsonBody(map[string]string{"role": "beklagter", "name": "Bernd Beispiel",
		"address": "Beispielweg 2, 80333 München"}), jsonHdr, &bk)
	var doc docResp
	gs.expect(201, "POST", base+"/documents?class=Klage", bytes.NewReader(classPDF(t, "Klage", "Klage auf Zahlung von 800 Euro")), docHdr("klage.pdf", nil), &doc)
	return c.ID, bk.ID, kl.ID, doc.ID, c.Aktenzeichen
}

var (
	accessCodeRE = regexp.MustCompile(`\b[A-Z]{2}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b`)
	docLinkRE    = `href="(/gericht/verfahren/[^/"]+/dokumente/[^"]+)">%s<`
)

// docLink finds the link of a document by its name (or link text) on a page.
func docLink(t *testing.T, page, name string) string {
	t.Helper()
	m := regexp.MustCompile(fmt.Sprintf(docLinkRE, regexp.QuoteMeta(name))).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no link %q on the page:\n%s", name, pageText(page))
	}
	return m[1]
}

// TestCourtPages walks the court's side and the defendant's side through
// the real server's pages (no browser): the clerk registers, assigns the
// judge and orders service by letter; the defendant redeems the code and
// answers; the judge decides with a generated Urteil; it is served to both
// parties by their downloads; the Nachweis names the Urteil's SHA-256;
// forged posts are refused with the procedure's reason; audit verify.
func TestCourtPages(t *testing.T) {
	data := t.TempDir()
	logs := &syncBuffer{}
	srv := startServeLogs(t, data, logs, "--log-level", "warn")
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	})
	id, defendant, claimant, klage, _ := courtClaim(t, srv, "Kaufpreis Fahrrad")
	gs := demoSession(t, srv.url, "usr_demo_gs")
	judge := demoSession(t, srv.url, "usr_demo_richterin")
	max := demoSession(t, srv.url, "usr_demo_max")
	erika := demoSession(t, srv.url, "usr_demo_erika")
	casePath := "/gericht/verfahren/" + id

	// The inbox shows the new filing; the case page offers registration.
	_, page := gs.get(200, "/gericht")
	mustContain(t, "the inbox", page, "Neuer Eingang", "Kaufpreis Fahrrad", casePath)
	_, page = gs.get(200, casePath)
	mustContain(t, "the case page", page, "Klage eingetragen", "klage.pdf", "Zustellung verfügen", "Richterin am AG Dr. Weber (Demo)")
	if !strings.Contains(page, `<td class="kern-table__cell">1</td><td class="kern-table__cell">`) {
		t.Errorf("no page count for the Klage")
	}
	// Citizens have no workplace.
	erika.get(403, "/gericht")
	// A judge may not register (role), and a forged post says why.
	_, page = judge.post(403, casePath+"/ereignis", url.Values{"ereignis": {"eintragung"}})
	mustContain(t, "the refusal", page, "Nicht möglich", "eintragung")
	gs.post(303, casePath+"/ereignis", url.Values{"ereignis": {"eintragung"}})
	gs.post(303, casePath+"/richter", url.Values{"richter": {"usr_demo_richterin"}})
	// Service with nothing chosen: 422 with the error summary.
	_, page = gs.post(422, casePath+"/zustellung", url.Values{"empfaenger": {defendant}})
	mustContain(t, "the refused order", page, `id="fehler"`, `href="#dokumente"`, "Bitte wählen Sie mindestens ein Dokument.")
	gs.post(303, casePath+"/zustellung", url.Values{"empfaenger": {defendant}, "dokumente": {klage}, "zustellereignis": {"zustellung"}})
	_, page = gs.get(200, casePath)
	mustContain(t, "the case page after the order", page, "Brief mit Zugangscode zum Drucken", "Eingetragen")
	letter := docLink(t, page, "Brief mit Zugangscode zum Drucken")
	resp, pdf := gs.get(200, letter)
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "inline") {
		t.Errorf("Content-Disposition = %q, want inline", cd)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") {
		t.Errorf("CSP of a document = %q, want sandbox", csp)
	}
	code := accessCodeRE.FindString(pdfText(t, []byte(pdf)))
	if code == "" {
		t.Fatal("no access code in the letter")
	}
	// The claimant cannot see the letter.
	erika.get(404, letter)

	// The defendant redeems the code and answers.
	max.get(200, "/zugangscode")
	_, page = max.post(422, "/zugangscode", url.Values{"zugangscode": {"BY-0000-0000-0000-0000"}})
	mustContain(t, "a wrong code", page, "unbekannt, schon benutzt oder abgelaufen", `href="#zugangscode"`)
	resp, _ = max.post(303, "/zugangscode", url.Values{"zugangscode": {strings.ToLower(code)}})
	answer := "/verfahren/" + id + "/antwort"
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, answer) {
		t.Fatalf("after the code: %s, want %s", loc, answer)
	}
	_, page = max.get(200, answer+"?zugang=1")
	mustContain(t, "the answer page", page, "Sie haben jetzt Zugang", "klage.pdf", "Klageerwiderung", "Anerkenntnis", "Verteidigungsbereitschaft")
	// Forged: an event of the judge.
	_, page = max.postMultipart(403, answer, [][2]string{{"ereignis", "urteil"}}, "", "", nil)
	mustContain(t, "the refusal", page, "Nicht möglich")
	// Neither text nor file: 422; a text file: 422; then text and a PDF.
	_, page = max.postMultipart(422, answer, [][2]string{{"ereignis", "klageerwiderung"}, {"text", ""}}, "", "", nil)
	mustContain(t, "an empty answer", page, `href="#klageerwiderung-text"`)
	_, page = max.postMultipart(422, answer, [][2]string{{"ereignis", "klageerwiderung"}, {"text", "x"}}, "datei", "notiz.txt", []byte("nur Text"))
	mustContain(t, "a text file", page, "Erlaubt ist: PDF")
	max.postMultipart(303, answer, [][2]string{{"ereignis", "klageerwiderung"}, {"text", "Das Fahrrad war defekt; ich habe den Rücktritt erklärt."}},
		"datei", "ruecktritt.pdf", classPDF(t, "Rücktritt", "Rücktrittserklärung vom 1.10.2026"))
	_, page = erika.get(200, "/verfahren/"+id)
	mustContain(t, "the claimant's case page", page, "klageerwiderung.pdf", "ruecktritt.pdf", "Klageerwiderung eingereicht")

	// The judge decides; the Urteil is served to both parties.
	_, page = judge.get(200, casePath)
	mustContain(t, "the judge's page", page, "Entscheidung abfassen", "Termin bestimmen")
	_, page = judge.post(422, casePath+"/urteil", url.Values{"entscheidung": {"urteil"}, "tenor": {""}, "gruende": {"x"}})
	mustContain(t, "an Urteil without Tenor", page, `href="#tenor"`)
	judge.post(303, casePath+"/urteil", url.Values{"entscheidung": {"urteil"}, "tenor": {"Die Klage wird abgewiesen."},
		"gruende": {"Der Beklagte ist wirksam zurückgetreten (§§ 323, 437 BGB)."}})
	_, page = gs.get(200, casePath)
	mustContain(t, "the case page after the decision", page, "Urteil ergangen", "urteil.pdf")
	urteilID := regexp.MustCompile(`value="([^"]+)">\s*<label class="kern-label" for="dok-\d+">urteil\.pdf`).FindStringSubmatch(page)
	if urteilID == nil {
		t.Fatalf("no Urteil to serve:\n%s", pageText(page))
	}
	for _, who := range []string{defendant, claimant} {
		gs.post(303, casePath+"/zustellung", url.Values{"empfaenger": {who}, "dokumente": {urteilID[1]}, "zustellereignis": {"zustellung_urteil"}})
	}
	_, urteil := erika.get(200, "/verfahren/"+id+"/dokumente/"+urteilID[1])
	max.get(200, "/verfahren/"+id+"/dokumente/"+urteilID[1])
	sum := sha256.Sum256([]byte(urteil))
	if txt := pdfText(t, []byte(urteil)); !strings.Contains(txt, "Die Klage wird abgewiesen.") || !strings.Contains(txt, "Im Namen des Volkes") ||
		!strings.Contains(txt, "Bernd Beispiel") {
		t.Errorf("the Urteil reads:\n%s", txt)
	}
	_, page = max.get(200, "/verfahren/"+id)
	mustContain(t, "the defendant's case page", page, "urteil.pdf", "Zustellungsnachweis.pdf", hex.EncodeToString(sum[:]))
	_, page = gs.get(200, casePath)
	if n := strings.Count(page, ">Zustellungsnachweis</a>"); n != 3 {
		t.Errorf("%d Zustellungsnachweise on the case page, want 3 (Klage, Urteil twice)", n)
	}
	nachweis := regexp.MustCompile(`href="(/gericht/verfahren/[^"]+)">Zustellungsnachweis</a>`).FindAllStringSubmatch(page, -1)
	_, np := gs.get(200, nachweis[len(nachweis)-1][1])
	if txt := pdfText(t, []byte(np)); !strings.Contains(strings.ReplaceAll(txt, "\n", ""), hex.EncodeToString(sum[:])) {
		t.Errorf("the Zustellungsnachweis does not name the Urteil's SHA-256:\n%s", txt)
	}
	// Rechtskraft without appeal (the judge), then the clerk closes.
	_, page = judge.get(200, casePath)
	mustContain(t, "the judge's page after service", page, "Berufung nicht statthaft")
	judge.post(303, casePath+"/ereignis", url.Values{"ereignis": {"rechtskraft_ohne_rechtsmittel"}})
	gs.post(303, casePath+"/ereignis", url.Values{"ereignis": {"abschluss"}})
	_, page = erika.get(200, "/verfahren/"+id)
	mustContain(t, "the claimant's page at the end", page, "Abgeschlossen", "urteil.pdf")
	srv.stop()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"audit", "verify", "--data", data}, func(string) string { return "" }, nil, &out, &out); err != nil {
		t.Fatalf("audit verify: %v\n%s", err, out.String())
	}
}

// TestCourtHearing: after service the judge sets a hearing; a date in the
// past, a missing room and a link that is not https come back with the
// error summary; then the hearing by video is recorded with a
// Terminsverfügung and the event data, and the defendant's Anerkenntnis
// without its confirmation is refused.
func TestCourtHearing(t *testing.T) {
	srv := startServe(t, t.TempDir())
	id, defendant, _, klage, _ := courtClaim(t, srv, "Werklohn Küche")
	gs := demoSession(t, srv.url, "usr_demo_gs")
	judge := demoSession(t, srv.url, "usr_demo_richterin")
	max := demoSession(t, srv.url, "usr_demo_max")
	casePath := "/gericht/verfahren/" + id
	// Not yet served: no hearing, and a forged one is refused with the reason.
	_, page := judge.get(200, casePath)
	if strings.Contains(page, "Termin bestimmen") {
		t.Error("a hearing is offered before service")
	}
	_, page = judge.post(409, casePath+"/termin", url.Values{"datum": {"15.01.2099"}, "uhrzeit": {"09:30"}, "ort": {"Saal A 101"}})
	mustContain(t, "the refused hearing", page, "Nicht möglich", "terminsbestimmung", "nicht zulässig")
	gs.post(303, casePath+"/ereignis", url.Values{"ereignis": {"eintragung"}})
	gs.post(303, casePath+"/zustellung", url.Values{"empfaenger": {defendant}, "dokumente": {klage}, "zustellereignis": {"zustellung"}})
	_, page = gs.get(200, casePath)
	_, pdf := gs.get(200, docLink(t, page, "Brief mit Zugangscode zum Drucken"))
	max.post(303, "/zugangscode", url.Values{"zugangscode": {accessCodeRE.FindString(pdfText(t, []byte(pdf)))}})
	answer := "/verfahren/" + id + "/antwort"
	_, page = max.postMultipart(422, answer, [][2]string{{"ereignis", "anerkenntnis"}}, "", "", nil)
	mustContain(t, "an unconfirmed Anerkenntnis", page, `href="#anerkenntnis-bestaetigung"`, "Bitte bestätigen Sie Ihre Erklärung.")

	_, page = judge.post(422, casePath+"/termin", url.Values{"datum": {"01.01.2020"}, "uhrzeit": {"9 Uhr"}, "video": {"http://video.example/x"}})
	mustContain(t, "the refused hearing form", page, `href="#uhrzeit"`, `href="#video"`, "Bitte geben Sie die Uhrzeit an", "https://")
	_, page = judge.post(422, casePath+"/termin", url.Values{"datum": {"01.01.2020"}, "uhrzeit": {"09:00"}})
	mustContain(t, "a hearing in the past", page, "Der Termin muss in der Zukunft liegen.", "Sitzungssaal oder den Link")
	judge.post(303, casePath+"/termin", url.Values{"datum": {"15.01.2099"}, "uhrzeit": {"09:30"}, "video": {"https://video.justiz.example/raum/4711"}})
	_, page = judge.get(200, casePath)
	mustContain(t, "the case page after the hearing was set", page, "Termin bestimmt", "terminsverfuegung.pdf",
		"Videoverhandlung: https://video.justiz.example/raum/4711", "Termin: 2099-01-15T08:30:00Z")
	_, page = max.get(200, "/verfahren/"+id)
	mustContain(t, "the defendant's page", page, "terminsverfuegung.pdf", `id="antworten"`)
}

// TestCourtEEB: the clerk serves the Klage to the defendant's counsel, a
// lawyer with an account; she finds the acknowledgement on the party's
// page and confirms it; that is service (the Nachweis, the event, the
// Fristen), and a second confirmation is refused.
func TestCourtEEB(t *testing.T) {
	srv := startServe(t, t.TempDir())
	id, defendant, _, klage, _ := courtClaim(t, srv, "Werklohn Bad")
	api := client{t, srv.url, mustToken(t, srv.data, "DE-BY", "geschaeftsstelle", "--court", "D2601")}
	var counsel idResp
	api.expect(201, "POST", "/api/v1/cases/"+id+"/participants", jsonBody(map[string]string{"role": "prozessbevollmaechtigter",
		"name": "RAin Dr. Sabine Klug", "represents": defendant, "account": "user:usr_demo_klug"}), jsonHdr, &counsel)
	gs := demoSession(t, srv.url, "usr_demo_gs")
	klug := demoSession(t, srv.url, "usr_demo_klug")
	casePath := "/gericht/verfahren/" + id
	gs.post(303, casePath+"/ereignis", url.Values{"ereignis": {"eintragung"}})
	gs.post(303, casePath+"/zustellung", url.Values{"empfaenger": {counsel.ID}, "dokumente": {klage}, "zustellereignis": {"zustellung"}})
	_, page := gs.get(200, casePath)
	mustContain(t, "the case page", page, "elektronisches Empfangsbekenntnis", "noch nicht zugestellt")
	_, page = klug.get(200, "/verfahren/"+id)
	mustContain(t, "counsel's case page", page, `id="antworten"`)
	answer := "/verfahren/" + id + "/antwort"
	_, page = klug.get(200, answer)
	mustContain(t, "counsel's page", page, "Empfang bestätigen", "klage.pdf")
	zid := regexp.MustCompile(`name="zustellung" value="([^"]+)"`).FindStringSubmatch(page)
	if zid == nil {
		t.Fatal("no Zustellung to acknowledge")
	}
	klug.post(303, "/verfahren/"+id+"/empfangsbekenntnis", url.Values{"zustellung": {zid[1]}})
	_, page = klug.get(200, answer+"?bestaetigt=1")
	mustContain(t, "counsel's page after the eEB", page, "Ihr Empfangsbekenntnis ist eingegangen", "Notfrist")
	if strings.Contains(page, "Empfang bestätigen") {
		t.Error("the acknowledged Zustellung is still offered")
	}
	klug.post(409, "/verfahren/"+id+"/empfangsbekenntnis", url.Values{"zustellung": {zid[1]}})
	_, page = gs.get(200, casePath)
	mustContain(t, "the case page after the eEB", page, ">Zustellungsnachweis</a>", "Klage zugestellt")
}
