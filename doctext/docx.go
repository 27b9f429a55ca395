// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package doctext

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"justizcloud/errs"
)

// maxEntries bounds the entries of a DOCX archive; Word writes a few dozen.
const maxEntries = 1000

// wordML is the namespace of WordprocessingML's elements.
const wordML = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// ReadDOCX extracts the body text of the DOCX in r (size bytes): each
// paragraph a line, tabs and line breaks kept. Headers, footers, footnotes
// and comments are not read. Anything that is not a DOCX (another zip, too
// many entries, a document type declaration) wraps errs.ErrInvalid; a
// document.xml unpacking to more than Limits.MaxArchive wraps
// errs.ErrTooLarge.
func ReadDOCX(r io.ReaderAt, size int64, lim Limits) (*Document, error) {
	lim = lim.withDefaults()
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: not a DOCX file (no zip archive): %w", errs.ErrInvalid, err)
	}
	if len(z.File) > maxEntries {
		return nil, fmt.Errorf("%w: not a DOCX file: %d entries in the archive, at most %d", errs.ErrInvalid, len(z.File), maxEntries)
	}
	var body *zip.File
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			body = f
			break
		}
	}
	if body == nil {
		return nil, fmt.Errorf("%w: not a DOCX file (the archive has no word/document.xml)", errs.ErrInvalid)
	}
	rc, err := body.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: DOCX: %w", errs.ErrInvalid, err)
	}
	defer rc.Close()
	lr := &limitReader{r: rc, n: lim.MaxArchive}
	d, err := parseDocumentXML(lr, lim.MaxText)
	switch {
	case errors.Is(err, errOverBound):
		return nil, fmt.Errorf("%w: DOCX: word/document.xml unpacks to more than %d bytes", errs.ErrTooLarge, lim.MaxArchive)
	case errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrFormat):
		return nil, fmt.Errorf("%w: DOCX: broken archive: %w", errs.ErrInvalid, err)
	case err != nil:
		return nil, fmt.Errorf("%w: DOCX: word/document.xml: %w", errs.ErrInvalid, err)
	}
	return d, nil
}

// parseDocumentXML reads WordprocessingML's main part: the text of w:t
// elements, w:tab as a tab, w:br and w:cr as a newline, each w:p ending a
// line. Deleted text (w:delText) and field codes (w:instrText) are not
// text. A DOCTYPE is refused: Word never writes one, and it is how entity
// tricks start.
func parseDocumentXML(r io.Reader, maxText int) (*Document, error) {
	t := &builder{max: maxText}
	dec := xml.NewDecoder(r)
	dec.Strict = true
	inText, sawBody := false, false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.Directive:
			if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(string(tok))), "DOCTYPE") {
				return nil, errors.New("a document type declaration is not allowed")
			}
		case xml.StartElement:
			if tok.Name.Space != wordML {
				continue
			}
			switch tok.Name.Local {
			case "body":
				sawBody = true
			case "t":
				inText = true
			case "tab":
				t.text("\t")
			case "br", "cr":
				t.text("\n")
			case "noBreakHyphen":
				t.text("-")
			}
		case xml.EndElement:
			if tok.Name.Space != wordML {
				continue
			}
			switch tok.Name.Local {
			case "t":
				inText = false
			case "p":
				t.brk("\n")
			}
		case xml.CharData:
			if inText {
				t.text(string(tok))
			}
		}
		if t.truncated {
			break
		}
	}
	if !sawBody {
		return nil, errors.New("no w:body: not a WordprocessingML document")
	}
	return &Document{Type: DOCX, Text: t.b.String(), Truncated: t.truncated}, nil
}
