// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package authz_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"justizcloud/authz"
)

// slowStore delays its reads, so that loads overlap with changes.
type slowStore struct{ memStore }

func (s *slowStore) CaseRelations(ctx context.Context, caseID string) ([]authz.Tuple, error) {
	ts, err := s.memStore.CaseRelations(ctx, caseID)
	time.Sleep(50 * time.Microsecond) // the answer is as of before the sleep
	return ts, err
}

// TestRevokeCountsAtOnceUnderLoad revokes and relates tuples while other
// goroutines keep deciding on the same case through the cache: once Revoke
// (or Relate) has returned, no later check on this replica may be decided
// on the tuples from before, however the loads interleave.
func TestRevokeCountsAtOnceUnderLoad(t *testing.T) {
	ctx := context.Background()
	st := &slowStore{}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	z := authz.NewAuthorizer(st, func() time.Time { return now }, time.Hour)
	lawyer := authz.Subject{ID: "l", Role: authz.Rechtsanwalt, User: "lawyer"}
	res := authz.Resource{Tenant: "DE-BY", Court: "D2601", Case: "c1"}

	var stop atomic.Bool
	var wg sync.WaitGroup
	for range 4 { // readers that keep the cache busy
		wg.Go(func() {
			for !stop.Load() {
				_ = z.May(ctx, lawyer, authz.ReadCase, res)
			}
		})
	}
	for i := range 300 {
		tp := authz.Tuple{ID: fmt.Sprintf("t%d", i), Tenant: "DE-BY", Case: "c1", Relation: authz.Inspects, Holder: authz.UserRef("lawyer")}
		if err := z.Relate(ctx, tp); err != nil {
			t.Fatal(err)
		}
		if got := classOf(z.May(ctx, lawyer, authz.ReadCase, res)); got != allowed {
			t.Fatalf("round %d: after Relate, May = %s, want allowed", i, got)
		}
		if _, err := z.Revoke(ctx, "DE-BY", tp.ID); err != nil {
			t.Fatal(err)
		}
		if got := classOf(z.May(ctx, lawyer, authz.ReadCase, res)); got != notFound {
			t.Fatalf("round %d: after Revoke, May = %s, want not found", i, got)
		}
	}
	stop.Store(true)
	wg.Wait()
}
