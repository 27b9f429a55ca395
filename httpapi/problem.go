// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"syscall"

	"justizcloud/errs"
	"justizcloud/verfahren"
	"justizcloud/xjustiz"
)

// problem is an RFC 9457 problem details object.
type problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Instance  string `json:"instance,omitempty"`
	RequestID string `json:"request_id,omitempty"`
	// For a refused event (verfahren.Refusal): which rule refused it.
	Reason   string   `json:"reason,omitempty"`
	DetailDE string   `json:"detail_de,omitempty"`
	Missing  []string `json:"missing,omitempty"`
	// For an invalid XJustiz message: every schema and code list error.
	Errors []problemErrorDTO `json:"errors,omitempty"`
}

// problemErrorDTO is one error of an invalid XJustiz message.
type problemErrorDTO struct {
	Line    int    `json:"line,omitempty"`
	Element string `json:"element,omitempty"`
	Reason  string `json:"reason"`
}

// statusOf maps an error to an HTTP status. It is the only place that does.
func statusOf(err error) int {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, errs.ErrTooLarge), errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, errs.ErrNotFound):
		return http.StatusNotFound
	case errors.As(err, new(*xjustiz.InvalidError)): // well-formed, but the schema or a code list refuses it
		return http.StatusUnprocessableEntity
	case errors.Is(err, errs.ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, errs.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, errs.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, errs.ErrUnauthenticated):
		return http.StatusUnauthorized
	case errors.Is(err, errs.ErrGone):
		return http.StatusGone
	case errors.Is(err, syscall.ENOSPC):
		return http.StatusInsufficientStorage
	case errors.Is(err, io.ErrUnexpectedEOF): // the client sent less than it announced, or hung up
		return http.StatusBadRequest
	case errors.Is(err, context.Canceled):
		return 499 // client closed the request; never seen by the client
	default:
		return http.StatusInternalServerError
	}
}

// writeError answers with a problem document. Client errors carry the error's
// message, which names the offending input; server errors are logged in full
// and shown only as "internal error".
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	status := statusOf(err)
	p := problem{
		Type:      "about:blank",
		Title:     http.StatusText(status),
		Status:    status,
		Instance:  r.URL.Path,
		RequestID: requestID(r.Context()),
	}
	switch {
	case status == 499:
		log.InfoContext(r.Context(), "client went away", "err", err)
		return
	case status >= 500:
		log.ErrorContext(r.Context(), "request failed", "status", status, "err", err)
		if status == http.StatusInsufficientStorage {
			p.Detail = "storage is full; the document was not stored"
		} else {
			p.Detail = "internal error"
		}
	case status == http.StatusNotFound:
		p.Detail = "no such object" // never say whether it exists elsewhere
	case status == http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="justizcloud"`)
		p.Detail = "a valid bearer token is required"
	default:
		p.Detail = err.Error()
		var ref *verfahren.Refusal
		if errors.As(err, &ref) {
			p.Detail, p.DetailDE, p.Reason, p.Missing = ref.EN, ref.DE, ref.Reason, ref.Missing
		}
		var inv *xjustiz.InvalidError
		if errors.As(err, &inv) {
			p.DetailDE = "Die XJustiz-Nachricht ist nach Schema oder Codeliste ungültig; errors nennt jeden Fehler."
			for _, e := range inv.Errors() {
				p.Errors = append(p.Errors, problemErrorDTO{Line: e.Line, Element: e.Element, Reason: e.Message})
			}
		}
	}
	if p.Title == "" {
		p.Title = "Client Closed Request"
	}
	writeJSONStatus(w, "application/problem+json", status, p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	writeJSONStatus(w, "application/json", status, v)
}

func writeJSONStatus(w http.ResponseWriter, contentType string, status int, v any) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the client may be gone; nothing left to tell it
}

// problemWriter turns error responses that were not written by writeError —
// the plain-text ones of http.ServeContent (416, 500) and of the mux (405) —
// into problem documents, so that every error of the API is one.
type problemWriter struct {
	http.ResponseWriter
	r       *http.Request
	discard bool
}

func (p *problemWriter) WriteHeader(code int) {
	if code < 400 || p.Header().Get("Content-Type") == "application/problem+json" {
		p.ResponseWriter.WriteHeader(code)
		return
	}
	p.discard = true
	h := p.Header()
	for _, k := range []string{"Content-Disposition", "ETag", "Repr-Digest", "Content-Length"} {
		h.Del(k)
	}
	detail := http.StatusText(code)
	switch code {
	case http.StatusRequestedRangeNotSatisfiable:
		detail = "the requested range lies outside the document (Content-Range gives its size)"
	case http.StatusNotFound:
		detail = "no such object"
	case http.StatusMethodNotAllowed:
		detail = "method " + p.r.Method + " is not allowed here (Allow lists the methods)"
	case http.StatusInternalServerError:
		detail = "internal error"
	}
	writeJSONStatus(p.ResponseWriter, "application/problem+json", code, problem{
		Type: "about:blank", Title: http.StatusText(code), Status: code, Detail: detail,
		Instance: p.r.URL.Path, RequestID: requestID(p.r.Context()),
	})
}

func (p *problemWriter) Write(b []byte) (int, error) {
	if p.discard {
		return len(b), nil
	}
	return p.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (p *problemWriter) Unwrap() http.ResponseWriter { return p.ResponseWriter }
