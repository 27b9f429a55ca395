// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

type inboxResp struct {
	Items []inboxItem
	Next  string
}

type inboxItem struct {
	Kind, Case, Aktenzeichen, Date, Title, Ref string
}

type wiedervorlageResp struct {
	ID, Case, Due, For, Note string
	DoneAt                   *time.Time `json:"done_at"`
}

// TestInboxAndWiedervorlagen fills the inboxes of a Geschäftsstelle and a
// judge with filings, Fristen and Wiedervorlagen and reads them back in
// order, page by page, and from another Land.
func TestInboxAndWiedervorlagen(t *testing.T) {
	data := t.TempDir()
	srv := startServe(t, data, "--demo=false")
	gs := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle")}
	richter := client{t, srv.url, mustToken(t, data, "DE-BY", "richter")}
	nw := client{t, srv.url, mustToken(t, data, "DE-NW", "landesadmin")}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(berlin)
	date := func(days int) string { return today.AddDate(0, 0, days).Format(time.DateOnly) }

	newProceeding := func() string {
		t.Helper()
		var c caseResp
		gs.expect(201, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C", "procedure": "zivil-online"}), jsonHdr, &c)
		return c.ID
	}
	// Case a is served: two Fristen start and the file comes back to the Geschäftsstelle after 3 weeks.
	a := newProceeding()
	for _, p := range []map[string]string{{"role": "klaeger", "name": "Erika Mustermann"}, {"role": "beklagter", "name": "Max Beispiel"}} {
		gs.expect(201, "POST", "/api/v1/cases/"+a+"/participants", jsonBody(p), jsonHdr, nil)
	}
	gs.expect(200, "POST", "/api/v1/cases/"+a+"/events", jsonBody(map[string]any{"event": "eintragung"}), jsonHdr, nil)
	var d docResp
	gs.expect(201, "POST", "/api/v1/cases/"+a+"/documents?class=Zustellungsnachweis", strings.NewReader("zugestellt"), map[string]string{"Content-Type": "text/plain"}, &d)
	gs.expect(200, "POST", "/api/v1/cases/"+a+"/events", jsonBody(map[string]any{"event": "zustellung", "documents": []string{d.ID}}), jsonHdr, nil)
	// Case b is a new filing.
	b := newProceeding()

	add := func(cl client, c, due, who string, want int) wiedervorlageResp {
		t.Helper()
		var w wiedervorlageResp
		cl.expect(want, "POST", "/api/v1/cases/"+c+"/wiedervorlagen", jsonBody(map[string]string{"due": due, "for": who, "note": "Vorlage " + who}), jsonHdr, &w)
		return w
	}
	mine := add(gs, b, date(0), "me", 201)
	add(gs, a, date(1), "geschaeftsstelle", 201)
	add(richter, b, date(2), "me", 201)
	add(gs, b, "morgen", "me", 400)
	add(gs, b, date(0), "alle", 400)
	add(nw, b, date(0), "me", 404)
	if mine.For == "me" || mine.For == "" || mine.Due != date(0) || mine.DoneAt != nil {
		t.Errorf("created Wiedervorlage = %+v", mine)
	}
	var wl struct{ Items []wiedervorlageResp }
	gs.expect(200, "GET", "/api/v1/cases/"+a+"/wiedervorlagen", nil, nil, &wl)
	if len(wl.Items) != 2 || wl.Items[1].For != "geschaeftsstelle" || wl.Items[1].Due <= date(14) {
		t.Errorf("Wiedervorlagen of the served case = %+v, want the one for tomorrow and the 3-week effect of zustellung", wl.Items)
	}
	nw.expect(404, "GET", "/api/v1/cases/"+a+"/wiedervorlagen", nil, nil, nil)

	inbox := func(cl client, query string) []inboxItem {
		t.Helper()
		var all []inboxItem
		after := ""
		for range 20 {
			var r inboxResp
			cl.expect(200, "GET", "/api/v1/inbox?"+query+after, nil, nil, &r)
			all = append(all, r.Items...)
			if r.Next == "" {
				return all
			}
			after = "&after=" + r.Next
		}
		t.Fatalf("inbox %s does not end", query)
		return nil
	}
	kinds := func(items []inboxItem) []string {
		var out []string
		for _, it := range items {
			c := "a"
			if it.Case == b {
				c = "b"
			}
			out = append(out, it.Kind+":"+c)
			if it.Aktenzeichen == "" || it.Title == "" {
				t.Errorf("inbox item without Aktenzeichen or title: %+v", it)
			}
		}
		return out
	}

	// Within a week: my Wiedervorlage of today, the filing of today, the
	// Geschäftsstelle's of tomorrow; the Fristen end later.
	week := inbox(gs, "")
	if got, want := kinds(week), []string{"wiedervorlage:b", "filing:b", "wiedervorlage:a"}; !slices.Equal(got, want) {
		t.Errorf("inbox of the Geschäftsstelle = %v, want %v", got, want)
	}
	full := inbox(gs, "days=40")
	if got, want := kinds(full), []string{"wiedervorlage:b", "filing:b", "wiedervorlage:a", "frist:a", "wiedervorlage:a", "frist:a"}; !slices.Equal(got, want) {
		t.Errorf("40-day inbox of the Geschäftsstelle = %v, want %v", got, want)
	}
	if !slices.IsSortedFunc(full, func(x, y inboxItem) int { return strings.Compare(x.Date, y.Date) }) {
		t.Errorf("inbox not oldest first: %+v", full)
	}
	if paged := inbox(gs, "days=40&limit=1"); !slices.Equal(paged, full) {
		t.Errorf("inbox page by page = %+v, want %+v", paged, full)
	}
	if got, want := kinds(inbox(richter, "days=40")), []string{"filing:b", "wiedervorlage:b", "frist:a", "frist:a"}; !slices.Equal(got, want) {
		t.Errorf("40-day inbox of the judge = %v, want %v", got, want)
	}
	if got := inbox(nw, "days=40"); len(got) != 0 {
		t.Errorf("another Land's inbox = %+v, want empty", got)
	}
	gs.expect(400, "GET", "/api/v1/inbox?limit=501", nil, nil, nil)
	gs.expect(400, "GET", "/api/v1/inbox?after=kaputt", nil, nil, nil)

	// Done Wiedervorlagen leave the inbox but stay on the case.
	nw.expect(404, "POST", "/api/v1/wiedervorlagen/"+mine.ID+"/done", nil, nil, nil)
	var done wiedervorlageResp
	gs.expect(200, "POST", "/api/v1/wiedervorlagen/"+mine.ID+"/done", nil, nil, &done)
	if done.DoneAt == nil {
		t.Errorf("done Wiedervorlage = %+v, want done_at", done)
	}
	gs.expect(409, "POST", "/api/v1/wiedervorlagen/"+mine.ID+"/done", nil, nil, nil)
	if got, want := kinds(inbox(gs, "")), []string{"filing:b", "wiedervorlage:a"}; !slices.Equal(got, want) {
		t.Errorf("inbox after done = %v, want %v", got, want)
	}
	gs.expect(200, "GET", "/api/v1/cases/"+b+"/wiedervorlagen", nil, nil, &wl)
	if len(wl.Items) != 2 || wl.Items[0].DoneAt == nil {
		t.Errorf("Wiedervorlagen of the filed case = %+v, want 2 with the first done", wl.Items)
	}
}
