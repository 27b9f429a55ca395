// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"archive/zip"
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"

	"justizcloud/anon"
	"justizcloud/doctext"
	"justizcloud/pdfdoc"
	"justizcloud/tenancy"
)

const decisionText = "Herr Müller wohnt in der Musterstraße 12. Herr Müller klagt."

func needPoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s (poppler-utils) is required in CI; scripts/deps.sh installs it", tool)
			}
			t.Skipf("%s (poppler-utils) is not installed; scripts/deps.sh installs it", tool)
		}
	}
}

// decisionPDF is a text-searchable PDF of the platform's own making.
func decisionPDF(t *testing.T) []byte {
	t.Helper()
	b, err := pdfdoc.Bytes(pdfdoc.Document{Title: "Urteil", Blocks: []pdfdoc.Block{{Paragraph: decisionText}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// scanPDF is a PDF whose page is only a picture.
func scanPDF(t *testing.T) []byte {
	t.Helper()
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 50, 70))); err != nil {
		t.Fatal(err)
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.AddPage()
	p.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"}, &img)
	p.ImageOptions("scan", 10, 10, 150, 210, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// decisionDOCX is a WordprocessingML package whose body is paragraphs;
// a paragraph's text is split into runs at every "|".
func decisionDOCX(t *testing.T, paragraphs ...string) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paragraphs {
		body.WriteString("<w:p>")
		for _, r := range strings.Split(p, "|") {
			body.WriteString(`<w:r><w:t xml:space="preserve">` + r + "</w:t></w:r>")
		}
		body.WriteString("</w:p>")
	}
	return zipFiles(t, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"word/document.xml":   `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`,
	})
}

func zipFiles(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, content := range files {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// encryptedPDF encrypts pdf with a user password by qpdf, or skips.
func encryptedPDF(t *testing.T, pdf []byte) []byte {
	t.Helper()
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("qpdf is not installed, so no encrypted PDF can be made (pdfcpu is not a dependency); the encrypted case is not run")
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "enc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command("qpdf", "--encrypt", "geheim", "geheim", "256", "--", in, out).CombinedOutput(); err != nil {
		t.Fatalf("qpdf: %v: %s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type anonymizeResp struct {
	SourceType    string `json:"source_type"`
	Pages         int
	Text          string
	ExtractedText string `json:"extracted_text"`
	Spans         []struct {
		Start, End        int
		Text, Replacement string
	}
}

// TestAnonymizeDocuments: POST /api/v1/services/anonymize with a PDF and a
// DOCX answers JSON whose spans point into the extracted text; with
// Accept: application/pdf a PDF is answered by its redacted copy, in whose
// text no redacted name is left. Use is counted by the bytes of text.
func TestAnonymizeDocuments(t *testing.T) {
	needPoppler(t)
	data := t.TempDir()
	srv := startServe(t, data)
	c := client{t: t, base: srv.url, token: mustToken(t, data, "DE-BY", "leser")}
	const path = "/api/v1/services/anonymize"
	pdf := decisionPDF(t)

	var got anonymizeResp
	c.expect(200, "POST", path, bytes.NewReader(pdf), map[string]string{"Content-Type": doctext.PDF}, &got)
	if got.SourceType != doctext.PDF || got.Pages != 1 || !strings.Contains(got.Text, "Herr A. wohnt in der [Straße 1]. Herr A. klagt.") {
		t.Errorf("PDF: %+v", got)
	}
	replaced := 0
	for _, s := range got.Spans {
		if got.ExtractedText[s.Start:s.End] != s.Text {
			t.Errorf("span %+v does not point into extracted_text %q", s, got.ExtractedText)
		}
		if s.Replacement != "" {
			replaced++
		}
	}
	if replaced != 3 {
		t.Errorf("PDF: %d replaced spans, want 3: %+v", replaced, got.Spans)
	}
	counted := len(got.ExtractedText)

	resp := c.expect(200, "POST", path, bytes.NewReader(pdf), map[string]string{"Content-Type": doctext.PDF, "Accept": "application/pdf"}, nil)
	if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Accept: application/pdf: Content-Type %q", ct)
	}
	_, redacted := c.do("POST", path, bytes.NewReader(pdf), map[string]string{"Content-Type": doctext.PDF, "Accept": "application/pdf"})
	text, err := doctext.ReadPDF(context.Background(), bytes.NewReader(redacted), doctext.Limits{})
	if err != nil {
		t.Fatalf("the redacted PDF: %v", err)
	}
	if strings.Contains(text.Text, "Müller") || strings.Contains(text.Text, "Musterstraße") || !strings.Contains(text.Text, "A.") {
		t.Errorf("the redacted PDF's text: %q", text.Text)
	}
	counted += 2 * len(got.ExtractedText)

	got = anonymizeResp{}
	docx := decisionDOCX(t, "Herr Mül|ler wohnt in der Muster|straße 12.", "Herr Müller klagt.")
	c.expect(200, "POST", path, bytes.NewReader(docx), map[string]string{"Content-Type": doctext.DOCX}, &got)
	if want := "Herr A. wohnt in der [Straße 1].\nHerr A. klagt."; got.SourceType != doctext.DOCX || got.Text != want || got.Pages != 0 {
		t.Errorf("DOCX: %+v, want text %q", got, want)
	}
	counted += len(got.ExtractedText)

	srv.stop()
	usage, err := mustOpenStore(t, data).Usage(context.Background(), anon.ServiceName)
	if err != nil {
		t.Fatal(err)
	}
	if u := usage[tenancy.ID("DE-BY")]; u.Requests != 4 || u.Bytes != int64(counted) {
		t.Errorf("usage %+v, want 4 requests and %d bytes", u, counted)
	}
}

// TestAnonymizeDocumentErrors: bad documents are problems with a clear
// detail, German where the uploader has to act.
func TestAnonymizeDocumentErrors(t *testing.T) {
	needPoppler(t)
	data := t.TempDir()
	srv := startServe(t, data)
	c := client{t: t, base: srv.url, token: mustToken(t, data, "DE-BY", "leser")}
	const path = "/api/v1/services/anonymize"
	pdf := decisionPDF(t)
	// 65 MiB of blanks between two paragraphs: some 64 KiB compressed.
	bomb := decisionDOCX(t, "Herr Müller klagt.</w:t></w:r></w:p>"+strings.Repeat(" ", 65<<20)+"<w:p><w:r><w:t>Ende.")
	for _, tc := range []struct {
		name, ct, accept string
		body             []byte
		status           int
		detail           string
	}{
		{"scan", doctext.PDF, "", scanPDF(t), 400, "Die PDF-Datei hat keine Textebene (gescannt?); sie muss erst per OCR erkannt werden."},
		{"truncated", doctext.PDF, "", pdf[:len(pdf)/2], 400, "not a readable PDF"},
		{"not a docx", doctext.DOCX, "", zipFiles(t, map[string]string{"a.txt": decisionText}), 400, "not a DOCX file"},
		{"zip bomb", doctext.DOCX, "", bomb, 413, "unpacks to more than"},
		{"pdf of text", "text/plain", "application/pdf", []byte(decisionText), 400, "only from a PDF"},
		{"image", "image/png", "", []byte("x"), 400, "Content-Type must be"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hdr := map[string]string{"Content-Type": tc.ct}
			if tc.accept != "" {
				hdr["Accept"] = tc.accept
			}
			var p problemResp
			c.expect(tc.status, "POST", path, bytes.NewReader(tc.body), hdr, &p)
			if !strings.Contains(p.Detail, tc.detail) {
				t.Errorf("detail %q, want %q in it", p.Detail, tc.detail)
			}
		})
	}
	t.Run("encrypted", func(t *testing.T) {
		var p problemResp
		c.expect(400, "POST", path, bytes.NewReader(encryptedPDF(t, pdf)), map[string]string{"Content-Type": doctext.PDF}, &p)
		if !strings.Contains(p.Detail, "verschlüsselt") {
			t.Errorf("detail %q", p.Detail)
		}
	})
}

// TestAnonPseudonymizeFiles: anon pseudonymize reads PDF and DOCX files
// by their content and writes a redacted PDF.
func TestAnonPseudonymizeFiles(t *testing.T) {
	needPoppler(t)
	dir := t.TempDir()
	files := map[string][]byte{"urteil.pdf": decisionPDF(t), "urteil.docx": decisionDOCX(t, decisionText), "scan.pdf": scanPDF(t)}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out, _, err := runAnonArgs(t, "", "pseudonymize", "--in", filepath.Join(dir, "urteil.docx"))
	if want := "Herr A. wohnt in der [Straße 1]. Herr A. klagt."; err != nil || out != want {
		t.Errorf("DOCX: %q, %v; want %q", out, err, want)
	}
	redacted := filepath.Join(dir, "geschwaerzt.pdf")
	out, _, err = runAnonArgs(t, "", "pseudonymize", "--in", filepath.Join(dir, "urteil.pdf"), "--pdf-out", redacted)
	if err != nil || !strings.Contains(out, "Herr A. wohnt in der [Straße 1]. Herr A. klagt.") {
		t.Errorf("PDF: %q, %v", out, err)
	}
	b, err := os.ReadFile(redacted)
	if err != nil {
		t.Fatal(err)
	}
	d, err := doctext.ReadPDF(context.Background(), bytes.NewReader(b), doctext.Limits{})
	if err != nil || strings.Contains(d.Text, "Müller") || strings.Contains(d.Text, "Musterstraße") {
		t.Errorf("the redacted PDF's text: %q, %v", d.Text, err)
	}
	// A PDF on stdin is read as a PDF, too.
	out, _, err = runAnonArgs(t, string(files["urteil.pdf"]), "pseudonymize")
	if err != nil || !strings.Contains(out, "Herr A. klagt.") {
		t.Errorf("PDF on stdin: %q, %v", out, err)
	}
	for _, args := range [][]string{
		{"--in", filepath.Join(dir, "urteil.docx"), "--pdf-out", filepath.Join(dir, "x.pdf")},
		{"--in", filepath.Join(dir, "scan.pdf")},
		{"--in", filepath.Join(dir, "fehlt.pdf")},
	} {
		if _, _, err := runAnonArgs(t, "", append([]string{"pseudonymize"}, args...)...); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.pdf")); !os.IsNotExist(err) {
		t.Errorf("a refused --pdf-out left a file: %v", err)
	}
}
