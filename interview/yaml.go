// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package interview

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"justizcloud/verfahren"
)

// maxDefinitionSize bounds the input of Parse; the shipped definitions are
// some ten kilobytes.
const maxDefinitionSize = 1 << 20

// maxDepth bounds the nesting of conditions.
const maxDepth = 16

// Problem is one finding of Parse or Load, at a line of the file (0: the
// whole file): the same as a procedure definition's.
type Problem = verfahren.Problem

// LoadError lists everything Parse or Load found wrong with a definition
// file, sorted by line, one line per problem, e.g.
//
//	geld-einklagen.yaml:42: field "forderung": unknown type "geld"
//
// It wraps errs.ErrInvalid (verfahren.LoadError).
type LoadError = verfahren.LoadError

type loader struct {
	problems []Problem
}

func (l *loader) addf(line int, format string, args ...any) {
	l.problems = append(l.problems, Problem{Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) err(file string) error {
	if len(l.problems) == 0 {
		return nil
	}
	slices.SortStableFunc(l.problems, func(a, b Problem) int { return a.Line - b.Line })
	return &LoadError{File: file, Problems: l.problems}
}

// decode parses data into one YAML document. A panic of the YAML library
// becomes a problem: Parse must not crash a server on any input.
func (l *loader) decode(data []byte) (root *yaml.Node) {
	defer func() {
		if r := recover(); r != nil {
			l.addf(0, "YAML parser failed: %v", r)
			root = nil
		}
	}()
	if len(data) > maxDefinitionSize {
		l.addf(0, "file larger than %d bytes", maxDefinitionSize)
		return nil
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			l.addf(0, "empty file")
		} else {
			l.yamlError(err)
		}
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			l.yamlError(err)
		} else {
			l.addf(extra.Line, "want one YAML document, found more")
		}
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		l.addf(0, "want one YAML document")
		return nil
	}
	if n := findAlias(&doc, 0); n != nil {
		if n.Kind == yaml.AliasNode {
			l.addf(n.Line, "YAML aliases are not supported")
		} else {
			l.addf(n.Line, "YAML nested deeper than %d levels", maxYAMLDepth)
		}
		return nil
	}
	return doc.Content[0]
}

func (l *loader) yamlError(err error) {
	// The library reports "yaml: line 7: did not find expected key"; for
	// parser (not scanner) problems the line is 0-based (go-yaml/yaml#205),
	// which verfahren.Load corrects the same way.
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		num, text, ok := strings.Cut(rest, ": ")
		if n, err := strconv.Atoi(num); ok && err == nil {
			line, msg = n, text
		}
	}
	if strings.HasPrefix(msg, "did not find expected") || strings.HasPrefix(msg, "found duplicate %") ||
		msg == "found incompatible YAML document" || msg == "found undefined tag handle" {
		line++
	}
	l.addf(line, "YAML: %s", msg)
}

// maxYAMLDepth bounds the nesting of the file; definitions need about ten.
const maxYAMLDepth = 64

// findAlias returns the first alias node, or a node nested deeper than
// maxYAMLDepth.
func findAlias(n *yaml.Node, depth int) *yaml.Node {
	if n.Kind == yaml.AliasNode || depth > maxYAMLDepth {
		return n
	}
	for _, c := range n.Content {
		if a := findAlias(c, depth+1); a != nil {
			return a
		}
	}
	return nil
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

type entry struct {
	key, val *yaml.Node
}

// fields are the entries of a mapping node. A nil *fields (the node was not
// a mapping; a problem is recorded) yields nothing and records nothing more.
type fields struct {
	line int
	what string
	m    map[string]entry
}

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
		if allowed != nil && !slices.Contains(allowed, k.Value) {
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
func (l *loader) str(f *fields, key string, required bool) string {
	n := l.get(f, key, required)
	if n == nil {
		return ""
	}
	return l.scalar(n, f.what+": "+key)
}

func (l *loader) scalar(n *yaml.Node, what string) string {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		l.addf(n.Line, "%s: want a string", what)
		return ""
	}
	if n.Value == "" {
		l.addf(n.Line, "%s: empty string", what)
	}
	return n.Value
}

// plain returns a scalar of any tag as its text (for values such as
// 10000, "10.000,00" or true, which the field's type parses).
func (l *loader) plain(n *yaml.Node, what string) (string, bool) {
	if n == nil {
		return "", false // missing; get has reported it
	}
	if n.Kind != yaml.ScalarNode || isNull(n) {
		l.addf(n.Line, "%s: want a single value", what)
		return "", false
	}
	return n.Value, true
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
	if err != nil {
		l.addf(n.Line, "%s: %s: want true or false", f.what, key)
	}
	return b
}

func (l *loader) integer(f *fields, key string) (int64, bool) {
	n := l.get(f, key, false)
	if n == nil {
		return 0, false
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		l.addf(n.Line, "%s: %s: want a whole number", f.what, key)
		return 0, false
	}
	v, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil || v < 0 {
		l.addf(n.Line, "%s: %s: want a whole number of at least 0", f.what, key)
		return 0, false
	}
	return v, true
}

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

func (l *loader) strs(f *fields, key string, required bool) []string {
	var out []string
	for _, n := range l.seq(f, key, required) {
		if v := l.scalar(n, f.what+": "+key); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// line returns the line of the value at key, or of the mapping.
func (f *fields) lineOf(key string) int {
	if f == nil {
		return 0
	}
	if e, ok := f.m[key]; ok {
		return e.val.Line
	}
	return f.line
}

// peekID returns `kind "id"` for a mapping node with a string id.
func peekID(kind string, n *yaml.Node) string {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "id" && v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" && v.Value != "" {
				return fmt.Sprintf("%s %q", kind, v.Value)
			}
		}
	}
	return kind
}
