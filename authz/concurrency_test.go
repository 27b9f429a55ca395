// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package authz_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"justizcloud/authz"
)

// pausingStore lets a test stop one CaseRelations call after it has read
// the tuples and before it returns them: a load that is overtaken by a
// change.
type pausingStore struct {
	memStore
	mu      sync.Mutex
	pause   bool          // the next CaseRelations call pauses
	loaded  chan struct{} // closed when the paused call has read the tuples
	release chan struct{} // closed by the test to let it return
}

func (s *pausingStore) pauseNext() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pause, s.loaded, s.release = true, make(chan struct{}), make(chan struct{})
}

func (s *pausingStore) CaseRelations(ctx context.Context, caseID string) ([]authz.Tuple, error) {
	ts, err := s.memStore.CaseRelations(ctx, caseID)
	s.mu.Lock()
	pause, loaded, release := s.pause, s.loaded, s.release
	s.pause = false
	s.mu.Unlock()
	if pause {
		close(loaded)
		<-release
	}
	return ts, err
}

// TestChangeOvertakesLoad: a check loads a case's tuples; before the load
// returns, the tuple is revoked (or a new one related) through the same
// Authorizer. The overtaken load must not be cached: the next check
// decides on the tuples as they are after the change.
func TestChangeOvertakesLoad(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	lawyer := authz.Subject{ID: "l", Role: authz.Rechtsanwalt, User: "lawyer"}
	res := authz.Resource{Tenant: "DE-BY", Court: "D2601", Case: "c1"}
	grant := authz.Tuple{ID: "t1", Tenant: "DE-BY", Case: "c1", Relation: authz.Inspects, Holder: authz.UserRef("lawyer")}

	// overtaken runs a check whose load pauses, runs change meanwhile, and
	// returns the class of the next check.
	overtaken := func(st *pausingStore, z *authz.Authorizer, change func()) class {
		st.pauseNext()
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = z.May(ctx, lawyer, authz.ReadCase, res)
		}()
		<-st.loaded
		change()
		close(st.release)
		<-done
		return classOf(z.May(ctx, lawyer, authz.ReadCase, res))
	}

	t.Run("revoke", func(t *testing.T) {
		st := &pausingStore{}
		z := authz.NewAuthorizer(st, func() time.Time { return now }, time.Hour)
		if err := z.Relate(ctx, grant); err != nil {
			t.Fatal(err)
		}
		got := overtaken(st, z, func() {
			if _, err := z.Revoke(ctx, grant.Tenant, grant.ID); err != nil {
				t.Error(err)
			}
		})
		if got != notFound {
			t.Errorf("May after a revocation that overtook a load = %s, want %s", got, notFound)
		}
	})
	t.Run("relate", func(t *testing.T) {
		st := &pausingStore{}
		z := authz.NewAuthorizer(st, func() time.Time { return now }, time.Hour)
		got := overtaken(st, z, func() {
			if err := z.Relate(ctx, grant); err != nil {
				t.Error(err)
			}
		})
		if got != allowed {
			t.Errorf("May after a grant that overtook a load = %s, want %s", got, allowed)
		}
	})
}
