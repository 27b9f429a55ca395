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
	"time"

	"justizcloud/errs"
	"justizcloud/tenancy"
)

// Role is what a subject acts as.
type Role string

// Court staff roles: their holders see the files of their court (or, without
// a court, of their tenant) by virtue of their office.
const (
	Geschaeftsstelle Role = "geschaeftsstelle" // court registry: registers cases, files documents
	Richter          Role = "richter"          // judge
	Rechtspfleger    Role = "rechtspfleger"    // judicial officer
	Gerichtsadmin    Role = "gerichtsadmin"    // court administrator: the court's users and files
	Landesadmin      Role = "landesadmin"      // tenant administrator: everything within the tenant
	Leser            Role = "leser"            // read-only access within the tenant or court
)

// Outside roles: their holders see only the proceedings they are related to
// (as a participant or counsel, by an Akteneinsicht grant). They belong to no
// tenant.
const (
	Rechtsanwalt Role = "rechtsanwalt" // lawyer, acting for the parties they represent
	Behoerde     Role = "behoerde"     // authority (Behörde) taking part in or inspecting proceedings
	Buerger      Role = "buerger"      // citizen
)

// Roles lists the known roles.
func Roles() []Role {
	return []Role{Geschaeftsstelle, Richter, Rechtspfleger, Gerichtsadmin, Landesadmin, Leser, Rechtsanwalt, Behoerde, Buerger}
}

// ParseRole checks that s names a known role.
func ParseRole(s string) (Role, error) {
	if slices.Contains(Roles(), Role(s)) {
		return Role(s), nil
	}
	return "", fmt.Errorf("%w: unknown role %q (want one of %v)", errs.ErrInvalid, s, Roles())
}

// Staff reports whether r is a court staff role, held within a tenant.
func (r Role) Staff() bool {
	switch r {
	case Geschaeftsstelle, Richter, Rechtspfleger, Gerichtsadmin, Landesadmin, Leser:
		return true
	}
	return false
}

// Subject is an authenticated caller.
type Subject struct {
	ID     string     // token or user ID, for audit and created_by
	Tenant tenancy.ID // staff: the tenant they work in; empty for outside roles
	Role   Role
	Court  tenancy.CourtID // empty: not bound to one court
	// User is the person behind the subject (a login session or a token
	// issued to a user); empty for role tokens of systems and scripts.
	User string
	// Name is the person's display name, shown to participants in a
	// file's access log; empty for role tokens.
	Name string
	// Org is the law firm or authority the user acts for; grants to it
	// apply to the user.
	Org string
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
	// RestrictDocument files a document as restricted (see Resource.Restricted).
	RestrictDocument Action = "document.restrict"
	// FireEvent appends an event to a proceeding's history; which events a
	// role may fire, the procedure definition says on top.
	FireEvent Action = "event.fire"
	// AssignJudge assigns the judge of a proceeding.
	AssignJudge Action = "case.assign"
	// ManageAccess grants and revokes Akteneinsicht and shares a
	// proceeding with another court.
	ManageAccess Action = "access.manage"
	// ImportXJustiz turns an incoming XJustiz message into a proceeding.
	ImportXJustiz Action = "xjustiz.import"
	// TransferCase hands a proceeding over to a court of another tenant
	// (Abgabe, Verweisung); the case here becomes read-only.
	TransferCase Action = "case.transfer"
	// ServeCase orders service (Zustellung) of documents of a proceeding to
	// a participant: access instead of a copy (package zustellung).
	ServeCase Action = "case.serve"
	// FileCase files a claim or an application at a court: it creates the
	// proceeding with its filer as a participant (the portal's guided
	// interviews). Every authenticated subject may file at any court; the
	// court must be active (package akte checks that). It never acts on an
	// existing proceeding.
	FileCase Action = "case.file"
	// ReadAudit reads the tenant's audit log: checkpoints and proofs.
	ReadAudit Action = "audit.read"
	// ManageUsers creates and changes user accounts within a tenant or court.
	ManageUsers Action = "users.manage"
	// UseAnonymize runs the shared anonymization service on a text, counted
	// against the subject's tenant.
	UseAnonymize Action = "service.anonymize"
	// ManageAnonPolicy sets the tenant's anonymization policy: which kinds
	// of spans the shared service replaces for it (package anon).
	ManageAnonPolicy Action = "anon.policy.manage"
	// PublishDecision prepares a decision of a proceeding for publication,
	// reviews its pseudonymization and publishes it (package
	// veroeffentlichung).
	PublishDecision Action = "decision.publish"
)

// Resource is what an action is done to, reduced to what the decision needs.
type Resource struct {
	Tenant tenancy.ID
	Court  tenancy.CourtID // empty for tenant-wide resources
	// Case is the proceeding the resource is or belongs to; empty for
	// tenant- or court-wide resources (a listing, an import).
	Case string
	// Document is the document the action reads; empty for the case itself.
	Document string
	// Restricted marks a document that participants and their counsel do
	// not see (e.g. a Sonderheft).
	Restricted bool
}

