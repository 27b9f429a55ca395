// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package akte

import (
	"context"
	"fmt"
	"time"

	"justizcloud/authz"
	"justizcloud/tenancy"
)

// Hold is a legal hold on a case: while it is set, no document of the case
// is destroyed, whatever its Aufbewahrungsfrist says.
type Hold struct {
	Tenant tenancy.ID
	Case   CaseID
	Reason string
	SetAt  time.Time
	SetBy  string
}

// SetHold puts a legal hold on a case, or replaces the reason of the one it
// has. Only roles allowed authz.ManageHold may.
func (s *Service) SetHold(ctx context.Context, sub authz.Subject, id CaseID, reason string) (Hold, error) {
	c, err := s.holdCase(ctx, sub, id)
	if err != nil {
		return Hold{}, err
	}
	reason, err = checkText("reason", reason, 1000, true)
	if err != nil {
		return Hold{}, fmt.Errorf("hold case %s: %w", id, err)
	}
	h := Hold{Tenant: c.Tenant, Case: c.ID, Reason: reason, SetAt: s.now().UTC(), SetBy: sub.ID}
	if err := s.store.SetHold(ctx, h); err != nil {
		return Hold{}, fmt.Errorf("hold case %s: %w", id, err)
	}
	return h, nil
}

// ClearHold lifts the legal hold of a case. A case without a hold is not an error.
func (s *Service) ClearHold(ctx context.Context, sub authz.Subject, id CaseID) error {
	c, err := s.holdCase(ctx, sub, id)
	if err != nil {
		return err
	}
	if err := s.store.ClearHold(ctx, c.Tenant, c.ID); err != nil {
		return fmt.Errorf("clear hold of case %s: %w", id, err)
	}
	return nil
}

func (s *Service) holdCase(ctx context.Context, sub authz.Subject, id CaseID) (Case, error) {
	c, err := s.caseFor(ctx, sub, id, authz.ManageHold)
	if err != nil {
		return Case{}, fmt.Errorf("hold case %s: %w", id, err)
	}
	return c, nil
}
