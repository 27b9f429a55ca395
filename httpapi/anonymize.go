// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"justizcloud/anon/redact"
	"justizcloud/authz"
	"justizcloud/doctext"
	"justizcloud/errs"
)

type anonymizeSpanDTO struct {
	Start       int    `json:"start"` // byte offsets into the request text or the extracted text
	End         int    `json:"end"`
	Kind        string `json:"kind"`
	Source      string `json:"source"`
	Text        string `json:"text"`
	Replacement string `json:"replacement,omitempty"`
}

type anonymizeDTO struct {
	SourceType string             `json:"source_type"`
	Pages      int                `json:"pages,omitempty"`
	Text       string             `json:"text"`
	Spans      []anonymizeSpanDTO `json:"spans"`
	// ExtractedText is a PDF's or DOCX's text, which the spans' offsets
	// refer to; absent for text/plain, where they refer to the body.
	ExtractedText string `json:"extracted_text,omitempty"`
}

// germanDetail is a client error whose problem detail is German (for the
// people who upload the file); it unwraps to the error it explains.
type germanDetail struct {
	de  string
	err error
}

func (g *germanDetail) Error() string { return g.de }
func (g *germanDetail) Unwrap() error { return g.err }

// anonymize pseudonymizes a court decision under the caller's tenant's
// policy: POST /api/v1/services/anonymize with a text/plain (UTF-8), PDF or
// DOCX body. The answer is JSON, or for a PDF with Accept: application/pdf
// the redacted PDF. The use counted is the bytes of text pseudonymized (for
// a PDF or DOCX its extracted text, not the file).
func (s *Server) anonymize(w http.ResponseWriter, r *http.Request) {
	svc := s.deps.Anonymize
	if svc == nil {
		writeError(w, r, s.log, fmt.Errorf("anonymize: not configured"))
		return
	}
	sub := subject(r)
	if err := s.may(r, authz.UseAnonymize, authz.Resource{Tenant: sub.Tenant}); err != nil {
		writeError(w, r, s.log, fmt.Errorf("anonymize: %w", err))
		return
	}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case mt == doctext.Plain && (params["charset"] == "" || strings.EqualFold(params["charset"], "utf-8")), mt == doctext.PDF, mt == doctext.DOCX:
	default:
		writeError(w, r, s.log, fmt.Errorf("%w: Content-Type must be text/plain (UTF-8), application/pdf or %s, not %q", errs.ErrInvalid, doctext.DOCX, r.Header.Get("Content-Type")))
		return
	}
	wantPDF := acceptsPDF(r.Header.Get("Accept"))
	if wantPDF && mt != doctext.PDF {
		writeError(w, r, s.log, fmt.Errorf("%w: a redacted PDF (Accept: application/pdf) is made only from a PDF, not from %s", errs.ErrInvalid, mt))
		return
	}
	max := int64(svc.MaxBytes())
	if r.ContentLength > max {
		w.Header().Set("Connection", "close")
		writeError(w, r, s.log, fmt.Errorf("%w: a body of %d bytes exceeds the limit of %d bytes", errs.ErrTooLarge, r.ContentLength, max))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		if statusOf(err) == http.StatusRequestEntityTooLarge {
			w.Header().Set("Connection", "close")
			err = fmt.Errorf("%w: the body exceeds the limit of %d bytes", errs.ErrTooLarge, max)
		}
		writeError(w, r, s.log, err)
		return
	}
	doc, err := doctext.Read(r.Context(), mt, body, doctext.Limits{MaxText: int(max)})
	switch {
	case errors.Is(err, doctext.ErrNoTextLayer):
		err = &germanDetail{"Die PDF-Datei hat keine Textebene (gescannt?); sie muss erst per OCR erkannt werden.", err}
	case errors.Is(err, doctext.ErrEncrypted):
		err = &germanDetail{"Die PDF-Datei ist verschlüsselt (kennwortgeschützt); bitte ohne Kennwort hochladen.", err}
	case err == nil && doc.Truncated:
		err = fmt.Errorf("%w: the text of the document exceeds the limit of %d bytes", errs.ErrTooLarge, max)
	}
	if err != nil {
		writeError(w, r, s.log, fmt.Errorf("anonymize: %w", err))
		return
	}
	res, err := svc.Pseudonymize(r.Context(), sub.Tenant, doc.Text)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if wantPDF {
		pw := &pdfResponse{w: w}
		if err := redact.PDF(r.Context(), pw, body, doc, redact.Marks(res.Spans), redact.Options{}); err != nil {
			if !pw.started {
				writeError(w, r, s.log, fmt.Errorf("anonymize: %w", err))
				return
			}
			s.log.WarnContext(r.Context(), "anonymize: redacted PDF cut short", "err", err)
		}
		return
	}
	out := anonymizeDTO{SourceType: mt, Pages: len(doc.Pages), Text: res.Text, Spans: make([]anonymizeSpanDTO, 0, len(res.Spans))}
	if mt != doctext.Plain {
		out.ExtractedText = doc.Text
	}
	for _, sp := range res.Spans {
		out.Spans = append(out.Spans, anonymizeSpanDTO{Start: sp.Start, End: sp.End, Kind: string(sp.Kind),
			Source: sp.Source, Text: sp.Text, Replacement: sp.Replacement})
	}
	writeJSON(w, http.StatusOK, out)
}

// acceptsPDF reports whether an Accept header prefers application/pdf to
// JSON (absent or q=0 means no).
func acceptsPDF(accept string) bool {
	pdf, js := -1.0, -1.0
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		switch mt {
		case "application/pdf":
			pdf = max(pdf, q)
		case "application/json", "application/*", "*/*":
			js = max(js, q)
		}
	}
	return pdf > 0 && pdf >= js
}

// pdfResponse sends the PDF's headers with its first bytes, so that an
// error before them can still be answered as a problem.
type pdfResponse struct {
	w       http.ResponseWriter
	started bool
}

func (p *pdfResponse) Write(b []byte) (int, error) {
	if !p.started {
		p.started = true
		h := p.w.Header()
		h.Set("Content-Type", "application/pdf")
		h.Set("Content-Disposition", `attachment; filename="geschwaerzt.pdf"`)
		h.Set("Cache-Control", "no-store")
		p.w.WriteHeader(http.StatusOK)
	}
	return p.w.Write(b)
}
