// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package blobtest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"justizcloud/blob"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

// testList checks blob.Lister, if the store offers it. All names start with
// "l", which no other case uses, because stores may share their backend.
func testList(t *testing.T, s blob.Store) {
	ls, ok := s.(blob.Lister)
	if !ok {
		t.Skipf("%T does not implement blob.Lister", s)
	}
	ctx := context.Background()
	// "l" lives in fsblob's shard "l_"; "listab-1" sorts before "listab_2",
	// and "listab_2" starts with "listab_" like an encrypted version of "listab".
	inA := []string{"l", "listab", "listab-1", "listab_2", "listac", "listb"}
	for _, name := range inA {
		mustPut(t, s, blob.Key{Tenant: tenantA, Name: name}, []byte(name))
	}
	mustPut(t, s, blob.Key{Tenant: tenantB, Name: "listab"}, []byte("B"))
	mustPut(t, s, blob.Key{Tenant: tenantA, Name: "listab"}, []byte("overwritten")) // still listed once

	check := func(tenant tenancy.ID, prefix string, want []string) {
		t.Helper()
		got, err := ls.List(ctx, tenant, prefix)
		if err != nil {
			t.Errorf("List(%s, %q) = %v", tenant, prefix, err)
			return
		}
		if !slices.Equal(got, want) {
			t.Errorf("List(%s, %q) = %q, want %q", tenant, prefix, got, want)
		}
	}
	check(tenantA, "l", inA)
	check(tenantA, "li", inA[1:])
	check(tenantA, "list", inA[1:])
	check(tenantA, "listab", []string{"listab", "listab-1", "listab_2"})
	check(tenantA, "listab_", []string{"listab_2"})
	check(tenantA, "listab_2", []string{"listab_2"})
	check(tenantA, "listab-", []string{"listab-1"})
	check(tenantA, "listb", []string{"listb"})
	check(tenantA, "l_", []string{})
	check(tenantA, "listz", []string{})
	check(tenantA, "listab_20", []string{})
	check(tenantB, "l", []string{"listab"})
	check(tenantB, "listac", []string{})
	check("DE", "l", []string{})

	// The empty prefix lists the tenant's names of other cases too.
	all, err := ls.List(ctx, tenantA, "")
	if err != nil {
		t.Fatalf("List(%s, \"\") = %v", tenantA, err)
	}
	if !slices.IsSorted(all) {
		t.Errorf("List(%s, \"\") = %q, not sorted", tenantA, all)
	}
	var ours []string
	for _, n := range all {
		if strings.HasPrefix(n, "l") {
			ours = append(ours, n)
		}
	}
	if !slices.Equal(ours, inA) {
		t.Errorf("List(%s, \"\") has %q starting with l, want %q", tenantA, ours, inA)
	}

	for _, name := range []string{"listab", "l"} {
		if err := s.Delete(ctx, blob.Key{Tenant: tenantA, Name: name}); err != nil {
			t.Fatalf("Delete(%s) = %v", name, err)
		}
	}
	check(tenantA, "l", []string{"listab-1", "listab_2", "listac", "listb"})
	check(tenantA, "listab", []string{"listab-1", "listab_2"})
	check(tenantB, "listab", []string{"listab"})
	mustPut(t, s, blob.Key{Tenant: tenantA, Name: "listab"}, []byte("again"))
	check(tenantA, "listab", []string{"listab", "listab-1", "listab_2"})

	invalid := []struct {
		tenant tenancy.ID
		prefix string
	}{
		{"XX", "l"},
		{"", ""},
		{"DE-BY/..", "l"},
		{tenantA, "-l"},
		{tenantA, "_l"},
		{tenantA, "l/"},
		{tenantA, "../"},
		{tenantA, "l*"},
		{tenantA, "l%"},
		{tenantA, "l\x00"},
		{tenantA, strings.Repeat("l", 161)},
	}
	for _, tt := range invalid {
		if got, err := ls.List(ctx, tt.tenant, tt.prefix); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("List(%q, %q) = %q, %v; want errs.ErrInvalid", tt.tenant, tt.prefix, got, err)
		}
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if got, err := ls.List(cctx, tenantA, "l"); !errors.Is(err, context.Canceled) {
		t.Errorf("List with cancelled ctx = %q, %v; want context.Canceled", got, err)
	}
}
