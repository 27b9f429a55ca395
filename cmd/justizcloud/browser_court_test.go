// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"justizcloud/browsertest"
)

// The court's side and the defendant's side in a real browser (routes:
// docs/portal.md, "Gericht"), with the demo accounts of serve --demo: the
// claimant, the clerk (Geschäftsstelle AG München), the judge and the
// defendant log in one after the other in the same tab. Every page gets a
// screenshot and an axe-core check, with JavaScript and without; each mode
// has its own server and data folder, and `audit verify` passes on it at
// the end.

// courtWorld is one mode's server with the demo accounts.
type courtWorld struct {
	t    *testing.T
	data string
	addr string
	logs *syncBuffer
	srv  *testServer
}

func startCourtWorld(t *testing.T, extra ...string) *courtWorld {
	t.Helper()
	w := &courtWorld{t: t, data: t.TempDir(), logs: &syncBuffer{}}
	w.start(extra...)
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(w.logs.String())
		}
	})
	return w
}

// start starts the server, on the same port as before when restarted (the
// browser keeps its origin and session).
func (w *courtWorld) start(extra ...string) {
	w.t.Helper()
	args := []string{"--log-level", "warn"}
	if w.addr != "" {
		args = append(args, "--addr", w.addr)
	}
	w.srv = startServeLogs(w.t, w.data, w.logs, append(args, extra...)...)
	if w.addr == "" {
		w.addr = strings.TrimPrefix(w.srv.url, "http://")
	}
}

// restart stops the server and starts it again with the proceedings'
// clock moved ahead (serve --clock-offset).
func (w *courtWorld) restart(offset string) {
	w.t.Helper()
	w.srv.stop()
	// The port is free again once the listener closed.
	for range 50 {
		if ln, err := net.Listen("tcp", w.addr); err == nil {
			ln.Close()
			break
		}
	}
	w.start("--clock-offset", offset)
}

// verify stops the server and checks the audit log of the data folder.
func (w *courtWorld) verify() {
	w.t.Helper()
	w.srv.stop()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"audit", "verify", "--data", w.data}, func(string) string { return "" }, nil, &out, &out); err != nil {
		w.t.Fatalf("audit verify: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "DE-BY") {
		w.t.Errorf("audit verify checked no DE-BY log:\n%s", out.String())
	}
}

// Labels of the demo accounts on the login page.
const (
	demoErika     = "Erika Mustermann – Bürgerin, Klägerin"
	demoMax       = "Max Beispiel – Bürger, Beklagter"
	demoClerk     = "Geschäftsstelle – Amtsgericht München"
	demoJudge     = "Richterin Dr. Weber – Amtsgericht München"
	demoJudgeName = "Richterin am AG Dr. Weber (Demo)"
)

// as logs out whoever is logged in and logs in as a demo account, ending
// on path.
func courtLogIn(t *testing.T, p *browsertest.Page, account, path string) {
	t.Helper()
	if p.Has("#abmelden") {
		p.Press("abmelden")
	}
	p.Open("/login?return=" + path)
	p.See("Demo-Konten")
	p.Press(account)
	if got := p.Path(); got != path {
		t.Fatalf("after logging in as %q at %s, want %s", account, got, path)
	}
}

// fetch downloads a path with the browser's session (a download beside
// the browser, as a person saving the file).
func fetch(t *testing.T, p *browsertest.Page, origin, path string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", origin+path, nil)
	for _, c := range p.Cookies() {
		req.AddCookie(c)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d", path, resp.StatusCode)
	}
	return b
}

// linkTo returns the href of the link whose text is text.
func linkTo(t *testing.T, p *browsertest.Page, text string) string {
	t.Helper()
	for _, l := range p.Links("a") {
		if l.Text == text {
			return l.Href
		}
	}
	t.Fatalf("no link %q on %s", text, p.Path())
	return ""
}

// docHref returns the link of the (last) document named name in the case
// page's table.
func docHref(t *testing.T, p *browsertest.Page, css, name string) string {
	t.Helper()
	href := ""
	for _, l := range p.Links(css) {
		if l.Text == name {
			href = l.Href
		}
	}
	if href == "" {
		t.Fatalf("no document %q in %s on %s", name, css, p.Path())
	}
	return href
}

