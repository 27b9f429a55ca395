// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package interview

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"justizcloud/errs"
)

// baseDef is a small definition that loads; the tests below break it.
const baseDef = `name: test
title: Test
procedure: zivil-online
pages:
  - id: eins
    title: Eins
    fields:
      - id: name
        label: Name
        type: text
        required: true
      - id: art
        label: Art
        type: radio
        required: true
        options:
          - {value: a, label: A}
          - {value: b, label: B}
      - id: betrag
        label: Betrag
        type: money
        required: true
        max: "10.000,00"
  - id: zwei
    title: Zwei
    fields:
      - id: gegner
        label: Gegner
        type: text
        required: true
      - id: ort
        label: Ort
        type: text
        required: true
      - id: gericht
        label: Gericht
        type: court
        required: true
        candidates: vorschlag
  - id: drei
    title: Drei
    when: {field: art, equals: a}
    fields:
      - id: notiz
        label: Notiz
        type: textarea
computed:
  - id: vorschlag
    func: amtsgericht_vorschlag
    args: {ort: ort}
  - id: kosten
    label: Kosten
    func: gerichtskosten
    args: {streitwert: betrag}
output:
  register: C
  subject: "Klage über {betrag}"
  court: gericht
  participants:
    - role: klaeger
      name: "{name}"
    - role: beklagter
      name: "{gegner}"
  data:
    betrag: betrag
    kosten: kosten
`

func TestBaseDefinitionLoads(t *testing.T) {
	e, _ := mustEnv(t)
	d, err := Load("test.yaml", []byte(baseDef), e)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Pages()) != 3 || d.Procedure != "zivil-online" {
		t.Errorf("loaded %+v", d)
	}
}

func TestLoadRefuses(t *testing.T) {
	e, _ := mustEnv(t)
	tests := []struct {
		name     string
		old, new string // replace old by new in baseDef
		line     int    // of the first problem; 0: do not check
		want     string // in the message
	}{
		{"yaml syntax", "title: Eins\n", "title: [Eins\n", 6, "YAML"},
		{"unknown key", "        label: Name\n", "        label: Name\n        colour: red\n", 10, `field "name": unknown key "colour"`},
		{"unknown type", "type: money", "type: geld", 21, `unknown type "geld"`},
		{"missing label", "        label: Gegner\n", "", 27, `field "gegner": missing "label"`},
		{"duplicate id", "- id: ort\n", "- id: gegner\n", 31, `field "gegner": duplicate id`},
		{"bad id", "- id: notiz", "- id: Notiz", 0, "lower-case letters"},
		{"option not known", "when: {field: art, equals: a}", "when: {field: art, equals: c}", 0, `"c" is not a valid value of type radio`},
		{"condition on later field", "when: {field: art, equals: a}", "when: {field: notiz, answered: true}", 0, `"notiz" does not come before it`},
		{"condition on unknown field", "when: {field: art, equals: a}", "when: {field: alter, answered: true}", 0, `unknown field or computed value "alter"`},
		{"condition two ops", "when: {field: art, equals: a}", "when: {field: art, equals: a, answered: true}", 0, "want exactly one of equals, in, answered"},
		{"condition two kinds", "when: {field: art, equals: a}", "when: {field: art, equals: a, not: {field: art, equals: b}}", 0, "want exactly one of field, all, any, not"},
		{"greater on text", "when: {field: art, equals: a}", "when: {field: name, greater: 3}", 0, "greater applies to number and money only"},
		{"money bound", `max: "10.000,00"`, `max: "zehn"`, 0, `max: "zehn" is not a valid money`},
		{"min on text", `max: "10.000,00"`, "max_length: 3", 0, `"max_length" does not apply to type money`},
		{"bad pattern", "        label: Name\n", "        label: Name\n        pattern: '[a-'\n", 0, "pattern: error parsing regexp"},
		{"candidates not computed", "candidates: vorschlag", "candidates: ort", 0, `candidates: "ort" is a field`},
		{"cycle", "args: {streitwert: betrag}", "args: {streitwert: kosten}", 0, "computed values form a cycle: kosten → kosten"},
		{"unknown func", "func: gerichtskosten", "func: eval", 0, `unknown func "eval"`},
		{"param type", "args: {streitwert: betrag}", "args: {streitwert: name}", 0, `parameter "streitwert": "name" is a text, want money`},
		{"unknown param", "args: {streitwert: betrag}", "args: {streitwert: betrag, faktor: betrag}", 0, `has no parameter "faktor"`},
		{"missing param", "args: {ort: ort}", "args: {stadt: ort}", 0, `needs parameter "ort"`},
		{"unknown procedure", "procedure: zivil-online", "procedure: strafbefehl", 3, `procedure "strafbefehl": no such procedure`},
		{"unknown register", "register: C", "register: QQ", 0, `unknown Registerzeichen "QQ"`},
		{"register of another court", "register: C", "register: O", 0, `"O" is not used at an Amtsgericht`},
		{"unknown role", "role: beklagter", "role: gegner", 0, `unknown role "gegner"`},
		{"counsel", "role: beklagter", "role: prozessbevollmaechtigter", 0, "must name the party it represents"},
		{"guard role missing", "    - role: beklagter\n      name: \"{gegner}\"\n", "", 0, `needs a participant "beklagter"`},
		{"guard role conditional", "      name: \"{gegner}\"\n", "      name: \"{gegner}\"\n      when: {field: art, equals: a}\n", 0, `needs a participant "beklagter"`},
		{"guard role from optional field", "name: \"{gegner}\"", "name: \"{notiz}\"", 0, `needs a participant "beklagter"`},
		{"template unknown", `subject: "Klage über {betrag}"`, `subject: "Klage über {summe}"`, 0, "unknown field or computed value {summe}"},
		{"template braces", `subject: "Klage über {betrag}"`, `subject: "Klage über {betrag"`, 0, "unbalanced"},
		{"court not a court field", "court: gericht", "court: ort", 0, `court: "ort" is not a court field`},
		{"court conditional", "        candidates: vorschlag\n", "        candidates: vorschlag\n        when: {field: art, equals: a}\n", 0, "must be required and shown unconditionally"},
		{"data unknown", "    kosten: kosten\n", "    kosten: gebuehr\n", 0, `unknown field or computed value "gebuehr"`},
		{"attachment not a file", "  data:\n", "  attachments: [name]\n  data:\n", 0, `attachments: "name" is not a file field`},
		{"stop page with fields", "    when: {field: art, equals: a}\n", "    when: {field: art, equals: a}\n    stop: true\n", 0, "a stop page has no fields"},
		{"wrong beratungshilfe roles", "procedure: zivil-online", "procedure: beratungshilfe", 0, `needs a participant "antragsteller"`},
		{"two documents", "    kosten: kosten\n", "    kosten: kosten\n---\nname: x\n", 67, "want one YAML document, found more"},
		{"alias", "      - id: notiz\n", "      - id: notiz\n        hint: &h x\n        label: *h\n", 0, "aliases are not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(baseDef, tt.old, tt.new, 1)
			if src == baseDef {
				t.Fatalf("replacement %q not found", tt.old)
			}
			_, err := Load("test.yaml", []byte(src), e)
			var le *LoadError
			if !errors.As(err, &le) || !errors.Is(err, errs.ErrInvalid) {
				t.Fatalf("Load error = %v, want a *LoadError wrapping ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error =\n%v\nwant it to contain %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "test.yaml") {
				t.Errorf("Load error %q does not name the file", err)
			}
			if tt.line > 0 && le.Problems[0].Line != tt.line {
				t.Errorf("first problem at line %d, want %d: %v", le.Problems[0].Line, tt.line, err)
			}
		})
	}
}

