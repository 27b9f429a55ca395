// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"justizcloud/errs"
	"justizcloud/frist"
)

// baseYAML is a small valid definition; the load tests break it one way at
// a time. Keep the line numbers in mind when editing: the tests name them.
const baseYAML = `name: t
title: Test
initial: a
states:
  - name: a
    title: A
  - name: b
    title: B
    terminal: true
fristen:
  - name: f
    title: F
    period: 2w
    basis: go
events:
  - name: go
    title: Go
    from: [a]
    to: b
    roles: [richter]
    guards:
      participants: [klaeger]
      documents: [Urteil]
    effects:
      start_fristen: [f]
      wiedervorlage: 1w
      notify: [beklagter]
`

func TestLoadBase(t *testing.T) {
	d, err := Load("t.yaml", []byte(baseYAML))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := &Definition{
		Name: "t", Title: "Test", Initial: "a",
		States: []StateDef{{Name: "a", Title: "A"}, {Name: "b", Title: "B", Terminal: true}},
		Events: []EventDef{{
			Name: "go", Title: "Go", From: []State{"a"}, To: "b", Roles: []string{"richter"},
			Guards:  Guards{Participants: []string{"klaeger"}, Documents: []string{"006"}},
			Effects: Effects{StartFristen: []string{"f"}, Wiedervorlage: Period{N: 1, Unit: frist.Weeks}, Notify: []string{"beklagter"}},
		}},
		Fristen: []FristDef{{Name: "f", Title: "F", Period: Period{N: 2, Unit: frist.Weeks}, Basis: "go"}},
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("Load (-want +got):\n%s", diff)
	}
}

// edit replaces each old with its new in s; every old must occur.
func edit(tb testing.TB, s string, pairs ...string) string {
	tb.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			tb.Fatalf("edit: %q not in input", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

// markedLine returns the number of the line that carries the marker "#<",
// or 0.
func markedLine(s string) int {
	for i, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "#<") {
			return i + 1
		}
	}
	return 0
}

