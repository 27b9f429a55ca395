// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren

import (
	"fmt"
	"strings"
)

// edge is one arrow of a diagram: an event from one state to another (or
// back to the same state for an event that keeps the state).
type edge struct {
	from, to State
	label    string
}

// edges returns the arrows in definition order: events in file order, each
// with its From states in file order.
func (d *Definition) edges() []edge {
	var out []edge
	for _, e := range d.Events {
		label := e.Name + " [" + strings.Join(e.Roles, ", ") + "]"
		for _, f := range e.From {
			to := e.To
			if to == "" {
				to = f
			}
			out = append(out, edge{from: f, to: to, label: label})
		}
	}
	return out
}

// Mermaid returns a Mermaid state diagram (stateDiagram-v2) of d: every
// state with its title, every event as an arrow labelled with its name and
// the roles that may fire it. The output is deterministic (file order).
func (d *Definition) Mermaid() string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s\n---\n", mermaidText(d.Title))
	b.WriteString("stateDiagram-v2\n")
	for _, s := range d.States {
		fmt.Fprintf(&b, "    %s : %s\n", s.Name, mermaidText(s.Title))
	}
	fmt.Fprintf(&b, "    [*] --> %s\n", d.Initial)
	for _, e := range d.edges() {
		fmt.Fprintf(&b, "    %s --> %s : %s\n", e.from, e.to, mermaidText(e.label))
	}
	for _, s := range d.States {
		if s.Terminal {
			fmt.Fprintf(&b, "    %s --> [*]\n", s.Name)
		}
	}
	return b.String()
}

// mermaidText makes free text safe for a Mermaid label: one line, and no
// characters that end a label or start a comment or an entity.
func mermaidText(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ", ";", ",", "%%", "%", ":", " -", `"`, "'").Replace(s)
}

// DOT returns a Graphviz digraph of d: states as boxes (terminal states with
// a double border), a point for the start, events as labelled edges. The
// output is deterministic (file order).
func (d *Definition) DOT() string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", dotQuote(d.Name))
	fmt.Fprintf(&b, "  label=%s;\n  labelloc=t;\n  rankdir=LR;\n", dotQuote(d.Title))
	b.WriteString("  node [shape=box, style=rounded];\n")
	b.WriteString("  \"__start\" [shape=point, label=\"\"];\n")
	for _, s := range d.States {
		attrs := "label=" + dotQuote(s.Title+"\n("+string(s.Name)+")")
		if s.Terminal {
			attrs += ", peripheries=2"
		}
		fmt.Fprintf(&b, "  %s [%s];\n", dotQuote(string(s.Name)), attrs)
	}
	fmt.Fprintf(&b, "  \"__start\" -> %s;\n", dotQuote(string(d.Initial)))
	for _, e := range d.edges() {
		fmt.Fprintf(&b, "  %s -> %s [label=%s];\n", dotQuote(string(e.from)), dotQuote(string(e.to)), dotQuote(e.label))
	}
	b.WriteString("}\n")
	return b.String()
}

// dotQuote returns s as a DOT double-quoted string; a newline becomes the
// DOT line break \n.
func dotQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "", "\n", `\n`).Replace(s) + `"`
}
