// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"justizcloud/anon"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

var _ anon.PolicyStore = (*DB)(nil)

func scanAnonPolicy(r interface{ Scan(...any) error }) (anon.TenantPolicy, error) {
	var p anon.TenantPolicy
	var kinds string
	if err := r.Scan(&p.Tenant, &kinds, timeCol{&p.UpdatedAt}, &p.UpdatedBy); err != nil {
		return p, err
	}
	if err := json.Unmarshal([]byte(kinds), &p.Policy.Replace); err != nil {
		return p, fmt.Errorf("kinds: %w", err)
	}
	if p.Policy.Replace == nil {
		p.Policy.Replace = []anon.Kind{}
	}
	return p, nil
}

// AnonPolicy implements anon.PolicyStore.
func (d *DB) AnonPolicy(ctx context.Context, t tenancy.ID) (anon.TenantPolicy, error) {
	p, err := scanAnonPolicy(d.queryRow(ctx, d.r, d.q(`SELECT tenant, kinds, updated_at, updated_by FROM anon_policies WHERE tenant = ?`), t))
	if errors.Is(err, sql.ErrNoRows) {
		return anon.TenantPolicy{}, fmt.Errorf("anon policy of %s: %w", t, errs.ErrNotFound)
	}
	if err != nil {
		return anon.TenantPolicy{}, fmt.Errorf("anon policy of %s: %w", t, err)
	}
	return p, nil
}

// AnonPolicies returns the policies of every tenant that chose one, by
// tenant.
func (d *DB) AnonPolicies(ctx context.Context) ([]anon.TenantPolicy, error) {
	rows, err := d.query(ctx, d.r, d.q(`SELECT tenant, kinds, updated_at, updated_by FROM anon_policies ORDER BY tenant`))
	if err != nil {
		return nil, fmt.Errorf("anon policies: %w", err)
	}
	defer rows.Close()
	var out []anon.TenantPolicy
	for rows.Next() {
		p, err := scanAnonPolicy(rows)
		if err != nil {
			return nil, fmt.Errorf("anon policies: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("anon policies: %w", err)
	}
	return out, nil
}

// PutAnonPolicy implements anon.PolicyStore. It stores the kinds as given;
// anon.SavePolicy validates them first.
func (d *DB) PutAnonPolicy(ctx context.Context, p anon.TenantPolicy) error {
	if p.Tenant == "" || p.UpdatedBy == "" {
		return fmt.Errorf("put anon policy: %w: tenant and updated_by are required", errs.ErrInvalid)
	}
	kinds := p.Policy.Replace
	if kinds == nil {
		kinds = []anon.Kind{}
	}
	b, err := json.Marshal(kinds)
	if err != nil {
		return fmt.Errorf("put anon policy of %s: %w", p.Tenant, err)
	}
	_, err = d.exec(ctx, d.w, d.q(`INSERT INTO anon_policies (tenant, kinds, updated_at, updated_by) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant) DO UPDATE SET kinds = excluded.kinds, updated_at = excluded.updated_at, updated_by = excluded.updated_by`),
		p.Tenant, string(b), d.ts(d.normTime(p.UpdatedAt)), p.UpdatedBy)
	if err != nil {
		return fmt.Errorf("put anon policy of %s: %w", p.Tenant, classify(err))
	}
	return nil
}

// DeleteAnonPolicy implements anon.PolicyStore.
func (d *DB) DeleteAnonPolicy(ctx context.Context, t tenancy.ID) error {
	if _, err := d.exec(ctx, d.w, d.q(`DELETE FROM anon_policies WHERE tenant = ?`), t); err != nil {
		return fmt.Errorf("delete anon policy of %s: %w", t, err)
	}
	return nil
}
