// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package akte

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

// MaxInspection is the longest an Akteneinsicht grant may run.
const MaxInspection = 366 * 24 * time.Hour

// AccountLookup returns the subject of an enabled user account, or an error
// wrapping errs.ErrNotFound or errs.ErrUnauthenticated (disabled).
type AccountLookup func(ctx context.Context, userID string) (authz.Subject, error)

// AssignJudge makes user the judge of a proceeding (relation richter). The
// user must be an enabled richter of the case's tenant; a previous judge's
// assignment is revoked.
func (s *Service) AssignJudge(ctx context.Context, sub authz.Subject, id CaseID, user string) (authz.Tuple, error) {
	c, err := s.caseFor(ctx, sub, id, authz.AssignJudge)
	if err != nil {
		return authz.Tuple{}, fmt.Errorf("assign judge: %w", err)
	}
	judge, err := s.account(ctx, user)
	if err != nil {
		return authz.Tuple{}, fmt.Errorf("assign judge: %w", err)
	}
	if judge.Role != authz.Richter || judge.Tenant != c.Tenant {
		return authz.Tuple{}, fmt.Errorf("assign judge: %w: field \"user\": %s is not a richter in %s", errs.ErrInvalid, user, c.Tenant)
	}
	rels, err := s.z.CaseRelations(ctx, string(c.ID))
	if err != nil {
		return authz.Tuple{}, fmt.Errorf("assign judge: %w", err)
	}
	now := s.now().UTC()
	for _, t := range rels {
		if t.Relation == authz.JudgeOf && t.Active(now) {
			if t.Holder == authz.UserRef(user) {
				return t, nil // already assigned
			}
			if _, err := s.z.Revoke(ctx, c.Tenant, t.ID); err != nil {
				return authz.Tuple{}, fmt.Errorf("assign judge: %w", err)
			}
		}
	}
	return s.relate(ctx, sub, c, authz.Tuple{Relation: authz.JudgeOf, Holder: authz.UserRef(user)})
}

// NewGrant is the input of Grant.
type NewGrant struct {
	Relation authz.Relation // authz.Inspects or authz.SharedWith
	// Holder of an Akteneinsicht: authz.UserRef or authz.OrgRef.
	Holder string
	// Court a proceeding is shared with (authz.SharedWith).
	Court     tenancy.CourtID
	Documents []DocumentID // Akteneinsicht in these documents only; empty: the whole file but restricted documents
	ExpiresAt time.Time    // required for Akteneinsicht; optional for a share
	Note      string
}

// Grant gives Akteneinsicht to a person or organisation, time-limited, for
// the whole file or listed documents; or shares the proceeding with another
// court (of any Land), whose staff may then read it.
func (s *Service) Grant(ctx context.Context, sub authz.Subject, id CaseID, in NewGrant) (authz.Tuple, error) {
	c, err := s.caseFor(ctx, sub, id, authz.ManageAccess)
	if err != nil {
		return authz.Tuple{}, fmt.Errorf("grant: %w", err)
	}
	note, err := checkText("note", in.Note, 500, false)
	if err != nil {
		return authz.Tuple{}, fmt.Errorf("grant: %w", err)
	}
	t := authz.Tuple{Relation: in.Relation, ExpiresAt: in.ExpiresAt.UTC(), Note: note}
	if in.ExpiresAt.IsZero() {
		t.ExpiresAt = time.Time{}
	}
	now := s.now()
	if !t.ExpiresAt.IsZero() && !t.ExpiresAt.After(now) {
		return authz.Tuple{}, fmt.Errorf("grant: %w: field \"expires_at\" is not in the future", errs.ErrInvalid)
	}
	switch in.Relation {
	case authz.Inspects:
		if in.Court != "" {
			return authz.Tuple{}, fmt.Errorf("grant: %w: field \"court\" belongs to a share (geteilt)", errs.ErrInvalid)
		}
		if t.ExpiresAt.IsZero() || t.ExpiresAt.Sub(now) > MaxInspection {
			return authz.Tuple{}, fmt.Errorf("grant: %w: field \"expires_at\": Akteneinsicht is granted for at most %d days", errs.ErrInvalid, MaxInspection/(24*time.Hour))
		}
		if t.Holder, err = s.holder(ctx, in.Holder); err != nil {
			return authz.Tuple{}, fmt.Errorf("grant: %w", err)
		}
		if len(in.Documents) > 0 {
			ds, err := s.store.Documents(ctx, c.Tenant, c.ID)
			if err != nil {
				return authz.Tuple{}, fmt.Errorf("grant: %w", err)
			}
			for _, d := range in.Documents {
				if !slices.ContainsFunc(ds, func(x Document) bool { return x.ID == d }) {
					return authz.Tuple{}, fmt.Errorf("grant: %w: field \"documents\": %s is not a document of this case", errs.ErrInvalid, d)
				}
				if !slices.Contains(t.Documents, string(d)) {
					t.Documents = append(t.Documents, string(d))
				}
			}
		}
	case authz.SharedWith:
		if in.Holder != "" || len(in.Documents) > 0 {
			return authz.Tuple{}, fmt.Errorf("grant: %w: a share names a court, not a holder or documents", errs.ErrInvalid)
		}
		court, err := s.cat.Court(in.Court)
		if err != nil {
			return authz.Tuple{}, fmt.Errorf("grant: %w: field \"court\": unknown court %q", errs.ErrInvalid, in.Court)
		}
		if court.ID == c.Court {
			return authz.Tuple{}, fmt.Errorf("grant: %w: field \"court\": the proceeding is at %s already", errs.ErrInvalid, court.ID)
		}
		t.Holder = authz.CourtRef(court.ID)
	default:
		return authz.Tuple{}, fmt.Errorf("grant: %w: field \"relation\" must be %q or %q", errs.ErrInvalid, authz.Inspects, authz.SharedWith)
	}
	return s.relate(ctx, sub, c, t)
}