// clerkRegisters: the clerk finds the filing in the inbox, registers it,
// assigns the judge and orders service of the Klage by letter; it returns
// the access code printed in the letter.
func clerkRegisters(t *testing.T, p *browsertest.Page, origin, id, az, defendant string) string {
	t.Helper()
	casePath := "/gericht/verfahren/" + id
	courtLogIn(t, p, demoClerk, "/gericht")
	p.SeeIn("#eingang-liste", "Neuer Eingang", az)
	p.Open(casePath)
	p.See("Akte "+az, "klage.pdf", "Klage eingereicht")
	p.Press("ereignis-eintragung")
	p.SeeIn("#erledigt", "Das Ereignis ist in der Akte vermerkt.")
	p.SeeIn("#stand", "Eingetragen")
	p.Fill("richter", demoJudgeName)
	p.Press("zuweisen")
	p.SeeIn("#richterin", demoJudgeName)
	// An order without documents comes back with the error summary.
	p.Fill("empfaenger", defendant+" (Beklagte(r))")
	p.PressStatus("zustellen", http.StatusUnprocessableEntity)
	p.SeeIn("#fehler", "Bitte wählen Sie mindestens ein Dokument.")
	p.Fill("empfaenger", defendant+" (Beklagte(r))")
	p.Fill("klage.pdf", "ja")
	p.Press("zustellen")
	p.SeeIn("#zustellungen", "Brief mit Zugangscode", "noch nicht zugestellt")
	letter := linkTo(t, p, "Brief mit Zugangscode zum Drucken")
	code := accessCodeRE.FindString(pdfText(t, fetch(t, p, origin, letter)))
	if code == "" {
		t.Fatal("no access code in the letter")
	}
	return code
}

// defendantRedeems: the defendant logs in, enters the code and sees the claim.
func defendantRedeems(t *testing.T, p *browsertest.Page, code string) {
	t.Helper()
	courtLogIn(t, p, demoMax, "/zugangscode")
	p.Fill("zugangscode", "BY-0000-0000-0000-0000")
	p.PressStatus("einloesen", http.StatusUnprocessableEntity)
	p.SeeIn("#fehler", "unbekannt, schon benutzt oder abgelaufen")
	p.Fill("zugangscode", strings.ToLower(code))
	p.Press("einloesen")
	p.SeeIn("#zugang", "Sie haben jetzt Zugang zur Akte")
	p.SeeIn("#klage", "klage.pdf")
}

// serveToBoth: the clerk serves the document to the defendant and to the
// claimant (both by access in their accounts now).
func serveToBoth(t *testing.T, p *browsertest.Page, id, doc string, parties ...string) {
	t.Helper()
	courtLogIn(t, p, demoClerk, "/gericht")
	p.Open("/gericht/verfahren/" + id)
	for _, party := range parties {
		p.Fill("empfaenger", party)
		p.Fill(doc, "ja")
		p.Press("zustellen")
		p.SeeIn("#erledigt", "Die Zustellung ist verfügt.")
	}
}

// partySees: a party downloads the decision (the first download is
// service), then sees it with its Zustellungsnachweis, whose text names the
// decision's SHA-256.
func partySees(t *testing.T, p *browsertest.Page, origin, account, id, doc string) {
	t.Helper()
	courtLogIn(t, p, account, "/verfahren")
	p.Open("/verfahren/" + id)
	href := docHref(t, p, "table a", doc)
	body := fetch(t, p, origin, href)
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	p.Open("/verfahren/" + id)
	p.See(doc, hash)
	nachweis := docHref(t, p, "table a", "Zustellungsnachweis.pdf")
	if txt := strings.ReplaceAll(pdfText(t, fetch(t, p, origin, nachweis)), "\n", ""); !strings.Contains(txt, hash) {
		t.Errorf("%s: the last Zustellungsnachweis does not name %s's SHA-256 %s", account, doc, hash)
	}
}

var receiptIDRE = regexp.MustCompile(`^/verfahren/([^/?#]+)`)

