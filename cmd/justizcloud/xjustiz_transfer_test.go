// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"justizcloud/audit"
	"justizcloud/xjustiz"
)

// TestTransferBYtoBE moves a zivil-online proceeding from the Amtsgericht
// München (DE-BY) to the Amtsgericht Berlin Mitte (DE-BE) through the real
// server: tampered packages are refused with nothing stored in Berlin; the
// hand-over keeps every document byte for byte, the participants with
// their accounts and the history; proofs verify against the platform's
// audit key; the proceeding goes on in Berlin; the Munich copy stays
// readable, refuses writes with 409 and points to the new case; both logs
// record the hand-over.
func TestTransferBYtoBE(t *testing.T) {
	const toCourt = "F1112" // Amtsgericht Berlin Mitte
	data := t.TempDir()
	srv := startServe(t, data, "--demo=false")
	byAdmin := client{t, srv.url, mustToken(t, data, "DE-BY", "landesadmin")}
	gs := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle", "--court", "D2601")}
	byLeser := client{t, srv.url, mustToken(t, data, "DE-BY", "leser", "--court", "D2601")}
	beAdmin := client{t, srv.url, mustToken(t, data, "DE-BE", "landesadmin")}
	beGS := client{t, srv.url, mustToken(t, data, "DE-BE", "geschaeftsstelle", "--court", toCourt)}
	beRichter := client{t, srv.url, mustToken(t, data, "DE-BE", "richter", "--court", toCourt)}

	var erika idResp
	byAdmin.expect(201, "POST", "/api/v1/users", jsonBody(map[string]string{"role": "buerger", "name": "Erika Mustermann"}), jsonHdr, &erika)
	party := client{t, srv.url, mustToken(t, data, "", "", "--user", erika.ID)}

	// A proceeding in Munich: parties (one with an account), counsel, two
	// events, documents (one restricted, one in a second version).
	var c caseResp
	gs.expect(201, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C", "procedure": "zivil-online", "subject": "Rückzahlung Darlehen"}), jsonHdr, &c)
	base := "/api/v1/cases/" + c.ID
	var kl idResp
	gs.expect(201, "POST", base+"/participants", jsonBody(map[string]string{"role": "klaeger", "name": "Erika Mustermann", "account": "user:" + erika.ID}), jsonHdr, &kl)
	gs.expect(201, "POST", base+"/participants", jsonBody(map[string]string{"role": "beklagter", "name": "Max Beispiel", "address": "Hauptstr. 1, 80331 München"}), jsonHdr, nil)
	gs.expect(201, "POST", base+"/participants", jsonBody(map[string]string{"role": "prozessbevollmaechtigter", "name": "RAin Klug", "represents": kl.ID, "account": "org:kanzlei-klug"}), jsonHdr, nil)
	upload := func(cl client, query, name string, body []byte) docResp {
		t.Helper()
		var d docResp
		cl.expect(201, "POST", base+"/documents"+query, bytes.NewReader(body), docHdr(name, nil), &d)
		return d
	}
	contents := map[string][]byte{}
	klage := upload(gs, "?class=Klage", "klage.pdf", []byte("%PDF-1.7 Klage auf Rückzahlung"))
	contents[klage.ID] = []byte("%PDF-1.7 Klage auf Rückzahlung")
	klage2 := upload(gs, "?class=Klage&predecessor="+klage.ID, "klage.pdf", []byte("%PDF-1.7 Klage, berichtigt"))
	contents[klage2.ID] = []byte("%PDF-1.7 Klage, berichtigt")
	sonder := upload(gs, "?restricted=true", "sonderheft.pdf", []byte("%PDF-1.7 Sonderheft"))
	contents[sonder.ID] = []byte("%PDF-1.7 Sonderheft")
	gs.expect(200, "POST", base+"/events", jsonBody(map[string]any{"event": "eintragung"}), jsonHdr, nil)
	nachweis := upload(gs, "?class=Zustellungsnachweis", "nachweis.pdf", []byte("%PDF-1.7 Zugestellt"))
	contents[nachweis.ID] = []byte("%PDF-1.7 Zugestellt")
	gs.expect(200, "POST", base+"/events", jsonBody(map[string]any{"event": "zustellung", "documents": []string{nachweis.ID}}), jsonHdr, nil)
	var before historyResp
	gs.expect(200, "GET", base+"/history", nil, nil, &before)
	if before.State != "zugestellt" || len(before.Events) != 2 {
		t.Fatalf("before the transfer: %+v", before)
	}

	// Who may, and where to.
	byLeser.expect(403, "POST", base+"/transfer", jsonBody(map[string]string{"to_court": toCourt}), jsonHdr, nil)
	gs.expect(400, "POST", base+"/transfer", jsonBody(map[string]string{"to_court": "D2601V"}), jsonHdr, nil) // own tenant
	gs.expect(400, "POST", base+"/transfer", jsonBody(map[string]string{"to_court": "X9999"}), jsonHdr, nil)
	beGS.expect(404, "POST", base+"/transfer", jsonBody(map[string]string{"to_court": toCourt}), jsonHdr, nil)

	// Tampered packages are refused, and Berlin stores nothing.
	resp, pkg := gs.do("GET", base+"/transfer-package?to_court="+toCourt, nil, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("transfer package: %d %s", resp.StatusCode, pkg)
	}
	zipHdr := map[string]string{"Content-Type": "application/zip"}
	for _, tc := range []struct {
		name, want string
		change     func(name string, b []byte) []byte
	}{
		{"manifest", "the manifest was changed", func(name string, b []byte) []byte {
			if name == xjustiz.ManifestName {
				return bytes.Replace(b, []byte("Rückzahlung Darlehen"), []byte("Rückzahlung Darlehn"), 1)
			}
			return b
		}},
		{"file", "the file was changed", func(name string, b []byte) []byte {
			if bytes.Equal(b, contents[sonder.ID]) {
				return []byte("%PDF-1.7 Sonderhefx")
			}
			return b
		}},
		{"seal proof", "the seal does not verify", func(name string, b []byte) []byte {
			if name != xjustiz.SealName {
				return b
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			m["checkpoint"].(map[string]any)["size"] = m["checkpoint"].(map[string]any)["size"].(float64) + 1
			out, _ := json.MarshalIndent(m, "", "  ")
			return out
		}},
		{"document proof", "the manifest was changed", func(name string, b []byte) []byte {
			if name != xjustiz.ManifestName { // a proof node of a document's bundle, inside the sealed manifest
				return b
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			proof := m["documents"].([]any)[0].(map[string]any)["proof"].(map[string]any)
			nodes := proof["entries"].([]any)[0].(map[string]any)["proof"].([]any)
			n := []byte(nodes[0].(string))
			n[0] ^= 'A' ^ 'B'
			nodes[0] = string(n)
			out, _ := json.MarshalIndent(m, "", " ")
			return out
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := rezip(t, pkg, tc.change)
			var p problemResp
			beGS.expect(400, "POST", "/api/v1/xjustiz/transfers", bytes.NewReader(bad), zipHdr, &p)
			if !strings.Contains(p.Detail, tc.want) {
				t.Errorf("refusal %q does not say %q", p.Detail, tc.want)
			}
			var cases listResp
			beAdmin.expect(200, "GET", "/api/v1/cases", nil, nil, &cases)
			if len(cases.Items) != 0 {
				t.Errorf("Berlin has cases %v after a refused package", cases.ids())
			}
		})
	}
	// A package for Berlin is not for Hamburg.
	hh := client{t, srv.url, mustToken(t, data, "DE-HH", "geschaeftsstelle")}
	hh.expect(400, "POST", "/api/v1/xjustiz/transfers", bytes.NewReader(pkg), zipHdr, nil)

	// The hand-over.
	var tr struct {
		Case         caseResp
		State        string
		Events       int
		Participants int
		Documents    []struct{ From, To, SHA256 string }
		To           struct{ Tenant, Court, Case string }
	}
	gs.expect(201, "POST", base+"/transfer", jsonBody(map[string]string{"to_court": toCourt}), jsonHdr, &tr)
	nb := "/api/v1/cases/" + tr.Case.ID
	if tr.Case.Tenant != "DE-BE" || tr.Case.Court != toCourt || tr.State != "zugestellt" || tr.Events != 2 || tr.Participants != 3 || len(tr.Documents) != 4 {
		t.Fatalf("transfer answered %+v", tr)
	}

	// Documents: byte for byte, with their names, classes, restriction and versions.
	var docs struct{ Items []docResp }
	beGS.expect(200, "GET", nb+"/documents", nil, nil, &docs)
	if len(docs.Items) != 4 {
		t.Fatalf("Berlin has %d documents, want 4", len(docs.Items))
	}
	newID := map[string]string{}
	for _, d := range tr.Documents {
		newID[d.From] = d.To
	}
	for old, want := range contents {
		nid := newID[old]
		_, got := beGS.do("GET", "/api/v1/documents/"+nid+"/content", nil, nil)
		if !bytes.Equal(got, want) {
			t.Errorf("document %s → %s: content %q, want %q", old, nid, got, want)
		}
	}
	var d2 docResp
	beGS.expect(200, "GET", "/api/v1/documents/"+newID[klage2.ID], nil, nil, &d2)
	if d2.Version != 2 || d2.Predecessor == nil || *d2.Predecessor != newID[klage.ID] || d2.Filename != "klage.pdf" {
		t.Errorf("second version in Berlin: %+v", d2)
	}
	// The party with an account reads the file in Berlin, without the restricted document.
	var partyDocs listResp
	party.expect(200, "GET", nb+"/documents", nil, nil, &partyDocs)
	if len(partyDocs.Items) != 3 || slices.Contains(partyDocs.ids(), newID[sonder.ID]) {
		t.Errorf("the party sees %v in Berlin", partyDocs.ids())
	}
	var parts struct {
		Items []struct{ ID, Role, Name, Account, Represents string }
	}
	beGS.expect(200, "GET", nb+"/participants", nil, nil, &parts)
	var klID string
	for _, p := range parts.Items {
		if p.Role == "klaeger" {
			klID = p.ID
		}
	}
	for _, p := range parts.Items {
		if p.Role == "prozessbevollmaechtigter" && (p.Represents != klID || p.Account != "org:kanzlei-klug") {
			t.Errorf("counsel in Berlin: %+v (klaeger %s)", p, klID)
		}
	}

	// The proofs: every document's bundle in Berlin verifies against the
	// platform's key, and names the hand-over.
	pub, err := audit.ReadPublicKey(filepath.Join(data, "audit-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	for _, nid := range newID {
		_, raw := beAdmin.do("GET", "/api/v1/documents/"+nid+"/proof", nil, nil)
		b, err := audit.DecodeBundle(raw)
		if err != nil {
			t.Fatal(err)
		}
		es, err := audit.VerifyBundle(b, pub)
		if err != nil {
			t.Fatalf("proof of %s: %v", nid, err)
		}
		if !slices.ContainsFunc(es, func(e audit.Entry) bool { return e.Action == xjustiz.ActionDocumentReceive }) {
			t.Errorf("proof of %s has no %s entry", nid, xjustiz.ActionDocumentReceive)
		}
	}

	// History and state continue in Berlin.
	var after historyResp
	beGS.expect(200, "GET", nb+"/history", nil, nil, &after)
	if after.State != "zugestellt" || len(after.Events) != 2 || after.Events[1].Event != "zustellung" ||
		!after.Events[0].At.Equal(before.Events[0].At) || after.Events[1].Documents[0] != newID[nachweis.ID] {
		t.Fatalf("history in Berlin: %+v\nin Munich: %+v", after, before)
	}
	if len(after.Fristen) != 2 {
		t.Errorf("running Fristen in Berlin: %+v", after.Fristen)
	}
	var verf docResp
	beRichter.expect(201, "POST", nb+"/documents?class=Verfuegung", strings.NewReader("Termin am …"), docHdr("verfuegung.pdf", nil), &verf)
	var st statusResp
	beRichter.expect(200, "POST", nb+"/events", jsonBody(map[string]any{"event": "terminsbestimmung", "documents": []string{verf.ID}}), jsonHdr, &st)
	if st.State != "terminiert" || st.Version != 3 {
		t.Errorf("after terminsbestimmung in Berlin: %+v", st)
	}

	// Munich: readable, read-only, pointing to Berlin.
	gs.expect(200, "GET", base, nil, nil, nil)
	gs.expect(200, "GET", base+"/documents", nil, nil, nil)
	gs.expect(200, "GET", "/api/v1/documents/"+klage.ID+"/content", nil, nil, nil)
	gs.expect(200, "GET", base+"/history", nil, nil, nil)
	gs.expect(200, "GET", base+"/access", nil, nil, nil)
	for _, w := range []struct {
		method, path string
		body         io.Reader
		hdr          map[string]string
	}{
		{"POST", base + "/documents", strings.NewReader("%PDF-1.7 late"), docHdr("late.pdf", nil)},
		{"POST", base + "/events", jsonBody(map[string]any{"event": "terminsbestimmung"}), jsonHdr},
		{"POST", base + "/participants", jsonBody(map[string]string{"role": "zeuge", "name": "Zeugin"}), jsonHdr},
		{"PUT", base + "/hold", jsonBody(map[string]string{"reason": "x"}), jsonHdr},
		{"POST", base + "/wiedervorlagen", jsonBody(map[string]string{"due": "2030-01-02", "for": "geschaeftsstelle"}), jsonHdr},
		{"POST", base + "/transfer", jsonBody(map[string]string{"to_court": toCourt}), jsonHdr},
	} {
		var p problemResp
		gs.expect(409, w.method, w.path, w.body, w.hdr, &p)
		if !strings.Contains(p.Detail, tr.Case.ID) || !strings.Contains(p.Detail, "Amtsgericht Berlin Mitte") || !strings.Contains(p.Detail, "abgegeben") {
			t.Errorf("%s %s: 409 detail %q does not name the new court and case", w.method, w.path, p.Detail)
		}
	}
	var state struct {
		State         string
		ReadOnly      bool `json:"read_only"`
		TransferredTo struct {
			Tenant, Court, Case, Aktenzeichen string
		} `json:"transferred_to"`
	}
	gs.expect(200, "GET", base+"/transfer", nil, nil, &state)
	if state.State != "done" || !state.ReadOnly || state.TransferredTo.Case != tr.Case.ID || state.TransferredTo.Court != toCourt || state.TransferredTo.Tenant != "DE-BE" {
		t.Errorf("Munich's transfer state: %+v", state)
	}
	var from struct {
		TransferredFrom struct{ Tenant, Court, Case string } `json:"transferred_from"`
	}
	beGS.expect(200, "GET", nb+"/transfer", nil, nil, &from)
	if from.TransferredFrom.Case != c.ID || from.TransferredFrom.Tenant != "DE-BY" {
		t.Errorf("Berlin's transfer state: %+v", from)
	}

	// Both logs record the hand-over, linked by the manifest's SHA-256.
	actions := func(cl client, path string) []string {
		var log struct{ Items []struct{ Action string } }
		cl.expect(200, "GET", path+"/access-log?limit=1000", nil, nil, &log)
		var out []string
		for _, it := range log.Items {
			out = append(out, it.Action)
		}
		return out
	}
	byLog, beLog := actions(byAdmin, base), actions(beAdmin, nb)
	for _, a := range []string{"case.transfer", xjustiz.ActionTransferSeal, xjustiz.ActionDocumentTransfer} {
		if !slices.Contains(byLog, a) {
			t.Errorf("Munich's log of the case lacks %s: %v", a, byLog)
		}
	}
	for _, a := range []string{xjustiz.ActionTransferReceive, xjustiz.ActionDocumentReceive} {
		if !slices.Contains(beLog, a) {
			t.Errorf("Berlin's log of the case lacks %s: %v", a, beLog)
		}
	}

	// The package alone is no longer to be had, and a package accepted
	// once (here the one taken before the hand-over, as a receiver on
	// another platform would get it) is accepted once: the same again
	// answers 200 with the same case.
	gs.expect(409, "GET", base+"/transfer-package?to_court="+toCourt, nil, nil, nil)
	var first, again struct {
		Repeated bool
		Case     caseResp
	}
	beGS.expect(201, "POST", "/api/v1/xjustiz/transfers", bytes.NewReader(pkg), zipHdr, &first)
	beGS.expect(200, "POST", "/api/v1/xjustiz/transfers", bytes.NewReader(pkg), zipHdr, &again)
	if !again.Repeated || again.Case.ID != first.Case.ID || first.Case.ID == tr.Case.ID {
		t.Errorf("accepting a package twice: %+v, then %+v", first, again)
	}

	// Offline, both logs verify with every document they name.
	srv.stop()
	for _, tn := range []string{"DE-BY", "DE-BE"} {
		if out, err := runCmd("audit", "verify", "--data", data, "--tenant", tn); err != nil {
			t.Errorf("audit verify %s: %v\n%s", tn, err, out)
		}
	}
}

type historyResp struct {
	statusResp
	Events []struct {
		Seq       int
		Event     string
		At        time.Time
		Documents []string
	}
}

// rezip rewrites a ZIP, passing every file through change.
func rezip(t *testing.T, pkg []byte, change func(name string, b []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(change(f.Name, b))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
