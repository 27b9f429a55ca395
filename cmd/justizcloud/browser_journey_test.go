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
)

// Helpers of the browser journeys through the portal's interviews (routes
// and ids: docs/portal.md).

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

// daysAgo is a date in the past in the interviews' format.
func daysAgo(n int) string {
	return time.Now().AddDate(0, 0, -n).Format("02.01.2006")
}
