// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"justizcloud/xjustiz"
	"justizcloud/xjustiz/xsd"
)

const (
	synthSample  = "synthetic/minimal_uebermittlungSchriftgutobjekte_3.6.2.xml"
	synthPDFName = "Klage_b5e0f7a2-1c3d-4e5f-8a9b-0c1d2e3f4a5b.pdf"
	synthMsgID   = "3f1c2a9e-6b7d-4c1e-9a55-0d2e8b7f4c11"
)

// zipEntry is one file of a ZIP built by a test, in order.
type zipEntry struct {
	name string
	body []byte
}

func mustZip(t *testing.T, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// mustSampleZip builds the ZIP of a shared sample: the message and one
// file per name it gives, with distinct contents.
func mustSampleZip(t *testing.T, sample string) ([]byte, map[string][32]byte) {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join(xjSamples, sample))
	if err != nil {
		t.Fatal(err)
	}
	entries := []zipEntry{{"nachricht.xml", doc}}
	sums := map[string][32]byte{}
	for i, m := range dateinameRE.FindAllSubmatch(doc, -1) {
		body := []byte(fmt.Sprintf("%%PDF-1.4\n%% Datei %d: %s\n", i, m[1]))
		entries = append(entries, zipEntry{string(m[1]), body})
		sums[string(m[1])] = sha256.Sum256(body)
	}
	return mustZip(t, entries...), sums
}

func mustMultipart(t *testing.T, message []byte, files ...zipEntry) (io.Reader, map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, err := mw.CreateFormFile("message", "nachricht.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(message)
	for _, f := range files {
		w, err := mw.CreateFormFile("file", f.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.body)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, map[string]string{"Content-Type": mw.FormDataContentType()}
}

var zipHdr = map[string]string{"Content-Type": "application/zip"}

type xjImportResp struct {
	Repeated bool
	Message  struct {
		ID, Version, Root, Sender string
		SenderAktenzeichen        string `json:"sender_aktenzeichen"`
	}
	Case         caseResp
	Participants []struct{ ID, Role, Name string }
	Documents    []xjDocResp
	Skipped      []string
}

type xjDocResp struct {
	ID, Filename, SHA256, Class string
}

type xjProblemResp struct {
	Detail   string
	DetailDE string `json:"detail_de"`
	Errors   []struct {
		Line            int
		Element, Reason string
	}
}

// spoolFiles lists what the server left in its temp folder.
func spoolFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "justizcloud-xjustiz-*"))
	return m
}

