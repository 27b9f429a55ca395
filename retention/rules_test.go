// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package retention

import (
	"justizcloud/frist"

	"errors"
	"testing"
	"time"

	"justizcloud/errs"
	"justizcloud/verfahren"
)

func day(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, frist.Germany)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDefaultRules(t *testing.T) {
	rules, err := DefaultRules()
	if err != nil {
		t.Fatalf("DefaultRules = %v", err)
	}
	reg, err := verfahren.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if r.Source == "" {
			t.Errorf("rule %s has no source", r.Name)
		}
		def, err := reg.Get(r.Procedure)
		if err != nil {
			t.Errorf("rule %s: procedure %q: %v", r.Name, r.Procedure, err)
			continue
		}
		for _, o := range r.Outcomes {
			if !def.Terminal(verfahren.State(o)) {
				t.Errorf("rule %s: outcome %q is not a terminal state of %s", r.Name, o, r.Procedure)
			}
		}
	}
}

func TestDue(t *testing.T) {
	rules, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	// Ended late in the evening of 2027-03-10 in Berlin (UTC already the next day is irrelevant here).
	ended := time.Date(2027, 3, 10, 22, 30, 0, 0, frist.Germany)
	docs := []Doc{{ID: "klage", Class: "Klage"}, {ID: "urteil", Class: "Urteil"}, {ID: "ohne"}}
	zivil := Facts{Procedure: "zivil-online", Outcome: "abgeschlossen", Ended: ended, Documents: docs}
	type want struct {
		rule string
		due  bool
		at   string
	}
	tests := []struct {
		name  string
		rules []Rule
		facts Facts
		now   time.Time
		want  map[string]want // by document; absent: no decision
	}{
		{"not due the day before", rules, zivil, day("2032-03-09").Add(23*time.Hour + 59*time.Minute), map[string]want{
			"klage": {"zivil-akte", false, "2032-03-10"}, "urteil": {"zivil-urteil", false, "2057-03-10"}, "ohne": {"zivil-akte", false, "2032-03-10"}}},
		{"due on the boundary day", rules, zivil, day("2032-03-10"), map[string]want{
			"klage": {"zivil-akte", true, "2032-03-10"}, "urteil": {"zivil-urteil", false, "2057-03-10"}, "ohne": {"zivil-akte", true, "2032-03-10"}}},
		{"judgment kept until its own period ends", rules, zivil, day("2057-03-09"), map[string]want{
			"klage": {"zivil-akte", true, "2032-03-10"}, "urteil": {"zivil-urteil", false, "2057-03-10"}, "ohne": {"zivil-akte", true, "2032-03-10"}}},
		{"judgment due after 30 years", rules, zivil, day("2057-03-10"), map[string]want{
			"klage": {"zivil-akte", true, "2032-03-10"}, "urteil": {"zivil-urteil", true, "2057-03-10"}, "ohne": {"zivil-akte", true, "2032-03-10"}}},
		{"unknown procedure type: no rule, kept", rules, Facts{Procedure: "strafbefehl", Outcome: "abgeschlossen", Ended: ended, Documents: docs},
			day("2200-01-01"), map[string]want{}},
		{"outcome not in the table: kept", rules, Facts{Procedure: "zivil-online", Outcome: "uebergeleitet", Ended: ended, Documents: docs},
			day("2200-01-01"), map[string]want{}},
		{"beratungshilfe shorter", rules, Facts{Procedure: "beratungshilfe", Outcome: "bewilligt", Ended: ended, Documents: docs[:1]},
			day("2029-03-10"), map[string]want{"klage": {"beratungshilfe-akte", true, "2029-03-10"}}},
		{"wildcard rule", []Rule{{Name: "alles", Procedure: "*", Outcomes: []string{"*"}, Years: 1, Source: "test"}},
			Facts{Procedure: "strafbefehl", Outcome: "x", Ended: ended, Documents: docs[:1]},
			day("2028-03-10"), map[string]want{"klage": {"alles", true, "2028-03-10"}}},
		{"no documents", rules, Facts{Procedure: "zivil-online", Outcome: "abgeschlossen", Ended: ended}, day("2200-01-01"), map[string]want{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Due(tc.rules, tc.facts, tc.now)
			if len(got) != len(tc.want) {
				t.Fatalf("Due = %d decisions %+v, want %d", len(got), got, len(tc.want))
			}
			for _, d := range got {
				w, ok := tc.want[d.Document]
				if !ok {
					t.Errorf("unexpected decision for %s: %+v", d.Document, d)
					continue
				}
				if d.Rule.Name != w.rule || d.Due != w.due || d.DueAt.Format(time.DateOnly) != w.at {
					t.Errorf("%s: rule %s due %v at %s, want rule %s due %v at %s", d.Document, d.Rule.Name, d.Due, d.DueAt.Format(time.DateOnly), w.rule, w.due, w.at)
				}
			}
		})
	}
}

func TestParseRulesRefuses(t *testing.T) {
	for name, src := range map[string]string{
		"empty":     "rules: []",
		"no name":   "rules: [{procedure: '*', years: 1, source: x}]",
		"twice":     "rules: [{name: a, procedure: '*', years: 1, source: x}, {name: a, procedure: '*', years: 1, source: x}]",
		"no period": "rules: [{name: a, procedure: '*', source: x}]",
		"no source": "rules: [{name: a, procedure: '*', years: 1}]",
		"no proc":   "rules: [{name: a, years: 1, source: x}]",
		"not yaml":  "rules: [",
	} {
		if _, err := ParseRules([]byte(src)); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("%s: ParseRules = %v, want errs.ErrInvalid", name, err)
		}
	}
}
