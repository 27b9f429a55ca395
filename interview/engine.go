// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package interview

import (
	"slices"
	"strconv"
	"time"
)

// state is what a set of answers gives: which pages and fields are shown,
// the effective values (shown fields with an answer, and computed values)
// and the problems of computed values.
type state struct {
	pages  []bool
	shown  map[string]bool
	values map[string]string
	files  map[string][]Upload
	errs   map[string]error
}

func (d *Definition) eval(a Answers) *state {
	st := &state{pages: make([]bool, len(d.pages)), shown: map[string]bool{}, values: map[string]string{},
		files: map[string][]Upload{}, errs: map[string]error{}}
	done := make([]bool, len(d.pages))
	pageShown := func(i int) bool {
		if !done[i] {
			done[i] = true
			st.pages[i] = d.pages[i].When.eval(st.values)
		}
		return st.pages[i]
	}
	for _, n := range d.order {
		if f := n.field; f != nil {
			if !pageShown(d.pageOf[f.ID]) || !f.When.eval(st.values) {
				continue
			}
			st.shown[f.ID] = true
			ans, ok := a[f.ID]
			switch {
			case !ok:
			case f.Type == File:
				if len(ans.Files) > 0 {
					st.files[f.ID] = ans.Files
					st.values[f.ID] = strconv.Itoa(len(ans.Files))
				}
			case ans.Value != "":
				st.values[f.ID] = ans.Value
			}
			continue
		}
		d.compute(n.comp, st)
	}
	for i := range d.pages {
		pageShown(i)
	}
	return st
}

// compute runs a computed value's function if its required arguments have
// values.
func (d *Definition) compute(c *Computed, st *state) {
	fn, ok := d.funcs[c.Func]
	if !ok {
		return
	}
	args := make(map[string]string, len(c.Args))
	for _, p := range fn.Params {
		id, ok := c.Args[p.Name]
		if !ok {
			continue
		}
		v, ok := st.values[id]
		if !ok {
			if _, failed := st.errs[id]; failed || !p.Optional {
				return
			}
			continue
		}
		args[p.Name] = v
	}
	v, err := fn.Fn(args)
	switch {
	case err != nil:
		st.errs[c.ID] = err
	case v != "":
		st.values[c.ID] = v
	}
}

// eval evaluates a condition on effective values; a nil condition holds.
func (c *Condition) eval(v map[string]string) bool {
	if c == nil {
		return true
	}
	switch {
	case c.All != nil:
		for _, s := range c.All {
			if !s.eval(v) {
				return false
			}
		}
		return true
	case c.Any != nil:
		for _, s := range c.Any {
			if s.eval(v) {
				return true
			}
		}
		return false
	case c.Not != nil:
		return !c.Not.eval(v)
	}
	val, ok := v[c.Field]
	switch c.Op {
	case OpAnswered:
		return ok == c.Answered
	case OpEquals, OpIn:
		return ok && slices.Contains(c.Values, val)
	case OpGreater, OpLess:
		if !ok || len(c.Values) != 1 {
			return false
		}
		x, err1 := strconv.ParseInt(val, 10, 64)
		y, err2 := strconv.ParseInt(c.Values[0], 10, 64)
		if err1 != nil || err2 != nil {
			return false
		}
		if c.Op == OpGreater {
			return x > y
		}
		return x < y
	}
	return false
}

func (d *Definition) pageIndex(id string) int {
	return slices.IndexFunc(d.pages, func(p Page) bool { return p.ID == id })
}

// Visible reports whether the page is shown for the answers. An unknown
// page is not.
func (d *Definition) Visible(page string, a Answers) bool {
	i := d.pageIndex(page)
	return i >= 0 && d.eval(a).pages[i]
}

