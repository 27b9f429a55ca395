// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"justizcloud/browsertest"
	"justizcloud/kosten"
	"justizcloud/login/oidctest"
)

// The three interviews of the Digitale Rechtsantragstelle in a real
// browser (routes and ids: docs/portal.md): wrong input and its German
// messages with the values kept, corrections, the summary with "Ändern",
// filing, the receipt, "Meine Verfahren", and the proceeding with its
// documents through the API.

// browserJourney is one interview filled in by one person in one browser mode.
type browserJourney struct {
	t         *testing.T
	p         *browsertest.Page
	w         *browserWorld
	interview string // the interview's name in its URLs
}

func (j *browserJourney) pagePath(page string) string {
	if page == "" {
		return "/antrag/" + j.interview + "/zusammenfassung"
	}
	return "/antrag/" + j.interview + "/seite/" + page
}

// at fails the browserJourney unless the browser shows the interview's page (""
// for the summary).
func (j *browserJourney) at(page string) {
	j.t.Helper()
	got := j.p.Path()
	if i := strings.IndexAny(got, "?#"); i >= 0 {
		got = got[:i]
	}
	if want := j.pagePath(page); got != want {
		j.t.Fatalf("browser at %s (%s), want %s", got, j.p.Title(), want)
	}
}

// next presses "Weiter" and expects the page that follows.
func (j *browserJourney) next(page string) {
	j.t.Helper()
	j.p.Press("weiter")
	j.at(page)
}

// invalid presses "Weiter" expecting the page again with errors: status
// 422, a title starting with "Fehler:", the error summary at the top with
// each message linking to its field, and each message beside its field.
// fields maps field ids to their messages.
func (j *browserJourney) invalid(fields map[string]string) {
	j.t.Helper()
	before := j.p.Path()
	j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
	if got := j.p.Path(); got != before && !strings.HasPrefix(before, got) {
		j.t.Errorf("after the errors at %s, want %s again", got, before)
	}
	if title := j.p.Title(); !strings.HasPrefix(title, "Fehler: ") {
		j.t.Errorf("title with errors = %q, want it to start with \"Fehler: \"", title)
	}
	for id, msg := range fields {
		j.p.SeeIn("#fehler", msg)
		j.p.SeeIn("#"+id+"-error", msg)
		if !j.p.Has(fmt.Sprintf(`#fehler a[href="#%s"], #fehler a[href="#%s-1"]`, id, id)) {
			j.t.Errorf("error summary has no link to #%s", id)
		}
	}
}

// kept fails the browserJourney unless the fields hold the values.
func (j *browserJourney) kept(values map[string]string) {
	j.t.Helper()
	for id, want := range values {
		if got := j.p.Value(id); got != want {
			j.t.Errorf("%s = %q after the error, want %q (kept)", id, got, want)
		}
	}
}

// fill fills fields in the order given (pairs of id or label, value).
func (j *browserJourney) fill(kv ...string) {
	j.t.Helper()
	for i := 0; i+1 < len(kv); i += 2 {
		j.p.Fill(kv[i], kv[i+1])
	}
}

// begin opens the interview from the start page and starts it.
func (j *browserJourney) begin(title string) {
	j.t.Helper()
	j.p.Open("/")
	j.p.See("Digitale Rechtsantragstelle")
	j.p.Press(title)
	if got, want := j.p.Path(), "/antrag/"+j.interview; got != want {
		j.t.Fatalf("the start page's link %q leads to %s, want %s", title, got, want)
	}
	if got := j.p.Title(); !strings.HasPrefix(got, title) || !strings.HasSuffix(got, " – Justizcloud") {
		j.t.Errorf("title = %q, want %q – Justizcloud", got, title)
	}
	j.p.Press("beginnen")
	j.at("start")
}

var (
	receiptPathRE  = regexp.MustCompile(`^/verfahren/([^/?#]+)\?eingereicht=1`)
	aktenzeichenRE = regexp.MustCompile(`\b[0-9]+ [A-Z][A-Za-z]* [0-9]+/[0-9]{2}\b`)
)

