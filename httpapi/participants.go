// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"justizcloud/akte"
	"justizcloud/errs"
)

type participantInDTO struct {
	Role       string `json:"role"`
	Name       string `json:"name"`
	Address    string `json:"address"`
	Represents string `json:"represents"`
	Account    string `json:"account"`
}

type participantDTO struct {
	ID         string    `json:"id"`
	Case       string    `json:"case"`
	Role       string    `json:"role"`
	RoleCode   string    `json:"role_code"` // XJustiz GDS.Rollenbezeichnung
	Name       string    `json:"name"`
	Address    string    `json:"address,omitempty"`
	Represents *string   `json:"represents"`
	Account    string    `json:"account,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

func toParticipant(p akte.Participant) participantDTO {
	out := participantDTO{ID: string(p.ID), Case: string(p.Case), Role: p.Role, Name: p.Name, Address: p.Address, Account: p.Account, CreatedAt: p.CreatedAt}
	for _, r := range akte.ParticipantRoles() {
		if r.Key == p.Role {
			out.RoleCode = r.Code
		}
	}
	if p.Represents != "" {
		r := string(p.Represents)
		out.Represents = &r
	}
	return out
}

func (in participantInDTO) domain() akte.NewParticipant {
	return akte.NewParticipant{Role: in.Role, Name: in.Name, Address: in.Address, Represents: akte.ParticipantID(in.Represents), Account: in.Account}
}

func decodeParticipant(w http.ResponseWriter, r *http.Request) (akte.NewParticipant, error) {
	var in participantInDTO
	if err := decodeJSON(w, r, &in); err != nil {
		return akte.NewParticipant{}, err
	}
	if in.Role == "" || in.Name == "" {
		return akte.NewParticipant{}, fmt.Errorf("%w: fields \"role\" and \"name\" are required", errs.ErrInvalid)
	}
	return in.domain(), nil
}

func (s *Server) addParticipant(w http.ResponseWriter, r *http.Request) {
	in, err := decodeParticipant(w, r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	p, err := s.deps.Akte.AddParticipant(r.Context(), subject(r), akte.CaseID(r.PathValue("id")), in)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+string(p.Case)+"/participants/"+string(p.ID))
	writeJSON(w, http.StatusCreated, toParticipant(p))
}

func (s *Server) listParticipants(w http.ResponseWriter, r *http.Request) {
	ps, err := s.deps.Akte.Participants(r.Context(), subject(r), akte.CaseID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, list[participantDTO]{Items: mapSlice(ps, toParticipant)})
}

func (s *Server) updateParticipant(w http.ResponseWriter, r *http.Request) {
	in, err := decodeParticipant(w, r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	p, err := s.deps.Akte.UpdateParticipant(r.Context(), subject(r), akte.CaseID(r.PathValue("id")), akte.ParticipantID(r.PathValue("pid")), in)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, toParticipant(p))
}

func (s *Server) removeParticipant(w http.ResponseWriter, r *http.Request) {
	if err := s.deps.Akte.RemoveParticipant(r.Context(), subject(r), akte.CaseID(r.PathValue("id")), akte.ParticipantID(r.PathValue("pid"))); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
