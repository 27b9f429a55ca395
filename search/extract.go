// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package search

import (
	"context"
	"html"
	"io"
	"mime"
	"strings"
	"time"

	"justizcloud/doctext"
)

// maxExtract is how much of a document's text is indexed.
const maxExtract = 1 << 20

// Extractable reports whether the text of a content type can be indexed:
// text/plain, text/html and PDF (its text layer; scans without one need OCR,
// which comes later).
func Extractable(contentType string) bool {
	switch mediaType(contentType) {
	case "text/plain", "text/html", "application/pdf":
		return true
	}
	return false
}

// cheap reports whether reading a content type's text costs no more than
// reading it: not a PDF, whose text layer takes a subprocess. Snippets at
// query time are cut only from such texts.
func cheap(contentType string) bool {
	return Extractable(contentType) && mediaType(contentType) != "application/pdf"
}

func mediaType(contentType string) string {
	ct, _, _ := strings.Cut(contentType, ";")
	return strings.TrimSpace(strings.ToLower(ct))
}

// Extract reads the text of a document from r, at most 1 MiB of it. For
// text/plain and text/html the charset is UTF-8 unless the content type names
// ISO-8859-1 or windows-1252; invalid UTF-8 is replaced. A PDF's text layer
// comes from poppler's pdftotext, run with the document on its standard
// input (nothing is written to disk) by package doctext and ended when ctx
// ends.
func Extract(ctx context.Context, contentType string, r io.Reader) (string, error) {
	if mediaType(contentType) == "application/pdf" {
		return extractPDF(ctx, r)
	}
	b, err := io.ReadAll(io.LimitReader(r, maxExtract))
	if err != nil {
		return "", err
	}
	var s string
	mt, params, _ := mime.ParseMediaType(contentType)
	switch strings.ToLower(params["charset"]) {
	case "iso-8859-1", "latin1", "windows-1252", "cp1252":
		// Latin-1 bytes are the first 256 code points; for cp1252 this is
		// right for every letter a German text needs.
		rs := make([]rune, len(b))
		for i, c := range b {
			rs[i] = rune(c)
		}
		s = string(rs)
	default:
		s = strings.ToValidUTF8(string(b), "\uFFFD")
	}
	if mt == "text/html" {
		s = stripHTML(s)
	}
	return s, nil
}

// pdfTimeout bounds one pdftotext run; a hostile PDF must not stall the indexer.
const pdfTimeout = time.Minute

// ErrNoTextLayer reports a PDF without text: a scan that needs OCR.
var ErrNoTextLayer = doctext.ErrNoTextLayer

func extractPDF(ctx context.Context, r io.Reader) (string, error) {
	d, err := doctext.ReadPDF(ctx, r, doctext.Limits{MaxText: maxExtract, Timeout: pdfTimeout})
	if err != nil {
		return "", err
	}
	return d.Text, nil
}

// stripHTML removes tags, comments and the content of script and style
// elements and decodes entities. It is a tolerant scanner, not a parser:
// good enough for indexing.
func stripHTML(s string) string {
	var b strings.Builder
	lower := strings.ToLower(s)
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "<!--"):
			end := strings.Index(s[i+4:], "-->")
			if end < 0 {
				i = len(s)
			} else {
				i += 4 + end + 3
			}
		case s[i] == '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				i = len(s)
				continue
			}
			tag := lower[i+1 : i+end]
			i += end + 1
			for _, skip := range []string{"script", "style"} {
				if strings.HasPrefix(tag, skip) {
					if close := strings.Index(lower[i:], "</"+skip); close >= 0 {
						i += close
					} else {
						i = len(s)
					}
				}
			}
			b.WriteByte(' ')
		default:
			end := strings.IndexByte(s[i:], '<')
			if end < 0 {
				end = len(s) - i
			}
			b.WriteString(html.UnescapeString(s[i : i+end]))
			i += end
		}
	}
	return b.String()
}
