// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package authz

import (
	"context"
	"errors"
	"testing"
	"time"

	"justizcloud/errs"
)

func TestMay(t *testing.T) {
	gs := Subject{ID: "a", Tenant: "DE-BY", Role: Geschaeftsstelle}
	richter := Subject{ID: "b", Tenant: "DE-BY", Role: Richter}
	leser := Subject{ID: "c", Tenant: "DE-BY", Role: Leser}
	admin := Subject{ID: "d", Tenant: "DE-BY", Role: Landesadmin}
	bound := Subject{ID: "e", Tenant: "DE-BY", Role: Geschaeftsstelle, Court: "D2601"}
	nw := Subject{ID: "f", Tenant: "DE-NW", Role: Landesadmin}
	here := Resource{Tenant: "DE-BY", Court: "D2601"}
	otherCourt := Resource{Tenant: "DE-BY", Court: "D2600"}
	otherLand := Resource{Tenant: "DE-NW", Court: "R3306"}

	tests := []struct {
		name string
		sub  Subject
		act  Action
		res  Resource
		want error // nil: allowed
	}{
		{"clerk creates a case", gs, CreateCase, here, nil},
		{"clerk reads", gs, ReadCase, here, nil},
		{"clerk files a document", gs, AddDocument, here, nil},
		{"judge files a document", richter, AddDocument, here, nil},
		{"judge may not register cases", richter, CreateCase, here, errs.ErrForbidden},
		{"reader reads", leser, ReadDocument, here, nil},
		{"reader may not file", leser, AddDocument, here, errs.ErrForbidden},
		{"reader may not create", leser, CreateCase, here, errs.ErrForbidden},
		{"tenant admin creates anywhere in the Land", admin, CreateCase, otherCourt, nil},
		{"court-bound clerk at its court", bound, AddDocument, here, nil},
		{"court-bound clerk at another court: not even visible", bound, ReadCase, otherCourt, errs.ErrNotFound},
		{"court-bound clerk lists the tenant", bound, ReadCase, Resource{Tenant: "DE-BY"}, nil},
		{"another Land's case is not found", gs, ReadCase, otherLand, errs.ErrNotFound},
		{"another Land's admin sees nothing here", nw, ReadDocument, here, errs.ErrNotFound},
		{"another Land's admin cannot write here", nw, AddDocument, here, errs.ErrNotFound},
		{"clerk imports an XJustiz message", gs, ImportXJustiz, here, nil},
		{"judge uses the anonymization service", richter, UseAnonymize, here, nil},
		{"reader uses the anonymization service", leser, UseAnonymize, here, nil},
		{"the service is used for one's own tenant only", nw, UseAnonymize, here, errs.ErrNotFound},
		{"tenant admin sets the anonymization policy", admin, ManageAnonPolicy, Resource{Tenant: "DE-BY"}, nil},
		{"clerk may not set the anonymization policy", gs, ManageAnonPolicy, Resource{Tenant: "DE-BY"}, errs.ErrForbidden},
		{"another Land's admin cannot set this policy", nw, ManageAnonPolicy, Resource{Tenant: "DE-BY"}, errs.ErrNotFound},
		{"judge may not import XJustiz messages", richter, ImportXJustiz, here, errs.ErrForbidden},
		{"reader may not import XJustiz messages", leser, ImportXJustiz, here, errs.ErrForbidden},
		{"another Land's admin cannot import here", nw, ImportXJustiz, here, errs.ErrNotFound},
		{"tenant admin reads the audit log", admin, ReadAudit, Resource{Tenant: "DE-BY"}, nil},
		{"clerk may not read the audit log", gs, ReadAudit, Resource{Tenant: "DE-BY"}, errs.ErrForbidden},
		{"judge may not read the audit log", richter, ReadAudit, Resource{Tenant: "DE-BY"}, errs.ErrForbidden},
		{"reader may not read the audit log", leser, ReadAudit, Resource{Tenant: "DE-BY"}, errs.ErrForbidden},
		{"another Land's admin cannot read this audit log", nw, ReadAudit, Resource{Tenant: "DE-BY"}, errs.ErrNotFound},
		{"courts are reference data", nw, ReadCourts, Resource{}, nil},
		{"clerk publishes a decision", bound, PublishDecision, here, nil},
		{"judge publishes a decision", richter, PublishDecision, here, nil},
		{"judicial officer may not publish", Subject{ID: "g", Tenant: "DE-BY", Role: Rechtspfleger}, PublishDecision, here, errs.ErrForbidden},
		{"reader may not publish", leser, PublishDecision, here, errs.ErrForbidden},
		{"court-bound clerk cannot publish another court's decision", bound, PublishDecision, otherCourt, errs.ErrNotFound},
		{"another Land's admin cannot publish here", nw, PublishDecision, here, errs.ErrNotFound},
		{"no subject", Subject{}, ReadCourts, Resource{}, errs.ErrUnauthenticated},
		{"no role", Subject{Tenant: "DE-BY"}, ReadCase, here, errs.ErrUnauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Decide(tt.sub, tt.act, tt.res, nil, time.Now())
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("May(%+v, %s, %+v) = %v, want %v", tt.sub, tt.act, tt.res, err, tt.want)
			}
		})
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range Roles() {
		if got, err := ParseRole(string(r)); err != nil || got != r {
			t.Errorf("ParseRole(%q) = %q, %v", r, got, err)
		}
	}
	for _, s := range []string{"", "Richter", "admin", "richter "} {
		if _, err := ParseRole(s); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("ParseRole(%q) = %v, want ErrInvalid", s, err)
		}
	}
}

func TestSubjectContext(t *testing.T) {
	if _, ok := SubjectFrom(context.Background()); ok {
		t.Error("SubjectFrom(empty context) reported a subject")
	}
	want := Subject{ID: "x", Tenant: "DE-HB", Role: Leser}
	got, ok := SubjectFrom(WithSubject(context.Background(), want))
	if !ok || got != want {
		t.Errorf("SubjectFrom = %+v, %v; want %+v", got, ok, want)
	}
}
