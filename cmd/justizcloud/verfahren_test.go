// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"strings"
	"testing"
	"time"
)

type statusResp struct {
	Procedure, State string
	Version          int
	Allowed          []struct{ Name string }
	Fristen          []struct {
		Name, Start, End string
		Expired          bool
	}
}

type refusalResp struct {
	Status   int
	Detail   string
	DetailDE string `json:"detail_de"`
	Reason   string
	Missing  []string
}

// TestProceedingZivilOnline drives a zivil-online proceeding through the API
// from filing to the served judgment, with the refusals on the way.
func TestProceedingZivilOnline(t *testing.T) {
	data := t.TempDir()
	srv := startServe(t, data, "--demo=false")
	gs := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle")}
	richter := client{t, srv.url, mustToken(t, data, "DE-BY", "richter")}

	var procs struct{ Items []struct{ Name string } }
	gs.expect(200, "GET", "/api/v1/procedures", nil, nil, &procs)
	names := []string{}
	for _, p := range procs.Items {
		names = append(names, p.Name)
	}
	if !strings.Contains(strings.Join(names, ","), "zivil-online") || !strings.Contains(strings.Join(names, ","), "beratungshilfe") {
		t.Fatalf("procedures = %v", names)
	}
	gs.expect(400, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C", "procedure": "strafbefehl"}), jsonHdr, nil)
	var c caseResp
	gs.expect(201, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C", "procedure": "zivil-online", "subject": "Rückzahlung Darlehen"}), jsonHdr, &c)
	base := "/api/v1/cases/" + c.ID

	fire := func(cl client, want int, event string, docs []string, version int) (statusResp, refusalResp) {
		t.Helper()
		body := map[string]any{"event": event, "documents": docs}
		if version > 0 {
			body["version"] = version
		}
		var st statusResp
		var ref refusalResp
		var v any = &st
		if want >= 400 {
			v = &ref
		}
		cl.expect(want, "POST", base+"/events", jsonBody(body), jsonHdr, v)
		return st, ref
	}
	upload := func(cl client, class, text string) string {
		t.Helper()
		var d docResp
		cl.expect(201, "POST", base+"/documents?class="+class, strings.NewReader(text), map[string]string{"Content-Type": "text/plain"}, &d)
		return d.ID
	}

	// Registering needs both parties.
	_, ref := fire(gs, 409, "eintragung", nil, 0)
	if ref.Reason != "guard.participants" || len(ref.Missing) != 2 || ref.DetailDE == "" {
		t.Errorf("eintragung without parties: %+v", ref)
	}
	// A judge may not register.
	if _, ref := fire(richter, 403, "eintragung", nil, 0); ref.Reason != "role" {
		t.Errorf("eintragung by a judge: %+v", ref)
	}
	for _, p := range []map[string]string{{"role": "klaeger", "name": "Erika Mustermann"}, {"role": "beklagter", "name": "Max Beispiel"}} {
		gs.expect(201, "POST", base+"/participants", jsonBody(p), jsonHdr, nil)
	}
	st, _ := fire(gs, 200, "eintragung", nil, 0)
	if st.State != "eingetragen" || st.Version != 1 {
		t.Fatalf("after eintragung: %+v", st)
	}
	// A stale writer (version 0 seen, 1 exists) is refused.
	gs.expect(409, "POST", base+"/events", jsonBody(map[string]any{"event": "zustellung", "version": 5}), jsonHdr, nil)
	// Service needs the proof of service; an unknown class is refused at upload.
	gs.expect(400, "POST", base+"/documents?class=Kochrezept", strings.NewReader("x"), nil, nil)
	if _, ref := fire(gs, 409, "zustellung", nil, 1); ref.Reason != "guard.documents" {
		t.Errorf("zustellung without Zustellungsnachweis: %+v", ref)
	}
	nachweis := upload(gs, "Zustellungsnachweis", "Zugestellt am heutigen Tag.")
	st, _ = fire(gs, 200, "zustellung", []string{nachweis}, 1)
	if st.State != "zugestellt" || len(st.Fristen) != 2 {
		t.Fatalf("after zustellung: %+v", st)
	}
	today := time.Now().In(time.FixedZone("", 0)).Format(time.DateOnly)
	for _, f := range st.Fristen {
		if f.Expired || f.End <= today {
			t.Errorf("Frist %s just started but ends %s / expired %v", f.Name, f.End, f.Expired)
		}
	}
	// The Versäumnisurteil waits for the Frist to run out.
	urteilVU := upload(richter, "Urteil", "Versäumnisurteil")
	if _, ref := fire(richter, 409, "versaeumnisurteil_schriftlich", []string{urteilVU}, 0); ref.Reason != "guard.frist" {
		t.Errorf("Versäumnisurteil before the Frist ran out: %+v", ref)
	}
	// In a wrong state an event is refused with the state as reason.
	if _, ref := fire(gs, 409, "eintragung", nil, 0); ref.Reason != "state" {
		t.Errorf("eintragung again: %+v", ref)
	}
	st, _ = fire(richter, 200, "terminsbestimmung", []string{upload(richter, "Verfuegung", "Termin am …, auch per Video (§ 128a ZPO).")}, 0)
	st, _ = fire(richter, 200, "verhandlung", []string{upload(richter, "Protokoll", "Protokoll der mündlichen Verhandlung")}, 0)
	st, _ = fire(richter, 200, "urteil", []string{upload(richter, "Urteil", "Im Namen des Volkes")}, 0)
	if st.State != "entschieden" {
		t.Fatalf("after urteil: %+v", st)
	}
	st, _ = fire(gs, 200, "zustellung_urteil", []string{upload(gs, "Zustellungsnachweis", "Urteil zugestellt")}, 0)
	if _, ref := fire(gs, 409, "rechtskraft", nil, 0); ref.Reason != "guard.frist" {
		t.Errorf("Rechtskraft before the Berufungsfrist ran out: %+v", ref)
	}

	var h struct {
		statusResp
		Events []struct {
			Seq         int
			Event, Role string
			Documents   []string
		}
	}
	gs.expect(200, "GET", base+"/history", nil, nil, &h)
	want := []string{"eintragung", "zustellung", "terminsbestimmung", "verhandlung", "urteil", "zustellung_urteil"}
	var got []string
	for i, e := range h.Events {
		got = append(got, e.Event)
		if e.Seq != i+1 {
			t.Errorf("event %d has seq %d", i, e.Seq)
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") || h.State != "entschieden" {
		t.Errorf("history = %v in state %s, want %v in entschieden", got, h.State, want)
	}
	berufung := false
	for _, f := range h.Fristen {
		berufung = berufung || f.Name == "berufungsfrist"
	}
	if !berufung {
		t.Errorf("running Fristen %+v lack the Berufungsfrist", h.Fristen)
	}

	// Another Land sees nothing; a plain case file has no history.
	nw := client{t, srv.url, mustToken(t, data, "DE-NW", "landesadmin")}
	nw.expect(404, "GET", base+"/history", nil, nil, nil)
	nw.expect(404, "POST", base+"/events", jsonBody(map[string]string{"event": "abschluss"}), jsonHdr, nil)
	plain := createCase(t, gs)
	gs.expect(409, "GET", "/api/v1/cases/"+plain+"/history", nil, nil, nil)
}
