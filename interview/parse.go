// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package interview

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

var (
	nameRE     = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)
	idRE       = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
	optionRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)
	templateRE = regexp.MustCompile(`\{([^{}]*)\}`)
	sizeRE     = regexp.MustCompile(`^([0-9]{1,6}) ?(KB|MB)$`)
)

// Defaults of fields.
const (
	defaultTextMax     = 200
	defaultTextareaMax = 5000
	maxTextLimit       = 100000
	defaultMaxSize     = 10 << 20
	defaultMaxFiles    = 1
	maxMaxFiles        = 50
)

// Parse reads a definition file and checks everything that does not need
// the environment: the structure (unknown, duplicate and missing keys,
// value types), names and IDs, field types and their settings, that every
// ID a condition, computed value, candidate list or output names exists and
// comes earlier, and that computed values form no cycle. name is the file
// name used in messages. Any problem yields a *LoadError naming the file
// and line of each problem; Parse never panics.
//
// The result cannot run yet: Load checks it against the procedures, the
// court catalog and the registered functions, and binds them.
func Parse(name string, data []byte) (*Definition, error) {
	l := &loader{}
	root := l.decode(data)
	var d *Definition
	if root != nil {
		d = l.parse(root)
	}
	if err := l.err(name); err != nil {
		return nil, err
	}
	return d, nil
}

// rawCond is a condition before its field's type is known.
type rawCond struct {
	c      *Condition
	raw    []string // values as written
	owner  string   // for messages
	before int      // refs must be before this position in order; -1: any
}

type parser struct {
	*loader
	d     *Definition
	conds []rawCond
	lines map[string]int // ID → line, for messages
}

func (l *loader) parse(root *yaml.Node) *Definition {
	p := &parser{loader: l, d: &Definition{fields: map[string]*Field{}, comps: map[string]*Computed{}, pageOf: map[string]int{}, index: map[string]int{}}, lines: map[string]int{}}
	d := p.d
	top := l.mapping(root, "definition", "name", "title", "description", "procedure", "pages", "computed", "output")
	if top == nil {
		return nil
	}
	d.Name = l.str(top, "name", true)
	if d.Name != "" && !nameRE.MatchString(d.Name) {
		l.addf(top.lineOf("name"), "definition: name %q: want lower-case letters, digits and hyphens", d.Name)
	}
	d.Title = l.str(top, "title", true)
	d.Description = l.str(top, "description", false)
	d.Procedure = l.str(top, "procedure", true)
	d.procLine = top.lineOf("procedure")
	pageIDs := map[string]int{}
	for _, n := range l.seq(top, "pages", true) {
		pg := p.page(n)
		if pg == nil {
			continue
		}
		if prev, dup := pageIDs[pg.ID]; dup && pg.ID != "" {
			l.addf(pg.line, "page %q: duplicate id (first at line %d)", pg.ID, prev)
		}
		pageIDs[pg.ID] = pg.line
		d.pages = append(d.pages, *pg)
	}
	for _, n := range l.seq(top, "computed", false) {
		if c := p.computedValue(n); c != nil {
			d.computed = append(d.computed, *c)
		}
	}
	// Index after the slices stopped growing.
	for i := range d.pages {
		for j := range d.pages[i].Fields {
			f := &d.pages[i].Fields[j]
			if f.ID == "" {
				continue
			}
			d.fields[f.ID] = f
			d.pageOf[f.ID] = i
		}
	}
	for i := range d.computed {
		if c := &d.computed[i]; c.ID != "" {
			d.comps[c.ID] = c
		}
	}
	if o := l.get(top, "output", true); o != nil {
		p.output(o)
	}
	if len(l.problems) > 0 {
		return nil // references are checked on a sound structure only
	}
	p.resolve()
	return d
}

func (p *parser) id(f *fields, kind string) string {
	id := p.str(f, "id", true)
	if id != "" && !idRE.MatchString(id) {
		p.addf(f.lineOf("id"), "%s %q: id: want lower-case letters, digits and underscores, starting with a letter", kind, id)
	}
	return id
}

// claim records a field or computed ID, reporting duplicates.
func (p *parser) claim(id, kind string, line int) {
	if id == "" {
		return
	}
	if prev, dup := p.lines[id]; dup {
		p.addf(line, "%s %q: duplicate id (first at line %d)", kind, id, prev)
		return
	}
	p.lines[id] = line
}

