// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

// relationDTO is one relation to a proceeding: the assigned judge, a
// participant's account, an Akteneinsicht grant or a share with a court.
type relationDTO struct {
	ID        string     `json:"id"`
	Case      string     `json:"case"`
	Relation  string     `json:"relation"`
	Holder    string     `json:"holder"`
	Documents []string   `json:"documents"`
	ExpiresAt *time.Time `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at"`
	CreatedAt time.Time  `json:"created_at"`
	CreatedBy string     `json:"created_by"`
	Note      string     `json:"note"`
}

func toRelation(t authz.Tuple) relationDTO {
	out := relationDTO{ID: t.ID, Case: t.Case, Relation: string(t.Relation), Holder: t.Holder, Documents: t.Documents,
		CreatedAt: t.CreatedAt, CreatedBy: t.CreatedBy, Note: t.Note}
	if out.Documents == nil {
		out.Documents = []string{}
	}
	if !t.ExpiresAt.IsZero() {
		e := t.ExpiresAt
		out.ExpiresAt = &e
	}
	if !t.RevokedAt.IsZero() {
		r := t.RevokedAt
		out.RevokedAt = &r
	}
	return out
}

type grantInDTO struct {
	Relation  string     `json:"relation"`
	Holder    string     `json:"holder"`
	Court     string     `json:"court"`
	Documents []string   `json:"documents"`
	ExpiresAt *time.Time `json:"expires_at"`
	Note      string     `json:"note"`
}

func (s *Server) assignJudge(w http.ResponseWriter, r *http.Request) {
	var in struct {
		User string `json:"user"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if in.User == "" {
		writeError(w, r, s.log, fmt.Errorf("%w: field \"user\" is required", errs.ErrInvalid))
		return
	}
	t, err := s.deps.Akte.AssignJudge(r.Context(), subject(r), akte.CaseID(r.PathValue("id")), in.User)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, toRelation(t))
}

func (s *Server) grantAccess(w http.ResponseWriter, r *http.Request) {
	var in grantInDTO
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	g := akte.NewGrant{Relation: authz.Relation(in.Relation), Holder: in.Holder, Court: tenancy.CourtID(in.Court), Note: in.Note}
	if in.ExpiresAt != nil {
		g.ExpiresAt = *in.ExpiresAt
	}
	for _, d := range in.Documents {
		g.Documents = append(g.Documents, akte.DocumentID(d))
	}
	t, err := s.deps.Akte.Grant(r.Context(), subject(r), akte.CaseID(r.PathValue("id")), g)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+t.Case+"/access/"+t.ID)
	writeJSON(w, http.StatusCreated, toRelation(t))
}

func (s *Server) listAccess(w http.ResponseWriter, r *http.Request) {
	ts, err := s.deps.Akte.Access(r.Context(), subject(r), akte.CaseID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, list[relationDTO]{Items: mapSlice(ts, toRelation)})
}

func (s *Server) revokeAccess(w http.ResponseWriter, r *http.Request) {
	t, err := s.deps.Akte.Revoke(r.Context(), subject(r), akte.CaseID(r.PathValue("id")), r.PathValue("rid"))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, toRelation(t))
}
