// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package veroeffentlichung

import (
	"errors"
	"strings"
	"testing"

	"justizcloud/anon"
	"justizcloud/errs"
)

func TestAddSpans(t *testing.T) {
	text := "Herr Bernd Beispiel und Frau Beispielhaft; Beispiel\nzahlt. Bernd\n Beispiel."
	spans := []Mark{{Start: 5, End: 19, Kind: anon.Person, Source: "model", Replace: false}}
	got, err := addSpans(text, spans, "Bernd  Beispiel", anon.Person)
	if err != nil {
		t.Fatal(err)
	}
	var have []string
	for _, m := range got {
		have = append(have, text[m.Start:m.End])
		if m.Source != SourceReviewer || !m.Replace {
			t.Errorf("span %q = %+v, want added and anonymized", text[m.Start:m.End], m)
		}
	}
	if want := "Bernd Beispiel|Bernd\n Beispiel"; strings.Join(have, "|") != want {
		t.Errorf("spans = %q, want %q", strings.Join(have, "|"), want)
	}
	// "Beispiel" as a word: not inside "Beispielhaft"; it merges with the
	// spans it overlaps.
	got, err = addSpans(text, got, "Beispiel", anon.Person)
	if err != nil {
		t.Fatal(err)
	}
	have = nil
	for _, m := range got {
		have = append(have, text[m.Start:m.End])
	}
	if want := "Bernd Beispiel|Beispiel|Bernd\n Beispiel"; strings.Join(have, "|") != want {
		t.Errorf("spans = %q, want %q", strings.Join(have, "|"), want)
	}
	if _, err := addSpans(text, nil, "Beispielh", anon.Person); !errors.Is(err, ErrNotInText) {
		t.Errorf("a part of a word = %v, want ErrNotInText", err)
	}
	if _, err := addSpans(text, nil, "Bernd", "NOPE"); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("an unknown kind = %v, want ErrInvalid", err)
	}
}

func TestLeaked(t *testing.T) {
	text := "Das Amtsgericht München hört Herrn Max Huber aus München; Huber schweigt."
	at := func(s string, n int) (int, int) {
		i := -1
		for range n {
			i += 1 + strings.Index(text[i+1:], s)
		}
		return i, i + len(s)
	}
	span := func(s string, n int, k anon.Kind, replace bool) Mark {
		a, b := at(s, n)
		return Mark{Start: a, End: b, Kind: k, Replace: replace}
	}
	court := span("Amtsgericht München", 1, anon.Court, false)
	tests := []struct {
		name  string
		spans []Mark
		want  string
	}{
		{"all marked", []Mark{court, span("Max Huber", 1, anon.Person, true), span("München", 2, anon.City, true), span("Huber", 2, anon.Person, true)}, ""},
		{"a surname unmarked", []Mark{court, span("Max Huber", 1, anon.Person, true), span("München", 2, anon.City, true)}, "Huber"},
		{"a surname rejected", []Mark{court, span("Max Huber", 1, anon.Person, true), span("München", 2, anon.City, true), span("Huber", 2, anon.Person, false)}, "Huber"},
		{"the city unmarked outside the court's name", []Mark{span("München", 2, anon.City, true)}, "München"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(leaked(Review{Text: text, Spans: tt.spans}), "|"); got != tt.want {
				t.Errorf("leaked = %q, want %q", got, tt.want)
			}
		})
	}
}

// FuzzAddSpans: adding any text to any text yields spans in order without
// overlaps that anon.Apply accepts, or ErrNotInText / ErrInvalid.
func FuzzAddSpans(f *testing.F) {
	f.Add("Herr Bernd Beispiel zahlt.", "Beispiel", 5, 10)
	f.Add("a a a", "a  a", 0, 1)
	f.Add("Ärger mit Öl", "Öl", 0, 2)
	f.Fuzz(func(t *testing.T, text, sub string, a, b int) {
		var spans []Mark
		if 0 <= a && a < b && b <= len(text) && strings.ToValidUTF8(text, "") == text {
			r := Review{Text: text, Spans: []Mark{{Start: a, End: b, Kind: anon.Person}}}
			if _, err := r.Apply(); err == nil {
				spans = r.Spans
			}
		}
		got, err := addSpans(text, spans, sub, anon.City)
		if err != nil {
			if !errors.Is(err, errs.ErrInvalid) {
				t.Fatalf("addSpans = %v", err)
			}
			return
		}
		if _, err := (Review{Text: text, Spans: got}).Apply(); err != nil && strings.ToValidUTF8(text, "") == text {
			t.Fatalf("Apply after addSpans(%q, %q) = %v: %+v", text, sub, err, got)
		}
		_ = leaked(Review{Text: text, Spans: got})
	})
}
