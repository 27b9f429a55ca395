// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package authz is the one place that decides whether a subject may do an
// action on a resource. API handlers, the portal, search and exports all ask
// May; nothing else decides.
package authz

import (
	"context"
	"fmt"
	"slices"

	"justizcloud/errs"
	"justizcloud/tenancy"
)

// Role is what a subject acts as.
type Role string

// Roles known to the bootstrap token scheme.
const (
	Geschaeftsstelle Role = "geschaeftsstelle" // court registry: registers cases, files documents
	Richter          Role = "richter"          // judge
	Rechtspfleger    Role = "rechtspfleger"    // judicial officer
	Landesadmin      Role = "landesadmin"      // tenant administrator: everything within the tenant
	Leser            Role = "leser"            // read-only access within the tenant or court
)

// Roles lists the known roles.
func Roles() []Role { return []Role{Geschaeftsstelle, Richter, Rechtspfleger, Landesadmin, Leser} }

// ParseRole checks that s names a known role.
func ParseRole(s string) (Role, error) {
	if slices.Contains(Roles(), Role(s)) {
		return Role(s), nil
	}
	return "", fmt.Errorf("%w: unknown role %q (want one of %v)", errs.ErrInvalid, s, Roles())
}

// Subject is an authenticated caller.
type Subject struct {
	ID     string // token or user ID, for audit and created_by
	Tenant tenancy.ID
	Role   Role
	Court  tenancy.CourtID // empty: not bound to one court
	// User is the person behind the subject (a login session or a token
	// issued to a user); empty for role tokens of systems and scripts.
	User string
	// Name is the person's display name, shown to participants in a
	// file's access log; empty for role tokens.
	Name string
}

// Action is something a subject wants to do.
type Action string

// Actions.
const (
	ReadCourts   Action = "courts.read"
	CreateCase   Action = "case.create"
	ReadCase     Action = "case.read"
	AddDocument  Action = "document.add"
	ReadDocument Action = "document.read"
	// ManageParticipants adds, changes and removes Beteiligte.
	ManageParticipants Action = "participants.manage"
	// ManageHold sets and lifts a legal hold, which stops the destruction of a case file.
	ManageHold Action = "case.hold"
	// ManageWiedervorlagen sets resubmission dates on a case and marks them done.
	ManageWiedervorlagen Action = "wiedervorlage.manage"
	// ImportXJustiz turns an incoming XJustiz message into a proceeding.
	ImportXJustiz Action = "xjustiz.import"
	// ReadAudit reads the tenant's audit log: checkpoints and proofs.
	ReadAudit Action = "audit.read"
	// UseAnonymize runs the shared anonymization service on a text, counted
	// against the subject's tenant.
	UseAnonymize Action = "service.anonymize"
)

// Resource is what an action is done to, reduced to what the decision needs.
type Resource struct {
	Tenant tenancy.ID
	Court  tenancy.CourtID // empty for tenant-wide resources
}

var writers = map[Action][]Role{
	CreateCase:           {Geschaeftsstelle, Landesadmin},
	AddDocument:          {Geschaeftsstelle, Richter, Rechtspfleger, Landesadmin},
	ManageParticipants:   {Geschaeftsstelle, Richter, Rechtspfleger, Landesadmin},
	ManageHold:           {Geschaeftsstelle, Landesadmin},
	ManageWiedervorlagen: {Geschaeftsstelle, Richter, Rechtspfleger, Landesadmin},
	ImportXJustiz:        {Geschaeftsstelle, Landesadmin},
	ReadAudit:            {Landesadmin},
	UseAnonymize:         {Geschaeftsstelle, Richter, Rechtspfleger, Landesadmin, Leser}, // it reads no case data
}

// May decides whether sub may do a on r. A resource the subject may not even
// see (another tenant's, or another court's for a court-bound subject) yields
// errs.ErrNotFound, so that a denial never reveals that the object exists. A
// visible resource with a disallowed action yields errs.ErrForbidden.
func May(sub Subject, a Action, r Resource) error {
	if sub.Tenant == "" || sub.Role == "" {
		return fmt.Errorf("authz: no subject: %w", errs.ErrUnauthenticated)
	}
	if a == ReadCourts { // reference data, visible to every authenticated subject
		return nil
	}
	if r.Tenant != sub.Tenant || (sub.Court != "" && r.Court != "" && r.Court != sub.Court) {
		return fmt.Errorf("authz: %s: %w", a, errs.ErrNotFound)
	}
	if roles, ok := writers[a]; ok && !slices.Contains(roles, sub.Role) {
		return fmt.Errorf("authz: role %s may not %s: %w", sub.Role, a, errs.ErrForbidden)
	}
	return nil
}

type ctxKey struct{}

// WithSubject returns a context carrying sub. Only the authentication middleware calls it.
func WithSubject(ctx context.Context, sub Subject) context.Context {
	return context.WithValue(ctx, ctxKey{}, sub)
}

// SubjectFrom returns the subject of ctx, if any.
func SubjectFrom(ctx context.Context) (Subject, bool) {
	s, ok := ctx.Value(ctxKey{}).(Subject)
	return s, ok
}
