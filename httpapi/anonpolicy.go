// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"justizcloud/anon"
	"justizcloud/authz"
	"justizcloud/errs"
)

type anonKindDTO struct {
	Kind  string `json:"kind"`
	Label string `json:"label"` // German
}

type anonPolicyDTO struct {
	Tenant    string        `json:"tenant"`
	Replace   []string      `json:"replace"`
	Default   bool          `json:"default"`
	UpdatedAt *time.Time    `json:"updated_at,omitempty"`
	UpdatedBy string        `json:"updated_by,omitempty"`
	Kinds     []anonKindDTO `json:"kinds"` // every kind there is, to choose from
}

type anonPolicyInDTO struct {
	Replace *[]string `json:"replace"`
}

func toAnonPolicy(tp anon.TenantPolicy) anonPolicyDTO {
	out := anonPolicyDTO{Tenant: string(tp.Tenant), Replace: make([]string, 0, len(tp.Policy.Replace)), Default: tp.Default, UpdatedBy: tp.UpdatedBy}
	for _, k := range tp.Policy.Replace {
		out.Replace = append(out.Replace, string(k))
	}
	if !tp.UpdatedAt.IsZero() {
		out.UpdatedAt = &tp.UpdatedAt
	}
	for _, k := range anon.AllKinds() {
		out.Kinds = append(out.Kinds, anonKindDTO{Kind: string(k), Label: anon.KindLabel(k)})
	}
	return out
}

// anonPolicyService returns the anonymization service after checking that
// the caller may do a on its tenant's policy.
func (s *Server) anonPolicyService(w http.ResponseWriter, r *http.Request, a authz.Action) (*anon.Service, bool) {
	if s.deps.Anonymize == nil {
		writeError(w, r, s.log, fmt.Errorf("anonymize policy: not configured"))
		return nil, false
	}
	if err := s.may(r, a, authz.Resource{Tenant: subject(r).Tenant}); err != nil {
		writeError(w, r, s.log, fmt.Errorf("anonymize policy: %w", err))
		return nil, false
	}
	return s.deps.Anonymize, true
}

// getAnonPolicy answers GET /api/v1/services/anonymize/policy: the
// caller's tenant's policy, for all its staff.
func (s *Server) getAnonPolicy(w http.ResponseWriter, r *http.Request) {
	svc, ok := s.anonPolicyService(w, r, authz.UseAnonymize)
	if !ok {
		return
	}
	tp, err := svc.Policy(r.Context(), subject(r).Tenant)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, toAnonPolicy(tp))
}

// putAnonPolicy answers PUT /api/v1/services/anonymize/policy: the
// tenant's Landesadmin chooses the kinds its texts have replaced.
func (s *Server) putAnonPolicy(w http.ResponseWriter, r *http.Request) {
	svc, ok := s.anonPolicyService(w, r, authz.ManageAnonPolicy)
	if !ok {
		return
	}
	var in anonPolicyInDTO
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if in.Replace == nil {
		writeError(w, r, s.log, fmt.Errorf("%w: replace is required (a list of kinds, empty to replace nothing)", errs.ErrInvalid))
		return
	}
	p := anon.Policy{Replace: make([]anon.Kind, 0, len(*in.Replace))}
	for _, k := range *in.Replace {
		p.Replace = append(p.Replace, anon.Kind(k))
	}
	sub := subject(r)
	tp, err := svc.SetPolicy(r.Context(), sub.Tenant, p, sub.ID)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, toAnonPolicy(tp))
}

// deleteAnonPolicy answers DELETE /api/v1/services/anonymize/policy: the
// tenant has the default policy again.
func (s *Server) deleteAnonPolicy(w http.ResponseWriter, r *http.Request) {
	svc, ok := s.anonPolicyService(w, r, authz.ManageAnonPolicy)
	if !ok {
		return
	}
	if err := svc.ResetPolicy(r.Context(), subject(r).Tenant); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
