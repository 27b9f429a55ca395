// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package interview

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// resolve checks references and builds the evaluation order: the fields in
// page order, each computed value right after the last of its arguments.
func (p *parser) resolve() {
	d := p.d
	known := func(id string) bool { return d.fields[id] != nil || d.comps[id] != nil }
	placed := map[string]bool{}
	var place func()
	place = func() {
		for again := true; again; {
			again = false
			for i := range d.computed {
				c := &d.computed[i]
				if placed[c.ID] {
					continue
				}
				ready := true
				for _, a := range c.Args {
					ready = ready && placed[a]
				}
				if ready {
					placed[c.ID] = true
					d.index[c.ID] = len(d.order)
					d.order = append(d.order, node{comp: c})
					again = true
				}
			}
		}
	}
	pageStart := make([]int, len(d.pages))
	for i := range d.pages {
		pageStart[i] = len(d.order)
		for j := range d.pages[i].Fields {
			f := &d.pages[i].Fields[j]
			placed[f.ID] = true
			d.index[f.ID] = len(d.order)
			d.order = append(d.order, node{field: f})
			place()
		}
	}
	// Computed values that were not placed name an unknown ID or are in a cycle.
	var unplaced []string
	for _, c := range d.computed {
		for _, param := range sortedKeys(c.Args) {
			if a := c.Args[param]; !known(a) {
				p.addf(c.argLines[param], "computed %q: args: %s: unknown field or computed value %q", c.ID, param, a)
			}
		}
		if !placed[c.ID] {
			unplaced = append(unplaced, c.ID)
		}
	}
	if cyc := p.cycle(unplaced); cyc != nil {
		p.addf(d.comps[cyc[0]].line, "computed values form a cycle: %s", strings.Join(cyc, " → "))
	}
	// References of conditions and candidates must come earlier.
	before := func(ref string, pos int, line int, what string) {
		switch {
		case !known(ref):
			p.addf(line, "%s: unknown field or computed value %q", what, ref)
		case !placed[ref]:
			// already reported
		case d.index[ref] >= pos:
			p.addf(line, "%s: %q does not come before it", what, ref)
		}
	}
	for i, pg := range d.pages {
		walkCond(pg.When, func(c *Condition) {
			before(c.Field, pageStart[i], c.line, named("page", pg.ID)+": when")
		})
		for _, id := range pg.Show {
			before(id, pageStart[i], pg.line, named("page", pg.ID)+": show")
		}
		if pg.Stop && len(pg.Fields) > 0 {
			p.addf(pg.line, "page %q: a stop page has no fields", pg.ID)
		}
		if pg.Stop && pg.When == nil {
			p.addf(pg.line, "page %q: a stop page needs a condition, or no interview could be completed", pg.ID)
		}
		for _, f := range pg.Fields {
			walkCond(f.When, func(c *Condition) {
				before(c.Field, d.index[f.ID], c.line, named("field", f.ID)+": when")
			})
			if f.Candidates != "" {
				before(f.Candidates, d.index[f.ID], f.line, named("field", f.ID)+": candidates")
				if d.fields[f.Candidates] != nil {
					p.addf(f.line, "field %q: candidates: %q is a field, want a computed value", f.ID, f.Candidates)
				}
			}
		}
	}
	o := &d.output
	for _, po := range o.Participants {
		walkCond(po.When, func(c *Condition) {
			before(c.Field, len(d.order), c.line, named("output: participant", po.Role)+": when")
		})
		p.template(po.Name, po.line, named("output: participant", po.Role)+": name")
		p.template(po.Address, po.line, named("output: participant", po.Role)+": address")
	}
	p.template(o.Subject, o.subjectLine, "output: subject")
	for _, do := range o.Data {
		if !known(do.From) {
			p.addf(do.line, "output: data: %s: unknown field or computed value %q", do.Key, do.From)
		}
	}
	for _, a := range o.Attachments {
		if f := d.fields[a]; f == nil || f.Type != File {
			p.addf(o.attachmentsLine, "output: attachments: %q is not a file field", a)
		}
	}
	if f := d.fields[o.Court]; f == nil || f.Type != Court {
		p.addf(o.courtLine, "output: court: %q is not a court field", o.Court)
	} else if !d.always(o.Court) {
		p.addf(o.courtLine, "output: court: field %q must be required and shown unconditionally, so that every filing has a court", o.Court)
	}
	// Condition values in the type of their field; those on computed
	// values wait for Load, which knows the functions' result types.
	for _, rc := range p.conds {
		if f := d.fields[rc.c.Field]; f != nil {
			p.condValues(rc, f.Type, f.Options)
		} else if d.comps[rc.c.Field] != nil {
			d.pending = append(d.pending, rc)
		}
	}
}