// holder checks a grant's holder: an enabled user, or an organisation.
func (s *Service) holder(ctx context.Context, ref string) (string, error) {
	if !accountRE.MatchString(ref) {
		return "", fmt.Errorf("%w: field \"holder\": %q is not user:ID or org:ID", errs.ErrInvalid, ref)
	}
	if user, ok := strings.CutPrefix(ref, "user:"); ok {
		if _, err := s.account(ctx, user); err != nil {
			return "", err
		}
	}
	return ref, nil
}

func (s *Service) account(ctx context.Context, user string) (authz.Subject, error) {
	if s.accounts == nil {
		return authz.Subject{}, fmt.Errorf("%w: user accounts are not configured", errs.ErrInvalid)
	}
	u, err := s.accounts(ctx, user)
	if err != nil {
		return authz.Subject{}, fmt.Errorf("%w: user %q: no enabled account", errs.ErrInvalid, user)
	}
	return u, nil
}

func (s *Service) relate(ctx context.Context, sub authz.Subject, c Case, t authz.Tuple) (authz.Tuple, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return authz.Tuple{}, fmt.Errorf("relate: %w", err)
	}
	t.ID, t.Tenant, t.Case, t.CreatedAt, t.CreatedBy = "rel-"+id.String(), c.Tenant, string(c.ID), s.now().UTC(), sub.ID
	if err := s.z.Relate(ctx, t); err != nil {
		return authz.Tuple{}, err
	}
	return t, nil
}

// Access lists every relation to a proceeding, in force or ended: the
// assigned judge, participants' accounts, Akteneinsicht grants and shares.
func (s *Service) Access(ctx context.Context, sub authz.Subject, id CaseID) ([]authz.Tuple, error) {
	c, err := s.lookupCase(ctx, sub, id, authz.ManageAccess) // a read: also on a transferred case
	if err != nil {
		return nil, fmt.Errorf("access: %w", err)
	}
	ts, err := s.z.CaseRelations(ctx, string(c.ID))
	if err != nil {
		return nil, fmt.Errorf("access: %w", err)
	}
	out := make([]authz.Tuple, 0, len(ts))
	for _, t := range ts {
		if t.Tenant == c.Tenant {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b authz.Tuple) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, nil
}

// Revoke ends a grant, share or judge assignment at once. A participant's
// access ends with the participant (RemoveParticipant or a changed account).
func (s *Service) Revoke(ctx context.Context, sub authz.Subject, id CaseID, rel string) (authz.Tuple, error) {
	c, err := s.caseFor(ctx, sub, id, authz.ManageAccess)
	if err != nil {
		return authz.Tuple{}, fmt.Errorf("revoke: %w", err)
	}
	ts, err := s.z.CaseRelations(ctx, string(c.ID))
	if err != nil {
		return authz.Tuple{}, fmt.Errorf("revoke: %w", err)
	}
	i := slices.IndexFunc(ts, func(t authz.Tuple) bool { return t.ID == rel && t.Tenant == c.Tenant })
	switch {
	case i < 0:
		return authz.Tuple{}, fmt.Errorf("revoke %s: %w", rel, errs.ErrNotFound)
	case ts[i].Relation == authz.PartyOf:
		return authz.Tuple{}, fmt.Errorf("revoke %s: %w: a participant's access ends when the participant is removed or unlinked", rel, errs.ErrConflict)
	case !ts[i].RevokedAt.IsZero():
		return authz.Tuple{}, fmt.Errorf("revoke %s: %w: revoked already", rel, errs.ErrConflict)
	}
	t, err := s.z.Revoke(ctx, c.Tenant, rel)
	if err != nil {
		return authz.Tuple{}, fmt.Errorf("revoke %s: %w", rel, err)
	}
	return t, nil
}
