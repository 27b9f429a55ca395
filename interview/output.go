// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package interview

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

// Section is one page of the summary.
type Section struct {
	Page  string // page ID, for the link back to correct it
	Title string
	Items []Item
}

// Item is one line of the summary.
type Item struct {
	ID       string // field or computed value ID; the field is the anchor on its page
	Label    string
	Value    string   // display form; empty when not answered
	Files    []Upload // file fields
	Computed bool     // a computed value: corrected by changing its inputs
	Missing  bool     // required but not answered
	Problem  string   // a computed value that could not be computed
}

// Summary lists the answers of the shown pages with their display values,
// and the computed values that have a label, under the page where their
// last input is.
func (d *Definition) Summary(a Answers) []Section {
	st := d.eval(a)
	var out []Section
	sect := map[int]int{} // page index → index in out
	for i, p := range d.pages {
		if st.pages[i] {
			sect[i] = len(out)
			out = append(out, Section{Page: p.ID, Title: p.Title})
		}
	}
	cur := -1
	for _, n := range d.order {
		if f := n.field; f != nil {
			s, ok := sect[d.pageOf[f.ID]]
			if ok {
				cur = s
			}
			if !ok || !st.shown[f.ID] {
				continue
			}
			it := Item{ID: f.ID, Label: f.Label, Files: st.files[f.ID]}
			v, has := st.values[f.ID]
			if has && f.Type != File {
				it.Value = d.display(f.Type, f.Options, v)
			}
			it.Missing = f.Required && !has
			out[s].Items = append(out[s].Items, it)
			continue
		}
		c := n.comp
		if c.Label == "" || cur < 0 {
			continue
		}
		it := Item{ID: c.ID, Label: c.Label, Computed: true}
		if v, ok := st.values[c.ID]; ok {
			it.Value = d.display(c.Type, nil, v)
		} else if err, ok := st.errs[c.ID]; ok {
			it.Problem = "Dieser Wert kann mit Ihren Angaben nicht berechnet werden."
			_ = err // the cause is for logs; Output returns it
		} else {
			continue
		}
		out[cur].Items = append(out[cur].Items, it)
	}
	return out
}

// Missing lists the required fields of shown pages that have no answer
// and the computed values that failed, in page order. Output refuses
// answers while Missing is not empty.
func (d *Definition) Missing(a Answers) []FieldError {
	return d.missing(d.eval(a))
}

func (d *Definition) missing(st *state) []FieldError {
	var out []FieldError
	cur := ""
	for _, n := range d.order {
		if f := n.field; f != nil {
			cur = d.pages[d.pageOf[f.ID]].ID
			if _, has := st.values[f.ID]; st.shown[f.ID] && f.Required && !has {
				out = append(out, FieldError{Page: cur, Field: f.ID, Label: f.Label, Message: or(f.Messages.Required, requiredMsg[f.Type])})
			}
			continue
		}
		if _, failed := st.errs[n.comp.ID]; failed {
			out = append(out, FieldError{Page: cur, Field: n.comp.ID, Label: n.comp.Label,
				Message: "Dieser Wert kann mit Ihren Angaben nicht berechnet werden. Bitte prüfen Sie die Angaben auf dieser Seite."})
		}
	}
	return out
}

// Value returns the effective canonical value of a field or computed value
// for the answers ("" and false when it has none or is not shown).
func (d *Definition) Value(a Answers, id string) (string, bool) {
	v, ok := d.eval(a).values[id]
	return v, ok
}

// Filing is what Output makes of complete answers: the proceeding to
// create, its participants, the structured data and the attachments. The
// portal creates the case through verfahren.Service.CreateCase (which
// checks the procedure), adds the participants, stores the generated claim
// or application and the attachments as documents.
type Filing struct {
	Interview    string
	Procedure    string
	Case         akte.NewCase
	Participants []akte.NewParticipant
	// Data are the mapped answers and computed values, canonical (amounts
	// in cents, dates ISO), by output key; absent answers are left out.
	Data        map[string]string
	Attachments []Upload
}