func (p *parser) page(n *yaml.Node) *Page {
	f := p.mapping(n, peekID("page", n), "id", "title", "intro", "when", "show", "stop", "fields")
	if f == nil {
		return nil
	}
	pg := &Page{line: n.Line, ID: p.id(f, "page")}
	f.what = named("page", pg.ID)
	pg.Title = p.str(f, "title", true)
	pg.Intro = p.str(f, "intro", false)
	if w := p.get(f, "when", false); w != nil {
		pg.When = p.cond(w, f.what, 0)
	}
	pg.Show = p.strs(f, "show", false)
	pg.Stop = p.boolean(f, "stop")
	for _, fn := range p.seq(f, "fields", false) {
		if fd := p.field(fn); fd != nil {
			pg.Fields = append(pg.Fields, *fd)
		}
	}
	return pg
}

func named(kind, id string) string {
	if id == "" {
		return kind
	}
	return fmt.Sprintf("%s %q", kind, id)
}

func (p *parser) field(n *yaml.Node) *Field {
	f := p.mapping(n, peekID("field", n), "id", "label", "hint", "type", "required", "when", "autocomplete",
		"options", "min", "max", "min_length", "max_length", "pattern", "date", "accept", "max_size", "max_files",
		"candidates", "messages")
	if f == nil {
		return nil
	}
	fd := &Field{line: n.Line, ID: p.id(f, "field")}
	f.what = named("field", fd.ID)
	p.claim(fd.ID, "field", n.Line)
	fd.Label = p.str(f, "label", true)
	fd.Hint = p.str(f, "hint", false)
	fd.Type = Type(p.str(f, "type", true))
	if fd.Type != "" && !slices.Contains(fieldTypes, fd.Type) {
		names := make([]string, len(fieldTypes))
		for i, t := range fieldTypes {
			names[i] = string(t)
		}
		p.addf(f.lineOf("type"), "%s: unknown type %q (want one of %s)", f.what, fd.Type, strings.Join(names, ", "))
		fd.Type = ""
	}
	fd.Required = p.boolean(f, "required")
	if w := p.get(f, "when", false); w != nil {
		fd.When = p.cond(w, f.what, 0)
	}
	fd.Autocomplete = p.str(f, "autocomplete", false)
	only := func(key string, types ...Type) bool {
		if _, ok := f.m[key]; !ok {
			return false
		}
		if fd.Type != "" && !slices.Contains(types, fd.Type) {
			p.addf(f.lineOf(key), "%s: %q does not apply to type %s", f.what, key, fd.Type)
			return false
		}
		return fd.Type != ""
	}
	if only("options", Select, Radio) {
		seen := map[string]bool{}
		for _, on := range p.seq(f, "options", true) {
			of := p.mapping(on, f.what+": option", "value", "label", "hint")
			if of == nil {
				continue
			}
			o := Option{Value: p.str(of, "value", true), Label: p.str(of, "label", true), Hint: p.str(of, "hint", false)}
			if o.Value != "" && !optionRE.MatchString(o.Value) {
				p.addf(of.lineOf("value"), "%s: option value %q: want lower-case letters, digits, - and _", f.what, o.Value)
			}
			if seen[o.Value] {
				p.addf(of.lineOf("value"), "%s: duplicate option value %q", f.what, o.Value)
			}
			seen[o.Value] = true
			fd.Options = append(fd.Options, o)
		}
	} else if fd.Type == Select || fd.Type == Radio {
		p.addf(f.line, "%s: a %s field needs options", f.what, fd.Type)
	}
	for _, key := range []string{"min", "max"} {
		if !only(key, Number, Money) {
			continue
		}
		raw, ok := p.plain(p.get(f, key, true), f.what+": "+key)
		if !ok {
			continue
		}
		v, ok := parseBound(fd.Type, raw)
		if !ok {
			p.addf(f.lineOf(key), "%s: %s: %q is not a valid %s", f.what, key, raw, fd.Type)
			continue
		}
		if key == "min" {
			fd.Min = &v
		} else {
			fd.Max = &v
		}
	}
	if fd.Min != nil && fd.Max != nil && *fd.Min > *fd.Max {
		p.addf(f.lineOf("max"), "%s: max is less than min", f.what)
	}
	if only("min_length", Text, Textarea) {
		v, _ := p.integer(f, "min_length")
		fd.MinLength = int(v)
	}
	if only("max_length", Text, Textarea) {
		v, _ := p.integer(f, "max_length")
		if v < 1 || v > maxTextLimit {
			p.addf(f.lineOf("max_length"), "%s: max_length: want 1 to %d", f.what, maxTextLimit)
		}
		fd.MaxLength = int(v)
	}
	if fd.MaxLength == 0 {
		switch fd.Type {
		case Text:
			fd.MaxLength = defaultTextMax
		case Textarea:
			fd.MaxLength = defaultTextareaMax
		}
	}
	if fd.MaxLength > 0 && fd.MinLength > fd.MaxLength {
		p.addf(f.lineOf("min_length"), "%s: min_length is more than max_length", f.what)
	}
	if only("pattern", Text) {
		src := p.str(f, "pattern", true)
		re, err := regexp.Compile(`^(?:` + src + `)$`)
		if err != nil {
			p.addf(f.lineOf("pattern"), "%s: pattern: %v", f.what, err)
		}
		fd.Pattern = re
	}
	if only("date", Date) {
		fd.DateRule = p.str(f, "date", true)
		if fd.DateRule != "past" && fd.DateRule != "future" {
			p.addf(f.lineOf("date"), "%s: date: want past or future", f.what)
		}
	}
	if fd.Type == File {
		fd.Accept, fd.MaxSize, fd.MaxFiles = []string{"application/pdf"}, defaultMaxSize, defaultMaxFiles
	}
	if only("accept", File) {
		fd.Accept = p.strs(f, "accept", true)
		for _, ct := range fd.Accept {
			if !strings.Contains(ct, "/") || strings.ContainsAny(ct, " ;,") {
				p.addf(f.lineOf("accept"), "%s: accept: %q is not a content type", f.what, ct)
			}
		}
	}
	if only("max_size", File) {
		n := p.get(f, "max_size", true)
		if n != nil {
			if v, err := strconv.ParseInt(n.Value, 10, 64); err == nil && n.ShortTag() == "!!int" && v > 0 {
				fd.MaxSize = v
			} else if m := sizeRE.FindStringSubmatch(n.Value); m != nil && n.ShortTag() == "!!str" {
				v, _ := strconv.ParseInt(m[1], 10, 64)
				fd.MaxSize = v << 10
				if m[2] == "MB" {
					fd.MaxSize = v << 20
				}
			} else {
				p.addf(n.Line, "%s: max_size: want bytes or a size such as 10 MB", f.what)
			}
		}
	}
	if only("max_files", File) {
		v, _ := p.integer(f, "max_files")
		if v < 1 || v > maxMaxFiles {
			p.addf(f.lineOf("max_files"), "%s: max_files: want 1 to %d", f.what, maxMaxFiles)
		}
		fd.MaxFiles = int(v)
	}
	if only("candidates", Court) {
		fd.Candidates = p.str(f, "candidates", true)
	}
	if m := p.get(f, "messages", false); m != nil {
		mf := p.mapping(m, f.what+": messages", "required", "format", "min", "max", "pattern")
		fd.Messages = Messages{Required: p.str(mf, "required", false), Format: p.str(mf, "format", false),
			Min: p.str(mf, "min", false), Max: p.str(mf, "max", false), Pattern: p.str(mf, "pattern", false)}
	}
	return fd
}

