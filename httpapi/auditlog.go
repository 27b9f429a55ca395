// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"justizcloud/akte"
	"justizcloud/audit"
	"justizcloud/authz"
	"justizcloud/errs"
)

// getDocumentProof answers the proof bundle of a document (audit.Bundle,
// encoded by audit.EncodeBundle) to whoever may read the document.
func (s *Server) getDocumentProof(w http.ResponseWriter, r *http.Request) {
	d, err := s.deps.Akte.Document(r.Context(), subject(r), akte.DocumentID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if s.deps.Audit == nil {
		writeError(w, r, s.log, fmt.Errorf("audit log not configured"))
		return
	}
	sha := hex.EncodeToString(d.SHA256[:])
	b, err := s.deps.Audit.DocumentBundle(r.Context(), d.Tenant, string(d.ID), sha)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	data, err := audit.EncodeBundle(b)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	noteAudit(r, d.Tenant, string(d.Case), sha)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="proof-`+string(d.ID)+`.json"`)
	_, _ = w.Write(append(data, '\n'))
}

// accessDTO is one line of a case's access log. Court staff are shown by
// role and court, everybody else (lawyers, authorities, citizens) by name.
type accessDTO struct {
	Seq      uint64    `json:"seq"`
	Time     time.Time `json:"time"`
	Action   string    `json:"action"`
	Document string    `json:"document,omitempty"`
	Role     string    `json:"role"`
	Staff    bool      `json:"staff"`
	Court    string    `json:"court,omitempty"`
	Name     string    `json:"name,omitempty"`
}

// toAccess keeps of an entry what a party may learn: for court staff the
// office (role and court), not the person; for anybody else the name under
// which they acted.
func toAccess(e audit.Entry) accessDTO {
	a := accessDTO{Seq: e.Seq, Time: e.Time, Action: e.Action, Document: e.Document, Role: e.Role}
	if authz.Role(e.Role).Staff() {
		a.Staff, a.Court = true, e.Court
	} else {
		a.Name = e.Name
	}
	return a
}

// getAccessLog lists who opened a case's file and when, newest first: the
// allowed requests recorded in the audit log about the case and its
// documents. Whoever may read the case may read its access log; the read is
// itself recorded. Pagination: limit (1–1000, default 100) and after (the
// next cursor of the previous page).
func (s *Server) getAccessLog(w http.ResponseWriter, r *http.Request) {
	c, err := s.deps.Akte.Case(r.Context(), subject(r), akte.CaseID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if s.deps.Audit == nil {
		writeError(w, r, s.log, fmt.Errorf("audit log not configured"))
		return
	}
	q := r.URL.Query()
	limit := 100
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, r, s.log, fmt.Errorf("%w: limit must be a number from 1 to 1000", errs.ErrInvalid))
			return
		}
		limit = n
	}
	out := list[accessDTO]{Items: []accessDTO{}}
	noteAudit(r, c.Tenant, string(c.ID), "")
	var before uint64
	if a := q.Get("after"); a != "" {
		n, err := strconv.ParseUint(a, 10, 63)
		if err != nil {
			writeError(w, r, s.log, fmt.Errorf("%w: after must be the next cursor of a previous page", errs.ErrInvalid))
			return
		}
		if n == 0 { // nothing comes before the first entry
			writeJSON(w, http.StatusOK, out)
			return
		}
		before = n
	}
	es, err := s.deps.Audit.About(r.Context(), c.Tenant, audit.RefQuery{Case: string(c.ID), AllowedOnly: true, Before: before, Limit: limit})
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	out.Items = mapSlice(es, toAccess)
	if len(es) == limit {
		out.Next = strconv.FormatUint(es[len(es)-1].Seq, 10)
	}
	writeJSON(w, http.StatusOK, out)
}