func TestLoadRefuses(t *testing.T) {
	tests := []struct {
		name  string
		edits []string // pairs of old, new applied to baseYAML; the marker #< is on the offending line
		line  int      // 0: the message names no line
		want  string   // the message after "t.yaml:LINE: "
	}{
		{"unknown state in to", []string{"    to: b\n", "    to: entscheiden #<\n"},
			19, `event "go": unknown state "entscheiden"`},
		{"unknown state in from", []string{"from: [a]", "from: [a, x] #<"},
			18, `event "go": unknown state "x"`},
		{"unknown initial state", []string{"initial: a", "initial: z #<"},
			3, `definition: initial: unknown state "z"`},
		{"unknown top-level key", []string{"title: Test\n", "title: Test\nowner: me #<\n"},
			3, `definition: unknown key "owner"`},
		{"unknown key in an event", []string{"    to: b\n", "    to: b\n    too: c #<\n"},
			20, `event "go": unknown key "too"`},
		{"unknown key in guards", []string{"      documents: [Urteil]\n", "      documents: [Urteil]\n      before: [go] #<\n"},
			24, `event "go": guards: unknown key "before"`},
		{"unknown key in a state", []string{"    title: A\n", "    title: A\n    final: true #<\n"},
			7, `state "a": unknown key "final"`},
		{"duplicate key", []string{"    to: b\n", "    to: b\n    to: a #<\n"},
			20, `event "go": duplicate key "to" (first at line 19)`},
		{"duplicate state", []string{"    terminal: true\n", "    terminal: true\n  - name: a #<\n    title: A2\n"},
			10, `duplicate state "a" (first at line 5)`},
		{"duplicate event", []string{"      notify: [beklagter]\n", "      notify: [beklagter]\n  - name: go #<\n    title: Again\n    from: [a]\n    roles: [richter]\n"},
			28, `duplicate event "go" (first at line 16)`},
		{"duplicate frist", []string{"    basis: go\n", "    basis: go\n  - name: f #<\n    title: F2\n    period: 1w\n    basis: go\n"},
			15, `duplicate frist "f" (first at line 11)`},
		{"unknown role", []string{"roles: [richter]", "roles: [richter, hausmeister] #<"},
			20, `event "go": unknown role "hausmeister"`},
		{"court role as required participant", []string{"participants: [klaeger]", "participants: [richter] #<"},
			22, `event "go": participants: unknown party role "richter"`},
		{"unknown role to notify", []string{"notify: [beklagter]", "notify: [zeuge] #<"},
			27, `event "go": notify: unknown party role "zeuge"`},
		{"role listed twice", []string{"roles: [richter]", "roles: [richter, richter] #<"},
			20, `event "go": roles: "richter" listed twice (first at line 20)`},
		{"unknown document class", []string{"documents: [Urteil]", "documents: [Urteil, Fax] #<"},
			23, `event "go": unknown document class "Fax"`},
		{"unknown document code", []string{"documents: [Urteil]", `documents: ["099"] #<`},
			23, `event "go": unknown document class "099"`},
		{"unquoted document code is a number", []string{"documents: [Urteil]", "documents: [6] #<"},
			23, `event "go": guards: documents: want a string`},
		{"unknown frist started", []string{"start_fristen: [f]", "start_fristen: [f, g] #<"},
			25, `event "go": start_fristen: unknown frist "g"`},
		{"unknown frist stopped", []string{"start_fristen: [f]\n", "start_fristen: [f]\n      stop_fristen: [g] #<\n"},
			26, `event "go": stop_fristen: unknown frist "g"`},
		{"unknown frist in a guard", []string{"      documents: [Urteil]\n", "      documents: [Urteil]\n      frist_expired: [g] #<\n"},
			24, `event "go": frist_expired: unknown frist "g"`},
		{"unknown event in after", []string{"      documents: [Urteil]\n", "      documents: [Urteil]\n      after: [kommen] #<\n"},
			24, `event "go": after: unknown event "kommen"`},
		{"unknown event in not_after", []string{"      documents: [Urteil]\n", "      documents: [Urteil]\n      not_after: [kommen] #<\n"},
			24, `event "go": not_after: unknown event "kommen"`},
		{"frist basis unknown", []string{"basis: go", "basis: gehen #<"},
			14, `frist "f": basis: unknown event "gehen"`},
		{"frist basis does not start it", []string{"basis: go", "basis: go #<", "      start_fristen: [f]\n", ""},
			14, `frist "f": basis event "go" does not start it`},
		{"frist started by another event", []string{"      notify: [beklagter]\n", "      notify: [beklagter]\n  - name: stay\n    title: Stay\n    from: [a]\n    roles: [richter]\n    effects:\n      start_fristen: [f] #<\n"},
			33, `event "stay": starts frist "f" whose basis is event "go"`},
		{"unreachable state", []string{"    terminal: true\n", "    terminal: true\n  - name: c #<\n    title: C\n    terminal: true\n"},
			10, `state "c": unreachable from initial state "a"`},
		{"event from a terminal state", []string{"from: [a]", "from: [a, b] #<"},
			18, `event "go": from terminal state "b" (no event may leave a terminal state)`},
		{"non-terminal state without a way out", []string{"    terminal: true\n", "    terminal: true\n  - name: c #<\n    title: C\n", "      notify: [beklagter]\n", "      notify: [beklagter]\n  - name: hin\n    title: Hin\n    from: [a]\n    to: c\n    roles: [richter]\n"},
			10, `state "c": not terminal, but no event leaves it`},
		{"an event that keeps the state is no way out", []string{"    terminal: true\n", "    terminal: true\n  - name: c #<\n    title: C\n", "      notify: [beklagter]\n", "      notify: [beklagter]\n  - name: hin\n    title: Hin\n    from: [a]\n    to: c\n    roles: [richter]\n  - name: bleib\n    title: Bleib\n    from: [c]\n    roles: [richter]\n"},
			10, `state "c": not terminal, but no event leaves it`},
		{"cycle that never ends", []string{"    terminal: true\n", "    terminal: true\n  - name: c #<\n    title: C\n  - name: d\n    title: D\n", "      notify: [beklagter]\n", "      notify: [beklagter]\n  - name: hin\n    title: Hin\n    from: [a]\n    to: c\n    roles: [richter]\n  - name: her\n    title: Her\n    from: [c]\n    to: d\n    roles: [richter]\n  - name: zurueck\n    title: Zurück\n    from: [d]\n    to: c\n    roles: [richter]\n"},
			10, `state "c": no terminal state can be reached from it`},
		{"no terminal state", []string{"name: t\n", "name: t #<\n", "    terminal: true\n", ""},
			1, `definition: no terminal state`},
		{"invalid frist period", []string{"period: 2w", "period: 2 weeks #<"},
			13, `frist "f": invalid period "2 weeks"`},
		{"zero period", []string{"period: 2w", "period: 0d #<"},
			13, `frist "f": invalid period "0d"`},
		{"invalid wiedervorlage", []string{"wiedervorlage: 1w", "wiedervorlage: 1q #<"},
			26, `event "go": wiedervorlage: invalid period "1q"`},
		{"missing title", []string{"  - name: a\n    title: A\n", "  - name: a #<\n"},
			5, `state "a": missing "title"`},
		{"missing roles", []string{"  - name: go\n", "  - name: go #<\n", "    roles: [richter]\n", ""},
			16, `event "go": missing "roles"`},
		{"empty from", []string{"from: [a]", "from: [] #<"},
			18, `event "go": from: empty list`},
		{"list where a string belongs", []string{"    to: b\n", "    to: [b] #<\n"},
			19, `event "go": to: want a string`},
		{"yes is not a boolean", []string{"terminal: true", "terminal: yes #<"},
			9, `state "b": terminal: want true or false`},
		{"name with upper case and hyphen", []string{"  - name: b\n", "  - name: Klage-Eingang #<\n"},
			7, `state name "Klage-Eingang": want lower-case letters`},
		{"name with umlaut", []string{"  - name: b\n", "  - name: zurückgenommen #<\n"},
			7, `state name "zurückgenommen": want lower-case letters`},
		{"alias", []string{"  - name: a\n", "  - name: &x a\n", "from: [a]", "from: [*x] #<"},
			18, `YAML aliases are not supported`},
		{"two documents", []string{"      notify: [beklagter]\n", "      notify: [beklagter]\n--- #<\nname: u\n"},
			28, `want one YAML document, found more`},
		{"YAML parser error", []string{"from: [a]", "from: [a #<"},
			18, `YAML: did not find expected ',' or ']'`},
		{"YAML parser error on the first line", []string{baseYAML, "] #<\n"},
			1, `YAML: did not find expected node content`},
		{"YAML scanner error", []string{"    to: b\n", "    to: b: c #<\n"},
			19, `YAML: mapping values are not allowed in this context`},
		{"not a mapping", []string{baseYAML, "- a #<\n- b\n"},
			1, `definition: want a mapping (key: value)`},
		{"empty file", []string{baseYAML, ""},
			0, `empty file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := edit(t, baseYAML, tt.edits...)
			if m := markedLine(src); tt.line != 0 && m != tt.line {
				t.Fatalf("test table: marker on line %d, table says %d", m, tt.line)
			}
			d, err := Load("t.yaml", []byte(src))
			if err == nil {
				t.Fatalf("Load = %+v, nil; want an error", d)
			}
			if d != nil {
				t.Errorf("Load returned a definition with the error")
			}
			var le *LoadError
			if !errors.As(err, &le) || !errors.Is(err, errs.ErrInvalid) {
				t.Errorf("Load error %T %v: want a *LoadError wrapping ErrInvalid", err, err)
			}
			prefix := "t.yaml: "
			if tt.line > 0 {
				prefix = "t.yaml:" + strconv.Itoa(tt.line) + ": "
			}
			if !hasLine(err.Error(), prefix+tt.want) {
				t.Errorf("Load error:\n%s\nwant a line starting %q", err, prefix+tt.want)
			}
		})
	}
}

func hasLine(msg, prefix string) bool {
	for _, l := range strings.Split(msg, "\n") {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

// TestLoadReportsAll checks that one run names every problem, in line order.
func TestLoadReportsAll(t *testing.T) {
	src := edit(t, baseYAML, "initial: a", "initial: z", "roles: [richter]", "roles: [hausmeister]", "period: 2w", "period: 2x")
	_, err := Load("t.yaml", []byte(src))
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("Load error = %v, want a *LoadError", err)
	}
	var lines []int
	for _, p := range le.Problems {
		lines = append(lines, p.Line)
	}
	if diff := cmp.Diff([]int{3, 13, 20}, lines); diff != "" {
		t.Errorf("problem lines (-want +got):\n%s\n%s", diff, err)
	}
}

func TestLoadDocumentNames(t *testing.T) {
	for _, name := range []string{"Klage", "Antrag", "Schriftsatz", "Urteil", "Beschluss", "Verfuegung", "Protokoll", "Zustellungsnachweis", "Anlage"} {
		src := edit(t, baseYAML, "documents: [Urteil]", "documents: ["+name+"]")
		d, err := Load("t.yaml", []byte(src))
		if err != nil {
			t.Errorf("documents: [%s]: %v", name, err)
			continue
		}
		code, _ := DocumentClassCode(name)
		if got := d.Events[0].Guards.Documents; len(got) != 1 || got[0] != code {
			t.Errorf("documents: [%s] loaded as %v, want [%s]", name, got, code)
		}
	}
}

func TestRegistry(t *testing.T) {
	r, err := NewRegistry()
	if err != nil {
		t.Fatalf("NewRegistry: %v", err)
	}
	if got, want := r.Names(), []string{"beratungshilfe", "zivil-online"}; !cmp.Equal(got, want) {
		t.Errorf("Names = %v, want %v", got, want)
	}
	if _, err := r.Get("mahnverfahren"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("Get(unknown) = %v, want ErrNotFound", err)
	}
	defs, err := Definitions()
	if err != nil || len(defs) != 2 {
		t.Errorf("Definitions = %d, %v; want 2, nil", len(defs), err)
	}
	for name, d := range defs {
		if d.Description == "" {
			t.Errorf("%s: no description", name)
		}
	}

	t.Run("file name must match", func(t *testing.T) {
		_, err := LoadRegistry(fstest.MapFS{"other.yaml": {Data: []byte(baseYAML)}})
		if !errors.Is(err, errs.ErrInvalid) || !strings.Contains(err.Error(), `other.yaml: name "t" does not match`) {
			t.Errorf("LoadRegistry = %v, want a name mismatch", err)
		}
	})
	t.Run("one bad file fails all", func(t *testing.T) {
		_, err := LoadRegistry(fstest.MapFS{
			"t.yaml":   {Data: []byte(baseYAML)},
			"bad.yaml": {Data: []byte("name: bad\n")},
		})
		if !errors.Is(err, errs.ErrInvalid) || !strings.Contains(err.Error(), `bad.yaml:1: definition: missing "title"`) {
			t.Errorf("LoadRegistry = %v, want bad.yaml's problems", err)
		}
	})
	t.Run("no files", func(t *testing.T) {
		if _, err := LoadRegistry(fstest.MapFS{}); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("LoadRegistry(empty) = %v, want ErrInvalid", err)
		}
	})
}

func FuzzLoad(f *testing.F) {
	for _, name := range []string{"zivil-online.yaml", "beratungshilfe.yaml"} {
		data, err := definitionsFS.ReadFile("definitions/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(baseYAML))
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Add([]byte("name: t\n---\nname: u\n"))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Load("fuzz.yaml", data)
		if (d == nil) == (err == nil) {
			t.Fatalf("Load = %v, %v: want exactly one of definition and error", d, err)
		}
		if err != nil {
			if !errors.Is(err, errs.ErrInvalid) {
				t.Fatalf("Load error %v does not wrap ErrInvalid", err)
			}
			return
		}
		// A definition that loads is usable: the empty history folds to
		// its initial state and the diagrams render.
		if s, err := d.Fold(nil); err != nil || s != d.Initial {
			t.Fatalf("Fold(nil) = %q, %v; want %q", s, err, d.Initial)
		}
		_ = d.Mermaid()
		_ = d.DOT()
		_ = d.Allowed(nil, "richter", GuardContext{})
	})
}
