// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren

import (
	"slices"
	"strings"

	"justizcloud/frist"
)

// maxName bounds identifiers; they end up in URLs, logs and diagrams.
const maxName = 64

// validIdent reports whether s is a lower-case ASCII identifier: a letter,
// then letters, digits and underscores (extra may allow more bytes, such as
// '-' in definition names). German names are transliterated (ä → ae), which
// keeps them safe in DOT, Mermaid and URLs.
func validIdent(s, extra string) bool {
	if s == "" || len(s) > maxName || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_':
		case strings.IndexByte(extra, c) >= 0:
		default:
			return false
		}
	}
	return true
}

// check turns a parsed file into a Definition, recording every problem.
func (l *loader) check(raw *rawDefinition) *Definition {
	d := &Definition{
		Name:        raw.name.s,
		Title:       raw.title.s,
		Description: raw.description.s,
		Initial:     State(raw.initial.s),
	}
	if raw.name.s != "" && !validIdent(raw.name.s, "-") {
		l.addf(raw.name.line, "definition: name %q: want lower-case letters, digits, '_' and '-', starting with a letter", raw.name.s)
	}

	codes := l.documentCodes()

	// Names first, so that references can be checked in any order.
	states := map[string]rawState{}
	for _, s := range raw.states {
		if l.ident("state", s.name) {
			if prev, dup := states[s.name.s]; dup {
				l.addf(s.name.line, "duplicate state %q (first at line %d)", s.name.s, prev.line)
				continue
			}
			states[s.name.s] = s
		}
		d.States = append(d.States, StateDef{Name: State(s.name.s), Title: s.title.s, Terminal: s.terminal})
	}
	events := map[string]rawEvent{}
	for _, e := range raw.events {
		if l.ident("event", e.name) {
			if prev, dup := events[e.name.s]; dup {
				l.addf(e.name.line, "duplicate event %q (first at line %d)", e.name.s, prev.line)
				continue
			}
			events[e.name.s] = e
		}
	}
	fristen := map[string]rawFrist{}
	for _, f := range raw.fristen {
		if l.ident("frist", f.name) {
			if prev, dup := fristen[f.name.s]; dup {
				l.addf(f.name.line, "duplicate frist %q (first at line %d)", f.name.s, prev.line)
				continue
			}
			fristen[f.name.s] = f
		}
	}

	if raw.initial.s != "" {
		if _, ok := states[raw.initial.s]; !ok {
			l.addf(raw.initial.line, "definition: initial: unknown state %q", raw.initial.s)
		}
	}

	for _, e := range raw.events {
		what := named("event", e.name)
		ev := EventDef{Name: e.name.s, Title: e.title.s, To: State(e.to.s)}
		for _, s := range unique(l, what, "from", e.from) {
			rs, ok := states[s.s]
			switch {
			case !ok:
				l.addf(s.line, "%s: unknown state %q", what, s.s)
			case rs.terminal:
				l.addf(s.line, "%s: from terminal state %q (no event may leave a terminal state)", what, s.s)
			}
			ev.From = append(ev.From, State(s.s))
		}
		if e.to.s != "" {
			if _, ok := states[e.to.s]; !ok {
				l.addf(e.to.line, "%s: unknown state %q", what, e.to.s)
			}
		}
		for _, r := range unique(l, what, "roles", e.roles) {
			if !IsRole(r.s) {
				l.addf(r.line, "%s: unknown role %q (want one of %s)", what, r.s, strings.Join(Roles(), ", "))
			}
			ev.Roles = append(ev.Roles, r.s)
		}
		ev.Guards.Participants = l.partyRoles(what, "participants", e.participants)
		for _, c := range unique(l, what, "documents", e.documents) {
			code := normalizeDocumentClass(c.s)
			if codes != nil && !slices.Contains(codes, code) {
				l.addf(c.line, "%s: unknown document class %q (want a GDS.Dokumentklasse code or one of Klage, Antrag, Schriftsatz, Urteil, Beschluss, Verfuegung, Protokoll, Zustellungsnachweis, Anlage)", what, c.s)
			}
			ev.Guards.Documents = append(ev.Guards.Documents, code)
		}
		ev.Guards.After = l.eventRefs(what, "after", e.after, events)
		ev.Guards.NotAfter = l.eventRefs(what, "not_after", e.notAfter, events)
		ev.Guards.FristExpired = l.fristRefs(what, "frist_expired", e.fristExpired, fristen)
		ev.Effects.StartFristen = l.fristRefs(what, "start_fristen", e.startFristen, fristen)
		for _, f := range e.startFristen {
			if rf, ok := fristen[f.s]; ok && rf.basis.s != "" && rf.basis.s != e.name.s {
				l.addf(f.line, "%s: starts frist %q whose basis is event %q (a Frist is started by its basis event only)", what, f.s, rf.basis.s)
			}
		}
		ev.Effects.StopFristen = l.fristRefs(what, "stop_fristen", e.stopFristen, fristen)
		if e.wiedervorlage.s != "" {
			p, err := frist.ParsePeriod(e.wiedervorlage.s)
			if err != nil {
				l.addf(e.wiedervorlage.line, "%s: wiedervorlage: invalid period %q (want e.g. 3d, 2w, 1m, 1y)", what, e.wiedervorlage.s)
			}
			ev.Effects.Wiedervorlage = p
		}
		ev.Effects.Notify = l.partyRoles(what, "notify", e.notify)
		d.Events = append(d.Events, ev)
	}

	for _, f := range raw.fristen {
		what := named("frist", f.name)
		fd := FristDef{Name: f.name.s, Title: f.title.s, Basis: f.basis.s}
		if f.period.s != "" {
			p, err := frist.ParsePeriod(f.period.s)
			if err != nil {
				l.addf(f.period.line, "%s: invalid period %q (want e.g. 3d, 2w, 1m, 1y)", what, f.period.s)
			}
			fd.Period = p
		}
		if f.basis.s != "" {
			if be, ok := events[f.basis.s]; !ok {
				l.addf(f.basis.line, "%s: basis: unknown event %q", what, f.basis.s)
			} else if !slices.ContainsFunc(be.startFristen, func(s sv) bool { return s.s == f.name.s }) {
				l.addf(f.basis.line, "%s: basis event %q does not start it (add it to that event's start_fristen)", what, f.basis.s)
			}
		}
		d.Fristen = append(d.Fristen, fd)
	}

	l.checkGraph(raw, d, states)
	return d
}

