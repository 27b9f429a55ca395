// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/identity"
	"justizcloud/tenancy"
)

type userDTO struct {
	ID         string     `json:"id"`
	Role       string     `json:"role"`
	Tenant     string     `json:"tenant,omitempty"`
	Court      string     `json:"court,omitempty"`
	Org        string     `json:"org,omitempty"`
	Name       string     `json:"name"`
	Email      string     `json:"email,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	DisabledAt *time.Time `json:"disabled_at"`
}

func toUser(u identity.User) userDTO {
	out := userDTO{ID: u.ID, Role: string(u.Role), Tenant: string(u.Tenant), Court: string(u.Court), Org: u.Org,
		Name: u.Name, Email: u.Email, CreatedAt: u.CreatedAt}
	if !u.DisabledAt.IsZero() {
		d := u.DisabledAt
		out.DisabledAt = &d
	}
	return out
}

type userInDTO struct {
	Role   string `json:"role"`
	Tenant string `json:"tenant"`
	Court  string `json:"court"`
	Org    string `json:"org"`
	Name   string `json:"name"`
	Email  string `json:"email"`
}

func (s *Server) users(w http.ResponseWriter, r *http.Request) (*identity.Users, bool) {
	if s.deps.Users == nil {
		writeError(w, r, s.log, fmt.Errorf("user accounts are not configured"))
		return nil, false
	}
	return s.deps.Users, true
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	us, ok := s.users(w, r)
	if !ok {
		return
	}
	var in userInDTO
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	u, err := us.Create(r.Context(), subject(r), identity.NewUser{Role: authz.Role(in.Role), Tenant: tenancy.ID(in.Tenant),
		Court: tenancy.CourtID(in.Court), Org: in.Org, Name: in.Name, Email: in.Email})
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.Header().Set("Location", "/api/v1/users/"+u.ID)
	writeJSON(w, http.StatusCreated, toUser(u))
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	us, ok := s.users(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	outside, err := boolParam(q.Get("outside"))
	if err != nil {
		writeError(w, r, s.log, fmt.Errorf("parameter \"outside\": %w", err))
		return
	}
	limit := 100
	if l := q.Get("limit"); l != "" {
		if limit, err = strconv.Atoi(l); err != nil || limit < 1 || limit > 1000 {
			writeError(w, r, s.log, fmt.Errorf("%w: parameter \"limit\" must be a number from 1 to 1000", errs.ErrInvalid))
			return
		}
	}
	page, err := us.List(r.Context(), subject(r), outside, q.Get("after"), limit)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	out := list[userDTO]{Items: mapSlice(page, toUser)}
	if len(page) == limit {
		out.Next = page[len(page)-1].ID
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	us, ok := s.users(w, r)
	if !ok {
		return
	}
	u, err := us.Get(r.Context(), subject(r), r.PathValue("uid"))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, toUser(u))
}

func (s *Server) patchUser(w http.ResponseWriter, r *http.Request) {
	us, ok := s.users(w, r)
	if !ok {
		return
	}
	var in struct {
		Disabled *bool `json:"disabled"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if in.Disabled == nil {
		writeError(w, r, s.log, fmt.Errorf("%w: field \"disabled\" is required", errs.ErrInvalid))
		return
	}
	u, err := us.SetDisabled(r.Context(), subject(r), r.PathValue("uid"), *in.Disabled)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, toUser(u))
}

// me tells the caller who they are to the platform.
func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	sub := subject(r)
	writeJSON(w, http.StatusOK, struct {
		ID     string `json:"id"`
		User   string `json:"user,omitempty"`
		Name   string `json:"name,omitempty"`
		Role   string `json:"role"`
		Tenant string `json:"tenant,omitempty"`
		Court  string `json:"court,omitempty"`
		Org    string `json:"org,omitempty"`
	}{sub.ID, sub.User, sub.Name, string(sub.Role), string(sub.Tenant), string(sub.Court), sub.Org})
}