// parseBound parses min or max as written in a definition: a number, or an
// amount in euros ("10.000,00", 10000).
func parseBound(t Type, raw string) (int64, bool) {
	if t == Money {
		return parseMoney(raw)
	}
	return parseNumber(raw)
}

// cond parses a condition; the values stay raw until resolve knows the
// field's type.
func (p *parser) cond(n *yaml.Node, owner string, depth int) *Condition {
	what := owner + ": when"
	if depth > maxDepth {
		p.addf(n.Line, "%s: conditions nested deeper than %d", what, maxDepth)
		return nil
	}
	f := p.mapping(n, what, "field", "equals", "in", "answered", "greater", "less", "all", "any", "not")
	if f == nil {
		return nil
	}
	c := &Condition{line: n.Line}
	var kinds []string
	for _, k := range []string{"field", "all", "any", "not"} {
		if _, ok := f.m[k]; ok {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) != 1 {
		p.addf(n.Line, "%s: want exactly one of field, all, any, not", what)
		return nil
	}
	var ops []string
	for _, k := range []string{"equals", "in", "answered", "greater", "less"} {
		if _, ok := f.m[k]; ok {
			ops = append(ops, k)
		}
	}
	switch kinds[0] {
	case "all", "any":
		if len(ops) > 0 {
			p.addf(n.Line, "%s: %s takes no %s", what, kinds[0], ops[0])
		}
		var list []*Condition
		for _, cn := range p.seq(f, kinds[0], true) {
			if sub := p.cond(cn, owner, depth+1); sub != nil {
				list = append(list, sub)
			}
		}
		if kinds[0] == "all" {
			c.All = list
		} else {
			c.Any = list
		}
	case "not":
		if len(ops) > 0 {
			p.addf(n.Line, "%s: not takes no %s", what, ops[0])
		}
		if sub := p.get(f, "not", true); sub != nil {
			c.Not = p.cond(sub, owner, depth+1)
		}
	case "field":
		c.Field = p.str(f, "field", true)
		if len(ops) != 1 {
			p.addf(n.Line, "%s: field %q: want exactly one of equals, in, answered, greater, less", what, c.Field)
			return c
		}
		c.Op = Op(ops[0])
		var raw []string
		switch c.Op {
		case OpAnswered:
			c.Answered = p.boolean(f, "answered")
		case OpIn:
			for _, vn := range p.seq(f, "in", true) {
				if v, ok := p.plain(vn, what+": in"); ok {
					raw = append(raw, v)
				}
			}
		default:
			if v, ok := p.plain(p.get(f, ops[0], true), what+": "+ops[0]); ok {
				raw = []string{v}
			}
		}
		p.conds = append(p.conds, rawCond{c: c, raw: raw, owner: owner})
	}
	return c
}

func (p *parser) computedValue(n *yaml.Node) *Computed {
	f := p.mapping(n, peekID("computed", n), "id", "label", "func", "args")
	if f == nil {
		return nil
	}
	c := &Computed{line: n.Line, ID: p.id(f, "computed"), Args: map[string]string{}, argLines: map[string]int{}}
	f.what = named("computed", c.ID)
	p.claim(c.ID, "computed", n.Line)
	c.Label = p.str(f, "label", false)
	c.Func = p.str(f, "func", true)
	if a := p.get(f, "args", true); a != nil {
		af := p.mapping(a, f.what+": args")
		if af != nil {
			for k, e := range af.m {
				c.Args[k] = p.scalar(e.val, f.what+": args: "+k)
				c.argLines[k] = e.val.Line
			}
			if len(af.m) == 0 {
				p.addf(a.Line, "%s: args: empty", f.what)
			}
		}
	}
	return c
}

func (p *parser) output(n *yaml.Node) {
	o := &p.d.output
	f := p.mapping(n, "output", "register", "subject", "court", "participants", "data", "attachments")
	if f == nil {
		return
	}
	o.Register = p.str(f, "register", true)
	o.registerLine = f.lineOf("register")
	o.Subject = p.str(f, "subject", true)
	o.subjectLine = f.lineOf("subject")
	o.Court = p.str(f, "court", true)
	o.courtLine = f.lineOf("court")
	for _, pn := range p.seq(f, "participants", true) {
		pf := p.mapping(pn, "output: participant", "role", "name", "address", "when")
		if pf == nil {
			continue
		}
		po := ParticipantOutput{line: pn.Line, Role: p.str(pf, "role", true)}
		pf.what = named("output: participant", po.Role)
		po.Name = p.str(pf, "name", true)
		po.Address = p.str(pf, "address", false)
		if w := p.get(pf, "when", false); w != nil {
			po.When = p.cond(w, pf.what, 0)
		}
		o.Participants = append(o.Participants, po)
	}
	if dn := p.get(f, "data", false); dn != nil {
		df := p.mapping(dn, "output: data")
		if df != nil {
			keys := make([]string, 0, len(df.m))
			for k := range df.m {
				keys = append(keys, k)
			}
			slices.SortFunc(keys, func(a, b string) int { return df.m[a].key.Line - df.m[b].key.Line })
			for _, k := range keys {
				if !idRE.MatchString(k) {
					p.addf(df.m[k].key.Line, "output: data: key %q: want lower-case letters, digits and underscores", k)
				}
				o.Data = append(o.Data, DataOutput{Key: k, From: p.scalar(df.m[k].val, "output: data: "+k), line: df.m[k].val.Line})
			}
		}
	}
	o.Attachments = p.strs(f, "attachments", false)
	o.attachmentsLine = f.lineOf("attachments")
}
