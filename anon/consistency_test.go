// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon

import (
	"context"
	"strings"
	"testing"
)

// TestPseudonymizeDecisionConsistent runs a whole decision as the portal
// writes it: a replaced person's surname goes everywhere, also inside a
// company's name that is otherwise kept; the judge introduced by her office
// keeps her name in the rubrum and in the signature; headings are nobody.
func TestPseudonymizeDecisionConsistent(t *testing.T) {
	text := `Amtsgericht München
Az. 12 C 1234/26

Im Namen des Volkes

Urteil

In dem Rechtsstreit

Erika Mustermann, Hauptstraße 5, 80331 München
- Klägerin -

gegen

Zweirad Knopfloch GmbH, vertreten durch den Geschäftsführer Max Knopfloch, Industriestraße 12, 85748 Garching
- Beklagte -

hat das Amtsgericht München durch die Richterin am Amtsgericht Dr. Sabine Weber am 12. November 2026 für Recht erkannt:

1. Die Beklagte wird verurteilt, an die Klägerin 1.250,00 EUR zu zahlen.

Tatbestand

Die Klägerin kaufte bei der Beklagten ein Fahrrad. Frau Mustermann rügte Mängel gemäß § 437 BGB. Der Zeuge Jonas Becker bestätigte die Mängel. Herr Knopflochs Einwand überzeugt nicht.

Entscheidungsgründe

Die Klage ist begründet (vgl. BGH, Urteil vom 29. März 2006 - VIII ZR 173/05, NJW 2006, 1960).

Dr. Weber
Richterin am Amtsgericht
`
	p := mustPseudonymizer(t, Options{Policy: DefaultPolicy()})
	res, err := p.Pseudonymize(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"Mustermann", "Knopfloch", "Becker", "Hauptstraße", "Erika", "Jonas"} {
		if strings.Contains(res.Text, gone) {
			t.Errorf("%q is still in the result:\n%s", gone, res.Text)
		}
	}
	for _, stays := range []string{"Dr. Sabine Weber am", "Dr. Weber\nRichterin", "Zweirad ", "GmbH", "§ 437 BGB", "VIII ZR 173/05", "\nUrteil\n", "\nEntscheidungsgründe\n"} {
		if !strings.Contains(res.Text, stays) {
			t.Errorf("%q is missing from the result:\n%s", stays, res.Text)
		}
	}
	// The company's owner and the surname in the company are one person.
	letters := map[string]string{}
	for _, s := range res.Spans {
		if strings.Contains(s.Text, "Knopfloch") {
			letters[s.Replacement] = s.Text
		}
		if s.Kind == Person || s.Kind == Judge {
			if w := strings.TrimSpace(s.Text); w == "Urteil" || w == "Entscheidungsgründe" || w == "Tatbestand" {
				t.Errorf("the heading %q is a %s span", w, s.Kind)
			}
		}
	}
	if len(letters) != 1 {
		t.Errorf("Knopfloch has the replacements %v; want one letter", letters)
	}
}
