// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Snippet length in runes, around the first match.
const (
	snippetBefore = 60
	snippetLen    = 220
)

// Snippet cuts a short excerpt of text around the first word that matches one
// of the query terms and marks every matching word in it with « and ». Without
// a match it returns the start of text.
func Snippet(text string, terms [][]string) string {
	var a Analyzer
	return a.Snippet(text, terms)
}

// Snippet is the package's Snippet with the Analyzer's memory of stems. It
// stems words only up to the end of the excerpt around the first match.
func (a *Analyzer) Snippet(text string, terms [][]string) string {
	want := map[string]bool{}
	// Stems are prefixes of the umlaut-folded word, so a word can only match
	// if its folded first letter starts a wanted token: most words are
	// passed over without stemming.
	var firsts [256]bool
	for _, alts := range terms {
		for _, t := range alts {
			want[t] = true
			if t != "" {
				firsts[t[0]] = true
			}
		}
	}
	rs := []rune(strings.ToValidUTF8(text, "\uFFFD"))
	type span struct{ from, to int }
	var hits []span
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	limit := len(rs) // once the first match is found: the excerpt's end
	for i := 0; i < len(rs) && i < limit; {
		if !isWord(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && isWord(rs[j]) {
			j++
		}
		if f := foldedFirst(rs[i]); f < utf8.RuneSelf && !firsts[f] {
			i = j
			continue
		}
		for _, t := range a.tokens(strings.ToLower(string(rs[i:j]))) {
			if want[t] {
				if len(hits) == 0 {
					limit = max(0, i-snippetBefore) + snippetLen
				}
				hits = append(hits, span{i, j})
				break
			}
		}
		i = j
	}
	start := 0
	if len(hits) > 0 {
		start = max(0, hits[0].from-snippetBefore)
		for start > 0 && isWord(rs[start-1]) && start < hits[0].from {
			start++
		}
	}
	end := min(len(rs), start+snippetLen)
	for end < len(rs) && end > start && isWord(rs[end-1]) && isWord(rs[end]) {
		end--
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	pos := start
	for _, h := range hits {
		if h.from < start || h.to > end {
			continue
		}
		b.WriteString(string(rs[pos:h.from]))
		b.WriteString("«" + string(rs[h.from:h.to]) + "»")
		pos = h.to
	}
	b.WriteString(string(rs[pos:end]))
	if end < len(rs) {
		b.WriteString("…")
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// truncate cuts s to at most n bytes at a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// foldedFirst is the first byte of the analyzed form of a word starting
// with r: lowercased, umlauts folded (ä → a, ß → s); utf8.RuneSelf or more
// for other letters, whose words are always stemmed.
func foldedFirst(r rune) rune {
	r = unicode.ToLower(r)
	switch r {
	case 'ä':
		return 'a'
	case 'ö':
		return 'o'
	case 'ü':
		return 'u'
	case 'ß':
		return 's'
	}
	return r
}
