// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package authz

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"justizcloud/errs"
	"justizcloud/tenancy"
)

// Relation is how a subject relates to one proceeding, Zanzibar-style: the
// stored tuple (case, relation, subject) is what grants access beyond the
// office of court staff.
type Relation string

// Relations.
const (
	// JudgeOf: the judge assigned to the proceeding.
	JudgeOf Relation = "richter"
	// PartyOf: a Beteiligter or their counsel, linked to a user account
	// (or to an organisation: a law firm, an authority).
	PartyOf Relation = "beteiligt"
	// Inspects: a time-limited Akteneinsicht grant to a person or an
	// organisation, for the whole file or the listed documents.
	Inspects Relation = "einsicht"
	// SharedWith: the proceeding is shared with a court, possibly another
	// Land's; that court's staff may read it.
	SharedWith Relation = "geteilt"
)

// ParseRelation checks that s names a known relation.
func ParseRelation(s string) (Relation, error) {
	switch r := Relation(s); r {
	case JudgeOf, PartyOf, Inspects, SharedWith:
		return r, nil
	}
	return "", fmt.Errorf("%w: unknown relation %q", errs.ErrInvalid, s)
}

// Subject references in tuples.
const (
	userRef  = "user:"
	orgRef   = "org:"
	courtRef = "court:"
)

// UserRef, OrgRef and CourtRef name the holder of a tuple.
func UserRef(id string) string           { return userRef + id }
func OrgRef(id string) string            { return orgRef + id }
func CourtRef(id tenancy.CourtID) string { return courtRef + string(id) }

// Tuple is one stored relation of a subject to a proceeding.
type Tuple struct {
	ID       string
	Tenant   tenancy.ID // the proceeding's tenant
	Case     string
	Relation Relation
	Holder   string // UserRef, OrgRef or CourtRef
	// Documents limits an Inspects grant to these documents; empty: the
	// whole file except restricted documents.
	Documents []string
	ExpiresAt time.Time // zero: no expiry
	RevokedAt time.Time // zero: in force
	CreatedAt time.Time
	CreatedBy string
	Note      string // why (an Akteneinsicht request's reference, a share's reason)
}

// Active reports whether the tuple is in force at now.
func (t Tuple) Active(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt))
}

// Holds reports whether sub is the tuple's holder: the user, a member of
// the organisation, or staff of the court.
func (t Tuple) Holds(sub Subject) bool {
	switch {
	case strings.HasPrefix(t.Holder, userRef):
		return sub.User != "" && t.Holder[len(userRef):] == sub.User
	case strings.HasPrefix(t.Holder, orgRef):
		return sub.Org != "" && t.Holder[len(orgRef):] == sub.Org
	case strings.HasPrefix(t.Holder, courtRef):
		return sub.Role.Staff() && sub.Court != "" && t.Holder[len(courtRef):] == string(sub.Court)
	}
	return false
}

// Shows reports whether the tuple lets its holder see r at all: judges and
// courts see every document; participants all but restricted ones; an
// inspection grant the listed documents, or without a list the whole file
// but restricted documents.
func (t Tuple) Shows(r Resource) bool {
	if r.Document == "" {
		return true
	}
	switch t.Relation {
	case JudgeOf, SharedWith:
		return true
	case Inspects:
		if len(t.Documents) > 0 {
			return slices.Contains(t.Documents, r.Document)
		}
	}
	return !r.Restricted
}

// nameable reports whether any tuple could name sub (Refs is not empty).
func nameable(sub Subject) bool {
	return sub.User != "" || sub.Org != "" || sub.Role.Staff() && sub.Court != ""
}

// Refs are the holder references that may name sub in tuples.
func Refs(sub Subject) []string {
	var refs []string
	if sub.User != "" {
		refs = append(refs, UserRef(sub.User))
	}
	if sub.Org != "" {
		refs = append(refs, OrgRef(sub.Org))
	}
	if sub.Role.Staff() && sub.Court != "" {
		refs = append(refs, CourtRef(sub.Court))
	}
	return refs
}

// Validate checks a tuple before it is stored.
func (t Tuple) Validate() error {
	if _, err := ParseRelation(string(t.Relation)); err != nil {
		return err
	}
	switch {
	case t.Tenant == "" || t.Case == "":
		return fmt.Errorf("%w: a relation needs the proceeding and its tenant", errs.ErrInvalid)
	case !slices.ContainsFunc([]string{userRef, orgRef, courtRef}, func(p string) bool {
		return strings.HasPrefix(t.Holder, p) && len(t.Holder) > len(p)
	}):
		return fmt.Errorf("%w: holder %q is not user:ID, org:ID or court:ID", errs.ErrInvalid, t.Holder)
	case t.Relation == SharedWith && !strings.HasPrefix(t.Holder, courtRef):
		return fmt.Errorf("%w: a proceeding is shared with a court (court:ID)", errs.ErrInvalid)
	case t.Relation != SharedWith && strings.HasPrefix(t.Holder, courtRef):
		return fmt.Errorf("%w: only a share names a court", errs.ErrInvalid)
	case t.Relation == JudgeOf && !strings.HasPrefix(t.Holder, userRef):
		return fmt.Errorf("%w: a judge is a user (user:ID)", errs.ErrInvalid)
	case len(t.Documents) > 0 && t.Relation != Inspects:
		return fmt.Errorf("%w: only an Akteneinsicht grant lists documents", errs.ErrInvalid)
	}
	return nil
}

// Store keeps relation tuples.
type Store interface {
	// CaseRelations returns every tuple of the proceeding, in force or not.
	CaseRelations(ctx context.Context, caseID string) ([]Tuple, error)
	// HeldRelations returns the tuples whose holder is one of refs, in
	// force or not.
	HeldRelations(ctx context.Context, refs []string) ([]Tuple, error)
	// AddRelation stores a new tuple.
	AddRelation(ctx context.Context, t Tuple) error
	// RevokeRelation marks tuple id of tenant revoked at at and returns it;
	// errs.ErrNotFound when there is no such tuple in force.
	RevokeRelation(ctx context.Context, tenant tenancy.ID, id string, at time.Time) (Tuple, error)
}
