// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"
	"time"
)

type searchResp struct {
	Items []struct {
		Kind, Case, Document, Aktenzeichen, Title, Snippet, Date string
	}
	Next string
}

// TestSearch uploads documents and finds them within 2 s, scoped to the
// caller's tenant and court, and survives hostile queries.
func TestSearch(t *testing.T) {
	data := t.TempDir()
	srv := startServe(t, data, "--demo=false")
	gs := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle")}
	otherTenant := client{t, srv.url, mustToken(t, data, "DE-NW", "landesadmin")}
	otherCourt := client{t, srv.url, mustToken(t, data, "DE-BY", "leser", "--court", "D2600")}

	var c caseResp
	gs.expect(201, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C", "subject": "Rückzahlung Darlehen"}), jsonHdr, &c)
	gs.expect(201, "POST", "/api/v1/cases/"+c.ID+"/participants", jsonBody(map[string]string{"role": "klaeger", "name": "Erika Mustermann"}), jsonHdr, nil)
	var d docResp
	text := strings.Repeat("Einleitende Worte. ", 20) + "Die Berufungen des Beklagten werden zurückgewiesen; Gerichtsort München. " + strings.Repeat("Schluss. ", 20)
	gs.expect(201, "POST", "/api/v1/cases/"+c.ID+"/documents", strings.NewReader(text),
		map[string]string{"Content-Type": "text/plain; charset=utf-8", "Content-Disposition": `attachment; filename="beschluss.txt"`}, &d)
	uploaded := time.Now()

	search := func(cl client, q string, extra string) searchResp {
		t.Helper()
		var r searchResp
		cl.expect(200, "GET", "/api/v1/search?q="+url.QueryEscape(q)+extra, nil, nil, &r)
		return r
	}
	var hit searchResp
	for {
		hit = search(gs, "Berufung muenchen", "")
		if len(hit.Items) > 0 || time.Since(uploaded) > 2*time.Second {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(hit.Items) != 1 {
		t.Fatalf("document not found within 2 s of upload: %+v", hit)
	}
	t.Logf("searchable after %v", time.Since(uploaded).Round(time.Millisecond))
	got := hit.Items[0]
	if got.Kind != "document" || got.Document != d.ID || got.Case != c.ID || got.Aktenzeichen != c.Aktenzeichen || got.Title != "beschluss.txt" {
		t.Errorf("hit = %+v, want document %s of case %s (%s)", got, d.ID, c.ID, c.Aktenzeichen)
	}
	if !strings.Contains(got.Snippet, "«Berufungen»") || !strings.Contains(got.Snippet, "«München»") {
		t.Errorf("snippet = %q, want «Berufungen» and «München» marked", got.Snippet)
	}
	// The index holds tokens only: the document's plaintext is nowhere under the data folder.
	assertNoPlaintext(t, data, []byte("Die Berufungen des Beklagten werden zur"))

	// HTML: tags and entities do not get in the way.
	var h docResp
	gs.expect(201, "POST", "/api/v1/cases/"+c.ID+"/documents", strings.NewReader(`<html><body><p>Die <b>Widerklage</b> ist unbegr&uuml;ndet.</p><script>geheim()</script></body></html>`),
		map[string]string{"Content-Type": "text/html", "Content-Disposition": `attachment; filename="urteil.html"`}, &h)
	waitFor(t, func() bool { return len(search(gs, "unbegründet Widerklagen", "").Items) == 1 }, "HTML document searchable")
	if r := search(gs, "Widerklage", ""); len(r.Items) != 1 || r.Items[0].Document != h.ID || r.Items[0].Snippet != "Die «Widerklage» ist unbegründet." {
		t.Errorf("HTML hit = %+v, want document %s with snippet %q", r.Items, h.ID, "Die «Widerklage» ist unbegründet.")
	}
	if r := search(gs, "geheim", ""); len(r.Items) != 0 {
		t.Errorf("script content is indexed: %+v", r.Items)
	}

	// Case metadata: Aktenzeichen, party names, court name.
	for _, q := range []string{c.Aktenzeichen, "Mustermann", "darlehen", "Amtsgericht"} {
		r := search(gs, q, "&court=D2601")
		found := false
		for _, it := range r.Items {
			found = found || (it.Kind == "case" && it.Case == c.ID)
		}
		if !found {
			t.Errorf("search %q = %+v, want case %s", q, r.Items, c.ID)
		}
	}
	today := time.Now().UTC().Format(time.DateOnly)
	if r := search(gs, "Berufung", "&from="+today+"&to="+today); len(r.Items) != 1 {
		t.Errorf("search with today's dates = %+v, want the document", r.Items)
	}
	if r := search(gs, "Berufung", "&to=2000-01-01"); len(r.Items) != 0 {
		t.Errorf("search up to 2000 = %+v, want nothing", r.Items)
	}
	if r := search(gs, "Berufung", "&court=D2600"); len(r.Items) != 0 {
		t.Errorf("search in another court = %+v, want nothing", r.Items)
	}
	// Pagination: the case (Amtsgericht München) and the document, one per page.
	first := search(gs, "München", "&limit=1")
	if len(first.Items) != 1 || first.Next == "" {
		t.Fatalf("first page = %+v, want one hit and a next cursor", first)
	}
	second := search(gs, "München", "&limit=1&after="+first.Next)
	if len(second.Items) != 1 || second.Items[0] == first.Items[0] {
		t.Errorf("second page = %+v after %+v, want the other hit", second, first)
	}
	if second.Next != "" {
		if third := search(gs, "München", "&limit=1&after="+second.Next); len(third.Items) != 0 {
			t.Errorf("third page = %+v, want nothing", third)
		}
	}

	// Scoping: another tenant and a token bound to another court see nothing.
	for name, cl := range map[string]client{"other tenant": otherTenant, "other court": otherCourt} {
		if r := search(cl, "Berufung", ""); len(r.Items) != 0 {
			t.Errorf("%s: search = %+v, want nothing", name, r.Items)
		}
		if r := search(cl, c.Aktenzeichen, ""); len(r.Items) != 0 {
			t.Errorf("%s: search Aktenzeichen = %+v, want nothing", name, r.Items)
		}
	}

	// Hostile input: results or a clean 400, never a 500.
	for _, raw := range []string{
		"q=" + url.QueryEscape(`"`), "q=" + url.QueryEscape(`*`), "q=" + url.QueryEscape(`NEAR(`),
		"q=" + url.QueryEscape(`AND OR`), "q=" + url.QueryEscape(`"Berufung" NOT -x^2 {col}:a`),
		"q=" + strings.Repeat("a", 600), "q=%FF", "q=%", "q=", "", "q=x&limit=0", "q=x&from=gestern",
		"q=x&after=abc", "q=" + url.QueryEscape(strings.Repeat("Wort ", 90)),
	} {
		resp, b := gs.do("GET", "/api/v1/search?"+raw, nil, nil)
		if resp.StatusCode != 200 && resp.StatusCode != 400 {
			t.Errorf("GET /api/v1/search?%s = %d %s, want 200 or 400", raw, resp.StatusCode, b)
		}
	}
	for _, raw := range []string{"q=" + strings.Repeat("a", 600), "q=%FF"} {
		var p problemResp
		gs.expect(400, "GET", "/api/v1/search?"+raw, nil, nil, &p)
		if !strings.Contains(p.Detail, `"q"`) {
			t.Errorf("GET /api/v1/search?%.20s: detail %q does not name the parameter", raw, p.Detail)
		}
	}

	// reindex rebuilds the index; the document is found again.
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"reindex", "--data", data}, func(string) string { return "" }, nil, &out, &errb); err != nil {
		t.Fatalf("reindex: %v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), "reindexed 3 cases and documents") || !strings.Contains(errb.String(), "indexed 3") {
		t.Errorf("reindex printed %q and %q", out.String(), errb.String())
	}
	if r := search(gs, "Berufung", ""); len(r.Items) != 1 {
		t.Errorf("search after reindex = %+v, want the document", r.Items)
	}
	// Filters: Dokumentklasse and the proceeding's state (a proceeding
	// without events is in its type's initial state).
	var pr caseResp
	gs.expect(201, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C", "subject": "Werklohn", "procedure": "zivil-online"}), jsonHdr, &pr)
	gs.expect(201, "POST", "/api/v1/cases/"+pr.ID+"/documents?class=Klage", strings.NewReader("Die Klage wegen Werklohn für die Dachsanierung."),
		map[string]string{"Content-Type": "text/plain", "Content-Disposition": `attachment; filename="klage.txt"`}, nil)
	waitFor(t, func() bool { return len(search(gs, "Dachsanierung", "").Items) == 1 }, "Klage searchable")
	filtered := func(extra string, want int) {
		t.Helper()
		if r := search(gs, "Dachsanierung", extra); len(r.Items) != want {
			t.Errorf("search with %s = %+v, want %d hits", extra, r.Items, want)
		}
	}
	filtered("&class=Klage", 1)
	filtered("&class=Urteil", 0)
	filtered("&state=eingereicht", 1)
	filtered("&state=eingetragen", 0)
	for _, role := range []string{"klaeger", "beklagter"} {
		gs.expect(201, "POST", "/api/v1/cases/"+pr.ID+"/participants", jsonBody(map[string]string{"role": role, "name": "Partei " + role}), jsonHdr, nil)
	}
	gs.expect(200, "POST", "/api/v1/cases/"+pr.ID+"/events", jsonBody(map[string]any{"event": "eintragung"}), jsonHdr, nil)
	filtered("&state=eingereicht", 0)
	filtered("&state=eingetragen", 1)
	for _, raw := range []string{"&class=Unsinn", "&state=unsinn"} {
		var p problemResp
		gs.expect(400, "GET", "/api/v1/search?q=x"+raw, nil, nil, &p)
		if name := raw[1:strings.IndexByte(raw, '=')]; !strings.Contains(p.Detail, `"`+name+`"`) {
			t.Errorf("%s: detail %q does not name the parameter", raw, p.Detail)
		}
	}
}

// TestRestrictedDocumentTextNotIndexed: a restricted document (a Sonderheft,
// a letter with an access code) is found by its filename only; its text
// never enters the search index.
func TestRestrictedDocumentTextNotIndexed(t *testing.T) {
	data := t.TempDir()
	srv := startServe(t, data, "--demo=false")
	gs := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle")}
	c := createCase(t, gs)
	hdr := func(name string) map[string]string {
		return map[string]string{"Content-Type": "text/plain; charset=utf-8", "Content-Disposition": `attachment; filename="` + name + `"`}
	}
	gs.expect(201, "POST", "/api/v1/cases/"+c+"/documents?restricted=true", strings.NewReader("Zugangscode Quokkaschlüssel 7K3M"), hdr("sonderheft.txt"), nil)
	gs.expect(201, "POST", "/api/v1/cases/"+c+"/documents", strings.NewReader("Offener Schriftsatz Kaktusgarten"), hdr("schriftsatz.txt"), nil)
	count := func(q string) int {
		var r searchResp
		gs.expect(200, "GET", "/api/v1/search?q="+url.QueryEscape(q), nil, nil, &r)
		return len(r.Items)
	}
	waitFor(t, func() bool { return count("Kaktusgarten") == 1 && count("sonderheft") == 1 }, "both documents indexed")
	if n := count("Quokkaschlüssel"); n != 0 {
		t.Errorf("the restricted document's text is searchable: %d hits", n)
	}
}