// condValues checks and canonicalizes the values of a field condition.
func (l *loader) condValues(rc rawCond, t Type, opts []Option) {
	c := rc.c
	what := fmt.Sprintf("%s: when: field %q", rc.owner, c.Field)
	switch c.Op {
	case OpAnswered:
		return
	case OpGreater, OpLess:
		if t != Number && t != Money {
			l.addf(c.line, "%s: %s applies to number and money only, not %s", what, c.Op, t)
			return
		}
	default:
		if t == File || t == Textarea {
			l.addf(c.line, "%s: %s does not apply to a %s field", what, c.Op, t)
			return
		}
	}
	c.Values = c.Values[:0]
	for _, raw := range rc.raw {
		v, ok := canonical(t, opts, raw)
		if !ok {
			l.addf(c.line, "%s: %q is not a valid value of type %s", what, raw, t)
			continue
		}
		c.Values = append(c.Values, v)
	}
}

// canonical converts a value written in a definition to canonical form.
func canonical(t Type, opts []Option, raw string) (string, bool) {
	switch t {
	case Money:
		v, ok := parseMoney(raw)
		return strconv.FormatInt(v, 10), ok
	case Number:
		v, ok := parseNumber(raw)
		return strconv.FormatInt(v, 10), ok
	case Date:
		v, ok := parseDate(raw)
		return v.Format("2006-01-02"), ok
	case Checkbox:
		b, err := strconv.ParseBool(raw)
		return strconv.FormatBool(b), err == nil
	case Select, Radio:
		return raw, slices.ContainsFunc(opts, func(o Option) bool { return o.Value == raw })
	case Airport:
		a, ok := parseAirport(raw)
		return a.IATA, ok
	case IBAN:
		v, form, check := parseIBAN(raw)
		return v, form && check
	}
	return raw, raw != ""
}

func (p *parser) template(s string, line int, what string) {
	for _, m := range templateRE.FindAllStringSubmatch(s, -1) {
		if p.d.fields[m[1]] == nil && p.d.comps[m[1]] == nil {
			p.addf(line, "%s: unknown field or computed value {%s}", what, m[1])
		} else if f := p.d.fields[m[1]]; f != nil && f.Type == File {
			p.addf(line, "%s: {%s} is a file field", what, m[1])
		}
	}
	if rest := templateRE.ReplaceAllString(s, ""); strings.ContainsAny(rest, "{}") {
		p.addf(line, "%s: unbalanced { or }", what)
	}
}

// cycle returns a cycle among the computed values ids, or nil.
func (p *parser) cycle(ids []string) []string {
	state := map[string]int{} // 1: on the path, 2: done
	var path []string
	var visit func(id string) []string
	visit = func(id string) []string {
		c := p.d.comps[id]
		if c == nil || state[id] == 2 {
			return nil
		}
		if state[id] == 1 {
			i := slices.Index(path, id)
			return append(slices.Clone(path[i:]), id)
		}
		state[id] = 1
		path = append(path, id)
		for _, param := range sortedKeys(c.Args) {
			if cyc := visit(c.Args[param]); cyc != nil {
				return cyc
			}
		}
		path = path[:len(path)-1]
		state[id] = 2
		return nil
	}
	for _, id := range ids {
		if cyc := visit(id); cyc != nil {
			return cyc
		}
	}
	return nil
}

func walkCond(c *Condition, fn func(*Condition)) {
	if c == nil {
		return
	}
	if c.Field != "" {
		fn(c)
	}
	for _, s := range c.All {
		walkCond(s, fn)
	}
	for _, s := range c.Any {
		walkCond(s, fn)
	}
	walkCond(c.Not, fn)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// always reports whether the field or computed value id has a value in
// every complete set of answers: a required field without condition on a
// page without condition, or a computed value of such fields.
func (d *Definition) always(id string) bool {
	if f := d.fields[id]; f != nil {
		return f.Required && f.When == nil && d.pages[d.pageOf[id]].When == nil
	}
	c := d.comps[id]
	if c == nil {
		return false
	}
	for _, a := range c.Args {
		if a == id || !d.always(a) {
			return false
		}
	}
	return true
}