// staffActions says which staff roles may do each action within their
// tenant (and court, when bound to one). An action missing here is allowed
// to no staff role.
var staffActions = map[Action][]Role{
	ReadCase:             {Geschaeftsstelle, Richter, Rechtspfleger, Gerichtsadmin, Landesadmin, Leser},
	ReadDocument:         {Geschaeftsstelle, Richter, Rechtspfleger, Gerichtsadmin, Landesadmin, Leser},
	CreateCase:           {Geschaeftsstelle, Gerichtsadmin, Landesadmin},
	AddDocument:          {Geschaeftsstelle, Richter, Rechtspfleger, Gerichtsadmin, Landesadmin},
	RestrictDocument:     {Geschaeftsstelle, Richter, Rechtspfleger, Gerichtsadmin, Landesadmin},
	FireEvent:            {Geschaeftsstelle, Richter, Rechtspfleger, Gerichtsadmin, Landesadmin},
	ManageParticipants:   {Geschaeftsstelle, Richter, Rechtspfleger, Gerichtsadmin, Landesadmin},
	ManageHold:           {Geschaeftsstelle, Gerichtsadmin, Landesadmin},
	ManageWiedervorlagen: {Geschaeftsstelle, Richter, Rechtspfleger, Gerichtsadmin, Landesadmin},
	AssignJudge:          {Geschaeftsstelle, Gerichtsadmin, Landesadmin},
	ManageAccess:         {Geschaeftsstelle, Richter, Rechtspfleger, Gerichtsadmin, Landesadmin},
	ImportXJustiz:        {Geschaeftsstelle, Gerichtsadmin, Landesadmin},
	TransferCase:         {Geschaeftsstelle, Richter, Gerichtsadmin, Landesadmin},
	ServeCase:            {Geschaeftsstelle, Richter, Rechtspfleger, Gerichtsadmin, Landesadmin},
	ReadAudit:            {Landesadmin},
	ManageUsers:          {Gerichtsadmin, Landesadmin},
	UseAnonymize:         {Geschaeftsstelle, Richter, Rechtspfleger, Gerichtsadmin, Landesadmin, Leser}, // it reads no case data
	PublishDecision:      {Geschaeftsstelle, Richter},
	ManageAnonPolicy:     {Landesadmin},
}

// Decide is the decision itself, a pure function: may sub do a on r, given
// the relation tuples of r's case (rels; the Authorizer loads them) at time
// now? A resource the subject may not even see (another tenant's, another
// court's for a court-bound subject, a proceeding they have no relation to,
// a restricted document) yields errs.ErrNotFound, so that a denial never
// reveals that the object exists. A visible resource with a disallowed
// action yields errs.ErrForbidden.
func Decide(sub Subject, a Action, r Resource, rels []Tuple, now time.Time) error {
	if sub.Role == "" || sub.Role.Staff() && sub.Tenant == "" {
		return fmt.Errorf("authz: no subject: %w", errs.ErrUnauthenticated)
	}
	if a == ReadCourts { // reference data, visible to every authenticated subject
		return nil
	}
	if a == FileCase && r.Case == "" { // a filing creates a proceeding; anyone may file
		return nil
	}
	allowed, visible := byOffice(sub, a, r)
	if allowed {
		return nil
	}
	if r.Case != "" {
		for _, t := range rels {
			if t.Case != r.Case || t.Tenant != r.Tenant || !t.Active(now) || !t.Holds(sub) || !t.Shows(r) {
				continue
			}
			if slices.Contains(relationActions(t.Relation, sub.Role), a) {
				return nil
			}
			visible = true
		}
	}
	if !visible {
		return fmt.Errorf("authz: %s: %w", a, errs.ErrNotFound)
	}
	return fmt.Errorf("authz: role %s may not %s: %w", sub.Role, a, errs.ErrForbidden)
}

// byOffice reports whether the subject's office (a staff role within its
// tenant and court) shows r, and whether it allows a on r.
func byOffice(sub Subject, a Action, r Resource) (allowed, visible bool) {
	if !sub.Role.Staff() || sub.Tenant == "" || r.Tenant != sub.Tenant || sub.Court != "" && r.Court != "" && r.Court != sub.Court {
		return false, false
	}
	return slices.Contains(staffActions[a], sub.Role), true
}

// relationActions says what a relation to a proceeding lets its holder do.
func relationActions(rel Relation, role Role) []Action {
	switch rel {
	case JudgeOf:
		if role == Richter {
			return []Action{ReadCase, ReadDocument, AddDocument, RestrictDocument, FireEvent, ManageParticipants, ManageWiedervorlagen, ManageAccess, ServeCase, PublishDecision}
		}
	case PartyOf:
		return []Action{ReadCase, ReadDocument, AddDocument, FireEvent}
	case Inspects:
		return []Action{ReadCase, ReadDocument}
	case SharedWith:
		if role.Staff() {
			return []Action{ReadCase, ReadDocument}
		}
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
