// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon

import (
	"fmt"
	"slices"

	"justizcloud/errs"
)

// Kind is what a span is: one of the tagger's classes or an identifier found
// by a rule.
type Kind string

// Kinds from the tagger (the LER classes).
const (
	Person       Kind = "PER" // parties, witnesses, other private persons
	Judge        Kind = "RR"
	Lawyer       Kind = "AN"
	Country      Kind = "LD"
	City         Kind = "ST"
	Street       Kind = "STR"
	Landscape    Kind = "LDS"
	Organization Kind = "ORG"
	Company      Kind = "UN"
	Institution  Kind = "INN" // authorities, ministries
	Court        Kind = "GRT"
	Brand        Kind = "MRK"
	Law          Kind = "GS"
	Ordinance    Kind = "VO"
	EUNorm       Kind = "EUN"
	Regulation   Kind = "VS"
	Contract     Kind = "VT"
	CaseCitation Kind = "RS"
	Literature   Kind = "LIT"
)

// Kinds from the rules.
const (
	Email          Kind = "EMAIL"
	Phone          Kind = "PHONE"
	IBAN           Kind = "IBAN"
	BirthDate      Kind = "BIRTHDATE"
	LicencePlate   Kind = "PLATE"
	TaxID          Kind = "TAXID"
	SocialSecurity Kind = "SOCIALSECURITY"
	Address        Kind = "ADDRESS"
)

// AllKinds lists every kind, tagger classes first.
func AllKinds() []Kind {
	return []Kind{Person, Judge, Lawyer, Country, City, Street, Landscape, Organization, Company, Institution, Court, Brand,
		Law, Ordinance, EUNorm, Regulation, Contract, CaseCitation, Literature,
		Email, Phone, IBAN, BirthDate, LicencePlate, TaxID, SocialSecurity, Address}
}

// Policy says which kinds of spans a tenant replaces; all others stay.
// The zero Policy replaces nothing.
type Policy struct {
	Replace []Kind
}

// DefaultPolicy replaces parties, witnesses and lawyers, streets, places and
// addresses, companies' and organizations' names are kept (legal persons),
// and every identifier is replaced; judges, courts, laws, authorities, case
// citations and literature stay, as courts publish them.
func DefaultPolicy() Policy {
	return Policy{Replace: []Kind{Person, Lawyer, City, Street,
		Email, Phone, IBAN, BirthDate, LicencePlate, TaxID, SocialSecurity, Address}}
}

// Validate reports unknown kinds as errs.ErrInvalid.
func (p Policy) Validate() error {
	all := AllKinds()
	for _, k := range p.Replace {
		if !slices.Contains(all, k) {
			return fmt.Errorf("anon policy: unknown kind %q: %w", k, errs.ErrInvalid)
		}
	}
	return nil
}

// Replaces reports whether the policy replaces spans of kind k.
func (p Policy) Replaces(k Kind) bool { return slices.Contains(p.Replace, k) }

// placeholder is the label of a replaced non-person span, numbered per
// document: "[Straße 1]".
func placeholder(k Kind) string {
	switch k {
	case Street, Address:
		return "Straße"
	case City:
		return "Ort"
	case Country:
		return "Land"
	case Landscape:
		return "Region"
	case Organization:
		return "Organisation"
	case Company:
		return "Unternehmen"
	case Institution:
		return "Behörde"
	case Court:
		return "Gericht"
	case Brand:
		return "Marke"
	case Email:
		return "E-Mail"
	case Phone:
		return "Telefon"
	case IBAN:
		return "IBAN"
	case BirthDate:
		return "Geburtsdatum"
	case LicencePlate:
		return "Kennzeichen"
	case TaxID:
		return "Steuernummer"
	case SocialSecurity:
		return "Sozialversicherungsnummer"
	case Law, Ordinance, EUNorm, Regulation, Contract:
		return "Norm"
	case CaseCitation:
		return "Entscheidung"
	case Literature:
		return "Literatur"
	}
	return "Angabe"
}

// IsPerson reports the kinds that name natural persons (PER, RR, AN), which
// are replaced by letters ("A.").
func IsPerson(k Kind) bool { return k == Person || k == Judge || k == Lawyer }
