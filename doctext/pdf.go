// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package doctext

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os/exec"
	"strconv"
	"strings"

	"justizcloud/errs"
)

var (
	// ErrNoTextLayer reports a PDF without text: a scan that needs OCR first.
	ErrNoTextLayer = fmt.Errorf("%w: the PDF has no text layer (a scan?); it needs OCR first", errs.ErrInvalid)
	// ErrEncrypted reports a PDF that opens only with a password.
	ErrEncrypted = fmt.Errorf("%w: the PDF is encrypted (password protected); remove the password first", errs.ErrInvalid)
)

// xhtmlPerTextByte bounds pdftotext's XHTML relative to the text it may
// carry: each word costs about 100 bytes of markup.
const xhtmlPerTextByte = 32

// ReadPDF extracts the text layer of the PDF read from r with its word
// boxes. pdftotext reads the document on its standard input (nothing is
// written to disk) and is ended when ctx ends or Limits.Timeout passes. A
// broken PDF wraps errs.ErrInvalid, an encrypted one is ErrEncrypted and
// one without any text ErrNoTextLayer.
func ReadPDF(ctx context.Context, r io.Reader, lim Limits) (*Document, error) {
	lim = lim.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "pdftotext", "-bbox-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = r
	stderr := &headBuffer{limit: 4 << 10}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("pdftotext: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("pdftotext: %w", err)
	}
	limit := int64(lim.MaxText)*xhtmlPerTextByte + 1<<20
	doc, perr := parseBBox(&limitReader{r: out, n: limit}, lim.MaxText)
	if perr != nil || doc.Truncated {
		cancel() // enough read: stop pdftotext rather than drain it
	}
	_, _ = io.Copy(io.Discard, out)
	werr := cmd.Wait()
	if perr == nil && doc.Truncated {
		return doc, nil
	}
	if werr != nil {
		var ee *exec.ExitError
		if errors.As(werr, &ee) && ee.Exited() {
			msg := stderr.String()
			if strings.Contains(msg, "Incorrect password") || strings.Contains(strings.ToLower(msg), "encrypt") {
				return nil, ErrEncrypted
			}
			return nil, fmt.Errorf("%w: not a readable PDF: %s", errs.ErrInvalid, errorLine(msg))
		}
		if perr == nil {
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return nil, fmt.Errorf("pdftotext: no result after %v: %w", lim.Timeout, ctx.Err())
			}
			return nil, fmt.Errorf("pdftotext: %w", werr)
		}
	}
	if perr != nil {
		return nil, fmt.Errorf("%w: the PDF's text layer is unreadable: %w", errs.ErrInvalid, perr)
	}
	if strings.TrimSpace(doc.Text) == "" {
		return nil, ErrNoTextLayer
	}
	return doc, nil
}

// errorLine picks the line of pdftotext's messages that names the error.
func errorLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for _, l := range lines {
		if strings.Contains(l, "Error") {
			return strings.TrimSpace(l)
		}
	}
	if lines[0] == "" {
		return "pdftotext failed"
	}
	return strings.TrimSpace(lines[0])
}

var errOverBound = errors.New("input exceeds its bound")

// limitReader fails with errOverBound after n bytes: the bound on
// pdftotext's output and on what a DOCX unpacks to.
type limitReader struct {
	r io.Reader
	n int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errOverBound
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// parseBBox reads pdftotext's -bbox-layout XHTML: doc > page > flow >
// block > line > word, each with its box. Words are joined by a space,
// lines by a newline, blocks and pages by a blank line; the text stops
// before the word that would pass maxText (Truncated). Control characters,
// which XML forbids but a PDF's text may hold, become spaces.
func parseBBox(r io.Reader, maxText int) (*Document, error) {
	d := &Document{Type: PDF}
	t := &builder{max: maxText}
	dec := xml.NewDecoder(&controlFilter{r: r})
	dec.Strict = true
	var inWord bool
	var box Box
	var word strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if errors.Is(err, errOverBound) {
			// The rest of the text is cut, as if it were over MaxText.
			d.Text, d.Truncated = t.b.String(), true
			return d, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if inWord {
				return nil, fmt.Errorf("line %d: element <%s> inside a word", lineOf(dec), tok.Name.Local)
			}
			switch tok.Name.Local {
			case "page":
				w, okw := attrFloat(tok, "width")
				h, okh := attrFloat(tok, "height")
				if !okw || !okh || w <= 0 || h <= 0 || w > maxPageSize || h > maxPageSize {
					return nil, fmt.Errorf("line %d: page without a valid size", lineOf(dec))
				}
				d.Pages = append(d.Pages, Page{Width: w, Height: h})
				t.brk("\n\n")
			case "block":
				t.brk("\n\n")
			case "line":
				t.brk("\n")
			case "word":
				if len(d.Pages) == 0 {
					return nil, fmt.Errorf("line %d: word outside a page", lineOf(dec))
				}
				box = wordBox(tok, d.Pages[len(d.Pages)-1])
				inWord = true
				word.Reset()
			}
		case xml.CharData:
			if inWord {
				word.Write(tok)
			}
		case xml.EndElement:
			if tok.Name.Local == "word" && inWord {
				inWord = false
				w := strings.TrimSpace(word.String())
				if w == "" {
					continue
				}
				if t.b.Len() > 0 {
					t.brk(" ")
				}
				start, end, ok := t.word(w)
				if !ok {
					d.Text, d.Truncated = t.b.String(), true
					return d, nil
				}
				d.Words = append(d.Words, Word{Start: start, End: end, Page: len(d.Pages) - 1, Box: box})
			}
		}
	}
	d.Text, d.Truncated = t.b.String(), t.truncated
	return d, nil
}

// maxPageSize is the largest page side PDF allows (200 inches) in points.
const maxPageSize = 14400

// attrFloat returns the named attribute as a finite number.
func attrFloat(e xml.StartElement, name string) (float64, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			f, err := strconv.ParseFloat(a.Value, 64)
			return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
		}
	}
	return 0, false
}

// wordBox returns a word's box clipped to its page: empty if the word lies
// off the page (and so is not shown), the whole page if the element has no
// box (never seen from pdftotext), so that redacting the word can only
// cover too much.
func wordBox(e xml.StartElement, p Page) Box {
	var v [4]float64
	for i, name := range []string{"xMin", "yMin", "xMax", "yMax"} {
		f, ok := attrFloat(e, name)
		if !ok {
			return Box{XMax: p.Width, YMax: p.Height}
		}
		v[i] = f
	}
	b := Box{
		XMin: min(max(v[0], 0), p.Width), YMin: min(max(v[1], 0), p.Height),
		XMax: min(max(v[2], 0), p.Width), YMax: min(max(v[3], 0), p.Height),
	}
	return b
}

func lineOf(dec *xml.Decoder) int {
	line, _ := dec.InputPos()
	return line
}

// controlFilter replaces the ASCII control characters XML forbids with
// spaces; no byte of a multi-byte UTF-8 sequence is one of them.
type controlFilter struct{ r io.Reader }

func (c *controlFilter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
			p[i] = ' '
		}
	}
	return n, err
}

// headBuffer keeps the first limit bytes written to it and discards the
// rest, so that a subprocess never blocks on a full pipe.
type headBuffer struct {
	strings.Builder
	limit int
}

func (b *headBuffer) Write(p []byte) (int, error) {
	if room := b.limit - b.Len(); room > 0 {
		b.Builder.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
