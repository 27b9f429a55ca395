// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package tenancy knows the tenants of the platform (the Bund and the 16
// Länder), their courts and the Registerzeichen of the Aktenordnung. Every
// row and blob of the platform belongs to exactly one tenant.
package tenancy

import (
	"fmt"

	"justizcloud/errs"
)

// ID identifies a tenant by its ISO 3166-2 code: "DE" for the Bund, "DE-BY" for Bayern.
type ID string

// Tenant is the Bund or one Land.
type Tenant struct {
	ID   ID
	Name string
}

// tenants is ordered as ISO 3166-2:DE lists the Länder, the Bund first.
var tenants = [...]Tenant{
	{"DE", "Bund"},
	{"DE-BW", "Baden-Württemberg"},
	{"DE-BY", "Bayern"},
	{"DE-BE", "Berlin"},
	{"DE-BB", "Brandenburg"},
	{"DE-HB", "Bremen"},
	{"DE-HH", "Hamburg"},
	{"DE-HE", "Hessen"},
	{"DE-MV", "Mecklenburg-Vorpommern"},
	{"DE-NI", "Niedersachsen"},
	{"DE-NW", "Nordrhein-Westfalen"},
	{"DE-RP", "Rheinland-Pfalz"},
	{"DE-SL", "Saarland"},
	{"DE-SN", "Sachsen"},
	{"DE-ST", "Sachsen-Anhalt"},
	{"DE-SH", "Schleswig-Holstein"},
	{"DE-TH", "Thüringen"},
}

// Tenants returns the Bund and the 16 Länder.
func Tenants() []Tenant {
	out := make([]Tenant, len(tenants))
	copy(out, tenants[:])
	return out
}

// Parse checks that s names a tenant and returns its ID.
func Parse(s string) (ID, error) {
	for _, t := range tenants {
		if string(t.ID) == s {
			return t.ID, nil
		}
	}
	return "", fmt.Errorf("%w: unknown tenant %q (want DE or DE-BW … DE-TH)", errs.ErrInvalid, s)
}
