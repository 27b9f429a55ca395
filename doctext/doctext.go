// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package doctext

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"justizcloud/errs"
)

// Media types the package reads.
const (
	Plain = "text/plain"
	PDF   = "application/pdf"
	DOCX  = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// Document is the text of a document and, for a PDF, where its words are.
type Document struct {
	Type string // Plain, PDF or DOCX
	Text string
	// Truncated reports that Text was cut at Limits.MaxText.
	Truncated bool
	// Pages are a PDF's pages in order (nil for other types).
	Pages []Page
	// Words are a PDF's words in text order (nil for other types).
	Words []Word
}

// Page is the size of a PDF page in points (1/72 inch), as displayed
// (crop box, rotation applied).
type Page struct {
	Width, Height float64
}

// Word is one word of a PDF: Text[Start:End] is printed in Box on page
// Page (0-based).
type Word struct {
	Start, End int
	Page       int
	Box        Box
}

// Box is a rectangle on a page in points, the origin at the page's top
// left corner, y growing downwards.
type Box struct {
	XMin, YMin, XMax, YMax float64
}

// Limits bound the work of one read. The zero value means the defaults.
type Limits struct {
	// MaxText is the most bytes of text kept; the rest is cut and
	// Document.Truncated set. 0 means 8 MiB.
	MaxText int
	// MaxArchive is the most bytes a DOCX's document.xml may unpack to;
	// more wraps errs.ErrTooLarge (a zip bomb stops there). 0 means 64 MiB.
	MaxArchive int64
	// Timeout bounds one pdftotext run. 0 means one minute.
	Timeout time.Duration
}

func (l Limits) withDefaults() Limits {
	if l.MaxText <= 0 {
		l.MaxText = 8 << 20
	}
	if l.MaxArchive <= 0 {
		l.MaxArchive = 64 << 20
	}
	if l.Timeout <= 0 {
		l.Timeout = time.Minute
	}
	return l
}

// Sniff returns the type of a document from its first bytes: PDF if
// "%PDF-" starts within the first KiB (as readers allow), DOCX for a zip
// archive (Read checks that it is one), otherwise Plain.
func Sniff(head []byte) string {
	switch {
	case bytes.Contains(head[:min(len(head), 1024)], []byte("%PDF-")):
		return PDF
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return DOCX
	}
	return Plain
}

// Read extracts the text of b, whose media type is mediaType (Plain, PDF or
// DOCX; for Plain, only UTF-8). Other types and unreadable input wrap
// errs.ErrInvalid.
func Read(ctx context.Context, mediaType string, b []byte, lim Limits) (*Document, error) {
	switch mediaType {
	case Plain:
		return ReadPlain(b, lim)
	case PDF:
		return ReadPDF(ctx, bytes.NewReader(b), lim)
	case DOCX:
		return ReadDOCX(bytes.NewReader(b), int64(len(b)), lim)
	}
	return nil, fmt.Errorf("%w: documents of type %q cannot be read (text/plain, PDF and DOCX can)", errs.ErrInvalid, mediaType)
}

// ReadPlain returns b as text. Invalid UTF-8 wraps errs.ErrInvalid.
func ReadPlain(b []byte, lim Limits) (*Document, error) {
	lim = lim.withDefaults()
	if !utf8.Valid(b) {
		return nil, fmt.Errorf("%w: the text is not valid UTF-8", errs.ErrInvalid)
	}
	d := &Document{Type: Plain, Text: string(b)}
	if len(d.Text) > lim.MaxText {
		d.Text, d.Truncated = cut(d.Text, lim.MaxText), true
	}
	return d, nil
}

// cut returns the longest prefix of s of at most n bytes that does not
// split a UTF-8 sequence.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// builder assembles a document's text from words, lines and blocks.
type builder struct {
	b         strings.Builder
	max       int
	truncated bool
	pending   string // separator owed before the next word
}

// word appends w after the pending separator and returns its byte range;
// ok is false (and nothing is appended) once the text is full.
func (t *builder) word(w string) (start, end int, ok bool) {
	if t.truncated {
		return 0, 0, false
	}
	sep := t.pending
	if t.b.Len() == 0 {
		sep = ""
	}
	if t.b.Len()+len(sep)+len(w) > t.max {
		t.truncated = true
		return 0, 0, false
	}
	t.b.WriteString(sep)
	t.pending = ""
	start = t.b.Len()
	t.b.WriteString(w)
	return start, t.b.Len(), true
}

// brk owes sep (" ", "\n" or "\n\n") before the next word; a stronger
// separator wins over a weaker one.
func (t *builder) brk(sep string) {
	if len(sep) > len(t.pending) {
		t.pending = sep
	}
}

// text appends s after the pending separator, as much of it as fits.
func (t *builder) text(s string) {
	if t.truncated || s == "" {
		return
	}
	sep := t.pending
	if t.b.Len() == 0 {
		sep = ""
	}
	if room := t.max - t.b.Len() - len(sep); len(s) > room {
		t.truncated = true
		if room <= 0 {
			return
		}
		s = cut(s, room)
	}
	t.b.WriteString(sep)
	t.pending = ""
	t.b.WriteString(s)
}

// Empty reports whether b has no area, as a word without a usable box has.
func (b Box) Empty() bool { return b.XMax <= b.XMin || b.YMax <= b.YMin }
