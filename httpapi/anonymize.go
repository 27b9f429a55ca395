// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"justizcloud/authz"
	"justizcloud/errs"
)

type anonymizeSpanDTO struct {
	Start       int    `json:"start"` // byte offsets into the request text
	End         int    `json:"end"`
	Kind        string `json:"kind"`
	Source      string `json:"source"`
	Text        string `json:"text"`
	Replacement string `json:"replacement,omitempty"`
}

type anonymizeDTO struct {
	Text  string             `json:"text"`
	Spans []anonymizeSpanDTO `json:"spans"`
}

// anonymize pseudonymizes a UTF-8 text under the caller's tenant's policy:
// POST /api/v1/services/anonymize with a text/plain body.
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
	if mt != "text/plain" || params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8") {
		writeError(w, r, s.log, fmt.Errorf("%w: Content-Type must be text/plain (UTF-8), not %q", errs.ErrInvalid, r.Header.Get("Content-Type")))
		return
	}
	max := int64(svc.MaxBytes())
	if r.ContentLength > max {
		w.Header().Set("Connection", "close")
		writeError(w, r, s.log, fmt.Errorf("%w: text of %d bytes exceeds the limit of %d bytes", errs.ErrTooLarge, r.ContentLength, max))
		return
	}
	text, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		if statusOf(err) == http.StatusRequestEntityTooLarge {
			w.Header().Set("Connection", "close")
			err = fmt.Errorf("%w: the text exceeds the limit of %d bytes", errs.ErrTooLarge, max)
		}
		writeError(w, r, s.log, err)
		return
	}
	res, err := svc.Pseudonymize(r.Context(), sub.Tenant, string(text))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	out := anonymizeDTO{Text: res.Text, Spans: make([]anonymizeSpanDTO, 0, len(res.Spans))}
	for _, sp := range res.Spans {
		out.Spans = append(out.Spans, anonymizeSpanDTO{Start: sp.Start, End: sp.End, Kind: string(sp.Kind),
			Source: sp.Source, Text: sp.Text, Replacement: sp.Replacement})
	}
	writeJSON(w, http.StatusOK, out)
}