// TestXJustizHTTP imports shared samples through POST /api/v1/xjustiz/messages
// (ZIP and multipart), refuses hostile and invalid packages with their reason
// and without leaving anything behind, keeps the case from other tenants and
// exports it as a package that validates and imports again.
func TestXJustizHTTP(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // the server's spool files go here
	data := t.TempDir()
	srv := startServe(t, data, "--demo=false", "--max-xjustiz-package", "2MiB")
	nw := client{t, srv.url, mustToken(t, data, "DE-NW", "geschaeftsstelle")}
	by := client{t, srv.url, mustToken(t, data, "DE-BY", "landesadmin")}
	const path = "/api/v1/xjustiz/messages"

	countNW := func() int {
		t.Helper()
		var l struct{ Items []caseResp }
		nw.expect(200, "GET", "/api/v1/cases", nil, nil, &l)
		return len(l.Items)
	}

	// A new import: 201, Location, the file with its SHA-256.
	pkg, sums := mustSampleZip(t, synthSample)
	var first xjImportResp
	resp := nw.expect(201, "POST", path, bytes.NewReader(pkg), zipHdr, &first)
	if first.Repeated || first.Case.Court != "R3306" || first.Message.ID != synthMsgID || first.Message.Version != "3.6.2" ||
		first.Message.SenderAktenzeichen != "KB-2026-0042" || len(first.Documents) != 1 {
		t.Fatalf("import answered %+v", first)
	}
	if loc := resp.Header.Get("Location"); loc != "/api/v1/cases/"+first.Case.ID {
		t.Errorf("Location = %q", loc)
	}
	if d := first.Documents[0]; d.Filename != synthPDFName || d.SHA256 != hex.EncodeToString(func() []byte { s := sums[synthPDFName]; return s[:] }()) {
		t.Errorf("document = %+v, want %s with its SHA-256", d, synthPDFName)
	}
	nw.expect(200, "GET", "/api/v1/cases/"+first.Case.ID, nil, nil, nil)

	// The same message again, as ZIP and as multipart: 200, the same case, nothing new.
	var again xjImportResp
	resp = nw.expect(200, "POST", path, bytes.NewReader(pkg), zipHdr, &again)
	if !again.Repeated || again.Case.ID != first.Case.ID || len(again.Documents) != 1 || again.Documents[0].ID != first.Documents[0].ID {
		t.Errorf("re-import answered %+v, want the case %s again", again, first.Case.ID)
	}
	if loc := resp.Header.Get("Location"); loc != "/api/v1/cases/"+first.Case.ID {
		t.Errorf("re-import Location = %q", loc)
	}
	doc, _ := os.ReadFile(filepath.Join(xjSamples, synthSample))
	pdf := []byte(fmt.Sprintf("%%PDF-1.4\n%% Datei 0: %s\n", synthPDFName))
	body, hdr := mustMultipart(t, doc, zipEntry{synthPDFName, pdf})
	nw.expect(200, "POST", path, body, hdr, &again)
	if !again.Repeated || again.Case.ID != first.Case.ID {
		t.Errorf("multipart re-import answered %+v, want the case %s again", again, first.Case.ID)
	}
	if n := countNW(); n != 1 {
		t.Fatalf("%d cases after importing one message three times, want 1", n)
	}

	// A new message through multipart: a new case.
	doc2 := bytes.Replace(doc, []byte(synthMsgID), []byte("0a1b2c3d-0000-4000-8000-000000000001"), 1)
	body, hdr = mustMultipart(t, doc2, zipEntry{synthPDFName, pdf})
	var second xjImportResp
	nw.expect(201, "POST", path, body, hdr, &second)
	if second.Case.ID == first.Case.ID || second.Documents[0].SHA256 != first.Documents[0].SHA256 {
		t.Errorf("multipart import answered %+v", second)
	}
	// A shared sample with participants, at a court given as a parameter.
	sample, realSums := mustSampleZip(t, "valid/xjustiz_nachricht_abs_sonst_empf_ag_v3_2.xml")
	var third xjImportResp
	by.expect(201, "POST", path+"?court=D2601", bytes.NewReader(sample), zipHdr, &third)
	if third.Case.Court != "D2601" || len(third.Documents) != len(realSums) {
		t.Errorf("import of a shared sample at D2601 answered %+v", third)
	}
	// The samples name no Beteiligte of a mapped role; give the case two, for the round trip.
	for _, p := range []map[string]string{{"role": "klaeger", "name": "Erika Mustermann"}, {"role": "beklagter", "name": "Beispiel GmbH"}} {
		by.expect(201, "POST", "/api/v1/cases/"+third.Case.ID+"/participants", jsonBody(p), jsonHdr, nil)
	}

	// Refusals: each names its reason, and none leaves a case, a blob or a spool file.
	cases, objects := countNW(), countObjects(t, data)
	invalid, _ := mustSampleZip(t, "invalid/Beispiel_synthetisch1.xml")
	bomb := mustZip(t, zipEntry{"nachricht.xml", doc}, zipEntry{synthPDFName, make([]byte, 20<<20)})
	refused := []struct {
		name   string
		status int
		body   func() (io.Reader, map[string]string)
		want   string
	}{
		{"zip slip", 400, func() (io.Reader, map[string]string) {
			return bytes.NewReader(mustZip(t, zipEntry{"nachricht.xml", doc2}, zipEntry{synthPDFName, pdf}, zipEntry{"../../etc/x.pdf", pdf})), zipHdr
		}, "zip slip"},
		{"zip slip, absolute", 400, func() (io.Reader, map[string]string) {
			return bytes.NewReader(mustZip(t, zipEntry{"nachricht.xml", doc2}, zipEntry{"/etc/passwd", pdf})), zipHdr
		}, "zip slip"},
		{"zip slip in a multipart file name", 400, func() (io.Reader, map[string]string) {
			return mustMultipart(t, doc2, zipEntry{"../" + synthPDFName, pdf})
		}, "zip slip"},
		{"zip bomb", 400, func() (io.Reader, map[string]string) { return bytes.NewReader(bomb), zipHdr }, "zip bomb"},
		{"missing file", 400, func() (io.Reader, map[string]string) {
			return bytes.NewReader(mustZip(t, zipEntry{"nachricht.xml", doc2})), zipHdr
		}, "missing from the package"},
		{"unnamed file", 400, func() (io.Reader, map[string]string) {
			return bytes.NewReader(mustZip(t, zipEntry{"nachricht.xml", doc2}, zipEntry{synthPDFName, pdf}, zipEntry{"extra.pdf", pdf})), zipHdr
		}, "does not name"},
		{"not a ZIP", 400, func() (io.Reader, map[string]string) { return strings.NewReader("PK nonsense"), zipHdr }, "zip"},
		{"no message", 400, func() (io.Reader, map[string]string) {
			return bytes.NewReader(mustZip(t, zipEntry{synthPDFName, pdf})), zipHdr
		}, "no XJustiz message"},
		{"wrong content type", 400, func() (io.Reader, map[string]string) { return bytes.NewReader(pkg), jsonHdr }, "Content-Type"},
		{"eEB is no proceeding", 400, func() (io.Reader, map[string]string) {
			eeb, _ := os.ReadFile(filepath.Join(xjSamples, "valid/eeb1_v3_2.xml"))
			return bytes.NewReader(mustZip(t, zipEntry{"eeb.xml", eeb})), zipHdr
		}, "not a GDS message"},
		{"unknown court code", 422, func() (io.Reader, map[string]string) {
			return bytes.NewReader(mustZip(t, zipEntry{"nachricht.xml", bytes.ReplaceAll(doc2, []byte("R3306"), []byte("X9999"))}, zipEntry{synthPDFName, pdf})), zipHdr
		}, `code "X9999" is not in the code list GDS.Gerichte`},
		{"schema-invalid shared sample", 422, func() (io.Reader, map[string]string) { return bytes.NewReader(invalid), zipHdr }, "prozessID"},
		{"other version with the same id", 409, func() (io.Reader, map[string]string) {
			return bytes.NewReader(mustZip(t, zipEntry{"nachricht.xml", bytes.Replace(doc, []byte("Klage</tns:anzeigename>"), []byte("Klageschrift</tns:anzeigename>"), 1)}, zipEntry{synthPDFName, pdf})), zipHdr
		}, "different content"},
		{"too large", 413, func() (io.Reader, map[string]string) { return bytes.NewReader(make([]byte, 3<<20)), zipHdr }, "limit"},
		{"too large, chunked", 413, func() (io.Reader, map[string]string) {
			return io.MultiReader(bytes.NewReader(make([]byte, 3<<20))), zipHdr
		}, "limit"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			body, hdr := tt.body()
			var pr xjProblemResp
			nw.expect(tt.status, "POST", path, body, hdr, &pr)
			if !strings.Contains(pr.Detail, tt.want) {
				t.Errorf("detail %q does not name the reason %q", pr.Detail, tt.want)
			}
			if tt.status == 422 {
				if len(pr.Errors) == 0 || pr.Errors[0].Line == 0 || pr.Errors[0].Element == "" || pr.Errors[0].Reason == "" || pr.DetailDE == "" {
					t.Errorf("422 problem = %+v, want errors with line, element and reason", pr)
				}
			}
		})
	}
	var pr xjProblemResp
	nw.expect(422, "POST", path, bytes.NewReader(invalid), zipHdr, &pr)
	if len(pr.Errors) < 2 || pr.Errors[0].Line != 24 || pr.Errors[0].Element != "prozessID" || !strings.Contains(pr.Errors[0].Reason, "pattern") {
		t.Errorf("schema errors = %+v, want line 24 <prozessID> first, and more", pr.Errors)
	}
	if n := countNW(); n != cases {
		t.Errorf("%d cases after the refused imports, want still %d", n, cases)
	}
	if n := countObjects(t, data); n != objects {
		t.Errorf("%d blobs after the refused imports, want still %d", n, objects)
	}
	waitFor(t, func() bool { return len(spoolFiles(t, tmp)) == 0 }, "spool files to be removed")

	// Who may import.
	for _, role := range []string{"leser", "richter"} {
		c := client{t, srv.url, mustToken(t, data, "DE-NW", role)}
		c.expect(403, "POST", path, bytes.NewReader(pkg), zipHdr, nil)
	}
	bound := client{t, srv.url, mustToken(t, data, "DE-NW", "geschaeftsstelle", "--court", "R3101")}
	bound.expect(400, "POST", path, bytes.NewReader(mustZip(t, zipEntry{"nachricht.xml", doc2}, zipEntry{synthPDFName, pdf})), zipHdr, &pr)
	if !strings.Contains(pr.Detail, "not one of your courts") {
		t.Errorf("court-bound clerk importing for another court: %q", pr.Detail)
	}
	// Another Land: the message names no court of it, and it may not name one of another Land.
	by.expect(400, "POST", path, bytes.NewReader(pkg), zipHdr, &pr)
	if !strings.Contains(pr.Detail, "names no court of DE-BY") {
		t.Errorf("DE-BY importing a message for Köln: %q", pr.Detail)
	}
	by.expect(400, "POST", path+"?court=R3306", bytes.NewReader(pkg), zipHdr, nil)

	// Another Land cannot see the imported case, nor export it.
	for _, p := range []string{"/api/v1/cases/" + first.Case.ID, "/api/v1/cases/" + first.Case.ID + "/documents", "/api/v1/cases/" + first.Case.ID + "/xjustiz"} {
		var pr problemResp
		by.expect(404, "GET", p, nil, nil, &pr)
		if strings.Contains(pr.Detail, first.Case.ID) || strings.Contains(pr.Detail, "DE-NW") {
			t.Errorf("404 for %s reveals something: %+v", p, pr)
		}
	}

	// Export: a validated package that imports again as the same proceeding.
	for _, v := range []string{"2.4.0", "9.9"} {
		var pr problemResp
		nw.expect(400, "GET", "/api/v1/cases/"+first.Case.ID+"/xjustiz?version="+v, nil, nil, &pr)
		if !strings.Contains(pr.Detail, `"version"`) || !strings.Contains(pr.Detail, v) {
			t.Errorf("export as %s: detail %q does not name the parameter", v, pr.Detail)
		}
	}
	for _, src := range []struct {
		name string
		c    client
		res  xjImportResp
		sums map[string][32]byte
	}{{"synthetic", nw, first, sums}, {"shared sample", by, third, realSums}} {
		t.Run("export "+src.name, func(t *testing.T) {
			resp, zipped := src.c.do("GET", "/api/v1/cases/"+src.res.Case.ID+"/xjustiz?version=3.6.2", nil, nil)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
				t.Fatalf("export = %d %s %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), zipped)
			}
			if cd, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); cd != "attachment" || !strings.HasSuffix(params["filename"], ".zip") {
				t.Errorf("Content-Disposition = %q", resp.Header.Get("Content-Disposition"))
			}
			p, err := xjustiz.OpenZip(bytes.NewReader(zipped), int64(len(zipped)), xjustiz.ZipLimits{}, 0)
			if err != nil {
				t.Fatalf("the export is no package: %v", err)
			}
			v, err := xjustiz.NewValidator(xsd.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := v.Validate(p.Message)
			if err != nil || !rep.Valid() || rep.Version != "3.6.2" {
				t.Fatalf("the exported message does not validate as 3.6.2: %v %+v", err, rep)
			}
			if mid := resp.Header.Get("XJustiz-Message-Id"); mid == "" || !bytes.Contains(p.Message, []byte(mid)) {
				t.Errorf("XJustiz-Message-Id %q is not the message's", mid)
			}
			var got []string
			for _, name := range p.Files() {
				rc, _, err := p.Open(name)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(rc)
				rc.Close()
				got = append(got, fmt.Sprintf("%x", sha256.Sum256(b)))
			}
			var want []string
			for _, s := range src.sums {
				want = append(want, fmt.Sprintf("%x", s))
			}
			sort.Strings(got)
			sort.Strings(want)
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("exported files %v, want the imported ones %v", got, want)
			}

			// Round trip: the export imports as a new case with the same participants and documents.
			var back xjImportResp
			src.c.expect(201, "POST", path, bytes.NewReader(zipped), zipHdr, &back)
			if back.Case.ID == src.res.Case.ID || back.Case.Court != src.res.Case.Court {
				t.Errorf("round trip case = %+v", back.Case)
			}
			if !strings.Contains(back.Case.Aktenzeichen, "/") || back.Message.SenderAktenzeichen != src.res.Case.Aktenzeichen {
				t.Errorf("round trip keeps the source Aktenzeichen %q? got sender Aktenzeichen %q", src.res.Case.Aktenzeichen, back.Message.SenderAktenzeichen)
			}
			var parts struct {
				Items []struct{ ID, Role, Name string }
			}
			src.c.expect(200, "GET", "/api/v1/cases/"+src.res.Case.ID+"/participants", nil, nil, &parts)
			if a, b := participantKeys(parts.Items), participantKeys(back.Participants); a != b || (src.name == "shared sample" && len(parts.Items) != 2) {
				t.Errorf("round trip participants %s, want %s", b, a)
			}
			if a, b := documentKeys(src.res.Documents), documentKeys(back.Documents); a != b {
				t.Errorf("round trip documents %s, want %s", b, a)
			}
		})
	}
	waitFor(t, func() bool { return len(spoolFiles(t, tmp)) == 0 }, "spool files to be removed")
	assertNoPlaintext(t, data, pdf)
}

func participantKeys(ps []struct{ ID, Role, Name string }) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Role+":"+p.Name)
	}
	sort.Strings(out)
	return strings.Join(out, "|")
}

func documentKeys(ds []xjDocResp) string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Filename+":"+d.SHA256+":"+d.Class)
	}
	sort.Strings(out)
	return strings.Join(out, "|")
}
