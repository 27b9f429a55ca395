// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package pdfdoc writes the PDFs the platform generates — filed claims,
// receipts, service letters, decisions — as text-searchable PDF (fonts
// embedded with their Unicode maps, so pdftotext and search read them).
// The output is deterministic: the same Document gives the same bytes, so a
// receipt's SHA-256 can be recomputed.
package pdfdoc

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
)

// Fira Sans (SIL OFL 1.1), subset to the Latin, Greek and Cyrillic letters
// of names and German typography; scripts/vendor-kern.sh rebuilds the
// subsets, NOTICE names the licence.
var (
	//go:embed fonts/FiraSans-Regular-subset.ttf
	fontRegular []byte
	//go:embed fonts/FiraSans-SemiBold-subset.ttf
	fontBold []byte
	//go:embed fonts/FiraSans-Italic-subset.ttf
	fontItalic []byte
)

// Document is what a generated PDF says, top to bottom.
type Document struct {
	// Sender is the issuing body, printed small above the title
	// (e.g. "Amtsgericht München").
	Sender string
	Title  string
	// Meta are the key facts under the title (Aktenzeichen, Datum, …).
	Meta []Pair
	// Blocks follow in order.
	Blocks []Block
	// Footer is printed at the bottom of every page with the page number.
	Footer string
	// Date is the document's creation date in the PDF metadata; the zero
	// time means 2000-01-01, so that output stays deterministic.
	Date time.Time
	// Author and Subject go into the PDF metadata.
	Author, Subject string
}

// Pair is a label and its value.
type Pair struct{ Label, Value string }

// Block is one part of the body; set exactly one of its fields.
type Block struct {
	Heading   string   // a section heading
	Paragraph string   // running text; blank lines separate paragraphs
	Pairs     []Pair   // a two-column list of facts
	Table     *Table   // a table with a header row
	Note      string   // small italic text (a Rechtsbehelfsbelehrung's hint, a legend)
	List      []string // a bulleted list
}

// Table is a table with a header row; columns share the width by Widths
// (relative; nil: equal).
type Table struct {
	Header []string
	Rows   [][]string
	Widths []float64
}

// A4 portrait in millimetres, with DIN 5008-like margins.
const (
	pageW, marginL, marginR, marginT = 210.0, 25.0, 20.0, 20.0
	textW                            = pageW - marginL - marginR
)

