// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package tenancy

import (
	"errors"
	"testing"

	"justizcloud/errs"
)

func mustCatalog(tb testing.TB) *Catalog {
	tb.Helper()
	c, err := LoadCatalog()
	if err != nil {
		tb.Fatalf("LoadCatalog: %v", err)
	}
	return c
}

func TestCatalogCounts(t *testing.T) {
	c := mustCatalog(t)
	if got := len(c.Courts()); got != 2752 {
		t.Errorf("len(Courts()) = %d, want 2752", got)
	}
	perTenant := map[ID]int{}
	for _, ct := range c.Courts() {
		perTenant[ct.Tenant]++
	}
	// Counts from the code list's README.
	for id, want := range map[ID]int{"DE-BW": 254, "DE-BY": 431, "DE-NW": 469, "DE": 13, "DE-HB": 27} {
		if perTenant[id] != want {
			t.Errorf("courts of %s = %d, want %d", id, perTenant[id], want)
		}
	}
	if len(perTenant) != 17 {
		t.Errorf("tenants with courts = %d, want 17", len(perTenant))
	}
}

func TestCatalogFind(t *testing.T) {
	c := mustCatalog(t)
	ags := c.Find(CourtFilter{Tenant: "DE-BY", Type: "Amtsgericht"})
	if len(ags) == 0 {
		t.Fatal("no active Amtsgerichte in DE-BY")
	}
	for _, ct := range ags {
		if ct.Tenant != "DE-BY" || ct.Type != "Amtsgericht" || !ct.Active || ct.Test() {
			t.Errorf("Find returned %+v", ct)
		}
	}
	all := c.Find(CourtFilter{Tenant: "DE-BY", Type: "Amtsgericht", IncludeInactive: true})
	if len(all) <= len(ags) {
		t.Errorf("with inactive: %d, without: %d; want more with inactive", len(all), len(ags))
	}
	if got := c.Find(CourtFilter{IncludeTest: true, IncludeInactive: true}); len(got) != 2752 {
		t.Errorf("unfiltered Find = %d, want 2752", len(got))
	}
	if got := c.Find(CourtFilter{City: "leipzig", Type: "Amtsgericht"}); len(got) != 1 || got[0].ID != "U1308" {
		t.Errorf("AG Leipzig = %+v, want U1308", got)
	}
}

func TestRegister(t *testing.T) {
	c := mustCatalog(t)
	for _, tt := range []struct {
		z, courtType string
		ok, allowed  bool
	}{
		{"C", "Amtsgericht", true, true},
		{"O", "Landgericht", true, true},
		{"O", "Amtsgericht", true, false},
		{"BS", "", true, true},
		{"Bs", "", true, true},
		{"bs", "", false, false},
		{"c", "", false, false},
		{"", "", false, false},
	} {
		r, err := c.Register(tt.z)
		if (err == nil) != tt.ok {
			t.Errorf("Register(%q) err = %v, want ok=%v", tt.z, err, tt.ok)
			continue
		}
		if err != nil {
			if !errors.Is(err, errs.ErrInvalid) {
				t.Errorf("Register(%q) err = %v, want ErrInvalid", tt.z, err)
			}
			continue
		}
		if tt.courtType != "" && r.Allows(tt.courtType) != tt.allowed {
			t.Errorf("Register(%q).Allows(%q) = %v, want %v", tt.z, tt.courtType, !tt.allowed, tt.allowed)
		}
	}
}

func TestParse(t *testing.T) {
	for _, s := range []string{"DE", "DE-BY", "DE-TH"} {
		if _, err := Parse(s); err != nil {
			t.Errorf("Parse(%q) = %v", s, err)
		}
	}
	for _, s := range []string{"", "de-by", "DE-XX", "BY"} {
		if _, err := Parse(s); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("Parse(%q) = %v, want ErrInvalid", s, err)
		}
	}
	if n := len(Tenants()); n != 17 {
		t.Errorf("len(Tenants()) = %d, want 17", n)
	}
}
