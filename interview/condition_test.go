// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package interview

import (
	"strings"
	"testing"
)

func TestConditionEval(t *testing.T) {
	eq := func(f string, v ...string) *Condition { return &Condition{Field: f, Op: OpEquals, Values: v} }
	values := map[string]string{"art": "a", "betrag": "150000", "jahre": "-2"}
	tests := []struct {
		name string
		c    *Condition
		want bool
	}{
		{"nil holds", nil, true},
		{"equals", eq("art", "a"), true},
		{"equals other", eq("art", "b"), false},
		{"equals unanswered", eq("fehlt", "a"), false},
		{"in", &Condition{Field: "art", Op: OpIn, Values: []string{"b", "a"}}, true},
		{"in none", &Condition{Field: "art", Op: OpIn, Values: []string{"b", "c"}}, false},
		{"answered", &Condition{Field: "art", Op: OpAnswered, Answered: true}, true},
		{"answered false", &Condition{Field: "art", Op: OpAnswered, Answered: false}, false},
		{"unanswered", &Condition{Field: "fehlt", Op: OpAnswered, Answered: false}, true},
		{"greater", &Condition{Field: "betrag", Op: OpGreater, Values: []string{"149999"}}, true},
		{"greater equal", &Condition{Field: "betrag", Op: OpGreater, Values: []string{"150000"}}, false},
		{"less", &Condition{Field: "jahre", Op: OpLess, Values: []string{"0"}}, true},
		{"less unanswered", &Condition{Field: "fehlt", Op: OpLess, Values: []string{"0"}}, false},
		{"greater not a number", &Condition{Field: "art", Op: OpGreater, Values: []string{"0"}}, false},
		{"all", &Condition{All: []*Condition{eq("art", "a"), {Field: "betrag", Op: OpAnswered, Answered: true}}}, true},
		{"all one false", &Condition{All: []*Condition{eq("art", "a"), eq("art", "b")}}, false},
		{"all empty", &Condition{All: []*Condition{}}, true},
		{"any", &Condition{Any: []*Condition{eq("art", "b"), eq("art", "a")}}, true},
		{"any none", &Condition{Any: []*Condition{eq("art", "b"), eq("fehlt", "a")}}, false},
		{"any empty", &Condition{Any: []*Condition{}}, false},
		{"not", &Condition{Not: eq("art", "b")}, true},
		{"not not", &Condition{Not: &Condition{Not: eq("art", "a")}}, true},
		{"nested", &Condition{Any: []*Condition{{All: []*Condition{eq("art", "a"), {Not: eq("fehlt", "x")}}}}}, true},
		{"unknown op", &Condition{Field: "art", Op: "matches", Values: []string{"a"}}, false},
	}
	for _, tt := range tests {
		if got := tt.c.eval(values); got != tt.want {
			t.Errorf("%s: eval = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// condDef has a chain of conditions: b is shown when a is "ja", c when b is
// answered, page zwei when c is more than 100 €, and the computed fee
// feeds a condition of page drei.
const condDef = `name: cond
title: Bedingungen
procedure: zivil-online
pages:
  - id: eins
    title: Eins
    fields:
      - id: a
        label: A
        type: radio
        options: [{value: ja, label: Ja}, {value: nein, label: Nein}]
      - id: b
        label: B
        type: text
        when: {field: a, equals: ja}
      - id: c
        label: C
        type: money
        when: {field: b, answered: true}
  - id: gerichtsseite
    title: G
    fields:
      - {id: name, label: Name, type: text, required: true}
      - {id: gericht, label: Gericht, type: court, required: true}
  - id: zwei
    title: Zwei
    when: {field: c, greater: "100,00"}
    fields:
      - id: d
        label: D
        type: checkbox
  - id: drei
    title: Drei
    when:
      any:
        - {field: gebuehr, greater: 200}
        - {field: d, equals: true}
    fields:
      - id: notiz
        label: Notiz
        type: textarea
  - id: vier
    title: Vier
    when: {not: {field: a, in: [ja, nein]}}
computed:
  - id: gebuehr
    func: gerichtskosten
    args: {streitwert: c}
output:
  register: C
  subject: "{name}"
  court: gericht
  participants:
    - {role: klaeger, name: "{name}"}
    - {role: beklagter, name: "{name}"}
`

func mustLoad(tb testing.TB, src string) *Definition {
	tb.Helper()
	e, _ := mustEnv(tb)
	d, err := Load("test.yaml", []byte(src), e)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func TestConditionsOnAnswers(t *testing.T) {
	d := mustLoad(t, condDef)
	a := func(kv ...string) Answers {
		out := Answers{}
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i]] = Answer{Value: kv[i+1]}
		}
		return out
	}
	tests := []struct {
		name    string
		answers Answers
		shown   []string // pages
		fields  []string // fields of page eins
	}{
		{"nothing", a(), []string{"eins", "gerichtsseite", "vier"}, []string{"a"}},
		{"a nein", a("a", "nein", "b", "stale", "c", "50000"), []string{"eins", "gerichtsseite"}, []string{"a"}},
		{"a ja", a("a", "ja"), []string{"eins", "gerichtsseite"}, []string{"a", "b"}},
		{"b answered", a("a", "ja", "b", "x"), []string{"eins", "gerichtsseite"}, []string{"a", "b", "c"}},
		// 100,00 € is not more than 100,00 €.
		{"c 100", a("a", "ja", "b", "x", "c", "10000"), []string{"eins", "gerichtsseite"}, []string{"a", "b", "c"}},
		{"c 100.01", a("a", "ja", "b", "x", "c", "10001"), []string{"eins", "gerichtsseite", "zwei"}, []string{"a", "b", "c"}},
		{"d checked", a("a", "ja", "b", "x", "c", "10001", "d", "true"), []string{"eins", "gerichtsseite", "zwei", "drei"}, []string{"a", "b", "c"}},
		// The fee for 1.000,00 € is 183,00 €, for 1.500,00 € 246,00 €: over 200 €.
		{"fee 183", a("a", "ja", "b", "x", "c", "100000"), []string{"eins", "gerichtsseite", "zwei"}, []string{"a", "b", "c"}},
		{"fee 246", a("a", "ja", "b", "x", "c", "150000"), []string{"eins", "gerichtsseite", "zwei", "drei"}, []string{"a", "b", "c"}},
		// A hidden field's stale answer counts as unanswered: b is hidden
		// when a is nein, so c is hidden and page zwei too, whatever c says.
		{"stale chain", a("a", "nein", "b", "x", "c", "150000", "d", "true"), []string{"eins", "gerichtsseite"}, []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var shown []string
			for _, p := range d.Pages() {
				if d.Visible(p.ID, tt.answers) {
					shown = append(shown, p.ID)
				}
			}
			if strings.Join(shown, ",") != strings.Join(tt.shown, ",") {
				t.Errorf("pages shown = %v, want %v", shown, tt.shown)
			}
			var fields []string
			for _, f := range d.ShownFields("eins", tt.answers) {
				fields = append(fields, f.ID)
			}
			if strings.Join(fields, ",") != strings.Join(tt.fields, ",") {
				t.Errorf("fields shown = %v, want %v", fields, tt.fields)
			}
		})
	}
}
