// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// judgeTitles are the words that introduce a judge in a decision's rubrum
// and signature ("durch die Richterin am Amtsgericht Dr. Sabine Weber",
// "Vorsitzender Richter am Landgericht Klaus Huber").
var judgeTitles = map[string]bool{
	"Richter": true, "Richterin": true, "Richters": true, "Richterinnen": true,
	"Vorsitzende": true, "Vorsitzender": true, "Vorsitzenden": true,
	"Präsident": true, "Präsidentin": true, "Vizepräsident": true, "Vizepräsidentin": true,
	"Direktor": true, "Direktorin": true, "Rechtspfleger": true, "Rechtspflegerin": true,
}

// judgeContext reports whether the tokens just before sent[j] (at most five,
// within the sentence) name a judge's office.
func judgeContext(sent []Token, j int) bool {
	for k := j - 1; k >= 0 && k >= j-5; k-- {
		if judgeTitles[sent[k].Text] {
			return true
		}
	}
	return false
}

// propagateSurnames makes the replacement of a person complete: once a
// person's surname is replaced somewhere in the document, every other
// whole-word occurrence of it is replaced too, also inside a span that is
// otherwise kept ("Zweirad Knopfloch GmbH" after "Max Knopfloch" was replaced
// keeps the company but loses the name). A judge's name that also appears as
// a replaced person is replaced everywhere: a name is either published or
// not. spans are sorted and free of overlaps (resolve); so is the result.
func (p *Pseudonymizer) propagateSurnames(text string, spans []Span) []Span {
	surnames := map[string]bool{}
	for _, s := range spans {
		if IsPerson(s.Kind) && p.policy.Replaces(s.Kind) {
			if w := surname(s.Text); w != "" {
				surnames[w] = true
			}
		}
	}
	if len(surnames) == 0 {
		return spans
	}
	// A longer span that goes on past a known surname ends there: the
	// words after it were taken in by mistake ("Herr Knopflochs Einwand").
	for i := range spans {
		s := &spans[i]
		if !IsPerson(s.Kind) {
			continue
		}
		if occ := wordOccurrences(s.Text, surnames); len(occ) > 0 {
			if end := s.Start + occ[len(occ)-1].End; end < s.End {
				s.End, s.Text = end, text[s.Start:end]
			}
		}
	}
	// Kept person spans with a replaced surname become replaced persons.
	for i := range spans {
		s := &spans[i]
		if IsPerson(s.Kind) && !p.policy.Replaces(s.Kind) && surnames[surname(s.Text)] {
			s.Kind, s.Source = Person, "rule"
		}
	}
	var out []Span
	k := 0 // next span of spans to copy
	for _, m := range wordOccurrences(text, surnames) {
		for k < len(spans) && spans[k].End <= m.Start {
			out = append(out, spans[k])
			k++
		}
		add := Span{Start: m.Start, End: m.End, Kind: Person, Text: text[m.Start:m.End], Source: "rule"}
		if k == len(spans) || spans[k].Start >= m.End {
			out = append(out, add)
			continue
		}
		s := spans[k]
		if p.policy.Replaces(s.Kind) || s.Start > m.Start || s.End < m.End {
			continue // already replaced, or crossing a span's edge: left to the reviewer
		}
		// m lies inside the kept span s: split s around it.
		if left, ok := part(text, s, s.Start, m.Start); ok {
			out = append(out, left)
		}
		out = append(out, add)
		if right, ok := part(text, s, m.End, s.End); ok {
			spans[k] = right
		} else {
			k++
		}
	}
	return append(out, spans[k:]...)
}

// part returns the piece [a, b) of span s without the blanks at its ends,
// and false if nothing is left.
func part(text string, s Span, a, b int) (Span, bool) {
	for a < b && text[a] == ' ' {
		a++
	}
	for b > a && text[b-1] == ' ' {
		b--
	}
	s.Start, s.End, s.Text = a, b, text[a:b]
	return s, a < b
}

// surname returns the surname of a person span worth searching for
// elsewhere: the span's one word, or its last word after known first names
// and initials ("Max Knopfloch", "M. Knopfloch"), if it is a capitalized
// word of at least three letters; else "" (a span such as "Knopflochs
// Einwand" names no surname for sure).
func surname(name string) string {
	f := strings.Fields(name)
	if len(f) == 0 {
		return ""
	}
	for _, w := range f[:len(f)-1] {
		if !firstNames[w] && !isInitial(w) {
			return ""
		}
	}
	w := strings.TrimRight(f[len(f)-1], ".,;:")
	if utf8.RuneCountInString(w) < 3 || !isNameWord(w) {
		return ""
	}
	return w
}

type occurrence struct{ Start, End int }

// wordOccurrences returns the byte ranges of whole-word occurrences of the
// words in text, in order (a genitive "s" belongs to the word: "Knopflochs").
func wordOccurrences(text string, words map[string]bool) []occurrence {
	var out []occurrence
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			i += n
			continue
		}
		j := i
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r) && r != '-' {
				break
			}
			j += n
		}
		w := strings.TrimRight(text[i:j], "-")
		switch {
		case words[w]:
			out = append(out, occurrence{i, i + len(w)})
		case strings.HasSuffix(w, "s") && words[w[:len(w)-1]]:
			out = append(out, occurrence{i, i + len(w)})
		}
		i = j
	}
	return out
}

// notNames are words of a decision's structure that the tagger sometimes
// takes for a name when they stand alone on a line ("Urteil",
// "Entscheidungsgründe"); a person span that is only one of them is dropped.
var notNames = map[string]bool{
	"Urteil": true, "Endurteil": true, "Teilurteil": true, "Schlussurteil": true, "Versäumnisurteil": true,
	"Anerkenntnisurteil": true, "Beschluss": true, "Hinweisbeschluss": true, "Verfügung": true, "Tenor": true,
	"Tatbestand": true, "Entscheidungsgründe": true, "Gründe": true, "Sachverhalt": true, "Protokoll": true,
	"Rechtsbehelfsbelehrung": true, "Rechtsmittelbelehrung": true, "Klage": true, "Klageschrift": true,
	"Kläger": true, "Klägerin": true, "Beklagte": true, "Beklagter": true, "Beklagten": true, "Richter": true,
	"Richterin": true, "Gericht": true, "Volkes": true, "Namen": true,
}

// dropNotNames removes person spans that are only a structural word.
func dropNotNames(spans []Span) []Span {
	out := spans[:0]
	for _, s := range spans {
		if IsPerson(s.Kind) && notNames[strings.TrimSpace(s.Text)] {
			continue
		}
		out = append(out, s)
	}
	return out
}

// isInitial reports whether w is an initial such as "K.".
func isInitial(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) && w[n:] == "."
}
