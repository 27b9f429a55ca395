// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package authz_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"justizcloud/authz"
)

// BenchmarkMayCached measures May on a proceeding whose tuples are in the
// Authorizer's cache, for a subject whose office does not reach it, so that
// the decision needs the tuples: a participant's lawyer (allowed), a
// stranger (not found) and the judge on a restricted document (allowed),
// one goroutine and in parallel. `justizcloud bench authz` measures the
// same with a seeded store.
func BenchmarkMayCached(b *testing.B) {
	ctx := context.Background()
	st := &memStore{}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for i := range 1000 {
		c := fmt.Sprintf("case%d", i)
		st.tuples = append(st.tuples,
			authz.Tuple{ID: c + "-j", Tenant: "DE-BY", Case: c, Relation: authz.JudgeOf, Holder: authz.UserRef("judge")},
			authz.Tuple{ID: c + "-p", Tenant: "DE-BY", Case: c, Relation: authz.PartyOf, Holder: authz.UserRef("lawyer")},
			authz.Tuple{ID: c + "-i", Tenant: "DE-BY", Case: c, Relation: authz.Inspects, Holder: authz.OrgRef("kanzlei"), ExpiresAt: now.Add(time.Hour)})
	}
	z := authz.NewAuthorizer(st, func() time.Time { return now }, time.Hour)
	lawyer := authz.Subject{ID: "l", Role: authz.Rechtsanwalt, User: "lawyer"}
	stranger := authz.Subject{ID: "s", Role: authz.Buerger, User: "stranger"}
	judge := authz.Subject{ID: "j", Tenant: "DE-BY", Role: authz.Richter, Court: "D2600", User: "judge"}
	res := func(i int) authz.Resource {
		return authz.Resource{Tenant: "DE-BY", Court: "D2601", Case: fmt.Sprintf("case%d", i%1000)}
	}
	for i := range 1000 {
		_ = z.May(ctx, lawyer, authz.ReadCase, res(i)) // fill the cache
	}
	cases := []struct {
		name string
		sub  authz.Subject
		a    authz.Action
		doc  bool
		want class
	}{
		{"lawyer reads case", lawyer, authz.ReadCase, false, allowed},
		{"stranger reads case", stranger, authz.ReadCase, false, notFound},
		{"judge reads restricted document", judge, authz.ReadDocument, true, allowed},
	}
	for _, tc := range cases {
		rs := make([]authz.Resource, 1000)
		for i := range rs {
			rs[i] = res(i)
			if tc.doc {
				rs[i].Document, rs[i].Restricted = "doc", true
			}
		}
		if got := classOf(z.May(ctx, tc.sub, tc.a, rs[0])); got != tc.want {
			b.Fatalf("%s: May = %s, want %s", tc.name, got, tc.want)
		}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				_ = z.May(ctx, tc.sub, tc.a, rs[i%len(rs)])
				i++
			}
		})
		b.Run(tc.name+"/parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					_ = z.May(ctx, tc.sub, tc.a, rs[i%len(rs)])
					i++
				}
			})
		})
	}
	if st.loads > 1000 {
		b.Errorf("%d loads from the store; the cache should have answered after the first 1000", st.loads)
	}
}
