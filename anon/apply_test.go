// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"justizcloud/errs"
)

// spansOf marks the first occurrence, after the previous one, of each
// (kind, text) pair.
func spansOf(t *testing.T, text string, kv ...string) []Span {
	t.Helper()
	var out []Span
	from := 0
	for i := 0; i+1 < len(kv); i += 2 {
		j := strings.Index(text[from:], kv[i+1])
		if j < 0 {
			t.Fatalf("%q not in the text after byte %d", kv[i+1], from)
		}
		s := Span{Kind: Kind(kv[i]), Start: from + j, End: from + j + len(kv[i+1])}
		out = append(out, s)
		from = s.End
	}
	return out
}

func TestApply(t *testing.T) {
	all := func(int) bool { return true }
	tests := []struct {
		name    string
		text    string
		spans   []string // kind, text, …
		replace func(i int) bool
		want    string
		repl    []string
	}{
		{"persons by letters in order, keyed by surname",
			"Die Klägerin Erika Mustermann verlangt von Herrn Beispiel Geld. Frau Mustermann trägt vor.",
			[]string{"PER", "Erika Mustermann", "PER", "Beispiel", "PER", "Mustermann"}, all,
			"Die Klägerin A. verlangt von Herrn B. Geld. Frau A. trägt vor.", []string{"A.", "B.", "A."}},
		{"the letter's full stop before a full stop of the text",
			"Geklagt hat Frau Schmidt.", []string{"PER", "Schmidt"}, all, "Geklagt hat Frau A.", []string{"A."}},
		{"genitive s shares the letter",
			"Herr Mustermann und Mustermanns Ehefrau", []string{"PER", "Mustermann", "PER", "Mustermanns"}, all,
			"Herr A. und A. Ehefrau", []string{"A.", "A."}},
		{"placeholders numbered per label, same text same number",
			"Musterweg 1 in München, dann Beispielstraße 2 und musterweg  1 in Köln",
			[]string{"STR", "Musterweg 1", "ST", "München", "ADDRESS", "Beispielstraße 2", "STR", "musterweg  1", "ST", "Köln"}, all,
			"[Straße 1] in [Ort 1], dann [Straße 2] und [Straße 1] in [Ort 2]",
			[]string{"[Straße 1]", "[Ort 1]", "[Straße 2]", "[Straße 1]", "[Ort 2]"}},
		{"kept spans keep their text and take no letter",
			"Richterin Weber gegen Herrn Beispiel", []string{"RR", "Weber", "PER", "Beispiel"},
			func(i int) bool { return i == 1 }, "Richterin Weber gegen Herrn A.", []string{"", "A."}},
		{"a span at the very end", "Zeuge: Müller", []string{"PER", "Müller"}, all, "Zeuge: A.", []string{"A."}},
		{"no spans", "Nichts.", nil, all, "Nichts.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spans := spansOf(t, tt.text, tt.spans...)
			res, err := Apply(tt.text, spans, tt.replace)
			if err != nil {
				t.Fatal(err)
			}
			if res.Text != tt.want {
				t.Errorf("Text = %q, want %q", res.Text, tt.want)
			}
			for i, s := range res.Spans {
				if s.Replacement != tt.repl[i] {
					t.Errorf("span %d Replacement = %q, want %q", i, s.Replacement, tt.repl[i])
				}
				if s.Text != tt.text[s.Start:s.End] {
					t.Errorf("span %d Text = %q, want %q", i, s.Text, tt.text[s.Start:s.End])
				}
			}
			for _, s := range spans {
				if s.Replacement != "" || s.Text != "" {
					t.Errorf("Apply changed its input: %+v", s)
				}
			}
		})
	}
}

