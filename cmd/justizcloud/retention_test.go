// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestRetention finishes two zivil-online proceedings, holds one, and runs
// 'retention run' at several points in the future: nothing under hold or
// not yet due is touched, due documents answer 410 afterwards, and a second
// run destroys nothing new.
func TestRetention(t *testing.T) {
	data := t.TempDir()
	srv := startServe(t, data, "--demo=false")
	gs := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle")}
	richter := client{t, srv.url, mustToken(t, data, "DE-BY", "richter")}

	newCase := func(end bool) (string, string, string, []string) {
		t.Helper()
		var c caseResp
		gs.expect(201, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C", "procedure": "zivil-online", "subject": "Kaufpreis"}), jsonHdr, &c)
		base := "/api/v1/cases/" + c.ID
		upload := func(cl client, class, text string) string {
			t.Helper()
			var d docResp
			cl.expect(201, "POST", base+"/documents?class="+class, strings.NewReader(text), map[string]string{"Content-Type": "text/plain"}, &d)
			return d.ID
		}
		fire := func(cl client, event string, docs ...string) {
			t.Helper()
			cl.expect(200, "POST", base+"/events", jsonBody(map[string]any{"event": event, "documents": docs}), jsonHdr, nil)
		}
		for _, p := range []map[string]string{{"role": "klaeger", "name": "Erika Mustermann"}, {"role": "beklagter", "name": "Max Beispiel"}} {
			gs.expect(201, "POST", base+"/participants", jsonBody(p), jsonHdr, nil)
		}
		fire(gs, "eintragung")
		nachweis := upload(gs, "Zustellungsnachweis", "zugestellt")
		fire(gs, "zustellung", nachweis)
		protokoll := upload(richter, "Protokoll", "Vergleich protokolliert")
		urteil := upload(richter, "Urteil", "Teilurteil im Namen des Volkes")
		if end {
			fire(richter, "vergleich", protokoll)
			fire(gs, "abschluss")
		}
		return c.ID, c.Aktenzeichen, urteil, []string{nachweis, protokoll}
	}
	freeID, freeAZ, freeUrteil, freeOthers := newCase(true)
	heldID, _, heldUrteil, heldOthers := newCase(true)
	_, _, openUrteil, openOthers := newCase(false)

	// Legal hold: only geschaeftsstelle and landesadmin; other Länder see nothing.
	hold := "/api/v1/cases/" + heldID + "/hold"
	richter.expect(403, "PUT", hold, jsonBody(map[string]string{"reason": "x"}), jsonHdr, nil)
	gs.expect(400, "PUT", hold, jsonBody(map[string]string{"reason": " "}), jsonHdr, nil)
	nw := client{t, srv.url, mustToken(t, data, "DE-NW", "landesadmin")}
	nw.expect(404, "PUT", hold, jsonBody(map[string]string{"reason": "x"}), jsonHdr, nil)
	nw.expect(404, "DELETE", hold, nil, nil, nil)
	var h struct{ Case, Reason string }
	gs.expect(200, "PUT", hold, jsonBody(map[string]string{"reason": "Amtshaftungsklage anhängig"}), jsonHdr, &h)
	if h.Case != heldID || h.Reason != "Amtshaftungsklage anhängig" {
		t.Errorf("hold = %+v", h)
	}
	gs.expect(204, "DELETE", "/api/v1/cases/"+freeID+"/hold", nil, nil, nil) // none set: fine

	retentionRun := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		args = append([]string{"retention", "run", "--data", data}, args...)
		if err := run(context.Background(), args, func(string) string { return "" }, nil, &out, &errb); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errb.String())
		}
		return out.String()
	}
	content := func(want int, ids ...string) {
		t.Helper()
		for _, id := range ids {
			gs.expect(want, "GET", "/api/v1/documents/"+id+"/content", nil, nil, nil)
		}
	}
	all := func(lists ...[]string) []string {
		var out []string
		for _, l := range lists {
			out = append(out, l...)
		}
		return out
	}
	today := time.Now()
	at := func(years int) string { return today.AddDate(years, 0, 7).Format(time.DateOnly) }

	// Dry run far in the future: everything unheld and finished would go, nothing does.
	out := retentionRun("--dry-run", "--now", at(100))
	if !strings.Contains(out, "would destroy: 3, held: 3 (in 1 cases), not yet due: 0") || !strings.Contains(out, freeAZ) || !strings.Contains(out, "dry run") {
		t.Errorf("dry run report:\n%s", out)
	}
	content(200, all(freeOthers, heldOthers, openOthers, []string{freeUrteil, heldUrteil, openUrteil})...)

	// Not yet due: nothing happens the day before five years have passed.
	out = retentionRun("--now", today.AddDate(5, 0, -1).Format(time.DateOnly))
	if !strings.Contains(out, "destroyed: 0, held: 0 (in 1 cases), not yet due: 6") {
		t.Errorf("report before the period:\n%s", out)
	}
	content(200, all(freeOthers, heldOthers, []string{freeUrteil, heldUrteil})...)

	// Between five and thirty years: the file goes, the judgment stays; the held case is untouched.
	out = retentionRun("--now", at(6))
	if !strings.Contains(out, "destroyed: 2, held: 2 (in 1 cases), not yet due: 2") {
		t.Errorf("report after five years:\n%s", out)
	}
	for _, id := range freeOthers {
		if !strings.Contains(out, id) || !strings.Contains(out, "rule zivil-akte") {
			t.Errorf("report lacks document %s with its rule:\n%s", id, out)
		}
	}
	content(410, freeOthers...)
	content(200, all(heldOthers, openOthers, []string{freeUrteil, heldUrteil, openUrteil})...)

	// After thirty years the judgment goes too.
	out = retentionRun("--now", at(31))
	if !strings.Contains(out, "destroyed: 1, held: 3 (in 1 cases), not yet due: 0, destroyed earlier: 2") || !strings.Contains(out, "rule zivil-urteil") {
		t.Errorf("report after thirty years:\n%s", out)
	}
	content(410, all(freeOthers, []string{freeUrteil})...)
	content(200, all(heldOthers, openOthers, []string{heldUrteil, openUrteil})...)

	// Idempotent: a second run destroys nothing new.
	out = retentionRun("--now", at(31))
	if !strings.Contains(out, "destroyed: 0, held: 3 (in 1 cases), not yet due: 0, destroyed earlier: 3") {
		t.Errorf("second run:\n%s", out)
	}

	// Once the hold is lifted, the held case's file goes as well; the open case never.
	gs.expect(204, "DELETE", hold, nil, nil, nil)
	out = retentionRun("--now", at(31))
	if !strings.Contains(out, "destroyed: 3, held: 0 (in 0 cases)") {
		t.Errorf("run after lifting the hold:\n%s", out)
	}
	content(410, all(heldOthers, []string{heldUrteil})...)
	content(200, all(openOthers, []string{openUrteil})...)
}
