// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"justizcloud/audit"
)

// TestToAccess: a case's access log shows court staff by office (role and
// court) and never by person, and everybody else by the name they acted
// under; an unknown role counts as outside staff.
func TestToAccess(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	base := audit.Entry{Seq: 4, Time: at, Tenant: "DE-BY", Subject: "tok", Action: "document.read", Document: "d1",
		User: "u-1", Name: "Dr. Anna Müller", Court: "D2601"}
	tests := []struct {
		role string
		want accessDTO
	}{
		{"richter", accessDTO{Seq: 4, Time: at, Action: "document.read", Document: "d1", Role: "richter", Staff: true, Court: "D2601"}},
		{"geschaeftsstelle", accessDTO{Seq: 4, Time: at, Action: "document.read", Document: "d1", Role: "geschaeftsstelle", Staff: true, Court: "D2601"}},
		{"rechtspfleger", accessDTO{Seq: 4, Time: at, Action: "document.read", Document: "d1", Role: "rechtspfleger", Staff: true, Court: "D2601"}},
		{"landesadmin", accessDTO{Seq: 4, Time: at, Action: "document.read", Document: "d1", Role: "landesadmin", Staff: true, Court: "D2601"}},
		{"leser", accessDTO{Seq: 4, Time: at, Action: "document.read", Document: "d1", Role: "leser", Staff: true, Court: "D2601"}},
		{"gerichtsadmin", accessDTO{Seq: 4, Time: at, Action: "document.read", Document: "d1", Role: "gerichtsadmin", Staff: true, Court: "D2601"}},
		{"rechtsanwalt", accessDTO{Seq: 4, Time: at, Action: "document.read", Document: "d1", Role: "rechtsanwalt", Name: "Dr. Anna Müller"}},
		{"behoerde", accessDTO{Seq: 4, Time: at, Action: "document.read", Document: "d1", Role: "behoerde", Name: "Dr. Anna Müller"}},
		{"buerger", accessDTO{Seq: 4, Time: at, Action: "document.read", Document: "d1", Role: "buerger", Name: "Dr. Anna Müller"}},
		{"notar", accessDTO{Seq: 4, Time: at, Action: "document.read", Document: "d1", Role: "notar", Name: "Dr. Anna Müller"}},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			e := base
			e.Role = tt.role
			if diff := cmp.Diff(tt.want, toAccess(e)); diff != "" {
				t.Errorf("toAccess mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