// TestApplyMatchesPseudonymize: a reviewer who adds nothing gets what the
// pseudonymizer produced; one who adds a span for a name the tagger found
// elsewhere gets the same letter for it.
func TestApplyMatchesPseudonymize(t *testing.T) {
	p := mustPseudonymizer(t, Options{Policy: DefaultPolicy()})
	text := "Die Klägerin Erika Mustermann wohnt in der Musterstraße 12 in Augsburg. Herr Bernd Beispiel zahlte nicht. Zeugin Mustermann bestätigt das."
	res, err := p.Pseudonymize(t.Context(), text)
	if err != nil {
		t.Fatal(err)
	}
	spans := make([]Span, len(res.Spans))
	copy(spans, res.Spans)
	again, err := Apply(text, spans, func(i int) bool { return spans[i].Replacement != "" })
	if err != nil {
		t.Fatal(err)
	}
	if again.Text != res.Text {
		t.Errorf("Apply = %q, Pseudonymize = %q", again.Text, res.Text)
	}
	letter := ""
	for _, s := range res.Spans {
		if strings.Contains(s.Text, "Mustermann") {
			letter = s.Replacement
		}
	}
	if letter == "" {
		t.Skipf("the tagger found no Mustermann: %+v", res.Spans)
	}
	// The reviewer marks "Augsburg" and a bare "Mustermann" that the tagger
	// may or may not have found; the rest stays as suggested.
	var final []Span
	for _, s := range res.Spans {
		if s.Text != "Augsburg" && s.Text != "Mustermann" {
			final = append(final, s)
		}
	}
	add := func(k Kind, sub string, from int) {
		i := strings.Index(text[from:], sub) + from
		final = append(final, Span{Kind: k, Start: i, End: i + len(sub)})
	}
	add(City, "Augsburg", 0)
	add(Person, "Mustermann", strings.Index(text, "Zeugin"))
	slices.SortFunc(final, func(a, b Span) int { return a.Start - b.Start })
	out, err := Apply(text, final, func(i int) bool { return p.policy.Replaces(final[i].Kind) })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.Text, "Zeugin "+letter) || strings.Contains(out.Text, "Mustermann") || strings.Contains(out.Text, "Augsburg") {
		t.Errorf("Text = %q, want the added Mustermann as %s and no Augsburg", out.Text, letter)
	}
}

func TestApplyInvalid(t *testing.T) {
	text := "Straße in München"
	all := func(int) bool { return true }
	tests := []struct {
		name  string
		spans []Span
	}{
		{"no kind", []Span{{Start: 0, End: 3}}},
		{"empty", []Span{{Kind: City, Start: 3, End: 3}}},
		{"past the end", []Span{{Kind: City, Start: 10, End: 100}}},
		{"negative", []Span{{Kind: City, Start: -1, End: 3}}},
		{"overlapping", []Span{{Kind: City, Start: 0, End: 8}, {Kind: City, Start: 5, End: 9}}},
		{"out of order", []Span{{Kind: City, Start: 11, End: 18}, {Kind: Street, Start: 0, End: 7}}},
		{"cuts ß", []Span{{Kind: Street, Start: 0, End: 5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Apply(text, tt.spans, all); !errors.Is(err, errs.ErrInvalid) {
				t.Errorf("Apply = %v, want ErrInvalid", err)
			}
		})
	}
}

// FuzzApply: any offsets either fail with ErrInvalid or yield a text that
// contains none of the replaced spans' bytes in their place.
func FuzzApply(f *testing.F) {
	f.Add("Herr Müller wohnt in Köln.", 5, 11, 21, 25, "PER")
	f.Add("ab", 0, 1, 1, 2, "ST")
	f.Fuzz(func(t *testing.T, text string, a, b, c, d int, kind string) {
		spans := []Span{{Kind: Kind(kind), Start: a, End: b}, {Kind: City, Start: c, End: d}}
		res, err := Apply(text, spans, func(int) bool { return true })
		if err != nil {
			if !errors.Is(err, errs.ErrInvalid) {
				t.Fatalf("Apply = %v, want ErrInvalid", err)
			}
			return
		}
		want := text[:a] + res.Spans[0].Replacement + text[b:c] + res.Spans[1].Replacement + text[d:]
		if res.Text != want && !strings.HasPrefix(text[b:], ".") && !strings.HasPrefix(text[d:], ".") {
			t.Fatalf("Text = %q, want %q", res.Text, want)
		}
	})
}
