// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package courtfinder

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"justizcloud/tenancy"
)

func mustFinder(tb testing.TB) *Finder {
	tb.Helper()
	cat, err := tenancy.LoadCatalog()
	if err != nil {
		tb.Fatal(err)
	}
	return New(cat)
}

func ids(cs []tenancy.Court) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c.ID)
	}
	slices.Sort(out)
	return out
}

func TestNormalize(t *testing.T) {
	tests := map[string]string{
		"Frankfurt am Main":    "frankfurt main",
		"Frankfurt (Oder)":     "frankfurt oder",
		"Frankfurt/Oder":       "frankfurt oder",
		"München":              "munchen",
		"Muenchen":             "munchen",
		"MÜNCHEN":              "munchen",
		"Weiden i. d. OPf":     "weiden opf",
		"St. Ingbert":          "sankt ingbert",
		"Sankt Ingbert":        "sankt ingbert",
		"Straße":               "strasse",
		"  Hamburg-St. Georg ": "hamburg sankt georg",
		"Neustadt a. Rbge.":    "neustadt rbge",
		"Rotenburg a.d. Fulda": "rotenburg fulda",
		"":                     "",
		"---":                  "",
	}
	for in, want := range tests {
		got := ""
		for i, w := range Normalize(in) {
			if i > 0 {
				got += " "
			}
			got += w
		}
		if got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFind(t *testing.T) {
	f := mustFinder(t)
	tests := []struct {
		place  string
		want   []string // court IDs, sorted
		unique bool
	}{
		{"München", []string{"D2601"}, true},
		{"muenchen", []string{"D2601"}, true},
		{"Köln", []string{"R3306"}, true},
		// Hessen's Amtsgericht Frankfurt (am Main) and Brandenburg's
		// Frankfurt/Oder: the bare name is ambiguous.
		{"Frankfurt", []string{"G1207", "M1201"}, false},
		{"Frankfurt am Main", []string{"M1201"}, true},
		{"Frankfurt (Oder)", []string{"G1207"}, true},
		{"frankfurt/oder", []string{"G1207"}, true},
		// City-states: the whole city offers all its Amtsgerichte; a
		// district finds its own.
		{"Berlin-Charlottenburg", []string{"F1103"}, true},
		{"Charlottenburg", []string{"F1103"}, true},
		{"Berlin Mitte", []string{"F1112"}, true},
		{"Hamburg-Altona", []string{"K1102"}, true},
		{"Altona", []string{"K1102"}, true},
		{"Hamburg", []string{"K1101", "K1102", "K1103", "K1104", "K1105", "K1106", "K1107", "K1108"}, false},
		// Not the seat of an Amtsgericht.
		{"Unterhaching", nil, false},
		{"Bad Nirgendwo", nil, false},
		{"", nil, false},
	}
	for _, tt := range tests {
		m := f.Find(tt.place)
		if diff := cmp.Diff(tt.want, ids(m.Courts)); diff != "" && !(len(tt.want) == 0 && len(m.Courts) == 0) {
			t.Errorf("Find(%q) courts (-want +got):\n%s", tt.place, diff)
		}
		if m.Unique != tt.unique {
			t.Errorf("Find(%q).Unique = %v, want %v", tt.place, m.Unique, tt.unique)
		}
	}
}

func TestFindBerlinOffersAll(t *testing.T) {
	f := mustFinder(t)
	m := f.Find("Berlin")
	if m.Unique || len(m.Courts) < 10 {
		t.Fatalf("Find(Berlin) = %d courts, unique %v; want all Berlin Amtsgerichte", len(m.Courts), m.Unique)
	}
	for _, c := range m.Courts {
		if c.Tenant != "DE-BE" || c.Type != "Amtsgericht" || !c.Active {
			t.Errorf("Find(Berlin) includes %s %s (%s)", c.ID, c.Name, c.Tenant)
		}
	}
}

func TestFindSharedNames(t *testing.T) {
	f := mustFinder(t)
	for _, place := range []string{"Halle", "Neustadt", "Duisburg", "Essen"} {
		m := f.Find(place)
		if m.Unique || len(m.Courts) < 2 {
			t.Errorf("Find(%q) = %v, want several candidates", place, ids(m.Courts))
		}
	}
	// A spelling variant falls back to the first word, for choice.
	m := f.Find("Weißenburg in Bayern")
	if m.Unique || len(m.Courts) == 0 {
		t.Errorf("Find(Weißenburg in Bayern) = %v, unique %v; want candidates to choose from", ids(m.Courts), m.Unique)
	}
}

func TestCourtsAndSearch(t *testing.T) {
	f := mustFinder(t)
	all := f.Courts()
	if len(all) < 600 {
		t.Fatalf("len(Courts()) = %d, want about 640", len(all))
	}
	for _, c := range all {
		if c.Type != "Amtsgericht" || !c.Active || c.Unit != "" || c.Test() {
			t.Errorf("Courts() includes %s %s", c.ID, c.Name)
		}
	}
	if _, ok := f.Court("D2601"); !ok {
		t.Error("Court(D2601) not found")
	}
	if _, ok := f.Court("D2601G"); ok { // Grundbuchamt
		t.Error("Court(D2601G) found, want only main entries")
	}
	got := ids(f.Search("amtsgericht munchen"))
	if !slices.Contains(got, "D2601") {
		t.Errorf("Search(amtsgericht munchen) = %v, want D2601 among them", got)
	}
	if f.Search("  ") != nil {
		t.Error("Search(blank) found courts")
	}
}
