// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon

import (
	"context"
	"fmt"
	"time"

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

// Service is pseudonymization as a shared service for all tenants: each
// tenant's policy applies to its texts, and every successful call is counted
// for the caller's tenant in the store (billing reads it). It is safe for
// concurrent use.
type Service struct {
	base     *Pseudonymizer
	policies map[tenancy.ID]*Pseudonymizer
	usage    UsageStore
	now      func() time.Time
}

// NewService returns a Service that applies base's policy to every tenant
// without an entry in policies and counts use in usage. Invalid policies
// wrap errs.ErrInvalid.
func NewService(base *Pseudonymizer, policies map[tenancy.ID]Policy, usage UsageStore) (*Service, error) {
	s := &Service{base: base, policies: map[tenancy.ID]*Pseudonymizer{}, usage: usage, now: time.Now}
	for t, pol := range policies {
		if err := pol.Validate(); err != nil {
			return nil, fmt.Errorf("tenant %s: %w", t, err)
		}
		c := *base
		c.policy = pol
		s.policies[t] = &c
	}
	return s, nil
}

// MaxBytes is the size limit of one text.
func (s *Service) MaxBytes() int { return s.base.maxBytes }

// Pseudonymize pseudonymizes text under tenant t's policy and counts the
// call for t if it succeeds.
func (s *Service) Pseudonymize(ctx context.Context, t tenancy.ID, text string) (Result, error) {
	p := s.base
	if tp, ok := s.policies[t]; ok {
		p = tp
	}
	res, err := p.Pseudonymize(ctx, text)
	if err != nil {
		return Result{}, err
	}
	// Counted in German civil days, the calendar of the Länder's accounts.
	if err := s.usage.AddUsage(ctx, t, ServiceName, frist.Day(s.now()), int64(len(text))); err != nil {
		return Result{}, fmt.Errorf("pseudonymize: %w", err)
	}
	return res, nil
}

// Usage returns the counters of every tenant that used the service.
func (s *Service) Usage(ctx context.Context) (map[tenancy.ID]Usage, error) {
	return s.usage.Usage(ctx, ServiceName)
}
