// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package interview

import (
	"regexp"

	"justizcloud/interview/courtfinder"
)

// Type is the type of a field. It decides how a posted value is parsed,
// what its canonical form in Answers is and how it is displayed.
type Type string

// Field types and their canonical forms.
const (
	Text     Type = "text"     // one line; trimmed
	Textarea Type = "textarea" // several lines; "\r\n" becomes "\n"
	Number   Type = "number"   // a whole number: "42"
	Money    Type = "money"    // euro cents: "123450" for 1.234,50 €
	Date     Type = "date"     // "2026-03-01"
	Email    Type = "email"    // "name@beispiel.de"
	IBAN     Type = "iban"     // upper case without spaces: "DE02120300000000202051"
	Select   Type = "select"   // the value of one option
	Radio    Type = "radio"    // the value of one option
	Checkbox Type = "checkbox" // "true" or "false"
	File     Type = "file"     // no value; Answer.Files
	Court    Type = "court"    // a tenancy.CourtID of an active Amtsgericht
	Airport  Type = "airport"  // an IATA code of the fluggast list: "FRA"
	// Courts is the type of computed values only: court IDs separated by
	// spaces, the candidates of a court field.
	Courts Type = "courts"
)

var fieldTypes = []Type{Text, Textarea, Number, Money, Date, Email, IBAN, Select, Radio, Checkbox, File, Court, Airport}

// Definition is a loaded interview. Use Load or NewRegistry; a Definition
// from Parse alone has no environment and its court fields and computed
// values do not work.
type Definition struct {
	Name        string // e.g. "geld-einklagen"; also the file name without ".yaml"
	Title       string
	Description string
	Procedure   string // the verfahren definition the filing starts
	procLine    int
	pending     []rawCond // conditions on computed values, checked by Load
	pages       []Page
	computed    []Computed
	output      Output

	fields map[string]*Field    // by ID
	comps  map[string]*Computed // by ID
	pageOf map[string]int       // field ID → page index
	order  []node               // fields and computed values in evaluation order
	index  map[string]int       // ID → position in order

	// bound by Load
	courts *courtfinder.Finder
	funcs  map[string]Func
}

// node is a field or a computed value in evaluation order.
type node struct {
	field *Field
	comp  *Computed
}

// Page is one page of an interview.
type Page struct {
	ID    string
	Title string
	Intro string     // shown above the fields; paragraphs separated by blank lines
	When  *Condition // nil: always shown
	// Show lists computed values (or earlier fields) to show on the page
	// above its fields, e.g. the court fee before the citizen confirms it.
	Show []string
	// Stop marks a page that ends the interview when it is shown: its
	// intro says why (e.g. Beratungshilfe is not available while a court
	// proceeding is pending). Next returns "" from it and Output refuses.
	Stop   bool
	Fields []Field
	line   int
}

// Option is one choice of a select or radio field.
type Option struct {
	Value string
	Label string
	Hint  string
}

// Field is one question.
type Field struct {
	ID       string
	Label    string
	Hint     string
	Type     Type
	Required bool
	When     *Condition // nil: shown whenever its page is
	// Autocomplete is the HTML autocomplete token (WCAG 2.1 SC 1.3.5),
	// e.g. "name", "street-address", "postal-code", "email".
	Autocomplete string
	Options      []Option // select, radio
	// Min and Max bound number (the number) and money (cents) values; nil:
	// no bound.
	Min, Max *int64
	// MinLength and MaxLength bound text and textarea in characters.
	// MaxLength defaults to 200 (text) and 5000 (textarea).
	MinLength, MaxLength int
	Pattern              *regexp.Regexp // text: the whole value must match
	// DateRule is "past" (not after today) or "future" (not before today);
	// empty: any date.
	DateRule string
	// Accept, MaxSize and MaxFiles restrict uploads: allowed content types
	// (as sniffed by the portal), the largest file in bytes, the number of
	// files.
	Accept   []string
	MaxSize  int64
	MaxFiles int
	// Candidates names the computed value (of type courts) that proposes
	// courts for a court field.
	Candidates string
	Messages   Messages
	line       int
}

// Messages override the German default messages of a field.
type Messages struct {
	Required string // the field is required and empty
	Format   string // the value cannot be parsed
	Min      string // below Min or MinLength
	Max      string // above Max or MaxLength
	Pattern  string // does not match Pattern
}

// Computed is a value computed by a registered function from earlier
// answers.
type Computed struct {
	ID       string
	Label    string            // shown in the summary; empty: not shown
	Func     string            // a registered Func
	Args     map[string]string // parameter → field or computed ID
	Type     Type              // the function's result type (set by Load)
	line     int
	argLines map[string]int // parameter → line, for messages
}

// Condition is a test on earlier answers. Exactly one of Field, All, Any
// and Not is set. With Field, exactly one test applies:
//
//	Equals   the answer is one of Values (one value for equals, several for in)
//	Answered the field has an answer (true) or has none (false)
//	Greater  the number or amount is greater than Values[0]
//	Less     the number or amount is less than Values[0]
//
// A field that is not shown (its own condition or its page's is false)
// counts as not answered, whatever a stale answer says. Evaluation is total:
// a condition on a field without answer is false except Answered: false.
type Condition struct {
	Field    string
	Op       Op
	Values   []string // canonical values
	Answered bool
	All, Any []*Condition
	Not      *Condition
	line     int
}

// Op is the test of a field Condition.
type Op string

// Condition tests.
const (
	OpEquals   Op = "equals"
	OpIn       Op = "in"
	OpAnswered Op = "answered"
	OpGreater  Op = "greater"
	OpLess     Op = "less"
)

// Output says how the answers become the filing.
type Output struct {
	Register     string // Registerzeichen of the new case, e.g. "C"
	Subject      string // template, see Template
	Court        string // ID of the court field
	Participants []ParticipantOutput
	Data         []DataOutput
	Attachments  []string // IDs of file fields

	registerLine, subjectLine, courtLine, attachmentsLine int
}

// ParticipantOutput produces one akte.NewParticipant.
type ParticipantOutput struct {
	Role    string     // a key of akte.ParticipantRoles
	Name    string     // template
	Address string     // template
	When    *Condition // nil: always
	line    int
}

// DataOutput puts one answer or computed value into Filing.Data.
type DataOutput struct {
	Key  string
	From string // field or computed ID
	line int
}

// Pages returns the pages in order. The slice is the caller's; the
// pages' fields are shared and must not be modified.
func (d *Definition) Pages() []Page { return append([]Page(nil), d.pages...) }

// Page returns the page with the ID.
func (d *Definition) Page(id string) (Page, bool) {
	for _, p := range d.pages {
		if p.ID == id {
			return p, true
		}
	}
	return Page{}, false
}

// Field returns the field with the ID.
func (d *Definition) Field(id string) (Field, bool) {
	f, ok := d.fields[id]
	if !ok {
		return Field{}, false
	}
	return *f, true
}

// Computed returns the computed values in definition order.
func (d *Definition) Computed() []Computed { return append([]Computed(nil), d.computed...) }

// OutputMapping returns how answers become the filing.
func (d *Definition) OutputMapping() Output { return d.output }
