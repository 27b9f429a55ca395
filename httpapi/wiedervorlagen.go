// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/verfahren"
)

type wiedervorlageInDTO struct {
	Due  string `json:"due"`
	For  string `json:"for"`
	Note string `json:"note"`
}

type wiedervorlageDTO struct {
	ID        string     `json:"id"`
	Case      string     `json:"case"`
	Due       string     `json:"due"`
	For       string     `json:"for"`
	Note      string     `json:"note"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	DoneAt    *time.Time `json:"done_at"`
}

func toWiedervorlage(w akte.Wiedervorlage) wiedervorlageDTO {
	out := wiedervorlageDTO{ID: string(w.ID), Case: string(w.Case), Due: w.Due.Format(time.DateOnly), For: w.For,
		Note: w.Note, CreatedBy: w.CreatedBy, CreatedAt: w.CreatedAt}
	if !w.DoneAt.IsZero() {
		d := w.DoneAt
		out.DoneAt = &d
	}
	return out
}

type inboxItemDTO struct {
	Kind         string `json:"kind"`
	Case         string `json:"case"`
	Aktenzeichen string `json:"aktenzeichen"`
	Date         string `json:"date"`
	Title        string `json:"title"`
	Ref          string `json:"ref,omitempty"`
}

func toInboxItem(it verfahren.InboxItem) inboxItemDTO {
	return inboxItemDTO{Kind: string(it.Kind), Case: string(it.Case.ID), Aktenzeichen: it.Case.Aktenzeichen.String(),
		Date: it.Date.Format(time.DateOnly), Title: it.Title, Ref: it.Ref}
}

func (s *Server) addWiedervorlage(w http.ResponseWriter, r *http.Request) {
	var in wiedervorlageInDTO
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	due, err := time.Parse(time.DateOnly, in.Due)
	if err != nil {
		writeError(w, r, s.log, fmt.Errorf("%w: field \"due\" must be a date YYYY-MM-DD", errs.ErrInvalid))
		return
	}
	var nw akte.NewWiedervorlage
	switch in.For {
	case "me":
	case akte.ForGeschaeftsstelle:
		nw.ForGeschaeftsstelle = true
	default:
		writeError(w, r, s.log, fmt.Errorf("%w: field \"for\" must be \"me\" or \"geschaeftsstelle\"", errs.ErrInvalid))
		return
	}
	nw.Due, nw.Note = due, in.Note
	wv, err := s.deps.Akte.AddWiedervorlage(r.Context(), subject(r), akte.CaseID(r.PathValue("id")), nw)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusCreated, toWiedervorlage(wv))
}

func (s *Server) listWiedervorlagen(w http.ResponseWriter, r *http.Request) {
	ws, err := s.deps.Akte.Wiedervorlagen(r.Context(), subject(r), akte.CaseID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, list[wiedervorlageDTO]{Items: mapSlice(ws, toWiedervorlage)})
}

func (s *Server) completeWiedervorlage(w http.ResponseWriter, r *http.Request) {
	wv, err := s.deps.Akte.CompleteWiedervorlage(r.Context(), subject(r), akte.WiedervorlageID(r.PathValue("wid")))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, toWiedervorlage(wv))
}

func (s *Server) getInbox(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var in verfahren.InboxQuery
	for _, p := range []struct {
		name string
		dst  *int
		max  int
	}{{"limit", &in.Limit, verfahren.MaxInboxLimit}, {"days", &in.Days, verfahren.MaxInboxDays}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > p.max {
				writeError(w, r, s.log, fmt.Errorf("%w: parameter %q must be a number from 1 to %d", errs.ErrInvalid, p.name, p.max))
				return
			}
			*p.dst = n
		}
	}
	in.After = q.Get("after")
	page, err := s.deps.Verfahren.Inbox(r.Context(), subject(r), in)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, list[inboxItemDTO]{Items: mapSlice(page.Items, toInboxItem), Next: page.Next})
}
