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

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

func or(override, def string) string {
	if override != "" {
		return override
	}
	return def
}

var requiredMsg = map[Type]string{
	Text: "Bitte füllen Sie dieses Feld aus.", Textarea: "Bitte füllen Sie dieses Feld aus.",
	Number: "Bitte geben Sie eine Zahl an.", Money: "Bitte geben Sie einen Betrag an.",
	Date: "Bitte geben Sie ein Datum an.", Email: "Bitte geben Sie eine E-Mail-Adresse an.",
	IBAN: "Bitte geben Sie eine IBAN an.", Select: "Bitte wählen Sie eine Antwort aus.",
	Radio: "Bitte wählen Sie eine Antwort aus.", Checkbox: "Bitte bestätigen Sie dies, um fortzufahren.",
	File: "Bitte laden Sie eine Datei hoch.", Court: "Bitte wählen Sie ein Amtsgericht aus.",
	Airport: "Bitte geben Sie einen Flughafen an.",
}

var formatMsg = map[Type]string{
	Text: "Die Eingabe enthält Zeichen, die nicht erlaubt sind.", Textarea: "Die Eingabe enthält Zeichen, die nicht erlaubt sind.",
	Number: "Bitte geben Sie eine ganze Zahl an, zum Beispiel 3.",
	Money:  "Bitte geben Sie einen Betrag in Euro an, zum Beispiel 1.250,00.",
	Date:   "Bitte geben Sie ein gültiges Datum im Format TT.MM.JJJJ an, zum Beispiel 24.12.2025.",
	Email:  "Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@beispiel.de.",
	IBAN:   "Bitte geben Sie eine gültige IBAN an, zum Beispiel DE02 1203 0000 0000 2020 51.",
	Select: "Bitte wählen Sie eine der angebotenen Antworten aus.", Radio: "Bitte wählen Sie eine der angebotenen Antworten aus.",
	Court:   "Bitte wählen Sie ein Amtsgericht aus der Liste aus.",
	Airport: "Bitte geben Sie den Flughafen mit seinem dreistelligen IATA-Code an, zum Beispiel FRA für Frankfurt am Main.",
}

// parse parses one field of a posted form. It returns the answer (nil: no
// answer), a German message if the input is not acceptable, and the input
// to show again.
func (d *Definition) parse(f *Field, prev Answer, form Form, today time.Time) (*Answer, string, string) {
	m := f.Messages
	if f.Type == File {
		return parseFiles(f, prev, form.Files[f.ID])
	}
	raw := first(form.Values[f.ID])
	if f.Type == Checkbox {
		switch strings.ToLower(strings.TrimSpace(raw)) {
		case "true", "on", "ja", "1", "yes":
			return &Answer{Value: "true"}, "", raw
		}
		if f.Required {
			return nil, or(m.Required, requiredMsg[Checkbox]), raw
		}
		return &Answer{Value: "false"}, "", raw
	}
	if len(raw) > 4*maxTextLimit {
		return nil, or(m.Max, "Die Eingabe ist zu lang."), ""
	}
	if strings.TrimSpace(raw) == "" {
		if f.Required {
			return nil, or(m.Required, requiredMsg[f.Type]), raw
		}
		return nil, "", raw
	}
	bad := func() (*Answer, string, string) { return nil, or(m.Format, formatMsg[f.Type]), raw }
	var v string
	switch f.Type {
	case Text, Textarea:
		s, ok := cleanText(raw, f.Type == Textarea)
		if !ok {
			return bad()
		}
		n := utf8.RuneCountInString(s)
		if f.MaxLength > 0 && n > f.MaxLength {
			return nil, or(m.Max, fmt.Sprintf("Bitte geben Sie höchstens %d Zeichen ein (jetzt %d).", f.MaxLength, n)), raw
		}
		if n < f.MinLength {
			return nil, or(m.Min, fmt.Sprintf("Bitte geben Sie mindestens %d Zeichen ein.", f.MinLength)), raw
		}
		if f.Pattern != nil && !f.Pattern.MatchString(s) {
			return nil, or(m.Pattern, "Die Eingabe hat nicht das erwartete Format."), raw
		}
		v = s
	case Number, Money:
		var n int64
		var ok bool
		if f.Type == Money {
			n, ok = parseMoney(raw)
		} else {
			n, ok = parseNumber(raw)
		}
		if !ok {
			return bad()
		}
		if msg := boundMsg(f, n); msg != "" {
			return nil, msg, raw
		}
		v = strconv.FormatInt(n, 10)
	case Date:
		t, ok := parseDate(raw)
		if !ok {
			return bad()
		}
		switch {
		case f.DateRule == "past" && t.After(today):
			return nil, or(m.Max, "Das Datum darf nicht in der Zukunft liegen."), raw
		case f.DateRule == "future" && t.Before(today):
			return nil, or(m.Min, "Das Datum darf nicht in der Vergangenheit liegen."), raw
		}
		v = t.Format(time.DateOnly)
	case Email:
		s, ok := parseEmail(raw)
		if !ok {
			return bad()
		}
		v = s
	case IBAN:
		s, form, check := parseIBAN(raw)
		if !form {
			return bad()
		}
		if !check {
			return nil, or(m.Format, "Die IBAN ist nicht gültig. Bitte prüfen Sie die Eingabe."), raw
		}
		v = s
	case Select, Radio:
		s := strings.TrimSpace(raw)
		if !slices.ContainsFunc(f.Options, func(o Option) bool { return o.Value == s }) {
			return bad()
		}
		v = s
	case Court:
		s := strings.TrimSpace(raw)
		if d.courts == nil {
			return bad()
		}
		if _, ok := d.courts.Court(tenancy.CourtID(s)); !ok {
			return bad()
		}
		v = s
	case Airport:
		a, ok := parseAirport(raw)
		if !ok {
			if s := strings.TrimSpace(raw); len(s) == 3 && utf8.ValidString(s) {
				return nil, or(m.Format, fmt.Sprintf("Den Flughafen „%s“ kennen wir nicht. Bitte wählen Sie einen Flughafen aus der Liste aus.", strings.ToUpper(s))), raw
			}
			return bad()
		}
		v = a.IATA
	default:
		return bad()
	}
	return &Answer{Value: v}, "", raw
}

