// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package retention

import (
	_ "embed"
	"fmt"
	"slices"
	"time"

	"go.yaml.in/yaml/v3"

	"justizcloud/errs"
	"justizcloud/frist"
)

//go:embed rules.yaml
var defaultRules []byte

// Rule is one row of the Aufbewahrungsfristen table.
type Rule struct {
	Name      string   // unique, recorded in tombstones
	Procedure string   // procedure type, or "*" for any
	Outcomes  []string // terminal states the history must have ended in; empty or "*": any
	Classes   []string // Dokumentklassen the rule covers; empty: any
	Years     int      // Aufbewahrungsfrist in years
	Source    string   // legal source of the period
}

// matches reports whether r covers a document of class class in a case of
// procedure type proc that ended in state outcome.
func (r Rule) matches(proc, outcome, class string) bool {
	if r.Procedure != "*" && r.Procedure != proc {
		return false
	}
	if len(r.Outcomes) > 0 && !slices.Contains(r.Outcomes, "*") && !slices.Contains(r.Outcomes, outcome) {
		return false
	}
	return len(r.Classes) == 0 || slices.Contains(r.Classes, class)
}

// DefaultRules returns the embedded default table (rules.yaml).
func DefaultRules() ([]Rule, error) {
	return ParseRules(defaultRules)
}

// ParseRules reads a rules table in the format of rules.yaml and checks it:
// names unique and non-empty, a procedure, a positive period and a source.
func ParseRules(data []byte) ([]Rule, error) {
	var f struct {
		Rules []struct {
			Name      string   `yaml:"name"`
			Procedure string   `yaml:"procedure"`
			Outcomes  []string `yaml:"outcomes"`
			Classes   []string `yaml:"classes"`
			Years     int      `yaml:"years"`
			Source    string   `yaml:"source"`
		} `yaml:"rules"`
	}
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("retention rules: %w: %w", errs.ErrInvalid, err)
	}
	if len(f.Rules) == 0 {
		return nil, fmt.Errorf("retention rules: %w: no rules", errs.ErrInvalid)
	}
	seen := map[string]bool{}
	out := make([]Rule, 0, len(f.Rules))
	for i, r := range f.Rules {
		switch {
		case r.Name == "":
			return nil, fmt.Errorf("retention rules: %w: rule %d has no name", errs.ErrInvalid, i+1)
		case seen[r.Name]:
			return nil, fmt.Errorf("retention rules: %w: rule %q is defined twice", errs.ErrInvalid, r.Name)
		case r.Procedure == "":
			return nil, fmt.Errorf("retention rules: %w: rule %q has no procedure (use \"*\" for any)", errs.ErrInvalid, r.Name)
		case r.Years <= 0:
			return nil, fmt.Errorf("retention rules: %w: rule %q needs a period of at least one year", errs.ErrInvalid, r.Name)
		case r.Source == "":
			return nil, fmt.Errorf("retention rules: %w: rule %q names no legal source", errs.ErrInvalid, r.Name)
		}
		seen[r.Name] = true
		out = append(out, Rule{Name: r.Name, Procedure: r.Procedure, Outcomes: r.Outcomes, Classes: r.Classes, Years: r.Years, Source: r.Source})
	}
	return out, nil
}

// Doc is what a decision needs to know about a document.
type Doc struct {
	ID    string
	Class string // Dokumentklasse; empty when not classified
}

// Facts are what a decision needs to know about a finished case.
type Facts struct {
	Procedure string    // procedure type
	Outcome   string    // the terminal state its history ended in
	Ended     time.Time // the time of the last event of the history
	Documents []Doc
}

// Decision says whether one document is due for destruction.
type Decision struct {
	Document string
	Class    string
	Rule     Rule
	DueAt    time.Time // midnight (Europe/Berlin) of the first day on which it may be destroyed
	Due      bool      // now is on or after DueAt
}

// Due decides for every document of a finished case that a rule covers
// whether its Aufbewahrungsfrist has run out at now. The first matching rule
// wins. A document no rule covers (an unknown procedure type, an outcome the
// table does not list) gets no decision and is kept. The period runs from
// the calendar day (in Germany) of c.Ended; the document is due from the
// same calendar day Years later. Due does no I/O.
func Due(rules []Rule, c Facts, now time.Time) []Decision {
	y, m, d := c.Ended.In(frist.Germany).Date()
	var out []Decision
	for _, doc := range c.Documents {
		for _, r := range rules {
			if !r.matches(c.Procedure, c.Outcome, doc.Class) {
				continue
			}
			at := time.Date(y+r.Years, m, d, 0, 0, 0, 0, frist.Germany)
			out = append(out, Decision{Document: doc.ID, Class: doc.Class, Rule: r, DueAt: at, Due: !now.Before(at)})
			break
		}
	}
	return out
}
