// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"context"
	_ "embed"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

//go:embed openapi.json
var openapiDoc []byte

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.deps.Ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		if err := s.deps.Ready(ctx); err != nil {
			s.log.WarnContext(ctx, "not ready", "err", err)
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openapiDoc)
}

func (s *Server) listTenants(w http.ResponseWriter, r *http.Request) {
	ts := tenancy.Tenants()
	writeJSON(w, http.StatusOK, list[tenantDTO]{Items: mapSlice(ts, func(t tenancy.Tenant) tenantDTO {
		return tenantDTO{ID: string(t.ID), Name: t.Name}
	})})
}

func (s *Server) listCourts(w http.ResponseWriter, r *http.Request) {
	if err := s.may(r, authz.ReadCourts, authz.Resource{}); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	q := r.URL.Query()
	f := tenancy.CourtFilter{Type: q.Get("type"), City: q.Get("city")}
	if t := q.Get("tenant"); t != "" {
		id, err := tenancy.Parse(t)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		f.Tenant = id
	}
	var err error
	if f.IncludeInactive, err = boolParam(q.Get("include_inactive")); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	courts := s.deps.Catalog.Find(f)
	writeJSON(w, http.StatusOK, list[courtDTO]{Items: mapSlice(courts, toCourt)})
}

func (s *Server) getCourt(w http.ResponseWriter, r *http.Request) {
	if err := s.may(r, authz.ReadCourts, authz.Resource{}); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	c, err := s.deps.Catalog.Court(tenancy.CourtID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, toCourt(c))
}

func (s *Server) createCase(w http.ResponseWriter, r *http.Request) {
	var in newCaseDTO
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if in.Court == "" || in.Register == "" {
		writeError(w, r, s.log, fmt.Errorf("%w: fields \"court\" and \"register\" are required", errs.ErrInvalid))
		return
	}
	c, err := s.deps.Verfahren.CreateCase(r.Context(), subject(r), akte.NewCase{
		Court: tenancy.CourtID(in.Court), Register: in.Register, Department: in.Department, Subject: in.Subject,
		Procedure: in.Procedure,
	})
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+string(c.ID))
	writeJSON(w, http.StatusCreated, toCase(c))
}

func (s *Server) listCases(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := akte.CaseFilter{Court: tenancy.CourtID(q.Get("court")), After: akte.CaseID(q.Get("after")), Limit: 100}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, r, s.log, fmt.Errorf("%w: limit must be a number from 1 to 1000", errs.ErrInvalid))
			return
		}
		f.Limit = n
	}
	cs, err := s.deps.Akte.Cases(r.Context(), subject(r), f)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	out := list[caseDTO]{Items: mapSlice(cs, toCase)}
	if len(cs) == f.Limit {
		out.Next = string(cs[len(cs)-1].ID)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request) {
	c, err := s.deps.Akte.Case(r.Context(), subject(r), akte.CaseID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, toCase(c))
}

func boolParam(v string) (bool, error) {
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%w: %q is not a boolean", errs.ErrInvalid, v)
	}
	return b, nil
}
