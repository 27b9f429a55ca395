// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren

import (
	"os"
	"slices"
	"strings"
	"testing"

	"justizcloud/authz"
)

func TestGraphs(t *testing.T) {
	for _, name := range []string{"zivil-online", "beratungshilfe"} {
		d := mustDefinition(t, name)
		t.Run(name+"/mermaid", func(t *testing.T) {
			m := d.Mermaid()
			if !strings.Contains(m, "stateDiagram-v2\n") || !strings.Contains(m, "[*] --> "+string(d.Initial)+"\n") {
				t.Errorf("Mermaid lacks the header or the start:\n%s", m)
			}
			for _, s := range d.States {
				if !strings.Contains(m, "    "+string(s.Name)+" : ") {
					t.Errorf("Mermaid lacks state %s", s.Name)
				}
				if got := strings.Contains(m, "    "+string(s.Name)+" --> [*]\n"); got != s.Terminal {
					t.Errorf("Mermaid: end arrow from %s = %v, want %v", s.Name, got, s.Terminal)
				}
			}
			for _, e := range d.Events {
				for _, f := range e.From {
					to := e.To
					if to == "" {
						to = f
					}
					if !strings.Contains(m, "    "+string(f)+" --> "+string(to)+" : "+e.Name+" [") {
						t.Errorf("Mermaid lacks %s --> %s : %s", f, to, e.Name)
					}
				}
			}
			if m != d.Mermaid() {
				t.Error("Mermaid is not deterministic")
			}
		})
		t.Run(name+"/dot", func(t *testing.T) {
			g := d.DOT()
			if !strings.HasPrefix(g, `digraph "`+d.Name+`" {`) || !strings.HasSuffix(g, "}\n") {
				t.Errorf("DOT frame:\n%s", g)
			}
			for _, s := range d.States {
				if !strings.Contains(g, "\n  \""+string(s.Name)+"\" [label=") {
					t.Errorf("DOT lacks state %s", s.Name)
				}
			}
			for _, e := range d.Events {
				for _, f := range e.From {
					if !strings.Contains(g, "\n  \""+string(f)+"\" -> ") {
						t.Errorf("DOT lacks an edge from %s", f)
					}
				}
			}
			// Every line's quotes are balanced once escaped quotes are removed.
			for _, l := range strings.Split(g, "\n") {
				if strings.Count(strings.ReplaceAll(l, `\"`, ""), `"`)%2 != 0 {
					t.Errorf("DOT line with unbalanced quotes: %s", l)
				}
			}
			if g != d.DOT() {
				t.Error("DOT is not deterministic")
			}
		})
	}
}

func TestGraphEscaping(t *testing.T) {
	d := &Definition{
		Name: "x", Title: "a \"quoted\"\ntitle; with: specials", Initial: "a",
		States: []StateDef{{Name: "a", Title: `back\slash "q"`}, {Name: "b", Title: "B", Terminal: true}},
		Events: []EventDef{{Name: "go", From: []State{"a"}, To: "b", Roles: []string{"richter"}}},
	}
	g := d.DOT()
	for _, want := range []string{`label="a \"quoted\"\ntitle; with: specials";`, `"a" [label="back\\slash \"q\"\n(a)"];`, `"b" [label="B\n(b)", peripheries=2];`} {
		if !strings.Contains(g, want) {
			t.Errorf("DOT lacks %s:\n%s", want, g)
		}
	}
	m := d.Mermaid()
	if !strings.Contains(m, "title: a 'quoted' title, with - specials\n") || !strings.Contains(m, `a : back\slash 'q'`) {
		t.Errorf("Mermaid escaping:\n%s", m)
	}
}

func TestDocumentClasses(t *testing.T) {
	classes, err := DocumentClasses()
	if err != nil {
		t.Fatal(err)
	}
	if len(classes) != 18 {
		t.Errorf("%d classes, want the 18 of GDS.Dokumentklasse 1.4", len(classes))
	}
	byCode := map[string]string{}
	for _, c := range classes {
		byCode[c.Code] = c.Value
	}
	// The readable names map to the codes with the expected values.
	want := map[string]string{
		"Klage": "Klage / Antrag", "Antrag": "Klage / Antrag", "Schriftsatz": "Schreiben", "Urteil": "Urteil",
		"Beschluss": "Beschluss", "Verfuegung": "Verfügung", "Protokoll": "Protokoll",
		"Zustellungsnachweis": "Zustellungsdokument", "Anlage": "Andere / Sonstige",
	}
	for name, value := range want {
		code, ok := DocumentClassCode(name)
		if !ok || byCode[code] != value {
			t.Errorf("DocumentClassCode(%q) = %q (%q), want a code of %q", name, code, byCode[code], value)
		}
	}
	if _, ok := DocumentClassCode("Fax"); ok {
		t.Error(`DocumentClassCode("Fax"): want false`)
	}
}

func TestRoles(t *testing.T) {
	// Court roles are authz roles; leser is read-only and never fires events.
	for _, r := range CourtRoles() {
		if _, err := authz.ParseRole(r); err != nil {
			t.Errorf("court role %q is not an authz role: %v", r, err)
		}
	}
	if IsRole(string(authz.Leser)) {
		t.Error("leser must not fire events")
	}
	for _, r := range PartyRoles() {
		if slices.Contains(CourtRoles(), r) {
			t.Errorf("%q is both a court and a party role", r)
		}
		if _, ok := PartyRoleCode(r); !ok {
			t.Errorf("party role %q has no Rollenbezeichnung code", r)
		}
	}
	if _, ok := PartyRoleCode("richter"); ok {
		t.Error(`PartyRoleCode("richter"): want false`)
	}
	// Every role a shipped definition uses exists.
	defs, err := Definitions()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range defs {
		for _, e := range d.Events {
			for _, r := range e.Roles {
				if !IsRole(r) {
					t.Errorf("%s/%s: role %q", d.Name, e.Name, r)
				}
			}
		}
	}
}

// TestShippedDescriptions checks that the legal bases the issue asks for are
// cited where a reader looks for them.
func TestShippedDescriptions(t *testing.T) {
	cite := map[string][]string{
		"zivil-online": {"§§ 1122 ff. ZPO", "§ 23 Nr. 1 GVG", "10.000 Euro", "5.000 Euro", "1. Januar 2026",
			"BGBl. 2025 I Nr. 318", "BGBl. 2025 I Nr. 349", "§ 276 Abs. 1", "§ 331", "§§ 338, 339", "§ 307 ZPO",
			"§ 269 ZPO", "§ 278 Abs. 6 ZPO", "§ 128a ZPO", "§ 517 ZPO", "§ 705 ZPO"},
		"beratungshilfe": {"§ 1 BerHG", "§ 4 BerHG", "§ 6 Abs. 1 BerHG", "§ 7 BerHG"},
	}
	for name, want := range cite {
		d := mustDefinition(t, name)
		for _, w := range want {
			if !strings.Contains(d.Description, w) {
				t.Errorf("%s: description does not cite %q", name, w)
			}
		}
	}
}

// TestDocsDiagrams keeps the diagrams in docs/procedures.md current.
func TestDocsDiagrams(t *testing.T) {
	doc, err := os.ReadFile("../docs/procedures.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"zivil-online", "beratungshilfe"} {
		block := "```mermaid\n" + mustDefinition(t, name).Mermaid() + "```\n"
		if !strings.Contains(string(doc), block) {
			t.Errorf("docs/procedures.md: the %s diagram is not the output of Mermaid(); paste:\n%s", name, block)
		}
	}
}
