// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package authz_test

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"justizcloud/authz"
	"justizcloud/errs"
)

// This file is the reference model of the authorization rules: written from
// the rules as the issue and docs state them, not from Decide, and shaped
// differently on purpose. Decide walks the rules for one action; the
// reference first collects the whole set of actions a subject may do on a
// resource, then looks the action up in it. The property tests compare the
// two.

// allActions lists every action of the authz const block.
// TestReferenceKnowsEveryAction keeps it in step with the source.
var allActions = []authz.Action{
	authz.ReadCourts, authz.CreateCase, authz.ReadCase, authz.AddDocument, authz.ReadDocument, authz.RestrictDocument,
	authz.FireEvent, authz.ManageParticipants, authz.ManageHold, authz.ManageWiedervorlagen, authz.AssignJudge,
	authz.ManageAccess, authz.ImportXJustiz, authz.ReadAudit, authz.ManageUsers, authz.UseAnonymize,
	authz.TransferCase, authz.ServeCase, authz.FileCase, authz.PublishDecision, authz.ManageAnonPolicy,
}

// refOffice is what each staff role may do by office, within its tenant
// (and court, when bound to one): the specification table, written per role.
var refOffice = map[authz.Role][]authz.Action{
	authz.Geschaeftsstelle: {authz.ReadCase, authz.ReadDocument, authz.CreateCase, authz.AddDocument, authz.RestrictDocument, authz.FireEvent, authz.ManageParticipants,
		authz.ManageHold, authz.ManageWiedervorlagen, authz.AssignJudge, authz.ManageAccess, authz.ImportXJustiz, authz.UseAnonymize,
		authz.TransferCase, authz.ServeCase, authz.PublishDecision},
	authz.Richter: {authz.ReadCase, authz.ReadDocument, authz.AddDocument, authz.RestrictDocument, authz.FireEvent, authz.ManageParticipants,
		authz.ManageWiedervorlagen, authz.ManageAccess, authz.UseAnonymize, authz.TransferCase, authz.ServeCase, authz.PublishDecision},
	authz.Rechtspfleger: {authz.ReadCase, authz.ReadDocument, authz.AddDocument, authz.RestrictDocument, authz.FireEvent, authz.ManageParticipants,
		authz.ManageWiedervorlagen, authz.ManageAccess, authz.UseAnonymize, authz.ServeCase},
	authz.Gerichtsadmin: {authz.ReadCase, authz.ReadDocument, authz.CreateCase, authz.AddDocument, authz.RestrictDocument, authz.FireEvent, authz.ManageParticipants,
		authz.ManageHold, authz.ManageWiedervorlagen, authz.AssignJudge, authz.ManageAccess, authz.ImportXJustiz,
		authz.ManageUsers, authz.UseAnonymize, authz.TransferCase, authz.ServeCase},
	authz.Landesadmin: {authz.ReadCase, authz.ReadDocument, authz.CreateCase, authz.AddDocument, authz.RestrictDocument, authz.FireEvent, authz.ManageParticipants,
		authz.ManageHold, authz.ManageWiedervorlagen, authz.AssignJudge, authz.ManageAccess, authz.ImportXJustiz,
		authz.ReadAudit, authz.ManageUsers, authz.UseAnonymize, authz.TransferCase, authz.ServeCase, authz.ManageAnonPolicy},
	authz.Leser: {authz.ReadCase, authz.ReadDocument, authz.UseAnonymize},
}

// refStaff is the set of staff roles.
var refStaff = []authz.Role{authz.Geschaeftsstelle, authz.Richter, authz.Rechtspfleger, authz.Gerichtsadmin, authz.Landesadmin, authz.Leser}

