// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"net/http"
	"time"

	"justizcloud/akte"
)

type holdInDTO struct {
	Reason string `json:"reason"`
}

type holdDTO struct {
	Case   string    `json:"case"`
	Reason string    `json:"reason"`
	SetAt  time.Time `json:"set_at"`
	SetBy  string    `json:"set_by"`
}

func (s *Server) setHold(w http.ResponseWriter, r *http.Request) {
	var in holdInDTO
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	h, err := s.deps.Akte.SetHold(r.Context(), subject(r), akte.CaseID(r.PathValue("id")), in.Reason)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, holdDTO{Case: string(h.Case), Reason: h.Reason, SetAt: h.SetAt, SetBy: h.SetBy})
}

func (s *Server) clearHold(w http.ResponseWriter, r *http.Request) {
	if err := s.deps.Akte.ClearHold(r.Context(), subject(r), akte.CaseID(r.PathValue("id"))); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