// file submits from the summary and returns the new proceeding's id and
// Aktenzeichen from the receipt page.
func (j *browserJourney) file(court string) (id, az string) {
	j.t.Helper()
	j.p.Press("einreichen")
	m := receiptPathRE.FindStringSubmatch(j.p.Path())
	if m == nil {
		j.t.Fatalf("after filing at %s (%s), want the receipt /verfahren/{id}?eingereicht=1", j.p.Path(), j.p.Title())
	}
	j.p.SeeIn("#eingang", "Eingereicht", court)
	az = aktenzeichenRE.FindString(j.p.TextOf("h1"))
	if az == "" {
		j.t.Fatalf("receipt heading %q names no Aktenzeichen", j.p.TextOf("h1"))
	}
	if title := j.p.Title(); !strings.Contains(title, az) || !strings.HasSuffix(title, " – Justizcloud") {
		j.t.Errorf("receipt title = %q, want it to name %s", title, az)
	}
	j.p.SeeIn("#eingang", az)
	return m[1], az
}

// receipt downloads the Eingangsbestätigung linked on the receipt page
// and checks that it is a PDF.
func (j *browserJourney) receipt(id string) {
	j.t.Helper()
	for _, l := range j.p.Links(`a[href^="/verfahren/` + id + `/dokumente/"]`) {
		if strings.Contains(l.Text, "Eingangsbestätigung") {
			status, ctype, body := j.download(l.Href)
			if status != 200 || ctype != "application/pdf" || !strings.HasPrefix(string(body), "%PDF-") {
				j.t.Errorf("GET %s = %d %s %.20q, want 200 application/pdf", l.Href, status, ctype, body)
			}
			return
		}
	}
	j.t.Errorf("the receipt page offers no Eingangsbestätigung to download")
}

// meineVerfahren opens "Meine Verfahren" from the navigation and expects
// the proceeding listed with its court and subject.
func (j *browserJourney) meineVerfahren(id string, texts ...string) {
	j.t.Helper()
	j.p.Press("Meine Verfahren")
	if got := j.p.Path(); got != "/verfahren" {
		j.t.Fatalf("Meine Verfahren at %s", got)
	}
	if !j.p.Has(`a[href="/verfahren/` + id + `"]`) {
		j.t.Errorf("Meine Verfahren does not link /verfahren/%s", id)
	}
	j.p.See(texts...)
}

// browserDoc is a document as GET /api/v1/cases/{id}/documents lists it.
type browserDoc struct {
	ID, Filename, SHA256 string
	ContentType          string `json:"content_type"`
	Size                 int64
}

// checkFiled checks through the API, as the court's Land administrator,
// that the proceeding exists at the court (by name) with the documents: the claim or
// application as PDF and each upload, byte for byte (by SHA-256), and none
// of the files named absent.
func (j *browserJourney) checkFiled(id, tenant, courtName string, uploads map[string][]byte, absent ...string) {
	j.t.Helper()
	admin := client{j.t, j.w.srv.url, mustToken(j.t, j.w.srv.data, tenant, "landesadmin")}
	var courts struct{ Items []struct{ ID, Name string } }
	admin.expect(200, "GET", "/api/v1/courts?tenant="+tenant+"&type=Amtsgericht", nil, nil, &courts)
	court := ""
	for _, c := range courts.Items {
		if c.Name == courtName {
			court = c.ID
		}
	}
	if court == "" {
		j.t.Fatalf("no court %q in %s", courtName, tenant)
	}
	var c caseResp
	admin.expect(200, "GET", "/api/v1/cases/"+id, nil, nil, &c)
	if c.Court != court {
		j.t.Errorf("case %s at court %q, want %q", id, c.Court, court)
	}
	var docs struct{ Items []browserDoc }
	admin.expect(200, "GET", "/api/v1/cases/"+id+"/documents", nil, nil, &docs)
	pdfs := 0
	byHash := map[string]browserDoc{}
	for _, d := range docs.Items {
		byHash[d.SHA256] = d
		if slices.Contains(absent, d.Filename) {
			j.t.Errorf("document %s is filed although it was removed or refused", d.Filename)
		}
		if d.ContentType == "application/pdf" {
			pdfs++
		}
	}
	if pdfs < 1+len(uploads) {
		j.t.Errorf("documents %+v: want the generated PDF beside %d upload(s)", docs.Items, len(uploads))
	}
	for name, body := range uploads {
		sum := sha256.Sum256(body)
		if _, ok := byHash[hex.EncodeToString(sum[:])]; !ok {
			j.t.Errorf("upload %s (sha256 %x) not among the documents %+v", name, sum, docs.Items)
		}
	}
	// The citizen sees it too, with the browser's session.
	req, _ := http.NewRequest("GET", j.w.srv.url+"/api/v1/cases/"+id+"/documents", nil)
	for _, ck := range j.p.Cookies() {
		req.AddCookie(ck)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		j.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		j.t.Errorf("the citizen's GET /api/v1/cases/%s/documents = %d %s", id, resp.StatusCode, body)
	}
}

