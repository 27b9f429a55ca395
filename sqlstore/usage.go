// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"fmt"
	"time"

	"justizcloud/anon"
	"justizcloud/tenancy"
)

var _ anon.UsageStore = (*DB)(nil)

// AddUsage implements anon.UsageStore: it adds one call of bytes input to
// the tenant's counter of service on day (a civil date).
func (d *DB) AddUsage(ctx context.Context, t tenancy.ID, service string, day time.Time, bytes int64) error {
	_, err := d.exec(ctx, d.w, d.q(`INSERT INTO service_usage (tenant, service, day, requests, bytes) VALUES (?, ?, ?, 1, ?)
		ON CONFLICT (tenant, service, day) DO UPDATE SET requests = service_usage.requests + 1, bytes = service_usage.bytes + excluded.bytes`),
		t, service, day.Format(time.DateOnly), bytes)
	if err != nil {
		return fmt.Errorf("add usage of %s by %s: %w", service, t, err)
	}
	return nil
}

// Usage implements anon.UsageStore: every tenant's totals of service.
func (d *DB) Usage(ctx context.Context, service string) (map[tenancy.ID]anon.Usage, error) {
	rows, err := d.query(ctx, d.r, d.q(`SELECT tenant, SUM(requests), SUM(bytes) FROM service_usage WHERE service = ? GROUP BY tenant`), service)
	if err != nil {
		return nil, fmt.Errorf("usage of %s: %w", service, err)
	}
	defer rows.Close()
	out := map[tenancy.ID]anon.Usage{}
	for rows.Next() {
		var t tenancy.ID
		var u anon.Usage
		if err := rows.Scan(&t, &u.Requests, &u.Bytes); err != nil {
			return nil, fmt.Errorf("usage of %s: %w", service, err)
		}
		out[t] = u
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("usage of %s: %w", service, err)
	}
	return out, nil
}