func TestParseRefusesStructure(t *testing.T) {
	tests := map[string]string{
		"":          "empty file",
		"[]":        "definition: want a mapping",
		"name: x\n": `missing "title"`,
		"name: X\ntitle: t\nprocedure: p\npages: []\noutput: {}\n": "name \"X\"",
		strings.Repeat("a", maxDefinitionSize+1):                   "file larger",
	}
	for src, want := range tests {
		_, err := Parse("x.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%.20q) = %v, want %q", src, err, want)
		}
	}
}

func TestConditionsNestTooDeep(t *testing.T) {
	deep := "{field: art, equals: a}"
	for range maxDepth + 2 {
		deep = "{not: " + deep + "}"
	}
	src := strings.Replace(baseDef, "when: {field: art, equals: a}", "when: "+deep, 1)
	_, err := Parse("test.yaml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("Parse = %v, want nesting refused", err)
	}
}

func TestLoadIncompleteEnv(t *testing.T) {
	if _, err := Load("test.yaml", []byte(baseDef), Env{}); err == nil || !strings.Contains(err.Error(), "incomplete environment") {
		t.Errorf("Load without env = %v", err)
	}
}

func TestLoadRegistryNames(t *testing.T) {
	e, _ := mustEnv(t)
	fsys := fstest.MapFS{"anders.yaml": {Data: []byte(baseDef)}}
	if _, err := LoadRegistry(fsys, e); err == nil || !strings.Contains(err.Error(), `name "test" does not match the file name`) {
		t.Errorf("LoadRegistry = %v, want a name mismatch", err)
	}
	if _, err := LoadRegistry(fstest.MapFS{}, e); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("LoadRegistry(empty) = %v", err)
	}
	r, err := LoadRegistry(fstest.MapFS{"test.yaml": {Data: []byte(baseDef)}}, e)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Get("fehlt"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("Get(fehlt) = %v, want ErrNotFound", err)
	}
}

func TestDeepYAML(t *testing.T) {
	src := "name: " + strings.Repeat("[", 70) + strings.Repeat("]", 70) + "\n"
	if _, err := Parse("x.yaml", []byte(src)); err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("Parse = %v", err)
	}
}
