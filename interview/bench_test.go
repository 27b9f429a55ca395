// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package interview

import "testing"

// BenchmarkValidatePage is the engine's share of a page request: validate
// the posted page, find the next one and the fields to render.
func BenchmarkValidatePage(b *testing.B) {
	d := mustDef(b, "fluggastrechte")
	a := Answers{"hinweise_gelesen": {Value: "true"}, "flugnummer": {Value: "LH 400"}, "flugdatum": {Value: "2026-02-10"},
		"von": {Value: "FRA"}, "nach": {Value: "JFK"}, "airline_name": {Value: "X"}, "airline_anschrift": {Value: "Y"},
		"ereignis": {Value: "annullierung"}, "mitteilung": {Value: "unter_7_tagen"}}
	form := Form{Values: map[string][]string{"ersatzbefoerderung": {"ja"}, "frueherer_abflug_minuten": {"30"}}, Now: now}
	for b.Loop() {
		next, problems := d.Validate("ersatz", a, form)
		if len(problems) > 0 {
			b.Fatal(problems)
		}
		p := d.Next(next, "ersatz")
		d.ShownFields(p, next)
	}
}

// BenchmarkSummary renders the data of the summary page of a complete
// Geld einklagen interview.
func BenchmarkSummary(b *testing.B) {
	d := mustDef(b, "geld-einklagen")
	a := Answers{}
	for _, s := range geldSteps("Frankfurt am Main", "M1201") {
		vals := map[string][]string{}
		for k, v := range s.values {
			vals[k] = []string{v}
		}
		a, _ = d.Validate(s.page, a, Form{Values: vals, Files: s.files, Now: now})
	}
	for b.Loop() {
		d.Summary(a)
		if _, err := d.Output(a); err != nil {
			b.Fatal(err)
		}
	}
}