// Render writes d as PDF to w.
func Render(w io.Writer, d Document) error {
	if err := d.check(); err != nil {
		return err
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.SetMargins(marginL, marginT, marginR)
	p.SetAutoPageBreak(true, 22)
	p.AddUTF8FontFromBytes("Fira", "", fontRegular)
	p.AddUTF8FontFromBytes("Fira", "B", fontBold)
	p.AddUTF8FontFromBytes("Fira", "I", fontItalic)
	date := d.Date
	if date.IsZero() {
		date = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	p.SetCreationDate(date)
	p.SetModificationDate(date)
	p.SetCatalogSort(true)
	p.SetLang("de-DE")
	p.SetTitle(d.Title, true)
	p.SetAuthor(d.Author, true)
	p.SetSubject(d.Subject, true)
	p.SetCreator("Justizcloud", true)
	p.SetProducer("Justizcloud", true)
	p.AliasNbPages("{nb}")
	p.SetFooterFunc(func() {
		p.SetY(-15)
		p.SetFont("Fira", "", 8)
		p.SetTextColor(90, 90, 90)
		p.CellFormat(textW*0.8, 5, d.Footer, "", 0, "L", false, 0, "")
		p.CellFormat(textW*0.2, 5, fmt.Sprintf("Seite %d von {nb}", p.PageNo()), "", 0, "R", false, 0, "")
		p.SetTextColor(0, 0, 0)
	})
	p.AddPage()
	if d.Sender != "" {
		p.SetFont("Fira", "", 9)
		p.CellFormat(textW, 5, d.Sender, "B", 1, "L", false, 0, "")
		p.Ln(6)
	}
	p.SetFont("Fira", "B", 16)
	p.MultiCell(textW, 8, d.Title, "", "L", false)
	p.Ln(2)
	if len(d.Meta) > 0 {
		pairs(p, d.Meta, 9)
		p.Ln(3)
	}
	for _, b := range d.Blocks {
		block(p, b)
	}
	if err := p.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Bytes renders d into memory.
func Bytes(d Document) ([]byte, error) {
	var b bytes.Buffer
	if err := Render(&b, d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func block(p *fpdf.Fpdf, b Block) {
	switch {
	case b.Heading != "":
		p.Ln(2)
		p.SetFont("Fira", "B", 12)
		p.MultiCell(textW, 6, b.Heading, "", "L", false)
		p.Ln(1)
	case b.Paragraph != "":
		p.SetFont("Fira", "", 10.5)
		for para := range strings.SplitSeq(strings.TrimSpace(b.Paragraph), "\n\n") {
			p.MultiCell(textW, 5.2, strings.TrimSpace(para), "", "L", false)
			p.Ln(2)
		}
	case len(b.Pairs) > 0:
		pairs(p, b.Pairs, 10)
		p.Ln(2)
	case b.Table != nil:
		table(p, b.Table)
		p.Ln(2)
	case b.Note != "":
		p.SetFont("Fira", "I", 8.5)
		p.MultiCell(textW, 4.4, b.Note, "", "L", false)
		p.Ln(2)
	case len(b.List) > 0:
		p.SetFont("Fira", "", 10.5)
		for _, it := range b.List {
			x := p.GetX()
			p.CellFormat(5, 5.2, "•", "", 0, "L", false, 0, "")
			p.MultiCell(textW-5, 5.2, it, "", "L", false)
			p.SetX(x)
		}
		p.Ln(2)
	}
}

// pairs prints labels in bold on the left third, values beside them.
func pairs(p *fpdf.Fpdf, ps []Pair, size float64) {
	lw := textW * 0.34
	for _, kv := range ps {
		y := p.GetY()
		p.SetFont("Fira", "B", size)
		p.MultiCell(lw, size*0.5, kv.Label, "", "L", false)
		yl := p.GetY()
		p.SetXY(marginL+lw, y)
		p.SetFont("Fira", "", size)
		p.MultiCell(textW-lw, size*0.5, kv.Value, "", "L", false)
		p.SetY(max(yl, p.GetY()) + 0.8)
	}
}

func table(p *fpdf.Fpdf, t *Table) {
	n := len(t.Header)
	ws := make([]float64, n)
	total := 0.0
	for i := range ws {
		ws[i] = 1
		if i < len(t.Widths) && t.Widths[i] > 0 {
			ws[i] = t.Widths[i]
		}
		total += ws[i]
	}
	for i := range ws {
		ws[i] = ws[i] / total * textW
	}
	row := func(cells []string, style string, fill bool) {
		p.SetFont("Fira", style, 9)
		lines := 1
		for i := range n {
			if l := len(p.SplitText(cell(cells, i), ws[i]-2)); l > lines {
				lines = l
			}
		}
		h := float64(lines)*4.6 + 1.5
		if p.GetY()+h > 297-22 {
			p.AddPage()
		}
		x, y := p.GetX(), p.GetY()
		for i := range n {
			p.SetXY(x, y)
			p.Rect(x, y, ws[i], h, map[bool]string{true: "FD", false: "D"}[fill])
			p.SetXY(x+1, y+0.75)
			p.MultiCell(ws[i]-2, 4.6, cell(cells, i), "", "L", false)
			x += ws[i]
		}
		p.SetXY(marginL, y+h)
	}
	p.SetFillColor(235, 238, 242)
	p.SetDrawColor(160, 160, 160)
	row(t.Header, "B", true)
	for _, r := range t.Rows {
		row(r, "", false)
	}
}

func cell(cells []string, i int) string {
	if i < len(cells) {
		return cells[i]
	}
	return ""
}

// check refuses input that would print wrongly: text must be UTF-8 and
// within the letters the embedded fonts carry.
func (d Document) check() error {
	var bad error
	see := func(where, s string) {
		if bad != nil {
			return
		}
		if !utf8.ValidString(s) {
			bad = fmt.Errorf("pdf: %s is not valid UTF-8", where)
			return
		}
		for _, r := range s {
			if !printable(r) {
				bad = fmt.Errorf("pdf: %s contains %q (U+%04X), which the document font cannot print", where, r, r)
				return
			}
		}
	}
	see("the sender", d.Sender)
	see("the title", d.Title)
	see("the footer", d.Footer)
	for _, kv := range d.Meta {
		see("a fact", kv.Label+kv.Value)
	}
	for i, b := range d.Blocks {
		where := fmt.Sprintf("block %d", i+1)
		see(where, b.Heading+b.Paragraph+b.Note+strings.Join(b.List, ""))
		for _, kv := range b.Pairs {
			see(where, kv.Label+kv.Value)
		}
		if b.Table != nil {
			see(where, strings.Join(b.Table.Header, ""))
			for _, r := range b.Table.Rows {
				see(where, strings.Join(r, ""))
			}
		}
	}
	return bad
}

// printable reports whether the embedded fonts have a glyph for r (the
// subset of scripts/vendor-kern.sh), or r is a line break.
func printable(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return true
	case r >= 0x20 && r <= 0x7e, r >= 0xa0 && r <= 0x24f, r >= 0x370 && r <= 0x4ff, r >= 0x1e00 && r <= 0x1eff,
		r >= 0x2010 && r <= 0x2014, r >= 0x2018 && r <= 0x201e, r == 0x2022, r == 0x2026,
		r == 0x2039, r == 0x203a, r == 0x20ac, r == 0x2122:
		return true
	}
	return false
}