func boundMsg(f *Field, n int64) string {
	show := func(v int64) string {
		if f.Type == Money {
			return kostenString(v)
		}
		return groupThousands(v)
	}
	switch {
	case f.Min != nil && n < *f.Min:
		if f.Type == Money {
			return or(f.Messages.Min, fmt.Sprintf("Der Betrag muss mindestens %s betragen.", show(*f.Min)))
		}
		return or(f.Messages.Min, fmt.Sprintf("Die Zahl muss mindestens %s sein.", show(*f.Min)))
	case f.Max != nil && n > *f.Max:
		if f.Type == Money {
			return or(f.Messages.Max, fmt.Sprintf("Der Betrag darf %s nicht übersteigen.", show(*f.Max)))
		}
		return or(f.Messages.Max, fmt.Sprintf("Die Zahl darf höchstens %s sein.", show(*f.Max)))
	}
	return ""
}

// parseFiles adds new uploads to the files already given.
func parseFiles(f *Field, prev Answer, uploads []Upload) (*Answer, string, string) {
	files := slices.Clone(prev.Files)
	for _, u := range uploads {
		name := u.Name
		switch {
		case name == "" || strings.ContainsAny(name, `/\`) || !utf8.ValidString(name) || utf8.RuneCountInString(name) > 255:
			return nil, "Der Dateiname ist ungültig. Bitte benennen Sie die Datei um und laden Sie sie erneut hoch.", ""
		case u.Size <= 0:
			return nil, fmt.Sprintf("Die Datei „%s“ ist leer.", name), ""
		case u.Size > f.MaxSize:
			return nil, fmt.Sprintf("Die Datei „%s“ ist zu groß. Erlaubt sind höchstens %s je Datei.", name, humanSize(f.MaxSize)), ""
		case !slices.Contains(f.Accept, u.ContentType):
			allowed := make([]string, len(f.Accept))
			for i, ct := range f.Accept {
				allowed[i] = typeName(ct)
			}
			return nil, fmt.Sprintf("Die Datei „%s“ hat ein Format, das nicht erlaubt ist. Erlaubt sind: %s.", name, strings.Join(allowed, ", ")), ""
		case u.Ref == "":
			return nil, fmt.Sprintf("Die Datei „%s“ konnte nicht gespeichert werden. Bitte laden Sie sie erneut hoch.", name), ""
		}
		files = append(files, u)
	}
	if len(files) > f.MaxFiles {
		if f.MaxFiles == 1 {
			return nil, "Bitte laden Sie nur eine Datei hoch.", ""
		}
		return nil, fmt.Sprintf("Bitte laden Sie höchstens %d Dateien hoch.", f.MaxFiles), ""
	}
	if len(files) == 0 {
		if f.Required {
			return nil, or(f.Messages.Required, requiredMsg[File]), ""
		}
		return nil, "", ""
	}
	return &Answer{Files: files}, "", ""
}

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
