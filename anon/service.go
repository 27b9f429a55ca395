// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"justizcloud/errs"
	"justizcloud/frist"
	"justizcloud/tenancy"
)

// Usage is what one tenant has had pseudonymized.
type Usage struct {
	Requests int64 // successful calls
	Bytes    int64 // input bytes of those calls
}

// UsageStore keeps the per-tenant counters of the shared services
// (sqlstore.DB), counted per day for billing.
type UsageStore interface {
	AddUsage(ctx context.Context, t tenancy.ID, service string, day time.Time, bytes int64) error
	Usage(ctx context.Context, service string) (map[tenancy.ID]Usage, error)
}

// ServiceName is the name under which the service's use is counted.
const ServiceName = "anonymize"

// PolicyTTL is how long a Service trusts a tenant's policy it read from
// the store: a change made through another replica (or the CLI) applies
// here within this time. A change made through the Service itself applies
// at once.
const PolicyTTL = 30 * time.Second

// Service is pseudonymization as a shared service for all tenants: each
// tenant's policy applies to its texts, and every successful call is counted
// for the caller's tenant in the store (billing reads it). It is safe for
// concurrent use.
type Service struct {
	base     *Pseudonymizer
	policies PolicyStore
	usage    UsageStore
	now      func() time.Time

	mu      sync.Mutex
	cache   map[tenancy.ID]cachedPolicy
	changes uint64 // counts SetPolicy and ResetPolicy calls, so that a read begun before one is not cached
}

// cachedPolicy is a tenant's policy and a copy of the base Pseudonymizer
// that applies it.
type cachedPolicy struct {
	tp   TenantPolicy
	p    *Pseudonymizer
	read time.Time
}

// NewService returns a Service that applies to each tenant the policy it
// chose in policies, or base's policy to a tenant that chose none (and to
// every tenant when policies is nil), and counts use in usage.
func NewService(base *Pseudonymizer, policies PolicyStore, usage UsageStore) (*Service, error) {
	if base == nil || usage == nil {
		return nil, fmt.Errorf("anon service: a pseudonymizer and a usage store are required: %w", errs.ErrInvalid)
	}
	return &Service{base: base, policies: policies, usage: usage, now: time.Now, cache: map[tenancy.ID]cachedPolicy{}}, nil
}

// MaxBytes is the size limit of one text.
func (s *Service) MaxBytes() int { return s.base.maxBytes }

// Pseudonymize pseudonymizes text under tenant t's policy and counts the
// call for t if it succeeds. When the tenant's policy cannot be read, it
// fails rather than fall back to the default.
func (s *Service) Pseudonymize(ctx context.Context, t tenancy.ID, text string) (Result, error) {
	c, err := s.load(ctx, t)
	if err != nil {
		return Result{}, fmt.Errorf("pseudonymize: %w", err)
	}
	res, err := c.p.Pseudonymize(ctx, text)
	if err != nil {
		return Result{}, err
	}
	// Counted in German civil days, the calendar of the Länder's accounts.
	if err := s.usage.AddUsage(ctx, t, ServiceName, frist.Day(s.now()), int64(len(text))); err != nil {
		return Result{}, fmt.Errorf("pseudonymize: %w", err)
	}
	return res, nil
}

// Policy returns tenant t's policy: the one it chose, or the default.
func (s *Service) Policy(ctx context.Context, t tenancy.ID) (TenantPolicy, error) {
	c, err := s.load(ctx, t)
	if err != nil {
		return TenantPolicy{}, err
	}
	tp := c.tp
	tp.Policy.Replace = slices.Clone(tp.Policy.Replace) // the cached one stays as it is
	return tp, nil
}

// SetPolicy makes p tenant t's policy, set by by; it applies to the next
// call. Unknown kinds wrap errs.ErrInvalid, and so does a Service without
// a PolicyStore.
func (s *Service) SetPolicy(ctx context.Context, t tenancy.ID, p Policy, by string) (TenantPolicy, error) {
	if s.policies == nil {
		return TenantPolicy{}, fmt.Errorf("anon policy: no policy store: %w", errs.ErrInvalid)
	}
	defer s.forget(t)
	return SavePolicy(ctx, s.policies, t, p, by, s.now())
}

// ResetPolicy gives tenant t the default policy again; it applies to the
// next call.
func (s *Service) ResetPolicy(ctx context.Context, t tenancy.ID) error {
	if s.policies == nil {
		return nil
	}
	defer s.forget(t)
	if err := s.policies.DeleteAnonPolicy(ctx, t); err != nil {
		return fmt.Errorf("anon policy of %s: %w", t, err)
	}
	return nil
}

// forget drops tenant t's cached policy after a change (also a failed one,
// whose outcome in the store is unknown).
func (s *Service) forget(t tenancy.ID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.cache, t)
	s.changes++
}

// load returns tenant t's cached policy, reading it from the store when it
// is missing or older than PolicyTTL.
func (s *Service) load(ctx context.Context, t tenancy.ID) (cachedPolicy, error) {
	if s.policies == nil {
		return cachedPolicy{tp: TenantPolicy{Tenant: t, Policy: Policy{Replace: slices.Clone(s.base.policy.Replace)}, Default: true}, p: s.base}, nil
	}
	now := s.now()
	s.mu.Lock()
	c, ok := s.cache[t]
	changes := s.changes
	s.mu.Unlock()
	if ok && now.Sub(c.read) < PolicyTTL && !now.Before(c.read) {
		return c, nil
	}
	tp, err := LoadPolicy(ctx, s.policies, t, s.base.policy)
	if err != nil {
		return cachedPolicy{}, err
	}
	if err := tp.Policy.Validate(); err != nil {
		return cachedPolicy{}, fmt.Errorf("stored anon policy of %s: %w", t, err)
	}
	p := *s.base
	p.policy = Policy{Replace: slices.Clone(tp.Policy.Replace)}
	c = cachedPolicy{tp: tp, p: &p, read: now}
	s.mu.Lock()
	if s.changes == changes { // no change began meanwhile: what was read is current
		s.cache[t] = c
	}
	s.mu.Unlock()
	return c, nil
}

// Usage returns the counters of every tenant that used the service.
func (s *Service) Usage(ctx context.Context) (map[tenancy.ID]Usage, error) {
	return s.usage.Usage(ctx, ServiceName)
}