// Next returns the first shown page after current ("": the first shown
// page), or "" when the summary comes next. From a shown stop page there
// is no next page (see Stopped).
func (d *Definition) Next(a Answers, current string) string {
	i := -1
	if current != "" {
		if i = d.pageIndex(current); i < 0 {
			return ""
		}
	}
	st := d.eval(a)
	if i >= 0 && d.pages[i].Stop && st.pages[i] {
		return ""
	}
	for j := i + 1; j < len(d.pages); j++ {
		if st.pages[j] {
			return d.pages[j].ID
		}
	}
	return ""
}

// Prev returns the last shown page before current ("": the summary, so the
// last shown page), or "" at the first page.
func (d *Definition) Prev(a Answers, current string) string {
	i := len(d.pages)
	if current != "" {
		if i = d.pageIndex(current); i < 0 {
			return ""
		}
	}
	st := d.eval(a)
	for j := i - 1; j >= 0; j-- {
		if st.pages[j] {
			return d.pages[j].ID
		}
	}
	return ""
}

// Stopped returns the first stop page that the answers show: the
// interview cannot be completed as answered, and the page says why.
func (d *Definition) Stopped(a Answers) (string, bool) {
	st := d.eval(a)
	for i, p := range d.pages {
		if p.Stop && st.pages[i] {
			return p.ID, true
		}
	}
	return "", false
}

// Shown returns the display values of the page's Show list for the
// answers (label, value), skipping those without a value.
func (d *Definition) Shown(page string, a Answers) []Item {
	i := d.pageIndex(page)
	if i < 0 {
		return nil
	}
	st := d.eval(a)
	var out []Item
	for _, id := range d.pages[i].Show {
		v, ok := st.values[id]
		if !ok {
			continue
		}
		it := Item{ID: id, Value: d.Display(id, v), Computed: d.comps[id] != nil}
		if c := d.comps[id]; c != nil {
			it.Label = c.Label
		} else if f := d.fields[id]; f != nil {
			it.Label = f.Label
		}
		out = append(out, it)
	}
	return out
}

// ShownFields returns the fields of the page that are shown for the
// answers, for rendering.
func (d *Definition) ShownFields(page string, a Answers) []Field {
	i := d.pageIndex(page)
	if i < 0 {
		return nil
	}
	st := d.eval(a)
	var out []Field
	for _, f := range d.pages[i].Fields {
		if st.shown[f.ID] {
			out = append(out, f)
		}
	}
	return out
}

// Validate parses a posted page. It returns the answers with this page's
// fields replaced by the posted values, and the problems in German, one per
// field. A field that is not shown loses its answer; a field with a problem
// has no answer in the result and its FieldError carries the input, so the
// page can show it again. Fields later on the page see the answers to
// earlier ones in their conditions. prev is not modified.
func (d *Definition) Validate(page string, prev Answers, form Form) (Answers, []FieldError) {
	out := prev.Clone()
	i := d.pageIndex(page)
	if i < 0 {
		return out, []FieldError{{Page: page, Message: "Diese Seite gibt es in diesem Antrag nicht."}}
	}
	if !d.eval(out).pages[i] {
		return out, []FieldError{{Page: page, Message: "Diese Seite ist nach Ihren bisherigen Antworten nicht vorgesehen."}}
	}
	now := form.Now
	if now.IsZero() {
		now = time.Now()
	}
	today := now.In(berlin)
	todayDate := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	var problems []FieldError
	for j := range d.pages[i].Fields {
		f := &d.pages[i].Fields[j]
		if !d.eval(out).shown[f.ID] {
			delete(out, f.ID)
			continue
		}
		ans, msg, entered := d.parse(f, out[f.ID], form, todayDate)
		if msg != "" {
			problems = append(problems, FieldError{Page: page, Field: f.ID, Label: f.Label, Message: msg, Entered: entered})
			delete(out, f.ID)
			continue
		}
		if ans == nil {
			delete(out, f.ID)
		} else {
			out[f.ID] = *ans
		}
	}
	return out, problems
}
