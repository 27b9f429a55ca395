// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"justizcloud/errs"
	"justizcloud/search"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
)

type searchHitDTO struct {
	Kind         string `json:"kind"`
	Case         string `json:"case"`
	Document     string `json:"document,omitempty"`
	Aktenzeichen string `json:"aktenzeichen"`
	Title        string `json:"title"`
	Snippet      string `json:"snippet"`
	Date         string `json:"date"`
}

func toSearchHit(r search.Result) searchHitDTO {
	return searchHitDTO{Kind: string(r.Kind), Case: string(r.Case), Document: string(r.Document),
		Aktenzeichen: r.Aktenzeichen, Title: r.Title, Snippet: r.Snippet, Date: r.Date.Format(time.DateOnly)}
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	if s.deps.Search == nil {
		writeError(w, r, s.log, fmt.Errorf("search: not configured"))
		return
	}
	// r.URL.Query silently drops parameters it cannot decode; refuse them instead.
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		writeError(w, r, s.log, fmt.Errorf("%w: malformed query string", errs.ErrInvalid))
		return
	}
	in := search.Query{Q: q.Get("q"), Court: tenancy.CourtID(q.Get("court")), After: q.Get("after")}
	if c := q.Get("class"); c != "" {
		if _, ok := verfahren.DocumentClassCode(c); !ok {
			writeError(w, r, s.log, fmt.Errorf("%w: parameter \"class\": unknown Dokumentklasse %q", errs.ErrInvalid, c))
			return
		}
		in.Class = c
	}
	if st := q.Get("state"); st != "" {
		reg := s.deps.Verfahren.Registry()
		if !reg.HasState(verfahren.State(st)) {
			writeError(w, r, s.log, fmt.Errorf("%w: parameter \"state\": no procedure type has a state %q", errs.ErrInvalid, st))
			return
		}
		in.State, in.InitialIn = st, reg.InitialIn(verfahren.State(st))
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > search.MaxLimit {
			writeError(w, r, s.log, fmt.Errorf("%w: parameter \"limit\" must be a number from 1 to %d", errs.ErrInvalid, search.MaxLimit))
			return
		}
		in.Limit = n
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &in.From}, {"to", &in.To}} {
		if v := q.Get(p.name); v != "" {
			t, err := time.Parse(time.DateOnly, v)
			if err != nil {
				writeError(w, r, s.log, fmt.Errorf("%w: parameter %q must be a date YYYY-MM-DD", errs.ErrInvalid, p.name))
				return
			}
			*p.dst = t
		}
	}
	page, err := s.deps.Search.Search(r.Context(), subject(r), in)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, list[searchHitDTO]{Items: mapSlice(page.Items, toSearchHit), Next: page.Next})
}
