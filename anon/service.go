// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon

import (
	"context"
	"fmt"
	"maps"
	"sync"

	"justizcloud/tenancy"
)

// Usage is what one tenant has had pseudonymized.
type Usage struct {
	Requests int64 // successful calls
	Bytes    int64 // input bytes of those calls
}

// Service is pseudonymization as a shared service for all tenants: each
// tenant's policy applies to its texts, and use is counted per tenant (kept
// in memory for now; billing will read it). It is safe for concurrent use.
type Service struct {
	base     *Pseudonymizer
	policies map[tenancy.ID]*Pseudonymizer

	mu    sync.Mutex
	usage map[tenancy.ID]Usage
}

// NewService returns a Service that applies base's policy to every tenant
// without an entry in policies. Invalid policies wrap errs.ErrInvalid.
func NewService(base *Pseudonymizer, policies map[tenancy.ID]Policy) (*Service, error) {
	s := &Service{base: base, policies: map[tenancy.ID]*Pseudonymizer{}, usage: map[tenancy.ID]Usage{}}
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
	s.mu.Lock()
	u := s.usage[t]
	u.Requests++
	u.Bytes += int64(len(text))
	s.usage[t] = u
	s.mu.Unlock()
	return res, nil
}

// Usage returns a copy of the counters of every tenant that used the service.
func (s *Service) Usage() map[tenancy.ID]Usage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.usage)
}
