// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package redact

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"strings"
	"testing"

	"justizcloud/anon"
	"justizcloud/doctext"
	"justizcloud/errs"
	"justizcloud/pdfdoc"
)

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

func mustDoc(t *testing.T, paragraphs ...string) ([]byte, *doctext.Document) {
	t.Helper()
	var blocks []pdfdoc.Block
	for _, p := range paragraphs {
		blocks = append(blocks, pdfdoc.Block{Paragraph: p})
	}
	pdf, err := pdfdoc.Bytes(pdfdoc.Document{Title: "Urteil", Blocks: blocks})
	if err != nil {
		t.Fatal(err)
	}
	d, err := doctext.ReadPDF(context.Background(), bytes.NewReader(pdf), doctext.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return pdf, d
}

// mark marks the n-th (0-based) occurrence of s in text.
func mark(t *testing.T, text, s string, n int, label string) Mark {
	t.Helper()
	off := 0
	for range n + 1 {
		i := strings.Index(text[off:], s)
		if i < 0 {
			t.Fatalf("%q not in %q", s, text)
		}
		off += i + len(s)
	}
	return Mark{Start: off - len(s), End: off, Label: label}
}

// renderPage renders page 1 of pdf at dpi in gray.
func renderPage(t *testing.T, pdf []byte, dpi string) *image.Gray {
	t.Helper()
	cmd := exec.Command("pdftoppm", "-r", dpi, "-gray", "-png", "-singlefile", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftoppm: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	return g
}

// black is the share of dark pixels in the box (points) of img at 72 dpi.
func black(img *image.Gray, b doctext.Box) float64 {
	dark, all := 0, 0
	for y := int(b.YMin) + 1; y < int(b.YMax); y++ {
		for x := int(b.XMin) + 1; x < int(b.XMax); x++ {
			all++
			if img.GrayAt(x, y).Y < 64 {
				dark++
			}
		}
	}
	return float64(dark) / float64(max(all, 1))
}

// TestPDF: the redacted copy keeps the page size, holds none of the
// redacted words in its text, its labels instead, and its pixels are black
// where the words were; the other words stay visible.
func TestPDF(t *testing.T) {
	needPoppler(t)
	ctx := context.Background()
	src, doc := mustDoc(t, "Herr Müller wohnt in der Musterstraße 12 in Bonn.", "Herr Müller klagt gegen Frau Schmidt.")
	marks := []Mark{
		mark(t, doc.Text, "Müller", 0, "A."),
		mark(t, doc.Text, "Musterstraße 12", 0, "[Straße 1]"),
		mark(t, doc.Text, "Müller", 1, "A."),
		mark(t, doc.Text, "Schmidt", 0, "B."),
	}
	var out bytes.Buffer
	if err := PDF(ctx, &out, src, doc, marks, Options{}); err != nil {
		t.Fatal(err)
	}

	got, err := doctext.ReadPDF(ctx, bytes.NewReader(out.Bytes()), doctext.Limits{})
	if err != nil {
		t.Fatalf("text of the redacted PDF: %v", err)
	}
	for _, gone := range []string{"Müller", "Musterstraße", "Schmidt", "wohnt", "Bonn", "Urteil"} {
		if strings.Contains(got.Text, gone) {
			t.Errorf("the redacted PDF's text holds %q: %q", gone, got.Text)
		}
	}
	if fields := strings.Fields(got.Text); strings.Join(fields, " ") != "A. [Straße 1] A. B." {
		t.Errorf("the redacted PDF's text = %q, want only the labels", got.Text)
	}
	if len(got.Pages) != 1 || got.Pages[0] != doc.Pages[0] {
		t.Errorf("pages %+v, want %+v", got.Pages, doc.Pages)
	}

	img := renderPage(t, out.Bytes(), "72")
	orig := renderPage(t, src, "72")
	wordBox := func(n int) doctext.Box { return doc.Words[n].Box }
	var twelve, wohnt, schmidt = -1, -1, -1
	for i, w := range doc.Words {
		switch doc.Text[w.Start:w.End] {
		case "12":
			twelve = i
		case "wohnt":
			wohnt = i
		case "Schmidt.":
			schmidt = i
		}
	}
	// "12" is the second word of a mark: no label, all black.
	if b := black(img, wordBox(twelve)); b < 0.95 {
		t.Errorf("the box of %q is %.0f %% black, want all", "12", b*100)
	}
	// "Schmidt." carries the label "B." in white: mostly black.
	if b := black(img, wordBox(schmidt)); b < 0.6 {
		t.Errorf("the box of %q is %.0f %% black", "Schmidt.", b*100)
	}
	if b, o := black(img, wordBox(wohnt)), black(orig, wordBox(wohnt)); b > 0.5 || b < o/2 {
		t.Errorf("the box of %q is %.0f %% black, %.0f %% in the original", "wohnt", b*100, o*100)
	}
}

func TestPDFRefuses(t *testing.T) {
	needPoppler(t)
	ctx := context.Background()
	src, doc := mustDoc(t, "Herr Müller klagt.")
	var out bytes.Buffer
	cut := *doc
	cut.Truncated = true
	two := *doc
	two.Pages = append([]doctext.Page{doc.Pages[0]}, doc.Pages...)
	for name, c := range map[string]struct {
		doc   *doctext.Document
		marks []Mark
		o     Options
		want  error
	}{
		"truncated":    {&cut, nil, Options{}, errs.ErrTooLarge},
		"too long":     {&two, nil, Options{MaxPages: 1}, errs.ErrTooLarge},
		"not a PDF":    {&doctext.Document{Type: doctext.DOCX, Text: "x"}, nil, Options{}, errs.ErrInvalid},
		"mark outside": {doc, []Mark{{Start: 0, End: len(doc.Text) + 1}}, Options{}, errs.ErrInvalid},
	} {
		if err := PDF(ctx, &out, src, c.doc, c.marks, c.o); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	if err := PDF(ctx, &out, []byte("%PDF-1.4 kaputt"), doc, nil, Options{}); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("broken source: %v, want ErrInvalid", err)
	}
	if out.Len() != 0 {
		t.Errorf("%d bytes written by failed calls", out.Len())
	}
}

func TestMarks(t *testing.T) {
	got := Marks([]anon.Span{{Start: 0, End: 4, Replacement: "A."}, {Start: 5, End: 9}, {Start: 10, End: 12, Replacement: "[Ort 1]"}})
	if len(got) != 2 || got[0] != (Mark{0, 4, "A."}) || got[1] != (Mark{10, 12, "[Ort 1]"}) {
		t.Errorf("Marks = %+v", got)
	}
}

// TestPDFPages: a mark on the second page is redacted there, and every
// page keeps its size.
func TestPDFPages(t *testing.T) {
	needPoppler(t)
	ctx := context.Background()
	paras := make([]string, 40)
	for i := range paras {
		paras[i] = "Die Beklagte hat die Forderung bestritten und Klageabweisung beantragt."
	}
	paras = append(paras, "Zeugin Erika Mustermann bestätigte dies.")
	src, doc := mustDoc(t, paras...)
	if len(doc.Pages) < 2 {
		t.Fatalf("%d pages, want at least 2", len(doc.Pages))
	}
	m := mark(t, doc.Text, "Erika Mustermann", 0, "A.")
	var out bytes.Buffer
	if err := PDF(ctx, &out, src, doc, []Mark{m}, Options{DPI: 72}); err != nil {
		t.Fatal(err)
	}
	got, err := doctext.ReadPDF(ctx, bytes.NewReader(out.Bytes()), doctext.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Pages) != len(doc.Pages) || got.Pages[1] != doc.Pages[1] {
		t.Errorf("pages %+v, want %+v", got.Pages, doc.Pages)
	}
	if strings.Contains(got.Text, "Mustermann") || len(got.Words) != 1 || got.Words[0].Page != len(doc.Pages)-1 {
		t.Errorf("text %q, words %+v: want only the label, on the last page", got.Text, got.Words)
	}
}