// TestBrowserCourt: the citizen files a claim through the interview; the
// clerk registers it, assigns the judge and serves it by letter; the
// defendant enters the access code, sees the claim and answers with a
// Klageerwiderung (text and a PDF); the judge writes the Urteil; it is
// served to both parties, who see it and its Zustellungsnachweis with the
// SHA-256; the judge records Rechtskraft (no appeal), the clerk closes.
func TestBrowserCourt(t *testing.T) {
	b := browsertest.Shared(t)
	antwort := browserPDF("Ruecktrittserklaerung vom 1.10.2026")
	for _, m := range browserModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			w := startCourtWorld(t)
			origin := w.srv.url
			p := b.NewPage(t, browsertest.Options{Origin: origin, JS: m.js})
			j := &browserJourney{t: t, p: p, interview: "geld-einklagen"}

			// 1. Erika files a claim through the interview.
			courtLogIn(t, p, demoErika, "/")
			j.begin("Geld einklagen")
			j.fill("hinweise_gelesen", "ja")
			j.next("klaeger")
			j.fill("klaeger_vorname", "Erika", "klaeger_nachname", "Mustermann", "klaeger_strasse", "Musterstraße 1",
				"klaeger_plz", "80331", "klaeger_ort", "München")
			j.next("beklagter")
			j.fill("beklagter_art-1", "ja", "beklagter_name", "Bernd Beispiel", "beklagter_strasse", "Beispielweg 2",
				"beklagter_plz", "80333", "beklagter_ort", "München")
			j.next("forderung")
			j.fill("forderung", "800,00", "forderung_grund", "Kaufpreis", "faellig_seit", "01.10.2026")
			j.next("begruendung")
			j.fill("sachverhalt", "Ich habe Herrn Beispiel am 1. September 2026 mein Fahrrad für 800 Euro verkauft und übergeben. Er hat nicht bezahlt.", "gemahnt-2", "ja")
			j.next("beweise")
			j.fill("belege", uploadFile(t, "kaufvertrag.pdf", browserPDF("Kaufvertrag Fahrrad 800 EUR")))
			j.next("gericht")
			j.fill("gericht", "Amtsgericht München")
			j.next("kosten")
			j.fill("kosten_akzeptiert", "ja")
			j.next("erklaerung")
			j.fill("wahrheit", "ja")
			j.next("")
			id, az := j.file("Amtsgericht München")
			casePath := "/gericht/verfahren/" + id

			// 2.–4. The clerk registers, assigns the judge, serves by letter.
			code := clerkRegisters(t, p, origin, id, az, "Bernd Beispiel")

			// 5. The defendant enters the code and answers.
			defendantRedeems(t, p, code)
			p.See("Klageerwiderung", "Anerkenntnis")
			p.PressStatus("absenden-klageerwiderung", http.StatusUnprocessableEntity)
			p.SeeIn("#fehler", "Bitte schreiben Sie Ihre Erklärung")
			p.Fill("klageerwiderung-text", "Das Fahrrad hatte einen Rahmenbruch; ich bin vom Kauf zurückgetreten.")
			p.Fill("klageerwiderung-datei", uploadFile(t, "ruecktritt.pdf", antwort))
			p.Press("absenden-klageerwiderung")
			p.SeeIn("#eingegangen", "Ihre Erklärung ist beim Gericht eingegangen.")
			p.Press("Zur ganzen Akte des Verfahrens")
			p.See("klageerwiderung.pdf", "ruecktritt.pdf", "Klageerwiderung eingegangen")

			// The claimant sees the answer in the same file.
			courtLogIn(t, p, demoErika, "/verfahren")
			p.Open("/verfahren/" + id)
			p.See("klageerwiderung.pdf", "ruecktritt.pdf")

			// 6. The judge writes the Urteil.
			courtLogIn(t, p, demoJudge, "/gericht")
			p.Open(casePath)
			p.See("Entscheidung abfassen", "Termin bestimmen", "ruecktritt.pdf")
			p.Fill("entscheidung", "Endurteil, ohne mündliche Verhandlung (§ 1127 Abs. 1, 2 ZPO) oder nach ihr")
			p.Fill("tenor", "Die Klage wird abgewiesen. Die Klägerin trägt die Kosten des Rechtsstreits.")
			p.Fill("gruende", "Der Beklagte ist wirksam vom Kaufvertrag zurückgetreten (§§ 437 Nr. 2, 323 BGB).")
			p.Press("entscheiden")
			p.SeeIn("#erledigt", "Die Entscheidung ist in der Akte")
			p.SeeIn("#stand", "Urteil ergangen")
			urteil := fetch(t, p, origin, docHref(t, p, "#akte a", "urteil.pdf"))
			if txt := pdfText(t, urteil); !strings.Contains(txt, "Im Namen des Volkes") || !strings.Contains(txt, "Die Klage wird abgewiesen.") ||
				!strings.Contains(txt, az) || !strings.Contains(txt, "Bernd Beispiel") {
				t.Errorf("the Urteil reads:\n%s", txt)
			}

			// 7. Served to both parties; both see it with its Nachweis.
			serveToBoth(t, p, id, "urteil.pdf", "Bernd Beispiel (Beklagte(r))", "Erika Mustermann (Kläger(in))")
			partySees(t, p, origin, demoMax, id, "urteil.pdf")
			partySees(t, p, origin, demoErika, id, "urteil.pdf")

			// 8. Rechtskräftig (Berufung not admissible), then closed.
			courtLogIn(t, p, demoJudge, "/gericht")
			p.Open(casePath)
			p.SeeIn("#zustellungen", "Zugang im Konto")
			p.Press("ereignis-rechtskraft_ohne_rechtsmittel")
			p.SeeIn("#stand", "Rechtskräftig")
			courtLogIn(t, p, demoClerk, "/gericht")
			p.Open(casePath)
			p.Press("ereignis-abschluss")
			p.SeeIn("#stand", "Abgeschlossen")
			w.verify()
		})
	}
}