// download fetches a document link of the page with the browser's cookies
// (a download does not load a page) and returns status, type and body.
func (j *browserJourney) download(href string) (int, string, []byte) {
	j.t.Helper()
	req, _ := http.NewRequest("GET", j.w.srv.url+href, nil)
	for _, ck := range j.p.Cookies() {
		req.AddCookie(ck)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		j.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// browserPDF is a small valid one-page PDF with a line of text.
func browserPDF(text string) []byte {
	stream := fmt.Sprintf("BT /F1 12 Tf 72 720 Td (%s) Tj ET", text)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return []byte(b.String())
}

// uploadFile writes a file for an upload and returns its path.
func uploadFile(t *testing.T, name string, body []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, body, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestBrowserGeldEinklagen: a monetary claim against a person in Munich,
// with every kind of wrong input on the way, a change from the summary,
// filing at the Amtsgericht München, the receipt and Meine Verfahren.
func TestBrowserGeldEinklagen(t *testing.T) {
	users := map[string]oidctest.User{
		"mit-js":  browserCitizen("bt-geld-1", "Erika", "Mustermann"),
		"ohne-js": browserCitizen("bt-geld-2", "Jonas", "Schmidt"),
	}
	w := startBrowserWorld(t, users["mit-js"], users["ohne-js"])
	beleg := browserPDF("Rechnung Nr. 2026-117 ueber 1.250,00 EUR")
	inBrowserModes(t, w.srv.url, func(t *testing.T, p *browsertest.Page, m browserMode) {
		u := users[m.name]
		j := &browserJourney{t: t, p: p, w: w, interview: "geld-einklagen"}
		// Not logged in: the interview sends the person to the login first
		// and back afterwards.
		p.Open("/antrag/geld-einklagen")
		if !strings.HasPrefix(p.Path(), "/login") {
			t.Fatalf("without a session /antrag/geld-einklagen shows %s, want the login", p.Path())
		}
		browserLogIn(t, p, u)
		if got := p.Path(); got != "/antrag/geld-einklagen" {
			t.Errorf("after the login at %s, want back at /antrag/geld-einklagen", got)
		}
		j.begin("Geld einklagen")

		j.invalid(map[string]string{"hinweise_gelesen": "Bitte bestätigen Sie, dass Sie die Hinweise gelesen haben."})
		j.fill("hinweise_gelesen", "ja")
		j.next("klaeger")

		j.fill("Vorname", u.FirstName, "Straße und Hausnummer", "Lindenstraße 12",
			"Postleitzahl", "1011", "Ort", "Berlin", "klaeger_email", u.Email)
		j.invalid(map[string]string{
			"klaeger_nachname": "Bitte geben Sie Ihren Nachnamen an.",
			"klaeger_plz":      "Bitte geben Sie eine fünfstellige Postleitzahl an, zum Beispiel 10115.",
		})
		j.kept(map[string]string{"klaeger_vorname": u.FirstName, "klaeger_plz": "1011", "klaeger_ort": "Berlin",
			"klaeger_strasse": "Lindenstraße 12"})
		j.fill("klaeger_nachname", u.LastName, "klaeger_plz", "10115")
		j.next("beklagter")

		j.fill("beklagter_art-1", "ja", "beklagter_name", "Max Schuldner", "beklagter_strasse", "Marienplatz 8",
			"beklagter_plz", "80331", "beklagter_ort", "München")
		j.next("forderung")

		j.fill("forderung", "12.000,00", "forderung_grund", "Werklohn oder Dienstleistung", "faellig_seit", "31.02.2026")
		j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
		for _, id := range []string{"forderung", "faellig_seit"} {
			if msg := p.TextOf("#" + id + "-error"); msg == "" {
				t.Errorf("no message beside %s", id)
			}
		}
		p.SeeIn("#forderung-error", "10.000,00")
		j.kept(map[string]string{"forderung": "12.000,00", "faellig_seit": "31.02.2026", "forderung_grund": "werklohn"})
		j.fill("forderung", "1.250,00", "faellig_seit", "15.09.2026", "zinsen", "ja")
		j.next("begruendung")

		// "Ja, gemahnt" makes the date of the reminder required on the same page.
		j.fill("sachverhalt", "Ich habe im August 2026 für Herrn Schuldner die Küche renoviert. Die Rechnung über "+
			"1.250,00 Euro vom 1. September 2026 hat er trotz Mahnung nicht bezahlt.", "gemahnt-1", "ja")
		j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
		if !p.Has("#mahnung_datum") || p.TextOf("#mahnung_datum-error") == "" {
			t.Errorf("after \"gemahnt: ja\" the page does not ask for the date of the reminder with a message")
		}
		j.fill("mahnung_datum", "01.10.2026")
		j.next("beweise")

		// A text file is not allowed; a PDF is.
		j.fill("belege", uploadFile(t, "notiz.txt", []byte("Das ist keine Rechnung.\n")))
		j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
		if p.TextOf("#belege-error") == "" {
			t.Errorf("a text file was not refused with a message beside the field")
		}
		j.fill("belege", uploadFile(t, "rechnung.pdf", beleg))
		j.next("gericht")

		j.fill("gericht", "Amtsgericht München")
		j.next("kosten")
		fee, err := kosten.Verfahrensgebuehr(125000)
		if err != nil {
			t.Fatal(err)
		}
		p.See(fee.String())
		j.invalid(map[string]string{"kosten_akzeptiert": ""})
		j.fill("kosten_akzeptiert", "ja")
		j.next("erklaerung")
		j.fill("wahrheit", "ja")
		j.next("")

		// The summary, and a change through "Ändern".
		p.See(u.FirstName, u.LastName, "Max Schuldner", "1.250,00 €", "Amtsgericht München", "rechnung.pdf")
		p.Press("Ändern: Ihre Forderung")
		j.at("forderung")
		j.fill("forderung", "1.350,00")
		p.Press("weiter")
		j.at("")
		p.See("1.350,00 €")
		p.NotSee("1.250,00 €")

		id, az := j.file("Amtsgericht München")
		p.See("rechnung.pdf", "klage.pdf")
		j.receipt(id)
		j.meineVerfahren(id, az, "Amtsgericht München", "1.350,00 €")
		j.checkFiled(id, "DE-BY", "Amtsgericht München", map[string][]byte{"rechnung.pdf": beleg})
	})
}

// daysAgo is a date in the past in the interviews' format.
func daysAgo(n int) string {
	return time.Now().AddDate(0, 0, -n).Format("02.01.2006")
}

// TestBrowserFluggastrechte: a cancelled flight Frankfurt–New York (600 €
// under Art. 7(1)(c) of Regulation (EC) No 261/2004), wrong flight number
// and date, the airline's excuse asked for on the same page, a missing
// upload, a change from the summary, filing at the Amtsgericht Frankfurt
// (GDS.Gerichte M1201, the court of Frankfurt am Main).
func TestBrowserFluggastrechte(t *testing.T) {
	users := map[string]oidctest.User{
		"mit-js":  browserCitizen("bt-flug-1", "Aylin", "Kaya"),
		"ohne-js": browserCitizen("bt-flug-2", "Lukas", "Weber"),
	}
	w := startBrowserWorld(t, users["mit-js"], users["ohne-js"])
	buchung := browserPDF("Buchungsbestaetigung LH 400 FRA-JFK")
	inBrowserModes(t, w.srv.url, func(t *testing.T, p *browsertest.Page, m browserMode) {
		u := users[m.name]
		j := &browserJourney{t: t, p: p, w: w, interview: "fluggastrechte"}
		browserLogIn(t, p, u)
		j.begin("Entschädigung für einen Flug einklagen")
		j.fill("hinweise_gelesen", "ja")
		j.next("flug")

		j.fill("flugnummer", "L", "flugdatum", "24.12.2099", "von", "FRA", "nach", "JFK", "buchungsnummer", "X7K2QP")
		j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
		p.SeeIn("#fehler", "Bitte geben Sie die Flugnummer an, zum Beispiel LH 400.")
		p.SeeIn("#flugnummer-error", "Bitte geben Sie die Flugnummer an, zum Beispiel LH 400.")
		if p.TextOf("#flugdatum-error") == "" {
			t.Errorf("a flight date in 2099 was not refused beside the field")
		}
		j.kept(map[string]string{"flugnummer": "L", "flugdatum": "24.12.2099", "von": "FRA", "nach": "JFK", "buchungsnummer": "X7K2QP"})
		flown := daysAgo(20)
		j.fill("flugnummer", "LH 400", "flugdatum", flown)
		j.next("fluggesellschaft")

		j.fill("airline_name", "Deutsche Lufthansa AG", "airline_anschrift", "Venloer Straße 151–153, 50672 Köln")
		j.next("ereignis")
		j.fill("ereignis-1", "ja") // annulliert
		j.next("annullierung")
		j.fill("mitteilung-1", "ja") // weniger als sieben Tage vorher
		j.next("ersatz")
		j.fill("ersatzbefoerderung-2", "ja") // kein Ersatzflug
		j.next("umstaende")
		p.See("600,00 €")

		// "Yes, the airline claimed extraordinary circumstances" asks what it said.
		j.fill("umstaende_geltend-1", "ja")
		j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
		if !p.Has("#umstaende_angabe") || p.TextOf("#umstaende_angabe-error") == "" {
			t.Errorf("after \"außergewöhnliche Umstände: ja\" the page does not ask what the airline said, with a message")
		}
		j.fill("umstaende_angabe", "Ein technischer Defekt am Flugzeug.",
			"umstaende_stellungnahme", "Ein technischer Defekt gehört zum gewöhnlichen Betrieb (EuGH C-549/07).")
		j.next("belege")

		j.invalid(map[string]string{"belege": "Bitte laden Sie mindestens die Buchungsbestätigung hoch."})
		j.fill("belege", uploadFile(t, "buchung.pdf", buchung))
		j.next("fluggast")

		j.fill("vorname", u.FirstName, "nachname", u.LastName, "strasse", "Bergstraße 3", "plz", "60311",
			"ort", "Frankfurt am Main", "email", u.Email)
		j.next("gericht")
		j.fill("gerichtsort", "Frankfurt am Main", "gericht", "Amtsgericht Frankfurt")
		j.next("erklaerung")
		p.See("600,00 €")
		j.fill("wahrheit", "ja")
		j.next("")

		p.See("LH 400", flown, "Deutsche Lufthansa AG", "buchung.pdf", "Amtsgericht Frankfurt")
		p.Press("Ändern: Ihr Flug")
		j.at("flug")
		j.fill("buchungsnummer", "X7K2QR")
		p.Press("weiter")
		j.at("")
		p.See("X7K2QR")

		id, az := j.file("Amtsgericht Frankfurt")
		p.See("buchung.pdf")
		j.receipt(id)
		j.meineVerfahren(id, az, "Amtsgericht Frankfurt")
		j.checkFiled(id, "DE-HE", "Amtsgericht Frankfurt", map[string][]byte{"buchung.pdf": buchung})
	})
}

// TestBrowserBeratungshilfe: an application for Beratungshilfe in a
// tenancy matter: the stop page for a pending court case and the way back,
// save and resume, a short description, an impossible birth date, income
// that is no amount, the missing proof, an empty file, a wrong file removed
// again, a change from the summary, filing at the Amtsgericht Köln.
func TestBrowserBeratungshilfe(t *testing.T) {
	users := map[string]oidctest.User{
		"mit-js":  browserCitizen("bt-berh-1", "Sabine", "Becker"),
		"ohne-js": browserCitizen("bt-berh-2", "Mehmet", "Yılmaz"),
	}
	w := startBrowserWorld(t, users["mit-js"], users["ohne-js"])
	bescheid := browserPDF("Bescheid Buergergeld November 2026")
	inBrowserModes(t, w.srv.url, func(t *testing.T, p *browsertest.Page, m browserMode) {
		u := users[m.name]
		j := &browserJourney{t: t, p: p, w: w, interview: "beratungshilfe"}
		browserLogIn(t, p, u)
		j.begin("Beratungshilfe beantragen")
		j.fill("hinweise_gelesen", "ja")
		j.next("angelegenheit")

		j.fill("rechtsgebiet", "Zivilrecht", "sachverhalt", "Miete zu hoch", "gegner", "Wohnbau Köln GmbH",
			"gerichtsverfahren-2", "ja", "frueher_beantragt-1", "ja")
		j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
		if p.TextOf("#sachverhalt-error") == "" {
			t.Errorf("a description of 13 characters was not refused beside the field")
		}
		j.kept(map[string]string{"rechtsgebiet": "zivilrecht", "sachverhalt": "Miete zu hoch", "gegner": "Wohnbau Köln GmbH"})
		j.fill("sachverhalt", "Mein Vermieter verlangt nach einer Modernisierung 180 Euro mehr Miete im Monat. "+
			"Ich möchte wissen, ob die Erhöhung rechtmäßig ist.")
		// A pending court case rules Beratungshilfe out: the stop page, and back.
		j.next("ausgeschlossen")
		p.See("Beratungshilfe ist hier nicht möglich")
		if p.Has("#weiter") {
			t.Errorf("the stop page offers to go on")
		}
		p.Press("Angaben ändern")
		j.at("angelegenheit")
		j.fill("gerichtsverfahren-1", "ja")
		j.next("andere_hilfe")

		j.fill("rechtsschutz-1", "ja", "mitgliedschaft-1", "ja")
		j.next("person")

		j.fill("vorname", u.FirstName, "nachname", u.LastName, "geburtsdatum", "31.02.1980", "strasse", "Venloer Straße 40",
			"plz", "50672", "ort", "Köln", "familienstand", "ledig", "email", u.Email)
		j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
		if p.TextOf("#geburtsdatum-error") == "" {
			t.Errorf("the birth date 31.02.1980 was not refused beside the field")
		}
		j.kept(map[string]string{"geburtsdatum": "31.02.1980", "nachname": u.LastName, "familienstand": "ledig"})
		j.fill("geburtsdatum", "12.03.1980")
		j.next("einkommen")

		// Save, leave, come back: the draft resumes at the first open page.
		p.Press("speichern")
		if got := p.Path(); got != "/antrag/beratungshilfe?gespeichert=1" {
			t.Errorf("after saving at %s, want /antrag/beratungshilfe?gespeichert=1", got)
		}
		p.See("Ihre Angaben sind gespeichert.")
		p.Open("/")
		p.Press("Beratungshilfe beantragen")
		p.See("Weitermachen")
		p.Press("beginnen")
		j.at("einkommen")

		j.fill("einkommen_art-4", "ja", "einkommen_netto", "viel", "wohnkosten", "450,00", "unterhalt_personen", "0")
		j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
		if p.TextOf("#einkommen_netto-error") == "" {
			t.Errorf("the income \"viel\" was not refused beside the field")
		}
		j.kept(map[string]string{"einkommen_netto": "viel", "wohnkosten": "450,00 €"}) // valid: in display form
		j.fill("einkommen_netto", "563,00")
		j.next("vermoegen")
		j.fill("vermoegen_vorhanden-1", "ja")
		j.next("nachweise")

		j.invalid(map[string]string{"belege": "Bitte laden Sie Nachweise über Ihr Einkommen hoch."})
		// An empty file is refused with its reason.
		j.fill("belege", uploadFile(t, "leer.pdf", nil))
		j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
		p.SeeIn("#belege-error", "leer.pdf", "leer")
		// The wrong file: uploaded, then back, removed, replaced.
		j.fill("belege", uploadFile(t, "alt.pdf", browserPDF("Kontoauszug vom falschen Monat")))
		j.next("gericht")
		p.Press("zurueck")
		j.at("nachweise")
		p.See("alt.pdf")
		p.Press("„alt.pdf“ entfernen")
		j.at("nachweise")
		p.NotSee("alt.pdf")
		j.fill("belege", uploadFile(t, "bescheid.pdf", bescheid))
		j.next("gericht")
		j.fill("gericht", "Amtsgericht Köln")
		j.next("erklaerung")
		j.invalid(map[string]string{"versicherung": "Bitte geben Sie die Versicherung ab; ohne sie kann das Gericht den Antrag nicht bearbeiten."})
		j.fill("versicherung", "ja")
		j.next("")

		p.See(u.FirstName, u.LastName, "12.03.1980", "563,00 €", "450,00 €", "bescheid.pdf", "Amtsgericht Köln")
		p.Press("Ändern: Einkommen und Ausgaben")
		j.at("einkommen")
		j.fill("wohnkosten", "480,00")
		p.Press("weiter")
		j.at("")
		p.See("480,00 €")

		id, az := j.file("Amtsgericht Köln")
		p.See("bescheid.pdf")
		j.receipt(id)
		j.meineVerfahren(id, az, "Amtsgericht Köln")
		j.checkFiled(id, "DE-NW", "Amtsgericht Köln", map[string][]byte{"bescheid.pdf": bescheid}, "alt.pdf", "leer.pdf")
	})
}
