// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"justizcloud/anon"
	"justizcloud/errs"
)

// testAnonPolicies: a tenant's policy is stored, replaced and deleted;
// other tenants keep theirs; a tenant without one is ErrNotFound.
func testAnonPolicies(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	if _, err := db.AnonPolicy(ctx, "DE-BY"); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("AnonPolicy of a tenant without one: err = %v, want ErrNotFound", err)
	}
	at := time.Date(2026, 11, 27, 10, 0, 0, 123456000, time.UTC)
	by := anon.TenantPolicy{Tenant: "DE-BY", Policy: anon.Policy{Replace: []anon.Kind{anon.Person, anon.Judge}}, UpdatedAt: at, UpdatedBy: "admin-by"}
	be := anon.TenantPolicy{Tenant: "DE-BE", Policy: anon.Policy{Replace: []anon.Kind{}}, UpdatedAt: at, UpdatedBy: "admin-be"}
	for _, p := range []anon.TenantPolicy{by, be} {
		if err := db.PutAnonPolicy(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	by.Policy.Replace = append(by.Policy.Replace, anon.Email)
	by.UpdatedAt, by.UpdatedBy = at.Add(time.Hour), "admin2-by"
	if err := db.PutAnonPolicy(ctx, by); err != nil {
		t.Fatal(err)
	}
	got, err := db.AnonPolicy(ctx, "DE-BY")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(by, got); diff != "" {
		t.Errorf("AnonPolicy(DE-BY) (-want +got):\n%s", diff)
	}
	all, err := db.AnonPolicies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]anon.TenantPolicy{be, by}, all); diff != "" {
		t.Errorf("AnonPolicies (-want +got):\n%s", diff)
	}
	if err := db.PutAnonPolicy(ctx, anon.TenantPolicy{Tenant: "DE-HB", Policy: anon.DefaultPolicy()}); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("PutAnonPolicy without updated_by: err = %v, want ErrInvalid", err)
	}
	for range 2 { // deleting twice is no error
		if err := db.DeleteAnonPolicy(ctx, "DE-BY"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.AnonPolicy(ctx, "DE-BY"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("AnonPolicy after delete: err = %v, want ErrNotFound", err)
	}
	if got, err := db.AnonPolicy(ctx, "DE-BE"); err != nil || len(got.Policy.Replace) != 0 {
		t.Errorf("AnonPolicy(DE-BE) = %+v, %v; want the empty policy", got, err)
	}
}
