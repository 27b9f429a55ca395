// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren

import (
	"slices"

	"justizcloud/authz"
)

// Party roles (Beteiligten-Rollen) that definitions may name. Each maps to a
// code of the XJustiz list GDS.Rollenbezeichnung 3.6 (see PartyRoleCode), so
// that exports map one to one.
const (
	Klaeger                  = "klaeger"                  // Kläger(in), code 101
	Beklagter                = "beklagter"                // Beklagte(r), code 028
	Prozessbevollmaechtigter = "prozessbevollmaechtigter" // Prozessbevollmächtigte(r), code 132
	Antragsteller            = "antragsteller"            // Antragsteller(in), code 016
)

// CourtRoles are the court roles that may fire events: the authz roles that
// act on a proceeding. authz.Leser is read-only and therefore absent.
func CourtRoles() []string {
	return []string{
		string(authz.Richter),
		string(authz.Rechtspfleger),
		string(authz.Geschaeftsstelle),
		string(authz.Landesadmin),
	}
}

// PartyRoles are the Beteiligten roles: they may fire events (a party files a
// Klageerwiderung), be required by a guard and be notified.
func PartyRoles() []string {
	return []string{Klaeger, Beklagter, Prozessbevollmaechtigter, Antragsteller}
}

// Roles is the one set of role names a definition may use: CourtRoles and
// PartyRoles.
func Roles() []string { return append(CourtRoles(), PartyRoles()...) }

// IsRole reports whether r is in Roles.
func IsRole(r string) bool { return slices.Contains(Roles(), r) }

// IsPartyRole reports whether r is in PartyRoles.
func IsPartyRole(r string) bool { return slices.Contains(PartyRoles(), r) }

// PartyRoleCode returns the GDS.Rollenbezeichnung 3.6 code of a party role.
func PartyRoleCode(r string) (string, bool) {
	switch r {
	case Klaeger:
		return "101", true
	case Beklagter:
		return "028", true
	case Prozessbevollmaechtigter:
		return "132", true
	case Antragsteller:
		return "016", true
	}
	return "", false
}
