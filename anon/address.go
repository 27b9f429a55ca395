// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// streetSuffixes end the names of streets ("Musterstraße", "Lindenweg").
var streetSuffixes = []string{"straße", "strasse", "str.", "weg", "gasse", "platz", "allee", "ring", "damm",
	"ufer", "chaussee", "steig", "pfad", "markt", "graben", "kamp", "twiete", "stieg", "promenade"}

// streetWords are separate words that end street names ("Berliner Straße").
var streetWords = map[string]bool{"Straße": true, "Strasse": true, "Str.": true, "Weg": true, "Gasse": true,
	"Platz": true, "Allee": true, "Ring": true, "Damm": true, "Ufer": true, "Chaussee": true, "Markt": true}

// streetPrefixes start street names of the form "Am Markt 3", "In der Aue 7".
var streetPrefixes = map[string]bool{"Am": true, "An": true, "Auf": true, "Im": true, "In": true, "Zum": true,
	"Zur": true, "Unter": true, "Hinter": true, "Vor": true, "Alte": true, "Alter": true, "Neue": true, "Neuer": true}

// addressSpans finds streets with a house number in a tokenized sentence,
// with a following postcode and town when there is one: "Musterstraße 12",
// "Berliner Straße 3a, 10115 Berlin", "Am Markt 7". Working on tokens keeps
// this linear; a regular expression for it was the slowest of all rules.
func addressSpans(text string, sent []Token) []Span {
	var out []Span
	for j := 0; j+1 < len(sent); j++ {
		if !isHouseNumber(strings.TrimSuffix(sent[j+1].Text, ".")) {
			continue
		}
		first := -1
		w := sent[j].Text
		switch {
		case isCapitalized(w) && hasStreetSuffix(w):
			first = j
		case streetWords[w] && j > 0 && isCapitalized(sent[j-1].Text):
			first = j - 1
		case isCapitalized(w) && j > 0 && streetPrefixes[sent[j-1].Text]:
			first = j - 1
		case isCapitalized(w) && j > 1 && (sent[j-1].Text == "der" || sent[j-1].Text == "den" || sent[j-1].Text == "dem") && streetPrefixes[sent[j-2].Text]:
			first = j - 2
		}
		if first < 0 {
			continue
		}
		last := j + 1
		// A sentence's full stop that the tokenizer left on the number ("12.")
		// stays outside the span.
		b := sent[last].End - (len(sent[last].Text) - len(strings.TrimSuffix(sent[last].Text, ".")))
		// ", 10115 Berlin" or "10115 Berlin" after the number.
		k := last + 1
		if k < len(sent) && sent[k].Text == "," {
			k++
		}
		if b == sent[last].End && k+1 < len(sent) && isPostcode(sent[k].Text) && isCapitalized(sent[k+1].Text) {
			last = k + 1
			b = sent[last].End
		}
		a := sent[first].Start
		out = append(out, Span{Start: a, End: b, Kind: Address, Text: text[a:b], Source: "rule"})
		j = last
	}
	return out
}

func hasStreetSuffix(w string) bool {
	l := strings.ToLower(w)
	for _, s := range streetSuffixes {
		if strings.HasSuffix(l, s) && len(l) > len(s) {
			return true
		}
	}
	return false
}

// isHouseNumber accepts 1 to 4 digits, optionally with one letter or a range:
// "12", "3a", "12-14".
func isHouseNumber(w string) bool {
	n := 0
	for n < len(w) && w[n] >= '0' && w[n] <= '9' {
		n++
	}
	if n == 0 || n > 4 || w[0] == '0' {
		return false
	}
	rest := w[n:]
	switch {
	case rest == "":
		return true
	case len(rest) == 1 && rest[0] >= 'a' && rest[0] <= 'z':
		return true
	case rest[0] == '-' && len(rest) > 1 && len(rest) <= 5:
		for _, c := range rest[1:] {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
	return false
}

func isPostcode(w string) bool {
	if len(w) != 5 {
		return false
	}
	for i := 0; i < 5; i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

func isCapitalized(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}