// TestBrowserVersaeumnisurteil: the claim (filed through the API) is
// registered and served by letter in the browser; the defendant enters the
// code and does nothing. The server restarts with its clock three weeks
// ahead: the Notfrist has expired, the judge's page offers the
// Versäumnisurteil, the judge writes it, the clerk serves it to both; both
// see it and its Zustellungsnachweis. Another two weeks later the
// Einspruchsfrist has passed and the clerk records Rechtskraft.
func TestBrowserVersaeumnisurteil(t *testing.T) {
	b := browsertest.Shared(t)
	for _, m := range browserModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			w := startCourtWorld(t)
			origin := w.srv.url
			id, _, _, _, az := courtClaim(t, w.srv, "Kaufpreis Waschmaschine")
			p := b.NewPage(t, browsertest.Options{Origin: origin, JS: m.js})
			code := clerkRegisters(t, p, origin, id, az, "Bernd Beispiel")
			defendantRedeems(t, p, code)
			p.See("Versäumnisurteil")
			casePath := "/gericht/verfahren/" + id

			// Before the Frist: no Versäumnisurteil for the judge.
			courtLogIn(t, p, demoJudge, "/gericht")
			p.Open(casePath)
			p.NotSee("Versäumnisurteil ohne mündliche Verhandlung")

			w.restart("504h") // three weeks: the two-week Notfrist has expired
			p.Open(casePath)
			p.SeeIn("#fristen", "abgelaufen")
			p.Fill("entscheidung", "Versäumnisurteil ohne mündliche Verhandlung (§ 1128 Abs. 2, § 331 Abs. 3 ZPO)")
			p.Fill("tenor", "Der Beklagte wird verurteilt, an die Klägerin 800,00 Euro nebst Zinsen zu zahlen.")
			p.Fill("gruende", "Der Beklagte hat seine Verteidigungsbereitschaft nicht rechtzeitig angezeigt (§ 331 Abs. 3 ZPO).")
			p.Press("entscheiden")
			p.SeeIn("#stand", "Versäumnisurteil ergangen")

			serveToBoth(t, p, id, "versaeumnisurteil.pdf", "Bernd Beispiel (Beklagte(r))", "Erika Mustermann (Kläger(in))")
			partySees(t, p, origin, demoMax, id, "versaeumnisurteil.pdf")
			p.Open("/verfahren/" + id + "/antwort")
			p.See("Einspruch")
			partySees(t, p, origin, demoErika, id, "versaeumnisurteil.pdf")

			w.restart("1200h") // four more weeks (a Frist ending on a holiday moves): the Einspruchsfrist has expired
			courtLogIn(t, p, demoClerk, "/gericht")
			p.Open(casePath)
			p.Press("ereignis-rechtskraft_versaeumnisurteil")
			p.SeeIn("#stand", "Rechtskräftig")
			w.verify()
		})
	}
}