// ident checks the syntax of a state, event or Frist name.
func (l *loader) ident(kind string, name sv) bool {
	if name.s == "" {
		return false // missing: already reported
	}
	if !validIdent(name.s, "") {
		l.addf(name.line, "%s name %q: want lower-case letters, digits and '_', starting with a letter (ä → ae)", kind, name.s)
		return false
	}
	return true
}

// unique reports repeated items of a list and returns the list.
func unique(l *loader, what, key string, list []sv) []sv {
	seen := map[string]int{}
	var out []sv
	for _, s := range list {
		if first, dup := seen[s.s]; dup {
			l.addf(s.line, "%s: %s: %q listed twice (first at line %d)", what, key, s.s, first)
			continue
		}
		seen[s.s] = s.line
		out = append(out, s)
	}
	return out
}

func (l *loader) partyRoles(what, key string, list []sv) []string {
	var out []string
	for _, r := range unique(l, what, key, list) {
		if !IsPartyRole(r.s) {
			l.addf(r.line, "%s: %s: unknown party role %q (want one of %s)", what, key, r.s, strings.Join(PartyRoles(), ", "))
		}
		out = append(out, r.s)
	}
	return out
}

func (l *loader) eventRefs(what, key string, list []sv, events map[string]rawEvent) []string {
	var out []string
	for _, e := range unique(l, what, key, list) {
		if _, ok := events[e.s]; !ok {
			l.addf(e.line, "%s: %s: unknown event %q", what, key, e.s)
		}
		out = append(out, e.s)
	}
	return out
}

func (l *loader) fristRefs(what, key string, list []sv, fristen map[string]rawFrist) []string {
	var out []string
	for _, f := range unique(l, what, key, list) {
		if _, ok := fristen[f.s]; !ok {
			l.addf(f.line, "%s: %s: unknown frist %q", what, key, f.s)
		}
		out = append(out, f.s)
	}
	return out
}

// documentCodes returns the codes of the embedded code list, or nil (and a
// problem) if it cannot be read.
func (l *loader) documentCodes() []string {
	classes, err := DocumentClasses()
	if err != nil {
		l.addf(0, "%s", err)
		return nil
	}
	codes := make([]string, len(classes))
	for i, c := range classes {
		codes[i] = c.Code
	}
	return codes
}

// checkGraph checks the shape of the state machine: a terminal state exists,
// every state is reachable from the initial state, every non-terminal state
// can be left, and every state can reach a terminal state. Unknown states
// (already reported) are ignored.
func (l *loader) checkGraph(raw *rawDefinition, d *Definition, states map[string]rawState) {
	if len(states) == 0 {
		return
	}
	next := map[State][]State{} // edges that change the state
	prev := map[State][]State{}
	for _, e := range d.Events {
		if e.To == "" {
			continue
		}
		if _, ok := states[string(e.To)]; !ok {
			continue
		}
		for _, f := range e.From {
			if _, ok := states[string(f)]; !ok || f == e.To {
				continue
			}
			next[f] = append(next[f], e.To)
			prev[e.To] = append(prev[e.To], f)
		}
	}
	var terminals []State
	for _, s := range raw.states {
		if s.terminal && s.name.s != "" {
			terminals = append(terminals, State(s.name.s))
		}
	}
	if len(terminals) == 0 {
		l.addf(raw.line, "definition: no terminal state (mark the final states with terminal: true)")
	}

	var fromInitial map[State]bool
	if _, ok := states[raw.initial.s]; ok {
		fromInitial = reach([]State{State(raw.initial.s)}, next)
	}
	toTerminal := reach(terminals, prev)
	reported := map[string]bool{}
	for _, s := range raw.states {
		n := State(s.name.s)
		if n == "" || reported[s.name.s] || !validIdent(s.name.s, "") {
			continue
		}
		reported[s.name.s] = true
		what := named("state", s.name)
		if fromInitial != nil && !fromInitial[n] {
			l.addf(s.name.line, "%s: unreachable from initial state %q", what, raw.initial.s)
		}
		if s.terminal {
			continue
		}
		if len(next[n]) == 0 {
			l.addf(s.name.line, "%s: not terminal, but no event leaves it", what)
		} else if len(terminals) > 0 && !toTerminal[n] {
			l.addf(s.name.line, "%s: no terminal state can be reached from it", what)
		}
	}
}

// reach returns the states reachable from start along edges (breadth first).
func reach(start []State, edges map[State][]State) map[State]bool {
	seen := map[State]bool{}
	queue := slices.Clone(start)
	for _, s := range start {
		seen[s] = true
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, t := range edges[s] {
			if !seen[t] {
				seen[t] = true
				queue = append(queue, t)
			}
		}
	}
	return seen
}
