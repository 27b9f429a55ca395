// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package authz

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"justizcloud/tenancy"
)

// DefaultCacheTTL is how long the Authorizer trusts relation tuples it has
// read. Changes made through the same Authorizer take effect at once; a
// change made by another replica is seen after at most this long.
const DefaultCacheTTL = 2 * time.Second

// maxCached bounds each cache; when full it starts over.
const maxCached = 1 << 17

// Authorizer answers May with the relation tuples of the store, cached for
// a short time. It is the one decision point: every service asks it.
type Authorizer struct {
	store Store
	now   func() time.Time
	ttl   time.Duration

	mu    sync.RWMutex
	gen   uint64                  // counts Forget calls: a load that raced with one is not cached
	cases map[string]cachedTuples // by case ID
	held  map[string]cachedTuples // by the joined holder refs of a subject
}

type cachedTuples struct {
	tuples []Tuple
	at     time.Time
}

// NewAuthorizer returns an Authorizer over st. A ttl of 0 means DefaultCacheTTL.
func NewAuthorizer(st Store, now func() time.Time, ttl time.Duration) *Authorizer {
	if ttl <= 0 {
		ttl = DefaultCacheTTL
	}
	return &Authorizer{store: st, now: now, ttl: ttl,
		cases: map[string]cachedTuples{}, held: map[string]cachedTuples{}}
}

// May decides whether sub may do a on r (see Decide for the rules). The
// relation tuples of r's case are read only when the office of the subject
// does not already allow the action.
func (z *Authorizer) May(ctx context.Context, sub Subject, a Action, r Resource) error {
	if allowed, _ := byOffice(sub, a, r); allowed {
		return nil // the hot path: staff in their office, no allocation
	}
	now := z.now()
	if r.Case == "" || sub.Role == "" || !nameable(sub) {
		return Decide(sub, a, r, nil, now) // no tuple can help
	}
	rels, lerr := z.CaseRelations(ctx, r.Case)
	if lerr != nil {
		return fmt.Errorf("authz: %w", lerr)
	}
	return Decide(sub, a, r, rels, now)
}

// CaseRelations returns the tuples of a proceeding, from the cache when fresh.
func (z *Authorizer) CaseRelations(ctx context.Context, caseID string) ([]Tuple, error) {
	return z.cached(ctx, z.cases, caseID, func() ([]Tuple, error) { return z.store.CaseRelations(ctx, caseID) })
}

// Reach returns the tuples in force that sub holds: the proceedings they
// reach beyond their office.
func (z *Authorizer) Reach(ctx context.Context, sub Subject) ([]Tuple, error) {
	refs := Refs(sub)
	if len(refs) == 0 {
		return nil, nil
	}
	all, err := z.cached(ctx, z.held, strings.Join(refs, "\x00"), func() ([]Tuple, error) { return z.store.HeldRelations(ctx, refs) })
	if err != nil {
		return nil, err
	}
	now := z.now()
	var in []Tuple
	for _, t := range all {
		if t.Active(now) && t.Holds(sub) {
			in = append(in, t)
		}
	}
	return in, nil
}

// Tenants returns the tenants in which sub may find anything: their own
// (staff) and those of the proceedings they reach. Services look objects
// up by ID in these tenants only, so every query stays tenant-scoped.
func (z *Authorizer) Tenants(ctx context.Context, sub Subject) ([]tenancy.ID, error) {
	var ts []tenancy.ID
	if sub.Role.Staff() && sub.Tenant != "" {
		ts = append(ts, sub.Tenant)
	}
	reach, err := z.Reach(ctx, sub)
	if err != nil {
		return nil, fmt.Errorf("authz: %w", err)
	}
	for _, t := range reach {
		if !slices.Contains(ts, t.Tenant) {
			ts = append(ts, t.Tenant)
		}
	}
	return ts, nil
}

// Relate stores a tuple and makes it count at once on this replica. The
// caller has decided (with May) that the acting subject may create it.
func (z *Authorizer) Relate(ctx context.Context, t Tuple) error {
	if err := t.Validate(); err != nil {
		return fmt.Errorf("relate: %w", err)
	}
	if err := z.store.AddRelation(ctx, t); err != nil {
		return fmt.Errorf("relate: %w", err)
	}
	z.Forget(t.Case)
	return nil
}

// Revoke ends tuple id of tenant now and makes that count at once on this replica.
func (z *Authorizer) Revoke(ctx context.Context, tenant tenancy.ID, id string) (Tuple, error) {
	t, err := z.store.RevokeRelation(ctx, tenant, id, z.now().UTC())
	if err != nil {
		return Tuple{}, fmt.Errorf("revoke: %w", err)
	}
	z.Forget(t.Case)
	return t, nil
}

// Forget drops what the cache holds about a proceeding's relations; stores
// that change tuples in their own transactions (participants) call it.
func (z *Authorizer) Forget(caseID string) {
	z.mu.Lock()
	z.gen++
	delete(z.cases, caseID)
	clear(z.held) // cheap to rebuild, and any subject may be affected
	z.mu.Unlock()
}

func (z *Authorizer) cached(ctx context.Context, m map[string]cachedTuples, key string, load func() ([]Tuple, error)) ([]Tuple, error) {
	now := z.now()
	z.mu.RLock()
	c, ok := m[key]
	gen := z.gen
	z.mu.RUnlock()
	if ok && now.Sub(c.at) < z.ttl && !now.Before(c.at) {
		return c.tuples, nil
	}
	ts, err := load()
	if err != nil {
		return nil, err
	}
	z.mu.Lock()
	if z.gen == gen {
		if len(m) >= maxCached {
			clear(m)
		}
		m[key] = cachedTuples{tuples: ts, at: now}
	}
	z.mu.Unlock()
	return ts, nil
}
