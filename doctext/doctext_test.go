// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package doctext

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"

	"justizcloud/errs"
	"justizcloud/pdfdoc"
)

func needPoppler(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext (poppler-utils) is required in CI; scripts/deps.sh installs it")
		}
		t.Skip("pdftotext (poppler-utils) is not installed; scripts/deps.sh installs it")
	}
}

func mustPDF(t testing.TB, paragraphs ...string) []byte {
	t.Helper()
	var blocks []pdfdoc.Block
	for _, p := range paragraphs {
		blocks = append(blocks, pdfdoc.Block{Paragraph: p})
	}
	b, err := pdfdoc.Bytes(pdfdoc.Document{Title: "Urteil", Blocks: blocks})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mustImagePDF is a PDF whose only page is a picture: a scan.
func mustImagePDF(t testing.TB) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 40, 40))
	var pngb bytes.Buffer
	if err := png.Encode(&pngb, img); err != nil {
		t.Fatal(err)
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.AddPage()
	p.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"}, &pngb)
	p.ImageOptions("scan", 20, 20, 100, 100, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	var out bytes.Buffer
	if err := p.Output(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// mustDOCX builds a minimal WordprocessingML package whose body is body
// (the inner XML of w:body).
func mustDOCX(t testing.TB, body string) []byte {
	t.Helper()
	return zipOf(t, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"word/document.xml":   `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="` + wordML + `"><w:body>` + body + `</w:body></w:document>`,
	})
}

func zipOf(t testing.TB, files map[string]string) []byte {
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

// TestReadPDF: the text is built from the word boxes, and every word's byte
// range holds the word and its box lies on its page.
func TestReadPDF(t *testing.T) {
	needPoppler(t)
	pdf := mustPDF(t, "Herr Müller wohnt in der Musterstraße 12.", "Herr Müller klagt gegen Frau Schmidt.")
	d, err := ReadPDF(context.Background(), bytes.NewReader(pdf), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := "Urteil\n\nHerr Müller wohnt in der Musterstraße 12.\n\nHerr Müller klagt gegen Frau Schmidt.\n\nSeite 1 von 1"
	if d.Text != want || d.Type != PDF || d.Truncated {
		t.Errorf("Text = %q (%s, truncated %v), want %q", d.Text, d.Type, d.Truncated, want)
	}
	if len(d.Pages) != 1 || d.Pages[0].Width < 595 || d.Pages[0].Width > 596 {
		t.Fatalf("Pages = %+v, want one A4 page", d.Pages)
	}
	if got := len(strings.Fields(d.Text)); len(d.Words) != got {
		t.Fatalf("%d words, want %d", len(d.Words), got)
	}
	prevEnd := 0
	for _, w := range d.Words {
		s := d.Text[w.Start:w.End]
		if s != strings.TrimSpace(s) || s == "" || w.Start < prevEnd {
			t.Errorf("word %+v = %q", w, s)
		}
		if w.Box.Empty() || w.Box.XMax > d.Pages[0].Width || w.Box.YMax > d.Pages[0].Height || w.Page != 0 {
			t.Errorf("word %q has box %+v on page %d", s, w.Box, w.Page)
		}
		prevEnd = w.End
	}
	// The first "Müller" is left of "wohnt" on the same line.
	m, wo := d.Words[2], d.Words[3]
	if d.Text[m.Start:m.End] != "Müller" || m.Box.XMax > wo.Box.XMin || m.Box.YMin != wo.Box.YMin {
		t.Errorf("Müller %+v, wohnt %+v", m, wo)
	}

	short, err := ReadPDF(context.Background(), bytes.NewReader(pdf), Limits{MaxText: 20})
	if err != nil || !short.Truncated || short.Text != "Urteil\n\nHerr Müller" {
		t.Errorf("MaxText 20: %q, truncated %v, %v", short.Text, short.Truncated, err)
	}
}

// TestReadPDFErrors: a scan, a broken, a truncated and an encrypted PDF
// are each refused with their own clear error.
func TestReadPDFErrors(t *testing.T) {
	needPoppler(t)
	ctx := context.Background()
	if _, err := ReadPDF(ctx, bytes.NewReader(mustImagePDF(t)), Limits{}); !errors.Is(err, ErrNoTextLayer) || !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("image-only PDF: %v, want ErrNoTextLayer", err)
	}
	pdf := mustPDF(t, "Herr Müller klagt.")
	for name, b := range map[string][]byte{
		"garbage":   []byte("%PDF-1.4 kaputt"),
		"truncated": pdf[:len(pdf)/3],
		"empty":     nil,
	} {
		_, err := ReadPDF(ctx, bytes.NewReader(b), Limits{})
		if !errors.Is(err, errs.ErrInvalid) || errors.Is(err, ErrEncrypted) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("qpdf is not installed: the encrypted PDF case is not run (apt-get install qpdf)")
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "enc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command("qpdf", "--encrypt", "geheim", "geheim", "256", "--", in, out).CombinedOutput(); err != nil {
		t.Fatalf("qpdf: %v: %s", err, b)
	}
	enc, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ReadPDF(ctx, bytes.NewReader(enc), Limits{}); !errors.Is(err, ErrEncrypted) || !strings.Contains(err.Error(), "encrypted") {
		t.Errorf("encrypted PDF: %v, want ErrEncrypted", err)
	}
}

func TestReadPDFContext(t *testing.T) {
	needPoppler(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadPDF(ctx, bytes.NewReader(mustPDF(t, "Text")), Limits{}); err == nil || errors.Is(err, errs.ErrInvalid) {
		t.Errorf("cancelled: %v, want a non-input error", err)
	}
}

func TestReadDOCX(t *testing.T) {
	body := `<w:p><w:r><w:t>Herr Mül</w:t></w:r><w:r><w:t>ler wohnt</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve"> in Bonn.</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t>Zeile</w:t><w:br/><w:t>zwei</w:t><w:delText>gelöscht</w:delText><w:instrText>PAGE</w:instrText></w:r></w:p>` +
		`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Zelle &amp; Rand</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`
	d, err := Read(context.Background(), DOCX, mustDOCX(t, body), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Herr Müller wohnt\t in Bonn.\nZeile\nzwei\nZelle & Rand"; d.Text != want || d.Type != DOCX || d.Words != nil {
		t.Errorf("Text = %q, want %q", d.Text, want)
	}
	d, err = ReadDOCX(bytes.NewReader(mustDOCX(t, body)), int64(len(mustDOCX(t, body))), Limits{MaxText: 10})
	if err != nil || d.Text != "Herr Müll" || !d.Truncated {
		t.Errorf("MaxText 10: %q %v, %v", d.Text, d.Truncated, err)
	}
}

// TestReadDOCXErrors: zips that are no DOCX, a zip bomb, a DOCTYPE and
// broken XML are refused.
func TestReadDOCXErrors(t *testing.T) {
	bomb := mustDOCX(t, `<w:p><w:r><w:t>`+strings.Repeat("A", 3<<20)+`</w:t></w:r></w:p>`)
	if len(bomb) > 64<<10 {
		t.Fatalf("the bomb is %d bytes compressed", len(bomb))
	}
	many := map[string]string{"word/document.xml": "<x/>"}
	for i := range maxEntries {
		many[filepath.Join("f", string(rune('a'+i%26)), strings.Repeat("x", i/26+1))] = ""
	}
	for _, c := range []struct {
		name string
		b    []byte
		want error
	}{
		{"bomb", bomb, errs.ErrTooLarge},
		{"not a zip", []byte("PK\x03\x04 nothing"), errs.ErrInvalid},
		{"other zip", zipOf(t, map[string]string{"a.txt": "Herr Müller"}), errs.ErrInvalid},
		{"many entries", zipOf(t, many), errs.ErrInvalid},
		{"doctype", zipOf(t, map[string]string{"word/document.xml": `<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document xmlns:w="` + wordML + `"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>`}), errs.ErrInvalid},
		{"broken xml", mustDOCX(t, `<w:p><w:r><w:t>offen`), errs.ErrInvalid},
		{"no body", zipOf(t, map[string]string{"word/document.xml": `<html/>`}), errs.ErrInvalid},
	} {
		_, err := ReadDOCX(bytes.NewReader(c.b), int64(len(c.b)), Limits{MaxArchive: 1 << 20})
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

func TestReadPlainAndSniff(t *testing.T) {
	if _, err := Read(context.Background(), Plain, []byte("\xff\xfe"), Limits{}); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("invalid UTF-8: %v", err)
	}
	d, err := ReadPlain([]byte("Müller"), Limits{MaxText: 2})
	if err != nil || d.Text != "M" || !d.Truncated {
		t.Errorf("cut inside ü: %q, %v", d.Text, err)
	}
	if _, err := Read(context.Background(), "image/png", nil, Limits{}); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("image/png: %v", err)
	}
	for in, want := range map[string]string{"%PDF-1.7\n": PDF, "\n\n%PDF-1.4": PDF, "PK\x03\x04": DOCX, "Herr Müller": Plain, "": Plain} {
		if got := Sniff([]byte(in)); got != want {
			t.Errorf("Sniff(%q) = %s, want %s", in, got, want)
		}
	}
}

const sampleBBox = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body><doc>
<page width="595.28" height="841.89"><flow><block xMin="1" yMin="2" xMax="50" yMax="12"><line xMin="1" yMin="2" xMax="50" yMax="12">
<word xMin="1" yMin="2" xMax="20" yMax="12">Herr</word><word xMin="22" yMin="2" xMax="50" yMax="12">M&amp;ller</word></line>
<line><word xMin="-5" yMin="14" xMax="900" yMax="24">breit</word></line></block></flow></page>
<page width="100" height="100"><flow><block><line><word>ohne</word></line></block></flow></page></doc></body></html>`

func TestParseBBox(t *testing.T) {
	d, err := parseBBox(strings.NewReader(sampleBBox), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Herr M&ller\nbreit\n\nohne"; d.Text != want {
		t.Errorf("Text = %q, want %q", d.Text, want)
	}
	if len(d.Words) != 4 || d.Words[2].Box != (Box{0, 14, 595.28, 24}) || d.Words[3].Box != (Box{0, 0, 100, 100}) || d.Words[3].Page != 1 {
		t.Errorf("Words = %+v", d.Words)
	}
	for _, bad := range []string{
		`<doc><word>x</word></doc>`,
		`<doc><page width="0" height="1"></page></doc>`,
		`<doc><page width="1" height="1"><word>a<b/></word></page></doc>`,
		`<doc><page`,
	} {
		if _, err := parseBBox(strings.NewReader(bad), 1<<20); err == nil {
			t.Errorf("parseBBox(%q) succeeded", bad)
		}
	}
}

// FuzzParseBBox: any input either fails or yields words whose ranges lie
// in the text in order, on pages that exist, with boxes on their page.
func FuzzParseBBox(f *testing.F) {
	f.Add(sampleBBox)
	f.Add(`<doc><page width="10" height="10"><word xMin="1" yMin="1" xMax="2" yMax="2">a` + "\x01" + `b</word></page></doc>`)
	f.Fuzz(func(t *testing.T, in string) {
		d, err := parseBBox(strings.NewReader(in), 64)
		if err != nil {
			return
		}
		if len(d.Text) > 64 {
			t.Fatalf("text of %d bytes", len(d.Text))
		}
		prev := 0
		for _, w := range d.Words {
			if w.Start < prev || w.End <= w.Start || w.End > len(d.Text) || w.Page < 0 || w.Page >= len(d.Pages) {
				t.Fatalf("word %+v in %q", w, d.Text)
			}
			p := d.Pages[w.Page]
			if w.Box.XMin < 0 || w.Box.YMin < 0 || w.Box.XMax > p.Width || w.Box.YMax > p.Height {
				t.Fatalf("box %+v outside page %+v", w.Box, p)
			}
			prev = w.End
		}
	})
}

// FuzzReadDOCX: any archive either fails or yields text within the limit.
func FuzzReadDOCX(f *testing.F) {
	f.Add(mustDOCX(f, `<w:p><w:r><w:t>Herr Müller</w:t><w:tab/><w:br/></w:r></w:p>`))
	f.Add(zipOf(f, map[string]string{"word/document.xml": "<!DOCTYPE x><x/>"}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ReadDOCX(bytes.NewReader(b), int64(len(b)), Limits{MaxText: 256, MaxArchive: 1 << 16})
		if err != nil {
			if !errors.Is(err, errs.ErrInvalid) && !errors.Is(err, errs.ErrTooLarge) {
				t.Fatalf("error %v wraps neither ErrInvalid nor ErrTooLarge", err)
			}
			return
		}
		if len(d.Text) > 256 {
			t.Fatalf("text of %d bytes", len(d.Text))
		}
	})
}
