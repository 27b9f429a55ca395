// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"justizcloud/errs"
	"justizcloud/tenancy"
)

// TenantPolicy is a tenant's policy with who set it and when. Default marks
// a tenant that chose none: Policy is then the default, and UpdatedAt and
// UpdatedBy are empty.
type TenantPolicy struct {
	Tenant    tenancy.ID
	Policy    Policy
	Default   bool
	UpdatedAt time.Time
	UpdatedBy string
}

// PolicyStore keeps the policies the tenants chose (sqlstore.DB). Its
// methods are safe for concurrent use.
type PolicyStore interface {
	// AnonPolicy returns tenant t's stored policy; errs.ErrNotFound when t
	// chose none.
	AnonPolicy(ctx context.Context, t tenancy.ID) (TenantPolicy, error)
	// PutAnonPolicy stores p, replacing the tenant's earlier policy.
	PutAnonPolicy(ctx context.Context, p TenantPolicy) error
	// DeleteAnonPolicy removes tenant t's policy; none is not an error.
	DeleteAnonPolicy(ctx context.Context, t tenancy.ID) error
}

// LoadPolicy returns tenant t's policy from st, or def (marked Default)
// when t chose none.
func LoadPolicy(ctx context.Context, st PolicyStore, t tenancy.ID, def Policy) (TenantPolicy, error) {
	tp, err := st.AnonPolicy(ctx, t)
	if errors.Is(err, errs.ErrNotFound) {
		return TenantPolicy{Tenant: t, Policy: Policy{Replace: slices.Clone(def.Replace)}, Default: true}, nil
	}
	if err != nil {
		return TenantPolicy{}, fmt.Errorf("anon policy of %s: %w", t, err)
	}
	return tp, nil
}

// SavePolicy validates p and stores it as tenant t's policy, set by by at
// now. Unknown kinds wrap errs.ErrInvalid. The kinds are stored once each,
// in the order of AllKinds.
func SavePolicy(ctx context.Context, st PolicyStore, t tenancy.ID, p Policy, by string, now time.Time) (TenantPolicy, error) {
	if t == "" || by == "" {
		return TenantPolicy{}, fmt.Errorf("anon policy: tenant and author are required: %w", errs.ErrInvalid)
	}
	if err := p.Validate(); err != nil {
		return TenantPolicy{}, err
	}
	// Private persons are never published by name: a policy may keep
	// judges, lawyers, places or identifiers, but not parties and witnesses.
	if !p.Replaces(Person) {
		return TenantPolicy{}, fmt.Errorf("anon policy: persons (PER) are always replaced; a policy must include PER: %w", errs.ErrInvalid)
	}
	norm := Policy{Replace: []Kind{}}
	for _, k := range AllKinds() {
		if p.Replaces(k) {
			norm.Replace = append(norm.Replace, k)
		}
	}
	tp := TenantPolicy{Tenant: t, Policy: norm, UpdatedAt: now, UpdatedBy: by}
	if err := st.PutAnonPolicy(ctx, tp); err != nil {
		return TenantPolicy{}, fmt.Errorf("anon policy of %s: %w", t, err)
	}
	return tp, nil
}

// KindLabel is the German name of a kind, for people who choose a policy.
func KindLabel(k Kind) string {
	switch k {
	case Person:
		return "Personen (Parteien, Zeugen und andere Privatpersonen)"
	case Judge:
		return "Richterinnen und Richter"
	case Lawyer:
		return "Anwältinnen und Anwälte"
	case Country:
		return "Länder"
	case City:
		return "Orte"
	case Street:
		return "Straßen"
	case Landscape:
		return "Landschaften und Regionen"
	case Organization:
		return "Organisationen"
	case Company:
		return "Unternehmen"
	case Institution:
		return "Behörden und Institutionen"
	case Court:
		return "Gerichte"
	case Brand:
		return "Marken"
	case Law:
		return "Gesetze"
	case Ordinance:
		return "Verordnungen"
	case EUNorm:
		return "EU-Normen"
	case Regulation:
		return "Vorschriften"
	case Contract:
		return "Verträge"
	case CaseCitation:
		return "zitierte Entscheidungen"
	case Literature:
		return "Literatur"
	case Email:
		return "E-Mail-Adressen"
	case Phone:
		return "Telefonnummern"
	case IBAN:
		return "IBAN"
	case BirthDate:
		return "Geburtsdaten"
	case LicencePlate:
		return "Kfz-Kennzeichen"
	case TaxID:
		return "Steuernummern"
	case SocialSecurity:
		return "Sozialversicherungsnummern"
	case Address:
		return "Anschriften"
	}
	return string(k)
}
