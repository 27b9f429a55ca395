// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"testing"
	"time"

	"justizcloud/anon"
	"justizcloud/tenancy"
)

// testUsage: calls add up per tenant and service across days; other
// services and tenants stay apart.
func testUsage(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	d1, d2 := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		tenant  string
		service string
		day     time.Time
		bytes   int64
	}{{"DE-BY", "anonymize", d1, 10}, {"DE-BY", "anonymize", d1, 5}, {"DE-BY", "anonymize", d2, 7}, {"DE-HB", "anonymize", d2, 1}, {"DE-BY", "translate", d2, 100}} {
		if err := db.AddUsage(ctx, tenancy.ID(c.tenant), c.service, c.day, c.bytes); err != nil {
			t.Fatal(err)
		}
	}
	u, err := db.Usage(ctx, "anonymize")
	if err != nil {
		t.Fatal(err)
	}
	if u["DE-BY"] != (anon.Usage{Requests: 3, Bytes: 22}) || u["DE-HB"] != (anon.Usage{Requests: 1, Bytes: 1}) || len(u) != 2 {
		t.Errorf("Usage(anonymize) = %+v", u)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM service_usage WHERE tenant = 'DE-BY' AND service = 'anonymize'`); n != 2 {
		t.Errorf("DE-BY has %d day rows, want 2", n)
	}
}
