// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"justizcloud/errs"
)

// maxDefinitionSize bounds the input of Load; the shipped definitions are a
// few kilobytes.
const maxDefinitionSize = 1 << 20

// Problem is one finding of Load, at a line of the file (0: the whole file).
type Problem struct {
	Line int
	Msg  string
}

// LoadError lists everything Load found wrong with a definition file, sorted
// by line. It wraps errs.ErrInvalid. Its message has one line per problem:
//
//	zivil-online.yaml:42: event "urteil": unknown state "entscheiden"
type LoadError struct {
	File     string
	Problems []Problem
}

func (e *LoadError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.File)
		if p.Line > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(p.Line))
		}
		b.WriteString(": ")
		b.WriteString(p.Msg)
	}
	return b.String()
}

// Unwrap returns errs.ErrInvalid.
func (e *LoadError) Unwrap() error { return errs.ErrInvalid }

// Load parses and checks a definition file. name is the file name used in
// messages (e.g. "zivil-online.yaml"). Any problem, from YAML syntax to an
// unreachable state, yields a *LoadError that names the file and line of each
// problem found; a definition is returned only if there are none.
//
// The checks: unknown or duplicate keys; required fields; name syntax;
// duplicate state, event and Frist names; every state named by initial, from
// and to exists; every role, document class, event and Frist referenced
// exists; periods are valid; a Frist is started by its basis event and by no
// other; no event leaves a terminal state; at least one state is terminal;
// every state is reachable from the initial state; every non-terminal state
// has an event that leaves it; every state can reach a terminal state.
func Load(name string, data []byte) (*Definition, error) {
	l := &loader{}
	raw := l.parse(data)
	var d *Definition
	if raw != nil {
		d = l.check(raw)
	}
	if len(l.problems) > 0 {
		slices.SortStableFunc(l.problems, func(a, b Problem) int { return a.Line - b.Line })
		return nil, &LoadError{File: name, Problems: l.problems}
	}
	return d, nil
}

// sv is a string from the file with the line it was on.
type sv struct {
	s    string
	line int
}

type rawDefinition struct {
	name, title, description, initial sv
	states                            []rawState
	events                            []rawEvent
	fristen                           []rawFrist
	line                              int
}

type rawState struct {
	name, title sv
	terminal    bool
	line        int
}

type rawEvent struct {
	name, title, to, wiedervorlage                  sv
	from, roles                                     []sv
	participants, documents, after, notAfter        []sv
	fristExpired, startFristen, stopFristen, notify []sv
	line                                            int
}

type rawFrist struct {
	name, title, period, basis sv
	line                       int
}

type loader struct {
	problems []Problem
}

