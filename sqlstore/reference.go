// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"justizcloud/tenancy"
)

// metaCatalogVersion is the meta key that records which catalog version was seeded.
const metaCatalogVersion = "catalog_version"

// SeedReference stores the tenants and courts of cat. It does nothing when
// the database already holds cat.Version(); otherwise it upserts all rows and
// records the version in one transaction, so a crash leaves either the old or
// the new reference data. Rows that a newer catalog no longer lists are kept:
// cases may refer to them. Safe to call from replicas starting together.
func (d *DB) SeedReference(ctx context.Context, cat *tenancy.Catalog) error {
	want := cat.Version()
	var have string
	err := d.r.QueryRowContext(ctx, d.q(`SELECT value FROM meta WHERE key = ?`), metaCatalogVersion).Scan(&have)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sqlstore: seed reference: %w", err)
	}
	if have == want {
		return nil
	}
	courts := cat.Courts()
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		for _, t := range tenancy.Tenants() {
			if _, err := tx.ExecContext(ctx, d.q(`INSERT INTO tenants (id, name) VALUES (?, ?)
				ON CONFLICT (id) DO UPDATE SET name = excluded.name`), t.ID, t.Name); err != nil {
				return fmt.Errorf("tenant %s: %w", t.ID, err)
			}
		}
		st, err := tx.PrepareContext(ctx, d.q(`INSERT INTO courts
			(id, tenant, name, type, city, active, federal, category, unit, related)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET tenant = excluded.tenant, name = excluded.name,
				type = excluded.type, city = excluded.city, active = excluded.active,
				federal = excluded.federal, category = excluded.category, unit = excluded.unit,
				related = excluded.related`))
		if err != nil {
			return fmt.Errorf("prepare courts: %w", err)
		}
		defer st.Close()
		for _, c := range courts {
			if _, err := st.ExecContext(ctx, c.ID, c.Tenant, c.Name, c.Type, c.City,
				c.Active, c.Federal, c.Category, c.Unit, c.Related); err != nil {
				return fmt.Errorf("court %s: %w", c.ID, classify(err))
			}
		}
		_, err = tx.ExecContext(ctx, d.q(`INSERT INTO meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`), metaCatalogVersion, want)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlstore: seed reference %s: %w", want, err)
	}
	d.log.Info("reference data seeded", "catalog_version", want, "previous", have,
		"tenants", len(tenancy.Tenants()), "courts", len(courts))
	return nil
}
