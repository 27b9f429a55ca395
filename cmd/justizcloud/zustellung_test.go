// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"context"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"justizcloud/frist"
	"justizcloud/notify/smtptest"
	"justizcloud/search"
)

type zustellungResp struct {
	ID, Case, Recipient, Method, Event string
	Documents                          []struct{ ID, Filename, SHA256 string }
	Served                             bool
	ServedAt                           time.Time `json:"served_at"`
	ServedBy                           string    `json:"served_by"`
	ProofDocument                      string    `json:"proof_document"`
	LetterDocument                     string    `json:"letter_document"`
	EventSeq                           int       `json:"event_seq"`
	EventError                         string    `json:"event_error"`
}

type zhistoryResp struct {
	State   string
	Fristen []struct{ Name, Start, End string }
	Events  []struct {
		Seq   int
		Event string
		At    time.Time
	}
}

// pdfText extracts a PDF's text as a reader (or a search index) would.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext (poppler-utils) is required in CI")
		}
		t.Skip("pdftotext is not installed")
	}
	s, err := search.Extract(context.Background(), "application/pdf", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestZustellung serves a zivil-online claim three ways through the real
// server: to the defendant's counsel by eEB, to a citizen with an account
// by her first download, and by letter with an access code to a defendant
// without one. Each service files a Zustellungsnachweis with the served
// document's SHA-256 and fires "zustellung" at the moment of service, from
// which the Fristen run. Notifications reach a real SMTP server without
// confidential content, and the audit log verifies afterwards.
func TestZustellung(t *testing.T) {
	data := t.TempDir()
	mails := smtptest.Start(t)
	srv := startServe(t, data, "--demo=false", "--smtp-addr", mails.Addr, "--smtp-from", "Justizcloud <noreply@justiz.example>",
		"--public-url", "https://justizcloud.example.de")
	admin := client{t, srv.url, mustToken(t, data, "DE-BY", "landesadmin")}
	gs := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle", "--court", "D2601")}
	newUser := func(body map[string]string) (string, client) {
		var u idResp
		admin.expect(201, "POST", "/api/v1/users", jsonBody(body), jsonHdr, &u)
		return u.ID, client{t, srv.url, mustToken(t, data, "", "", "--user", u.ID)}
	}
	judgeID, judge := newUser(map[string]string{"role": "richter", "tenant": "DE-BY", "court": "D2601", "name": "Dr. Recht"})
	erikaID, erika := newUser(map[string]string{"role": "buerger", "name": "Erika Mustermann", "email": "erika@example.org"})
	anwaltID, anwalt := newUser(map[string]string{"role": "rechtsanwalt", "name": "RA Klug", "email": "klug@kanzlei.example"})
	berndID, bernd := newUser(map[string]string{"role": "buerger", "name": "Bernd Beispiel", "email": "bernd@example.org"})
	doraID, dora := newUser(map[string]string{"role": "buerger", "name": "Dora Dorn"})
	_, mallory := newUser(map[string]string{"role": "buerger", "name": "Mallory"})

	// A registered zivil-online claim; the defendant's account as given.
	type proceeding struct {
		id, defendant string
		klage         docResp
		aktenzeichen  string
	}
	newProceeding := func(defendantAccount string) proceeding {
		var c caseResp
		gs.expect(201, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C", "procedure": "zivil-online",
			"subject": "Kaufpreis Waschmaschine"}), jsonHdr, &c)
		base := "/api/v1/cases/" + c.ID
		gs.expect(201, "POST", base+"/participants", jsonBody(map[string]string{"role": "klaeger", "name": "Erika Mustermann", "account": "user:" + erikaID}), jsonHdr, nil)
		var def idResp
		gs.expect(201, "POST", base+"/participants", jsonBody(map[string]string{"role": "beklagter", "name": "Bernd Beispiel",
			"address": "Hauptstr. 1, 80331 München", "account": defendantAccount}), jsonHdr, &def)
		var klage docResp
		gs.expect(201, "POST", base+"/documents?class=Klage", strings.NewReader("%PDF-1.7 Klage auf Zahlung von 800 Euro"), docHdr("klage-waschmaschine.pdf", nil), &klage)
		gs.expect(200, "POST", base+"/events", jsonBody(map[string]any{"event": "eintragung"}), jsonHdr, nil)
		gs.expect(200, "PUT", base+"/judge", jsonBody(map[string]string{"user": judgeID}), jsonHdr, nil)
		return proceeding{id: c.ID, defendant: def.ID, klage: klage, aktenzeichen: c.Aktenzeichen}
	}
	// checkServed checks the proof and the event of a served Zustellung.
	checkServed := func(p proceeding, z zustellungResp) {
		t.Helper()
		if !z.Served || z.ProofDocument == "" || z.EventSeq != 2 || z.EventError != "" {
			t.Fatalf("served Zustellung = %+v, want served, a proof and event #2", z)
		}
		var proof docResp
		gs.expect(200, "GET", "/api/v1/documents/"+z.ProofDocument, nil, nil, &proof)
		var meta struct{ Class string }
		gs.expect(200, "GET", "/api/v1/documents/"+z.ProofDocument, nil, nil, &meta)
		if meta.Class != "Zustellungsnachweis" || proof.Case != p.id {
			t.Errorf("proof class %q in case %s, want Zustellungsnachweis in %s", meta.Class, proof.Case, p.id)
		}
		_, b := gs.do("GET", "/api/v1/documents/"+z.ProofDocument+"/content", nil, nil)
		text := pdfText(t, b)
		for _, want := range []string{"Zustellungsnachweis", p.klage.SHA256, "klage-waschmaschine.pdf", p.aktenzeichen} {
			if !strings.Contains(text, want) {
				t.Errorf("the Zustellungsnachweis lacks %q:\n%s", want, text)
			}
		}
		var h zhistoryResp
		gs.expect(200, "GET", "/api/v1/cases/"+p.id+"/history", nil, nil, &h)
		last := h.Events[len(h.Events)-1]
		if h.State != "zugestellt" || last.Event != "zustellung" || !last.At.Equal(z.ServedAt) {
			t.Errorf("history: state %s, last event %s at %s; want zugestellt, zustellung at the service %s", h.State, last.Event, last.At, z.ServedAt)
		}
		day := z.ServedAt.In(frist.Germany).Format(time.DateOnly)
		started := map[string]string{}
		for _, f := range h.Fristen {
			started[f.Name] = f.Start
		}
		if started["verteidigungsanzeige"] != day || started["klageerwiderung"] != day {
			t.Errorf("Fristen start %v, want both on the day of service %s", started, day)
		}
	}

	// (a) The defendant's counsel, a lawyer with an account: eEB.
	a := newProceeding("")
	var counsel idResp
	gs.expect(201, "POST", "/api/v1/cases/"+a.id+"/participants", jsonBody(map[string]string{"role": "prozessbevollmaechtigter", "name": "RA Klug",
		"represents": a.defendant, "account": "user:" + anwaltID}), jsonHdr, &counsel)
	erika.expect(403, "POST", "/api/v1/cases/"+a.id+"/zustellungen", jsonBody(map[string]any{"recipient": counsel.ID, "documents": []string{a.klage.ID}}), jsonHdr, nil)
	judge.expect(400, "POST", "/api/v1/cases/"+a.id+"/zustellungen", jsonBody(map[string]any{"recipient": counsel.ID, "documents": []string{}}), jsonHdr, nil)
	judge.expect(409, "POST", "/api/v1/cases/"+a.id+"/zustellungen", jsonBody(map[string]any{"recipient": counsel.ID, "documents": []string{a.klage.ID}, "event": "zustellung_urteil"}), jsonHdr, nil)
	var za zustellungResp
	judge.expect(201, "POST", "/api/v1/cases/"+a.id+"/zustellungen", jsonBody(map[string]any{"recipient": counsel.ID, "documents": []string{a.klage.ID}, "event": "zustellung"}), jsonHdr, &za)
	if za.Method != "eeb" || za.Served || len(za.Documents) != 1 || za.Documents[0].SHA256 != a.klage.SHA256 {
		t.Fatalf("ordered = %+v, want eeb, not served, the Klage with its SHA-256", za)
	}
	erika.expect(403, "POST", "/api/v1/zustellungen/"+za.ID+"/acknowledge", nil, nil, nil)
	mallory.expect(404, "POST", "/api/v1/zustellungen/"+za.ID+"/acknowledge", nil, nil, nil)
	gs.expect(403, "POST", "/api/v1/zustellungen/"+za.ID+"/acknowledge", nil, nil, nil)
	anwalt.expect(200, "POST", "/api/v1/zustellungen/"+za.ID+"/acknowledge", nil, nil, &za)
	anwalt.expect(409, "POST", "/api/v1/zustellungen/"+za.ID+"/acknowledge", nil, nil, nil)
	if za.ServedBy != anwaltID {
		t.Errorf("served by %q, want %s", za.ServedBy, anwaltID)
	}
	checkServed(a, za)
	// The Nachweis's proof bundle holds the acknowledgement, with the Nachweis's hash.
	var bundle struct {
		Document struct{ SHA256 string }
		Entries  []struct{ Entry string }
	}
	anwalt.expect(200, "GET", "/api/v1/documents/"+za.ProofDocument+"/proof", nil, nil, &bundle)
	acked := false
	for _, e := range bundle.Entries {
		acked = acked || strings.Contains(e.Entry, `"action":"zustellung.acknowledge"`) && strings.Contains(e.Entry, bundle.Document.SHA256)
	}
	if !acked {
		t.Errorf("the Zustellungsnachweis's proof bundle lacks the acknowledgement: %+v", bundle.Entries)
	}
	// The acknowledgement as an XJustiz eEB, valid by the schema and read back.
	_, eeb := anwalt.do("GET", "/api/v1/zustellungen/"+za.ID+"/eeb", nil, nil)
	eebFile := filepath.Join(t.TempDir(), "eeb.xml")
	if err := os.WriteFile(eebFile, eeb, 0o600); err != nil {
		t.Fatal(err)
	}
	xjOut, err := runXJ("eeb", eebFile)
	day := za.ServedAt.In(frist.Germany).Format(time.DateOnly)
	if err != nil || !strings.Contains(xjOut, "acknowledges message "+za.ID) || !strings.Contains(xjOut, "received "+day) ||
		!strings.Contains(xjOut, "to Gericht D2601 (Aktenzeichen \""+a.aktenzeichen+"\")") {
		t.Errorf("xjustiz eeb = %v\n%s", err, xjOut)
	}

	// (b) A citizen with an account: her first download is service.
	b := newProceeding("user:" + berndID)
	var zb zustellungResp
	gs.expect(201, "POST", "/api/v1/cases/"+b.id+"/zustellungen", jsonBody(map[string]any{"recipient": b.defendant, "documents": []string{b.klage.ID}, "event": "zustellung"}), jsonHdr, &zb)
	if zb.Method != "zugang" {
		t.Fatalf("method %s, want zugang", zb.Method)
	}
	erika.expect(200, "GET", "/api/v1/documents/"+b.klage.ID+"/content", nil, nil, nil) // the claimant's download serves nothing
	gs.expect(200, "GET", "/api/v1/documents/"+b.klage.ID+"/content", nil, nil, nil)
	bernd.expect(200, "GET", "/api/v1/zustellungen/"+zb.ID, nil, nil, &zb)
	if zb.Served {
		t.Fatal("served before the recipient's download")
	}
	bernd.expect(409, "POST", "/api/v1/zustellungen/"+zb.ID+"/acknowledge", nil, nil, nil)
	bernd.expect(200, "HEAD", "/api/v1/documents/"+b.klage.ID+"/content", nil, nil, nil) // a HEAD reads nothing
	bernd.expect(200, "GET", "/api/v1/zustellungen/"+zb.ID, nil, nil, &zb)
	if zb.Served {
		t.Fatal("a HEAD request counted as the recipient's download")
	}
	bernd.expect(200, "GET", "/api/v1/documents/"+b.klage.ID+"/content", nil, nil, nil)
	gs.expect(200, "GET", "/api/v1/zustellungen/"+zb.ID, nil, nil, &zb)
	if zb.ServedBy != berndID {
		t.Errorf("served by %q, want %s", zb.ServedBy, berndID)
	}
	checkServed(b, zb)
	bernd.expect(409, "GET", "/api/v1/zustellungen/"+zb.ID+"/eeb", nil, nil, nil)

	// (c) A defendant without an account: a letter with an access code.
	c := newProceeding("")
	var zc zustellungResp
	gs.expect(201, "POST", "/api/v1/cases/"+c.id+"/zustellungen", jsonBody(map[string]any{"recipient": c.defendant, "documents": []string{c.klage.ID}, "event": "zustellung"}), jsonHdr, &zc)
	if zc.Method != "brief" || zc.LetterDocument == "" {
		t.Fatalf("ordered = %+v, want brief with a letter", zc)
	}
	erika.expect(404, "GET", "/api/v1/documents/"+zc.LetterDocument, nil, nil, nil)
	var seen listResp
	erika.expect(200, "GET", "/api/v1/cases/"+c.id+"/documents", nil, nil, &seen)
	var theirs struct{ Items []zustellungResp }
	erika.expect(200, "GET", "/api/v1/cases/"+c.id+"/zustellungen", nil, nil, &theirs)
	if len(theirs.Items) != 1 || theirs.Items[0].LetterDocument != "" || strings.Contains(strings.Join(seen.ids(), " "), zc.LetterDocument) {
		t.Errorf("the claimant sees the letter: zustellungen %+v, documents %v", theirs.Items, seen.ids())
	}
	_, letter := gs.do("GET", "/api/v1/documents/"+zc.LetterDocument+"/content", nil, nil)
	text := pdfText(t, letter)
	code := regexp.MustCompile(`BY(-[0-9A-Z]{4}){4}`).FindString(text)
	if code == "" || !strings.Contains(text, "https://justizcloud.example.de") {
		t.Fatalf("no access code or login address in the letter:\n%s", text)
	}
	dora.expect(404, "GET", "/api/v1/cases/"+c.id, nil, nil, nil)
	var redeemed zustellungResp
	anwalt.expect(403, "POST", "/api/v1/access-codes/redeem", jsonBody(map[string]string{"code": code}), jsonHdr, nil)
	dora.expect(200, "POST", "/api/v1/access-codes/redeem", jsonBody(map[string]string{"code": strings.ToLower(strings.ReplaceAll(code, "-", " "))}), jsonHdr, &redeemed)
	if redeemed.ServedBy != doraID || redeemed.LetterDocument != "" {
		t.Errorf("redeemed = %+v, want served by %s and no letter shown", redeemed, doraID)
	}
	dora.expect(200, "GET", "/api/v1/cases/"+c.id, nil, nil, nil)
	dora.expect(200, "GET", "/api/v1/documents/"+c.klage.ID+"/content", nil, nil, nil)
	dora.expect(404, "GET", "/api/v1/documents/"+zc.LetterDocument, nil, nil, nil)
	var parts struct {
		Items []struct{ ID, Account string }
	}
	gs.expect(200, "GET", "/api/v1/cases/"+c.id+"/participants", nil, nil, &parts)
	for _, p := range parts.Items {
		if p.ID == c.defendant && p.Account != "user:"+doraID {
			t.Errorf("defendant's account %q, want user:%s", p.Account, doraID)
		}
	}
	gs.expect(200, "GET", "/api/v1/zustellungen/"+zc.ID, nil, nil, &zc)
	checkServed(c, zc)
	dora.expect(400, "POST", "/api/v1/access-codes/redeem", jsonBody(map[string]string{"code": code}), jsonHdr, nil)

	// Guessing: wrong codes are refused, and after five failures of one
	// user (or client) the answer is 429, even for a right code.
	for i := range 4 {
		mallory.expect(400, "POST", "/api/v1/access-codes/redeem", jsonBody(map[string]string{"code": "BY-0000-0000-0000-000" + string(rune('A'+i))}), jsonHdr, nil)
	}
	resp := mallory.expect(429, "POST", "/api/v1/access-codes/redeem", jsonBody(map[string]string{"code": "BY-0000-0000-0000-0000"}), jsonHdr, nil)
	if resp.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}

	// Notifications: one each for (a) and (b), none for the letter; only
	// "something new, log in here".
	msgs := mails.Wait(t, 2, 10*time.Second)
	time.Sleep(100 * time.Millisecond)
	if msgs = mails.Messages(); len(msgs) != 2 {
		t.Fatalf("%d mails, want 2", len(msgs))
	}
	to := map[string]bool{}
	for _, m := range msgs {
		to[strings.Join(m.To, ",")] = true
		parsed, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(m.Data), "https://justizcloud.example.de") {
			t.Errorf("mail lacks the login address:\n%s", m.Data)
		}
		for _, secret := range []string{"Erika", "Mustermann", "Bernd", "Beispiel", "Kaufpreis", "Waschmaschine", "klage", "Klage", a.aktenzeichen, b.aktenzeichen,
			a.id, b.id, za.ID, zb.ID, a.klage.ID, "/26"} {
			if strings.Contains(string(m.Data), secret) || strings.Contains(parsed.Header.Get("Subject"), secret) {
				t.Errorf("mail to %v contains %q:\n%s", m.To, secret, m.Data)
			}
		}
	}
	if !to["klug@kanzlei.example"] || !to["bernd@example.org"] {
		t.Errorf("mails went to %v, want klug@kanzlei.example and bernd@example.org", to)
	}

	srv.stop()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"audit", "verify", "--data", data}, func(string) string { return "" }, nil, &out, &out); err != nil {
		t.Fatalf("audit verify: %v\n%s", err, out.String())
	}
}