func (l *loader) addf(line int, format string, args ...any) {
	l.problems = append(l.problems, Problem{Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) parse(data []byte) (raw *rawDefinition) {
	if len(data) > maxDefinitionSize {
		l.addf(0, "file larger than %d bytes", maxDefinitionSize)
		return nil
	}
	var doc yaml.Node
	if err := l.decode(data, &doc); err != nil {
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		l.addf(0, "want one YAML document")
		return nil
	}
	if n := findAlias(&doc); n != nil {
		l.addf(n.Line, "YAML aliases are not supported")
		return nil
	}
	root := doc.Content[0]
	top := l.mapping(root, "definition", "name", "title", "description", "initial", "states", "events", "fristen")
	if top == nil {
		return nil
	}
	raw = &rawDefinition{line: root.Line}
	raw.name = l.str(top, "name", true)
	raw.title = l.str(top, "title", true)
	raw.description = l.str(top, "description", false)
	raw.initial = l.str(top, "initial", true)
	for _, n := range l.seq(top, "states", true) {
		f := l.mapping(n, peekName("state", n), "name", "title", "terminal")
		if f == nil {
			continue
		}
		s := rawState{line: n.Line, name: l.str(f, "name", true)}
		f.what = named("state", s.name)
		s.title = l.str(f, "title", true)
		s.terminal = l.boolean(f, "terminal")
		raw.states = append(raw.states, s)
	}
	for _, n := range l.seq(top, "events", true) {
		f := l.mapping(n, peekName("event", n), "name", "title", "from", "to", "roles", "guards", "effects")
		if f == nil {
			continue
		}
		e := rawEvent{line: n.Line, name: l.str(f, "name", true)}
		f.what = named("event", e.name)
		e.title = l.str(f, "title", true)
		e.from = l.strs(f, "from", true)
		e.to = l.str(f, "to", false)
		e.roles = l.strs(f, "roles", true)
		if g := l.get(f, "guards", false); g != nil {
			gf := l.mapping(g, f.what+": guards", "participants", "documents", "after", "not_after", "frist_expired")
			e.participants = l.strs(gf, "participants", false)
			e.documents = l.strs(gf, "documents", false)
			e.after = l.strs(gf, "after", false)
			e.notAfter = l.strs(gf, "not_after", false)
			e.fristExpired = l.strs(gf, "frist_expired", false)
		}
		if x := l.get(f, "effects", false); x != nil {
			xf := l.mapping(x, f.what+": effects", "start_fristen", "stop_fristen", "wiedervorlage", "notify")
			e.startFristen = l.strs(xf, "start_fristen", false)
			e.stopFristen = l.strs(xf, "stop_fristen", false)
			e.wiedervorlage = l.str(xf, "wiedervorlage", false)
			e.notify = l.strs(xf, "notify", false)
		}
		raw.events = append(raw.events, e)
	}
	for _, n := range l.seq(top, "fristen", false) {
		f := l.mapping(n, peekName("frist", n), "name", "title", "period", "basis")
		if f == nil {
			continue
		}
		r := rawFrist{line: n.Line, name: l.str(f, "name", true)}
		f.what = named("frist", r.name)
		r.title = l.str(f, "title", true)
		r.period = l.str(f, "period", true)
		r.basis = l.str(f, "basis", true)
		raw.fristen = append(raw.fristen, r)
	}
	return raw
}

// peekName returns `kind "name"` for a mapping node with a string name, so
// that problems found before the name is read can already name the item.
func peekName(kind string, n *yaml.Node) string {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "name" && v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" && v.Value != "" {
				return fmt.Sprintf("%s %q", kind, v.Value)
			}
		}
	}
	return kind
}

// named returns `kind "name"` for messages, or kind alone for a nameless item.
func named(kind string, name sv) string {
	if name.s == "" {
		return kind
	}
	return fmt.Sprintf("%s %q", kind, name.s)
}

// decode parses data into doc. The YAML library is not expected to panic,
// but Load must not crash a server or the `procedure check` command on any
// input, so a panic becomes a problem like a syntax error.
func (l *loader) decode(data []byte, doc *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			l.addf(0, "YAML parser failed: %v", r)
			err = errs.ErrInvalid
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(doc); err != nil {
		if errors.Is(err, io.EOF) {
			l.addf(0, "empty file")
		} else {
			l.yamlError(err)
		}
		return err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		line := extra.Line
		if err != nil {
			l.yamlError(err)
			return err
		}
		l.addf(line, "want one YAML document, found more")
		return errs.ErrInvalid
	}
	return nil
}

func (l *loader) yamlError(err error) {
	// The library reports "yaml: line 7: did not find expected key".
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		num, text, ok := strings.Cut(rest, ": ")
		if n, err := strconv.Atoi(num); ok && err == nil {
			line, msg = n, text
		}
	}
	// For parser (not scanner) errors the library prints the 0-based line
	// of the construct that failed, and no line at all for the first one
	// (go-yaml/yaml#205); correct that here.
	if yamlParserProblem(msg) {
		line++
	}
	l.addf(line, "YAML: %s", msg)
}

// yamlParserProblem reports whether msg is one of the parser's problems (as
// opposed to the scanner's), which the library reports with a 0-based line.
// The list is that of parserc.go in go.yaml.in/yaml/v3 v3.0.6; the tests in
// load_test.go fail if an upgrade changes it.
func yamlParserProblem(msg string) bool {
	switch msg {
	case "did not find expected ',' or ']'",
		"did not find expected ',' or '}'",
		"did not find expected '-' indicator",
		"did not find expected <document start>",
		"did not find expected <stream-start>",
		"did not find expected key",
		"did not find expected node content",
		"found duplicate %TAG directive",
		"found duplicate %YAML directive",
		"found incompatible YAML document",
		"found undefined tag handle":
		return true
	}
	return false
}

