// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/frist"
	"justizcloud/tenancy"
)

type fristStepDTO struct {
	Rule string `json:"rule"`
	Text string `json:"text"`
	Date string `json:"date"`
}

type fristDTO struct {
	Court  string         `json:"court"`
	Start  string         `json:"start"`
	Period string         `json:"period"`
	RawEnd string         `json:"raw_end"`
	End    string         `json:"end"`
	Steps  []fristStepDTO `json:"steps"`
}

// computeFrist answers GET /api/v1/fristen?court=…&start=YYYY-MM-DD&period=2w.
func (s *Server) computeFrist(w http.ResponseWriter, r *http.Request) {
	if err := s.may(r, authz.ReadCourts, authz.Resource{}); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	q := r.URL.Query()
	start, err := time.Parse(time.DateOnly, q.Get("start"))
	if err != nil {
		writeError(w, r, s.log, fmt.Errorf("%w: parameter \"start\" must be a date YYYY-MM-DD", errs.ErrInvalid))
		return
	}
	p, err := frist.ParsePeriod(q.Get("period"))
	if err != nil {
		writeError(w, r, s.log, fmt.Errorf("parameter \"period\": %w", err))
		return
	}
	res, err := s.deps.Fristen.Compute(tenancy.CourtID(q.Get("court")), start, p)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	out := fristDTO{Court: string(res.Court), Start: res.Start.Format(time.DateOnly), Period: res.Period.String(),
		RawEnd: res.RawEnd.Format(time.DateOnly), End: res.End.Format(time.DateOnly)}
	for _, st := range res.Steps {
		out.Steps = append(out.Steps, fristStepDTO{Rule: st.Rule, Text: st.Text, Date: st.Date.Format(time.DateOnly)})
	}
	writeJSON(w, http.StatusOK, out)
}