// Output turns complete answers into a Filing. Missing answers, a value
// that is not canonical (answers that did not come from Validate) or a
// failed computation wrap errs.ErrInvalid.
func (d *Definition) Output(a Answers) (Filing, error) {
	st := d.eval(a)
	for i, p := range d.pages {
		if p.Stop && st.pages[i] {
			return Filing{}, fmt.Errorf("interview %s: %w: the answers lead to stop page %q", d.Name, errs.ErrInvalid, p.ID)
		}
	}
	if miss := d.missing(st); len(miss) > 0 {
		ids := make([]string, len(miss))
		for i, m := range miss {
			ids[i] = m.Page + "/" + m.Field
		}
		return Filing{}, fmt.Errorf("interview %s: %w: missing answers: %s", d.Name, errs.ErrInvalid, strings.Join(ids, ", "))
	}
	for id, v := range st.values {
		if f := d.fields[id]; f != nil && !d.canonicalOK(f, v) {
			return Filing{}, fmt.Errorf("interview %s: %w: answer %q is not a valid %s", d.Name, errs.ErrInvalid, id, f.Type)
		}
	}
	for id, files := range st.files {
		f := d.fields[id]
		if len(files) > f.MaxFiles || slices.ContainsFunc(files, func(u Upload) bool {
			return u.Ref == "" || u.Size <= 0 || u.Size > f.MaxSize || !slices.Contains(f.Accept, u.ContentType)
		}) {
			return Filing{}, fmt.Errorf("interview %s: %w: uploads of %q do not fit the field", d.Name, errs.ErrInvalid, id)
		}
	}
	o := d.output
	fl := Filing{Interview: d.Name, Procedure: d.Procedure, Data: map[string]string{}}
	fl.Case = akte.NewCase{
		Court:     tenancy.CourtID(st.values[o.Court]),
		Register:  o.Register,
		Subject:   d.expand(o.Subject, st),
		Procedure: d.Procedure,
	}
	if utf8.RuneCountInString(fl.Case.Subject) > 500 {
		fl.Case.Subject = string([]rune(fl.Case.Subject)[:499]) + "…"
	}
	for _, po := range o.Participants {
		if !po.When.eval(st.values) {
			continue
		}
		p := akte.NewParticipant{Role: po.Role, Name: d.expand(po.Name, st), Address: d.expand(po.Address, st)}
		if p.Name == "" || utf8.RuneCountInString(p.Name) > 200 || utf8.RuneCountInString(p.Address) > 500 {
			return Filing{}, fmt.Errorf("interview %s: %w: participant %s: name empty or name or address too long", d.Name, errs.ErrInvalid, po.Role)
		}
		fl.Participants = append(fl.Participants, p)
	}
	for _, do := range o.Data {
		if v, ok := st.values[do.From]; ok {
			if f := d.fields[do.From]; f != nil && f.Type == File {
				continue
			}
			fl.Data[do.Key] = v
		}
	}
	for _, id := range o.Attachments {
		fl.Attachments = append(fl.Attachments, st.files[id]...)
	}
	return fl, nil
}

// expand fills a template's {id} with display values; absent values are
// empty, and the separators they leave are removed.
func (d *Definition) expand(tmpl string, st *state) string {
	s := templateRE.ReplaceAllStringFunc(tmpl, func(m string) string {
		id := m[1 : len(m)-1]
		v, ok := st.values[id]
		if !ok {
			return ""
		}
		return d.Display(id, v)
	})
	s = strings.Join(strings.Fields(s), " ")
	for strings.Contains(s, " ,") || strings.Contains(s, ",,") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, " ,", ","), ",,", ",")
	}
	return strings.Trim(s, " ,")
}

// canonicalOK checks a stored answer against its field, for answers that
// come back from storage.
func (d *Definition) canonicalOK(f *Field, v string) bool {
	switch f.Type {
	case Text, Textarea:
		s, ok := cleanText(v, f.Type == Textarea)
		n := utf8.RuneCountInString(s)
		return ok && s == v && (f.MaxLength == 0 || n <= f.MaxLength) && n >= f.MinLength &&
			(f.Pattern == nil || f.Pattern.MatchString(s))
	case Number, Money:
		n, err := strconv.ParseInt(v, 10, 64)
		return err == nil && strconv.FormatInt(n, 10) == v && boundMsg(f, n) == "" && (f.Type == Number || n >= 0)
	case Date:
		_, err := time.Parse(time.DateOnly, v)
		return err == nil
	case Email:
		s, ok := parseEmail(v)
		return ok && s == v
	case IBAN:
		s, form, check := parseIBAN(v)
		return form && check && s == v
	case Select, Radio:
		return slices.ContainsFunc(f.Options, func(o Option) bool { return o.Value == v })
	case Checkbox:
		return v == "true" || v == "false"
	case Court:
		if d.courts == nil {
			return false
		}
		_, ok := d.courts.Court(tenancy.CourtID(v))
		return ok
	case Airport:
		a, ok := parseAirport(v)
		return ok && a.IATA == v
	case File:
		return true
	}
	return false
}