func findAlias(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		return n
	}
	for _, c := range n.Content {
		if a := findAlias(c); a != nil {
			return a
		}
	}
	return nil
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// entry is a value of a mapping together with its key (for the key's line).
type entry struct {
	key, val *yaml.Node
}

// fields are the entries of a mapping node. A nil *fields (the node was not
// a mapping; a problem is recorded) yields nothing and records nothing more.
type fields struct {
	line int    // of the mapping, for missing keys
	what string // for messages: "definition", `event "urteil"`
	m    map[string]entry
}

// mapping checks that n is a mapping with string keys from allowed, each at
// most once, and returns its entries. It returns nil (and records a problem)
// if n is not a mapping.
func (l *loader) mapping(n *yaml.Node, what string, allowed ...string) *fields {
	if n.Kind != yaml.MappingNode {
		l.addf(n.Line, "%s: want a mapping (key: value)", what)
		return nil
	}
	f := &fields{line: n.Line, what: what, m: make(map[string]entry, len(n.Content)/2)}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
			l.addf(k.Line, "%s: keys must be strings", what)
			continue
		}
		if !slices.Contains(allowed, k.Value) {
			l.addf(k.Line, "%s: unknown key %q (want one of %s)", what, k.Value, strings.Join(allowed, ", "))
			continue
		}
		if prev, dup := f.m[k.Value]; dup {
			l.addf(k.Line, "%s: duplicate key %q (first at line %d)", what, k.Value, prev.key.Line)
			continue
		}
		f.m[k.Value] = entry{key: k, val: v}
	}
	return f
}

// get returns the value at key, or nil if it is missing or null. A missing
// required value is a problem.
func (l *loader) get(f *fields, key string, required bool) *yaml.Node {
	if f == nil {
		return nil
	}
	e, ok := f.m[key]
	if !ok || isNull(e.val) {
		if required {
			line := f.line
			if ok {
				line = e.key.Line
			}
			l.addf(line, "%s: missing %q", f.what, key)
		}
		return nil
	}
	return e.val
}

// str returns the string at key ("" if missing or null).
func (l *loader) str(f *fields, key string, required bool) sv {
	n := l.get(f, key, required)
	if n == nil {
		return sv{}
	}
	return l.scalar(n, f.what+": "+key)
}

func (l *loader) scalar(n *yaml.Node, what string) sv {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		l.addf(n.Line, "%s: want a string", what)
		return sv{}
	}
	if n.Value == "" {
		l.addf(n.Line, "%s: empty string", what)
	}
	return sv{s: n.Value, line: n.Line}
}

func (l *loader) boolean(f *fields, key string) bool {
	n := l.get(f, key, false)
	if n == nil {
		return false
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		l.addf(n.Line, "%s: %s: want true or false", f.what, key)
		return false
	}
	b, err := strconv.ParseBool(n.Value)
	if err != nil { // YAML 1.1 spellings such as "yes", which the library also tags !!bool
		l.addf(n.Line, "%s: %s: want true or false", f.what, key)
	}
	return b
}

// seq returns the items of the list at key.
func (l *loader) seq(f *fields, key string, required bool) []*yaml.Node {
	n := l.get(f, key, required)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		l.addf(n.Line, "%s: %s: want a list", f.what, key)
		return nil
	}
	if required && len(n.Content) == 0 {
		l.addf(n.Line, "%s: %s: empty list", f.what, key)
	}
	return n.Content
}

// strs returns the strings of the list at key.
func (l *loader) strs(f *fields, key string, required bool) []sv {
	var out []sv
	for _, n := range l.seq(f, key, required) {
		if v := l.scalar(n, f.what+": "+key); v.s != "" {
			out = append(out, v)
		}
	}
	return out
}