// refRelation is what a shown relation allows; staffOnly and judgeOnly
// restrict who the relation counts for at all.
var refRelation = map[authz.Relation]struct {
	judgeOnly, staffOnly bool
	actions              []authz.Action
}{
	authz.JudgeOf:    {judgeOnly: true, actions: []authz.Action{authz.ReadCase, authz.ReadDocument, authz.AddDocument, authz.RestrictDocument, authz.FireEvent, authz.ManageParticipants, authz.ManageWiedervorlagen, authz.ManageAccess, authz.ServeCase, authz.PublishDecision}},
	authz.PartyOf:    {actions: []authz.Action{authz.ReadCase, authz.ReadDocument, authz.AddDocument, authz.FireEvent}},
	authz.Inspects:   {actions: []authz.Action{authz.ReadCase, authz.ReadDocument}},
	authz.SharedWith: {staffOnly: true, actions: []authz.Action{authz.ReadCase, authz.ReadDocument}},
}

// refVerdict is what the reference says about a subject and a resource.
type refVerdict struct {
	unauthenticated bool
	visible         bool                  // by office or by a counted relation that shows the resource
	allowed         map[authz.Action]bool // the actions the subject may do on it
}

// reference computes the verdict from the rules.
func reference(sub authz.Subject, r authz.Resource, rels []authz.Tuple, now time.Time) refVerdict {
	staff := slices.Contains(refStaff, sub.Role)
	if sub.Role == "" || staff && sub.Tenant == "" {
		return refVerdict{unauthenticated: true}
	}
	v := refVerdict{allowed: map[authz.Action]bool{authz.ReadCourts: true}}
	// Filing creates a proceeding: allowed to everyone, on no existing case.
	if r.Case == "" {
		v.allowed[authz.FileCase] = true
	}

	// By office.
	if staff && r.Tenant == sub.Tenant && (sub.Court == "" || r.Court == "" || sub.Court == r.Court) {
		v.visible = true
		for _, a := range refOffice[sub.Role] {
			v.allowed[a] = true
		}
	}

	// By relation: the names the subject answers to in a tuple.
	var names []string
	if sub.User != "" {
		names = append(names, "user:"+sub.User)
	}
	if sub.Org != "" {
		names = append(names, "org:"+sub.Org)
	}
	if staff && sub.Court != "" {
		names = append(names, "court:"+string(sub.Court))
	}
	for _, t := range rels {
		counted := t.Case == r.Case && t.Tenant == r.Tenant &&
			t.RevokedAt.IsZero() &&
			(t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt)) &&
			slices.Contains(names, t.Holder)
		if !counted || !refShows(t, r) {
			continue
		}
		v.visible = true
		rule := refRelation[t.Relation]
		if rule.judgeOnly && sub.Role != authz.Richter || rule.staffOnly && !staff {
			continue
		}
		for _, a := range rule.actions {
			v.allowed[a] = true
		}
	}
	return v
}

// refShows says whether a counted tuple shows the resource.
func refShows(t authz.Tuple, r authz.Resource) bool {
	if r.Document == "" {
		return true // the case itself
	}
	switch t.Relation {
	case authz.JudgeOf, authz.SharedWith:
		return true
	case authz.Inspects:
		if len(t.Documents) > 0 {
			return slices.Contains(t.Documents, r.Document)
		}
		return !r.Restricted
	case authz.PartyOf:
		return !r.Restricted
	}
	return false
}

// class is the outcome of a decision as the tests compare it.
type class string

const (
	allowed         class = "allowed"
	notFound        class = "not found"
	forbidden       class = "forbidden"
	unauthenticated class = "unauthenticated"
)

// expect is the reference outcome of action a.
func (v refVerdict) expect(a authz.Action) class {
	switch {
	case v.unauthenticated:
		return unauthenticated
	case v.allowed[a]:
		return allowed
	case v.visible:
		return forbidden
	}
	return notFound
}

// classOf sorts a decision's error into a class.
func classOf(err error) class {
	switch {
	case err == nil:
		return allowed
	case errors.Is(err, errs.ErrNotFound):
		return notFound
	case errors.Is(err, errs.ErrForbidden):
		return forbidden
	case errors.Is(err, errs.ErrUnauthenticated):
		return unauthenticated
	}
	return class(fmt.Sprintf("unexpected error %v", err))
}
