// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package search

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/german"
)

// MaxQueryBytes is the longest query accepted.
const MaxQueryBytes = 500

// maxQueryWords bounds the work a single query causes.
const maxQueryWords = 16

// aktenzeichenRE finds docket numbers such as "12 C 345/26" in text.
var aktenzeichenRE = regexp.MustCompile(`\b([0-9]{1,4}[A-Za-z]{0,2})\s+([A-Za-zÄÖÜäöü]{1,5})\s+([0-9]{1,6})\s*/\s*([0-9]{2}|[0-9]{4})\b`)

// Analyze returns the distinct index tokens of text: for every word its
// folded stem, for a word spelled with ae/oe/ue also the stem of the spelling
// with plain vowels, and for every Aktenzeichen one normalised token.
func Analyze(text string) []string {
	var a Analyzer
	return a.Analyze(text)
}

// Analyzer is Analyze with a memory: it remembers the tokens of the words
// it has seen (up to a bound), so that analyzing many texts stems each
// frequent word once. Stemming is most of the cost of indexing. The zero
// value is ready to use; an Analyzer is not safe for concurrent use.
type Analyzer struct {
	memo map[string][]string
}

// analyzerMemo bounds an Analyzer's memory: German texts draw most of their
// words from a vocabulary far smaller than this.
const analyzerMemo = 200_000

// Analyze is the package's Analyze.
func (a *Analyzer) Analyze(text string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, w := range words(text) {
		for _, t := range a.tokens(w) {
			add(t)
		}
	}
	for _, t := range aktenzeichenTokens(text) {
		add(t)
	}
	return out
}

// tokens are the memoized wordTokens of the lowercased word w.
func (a *Analyzer) tokens(w string) []string {
	if ts, ok := a.memo[w]; ok {
		return ts
	}
	if a.memo == nil || len(a.memo) >= analyzerMemo {
		a.memo = make(map[string][]string, 256)
	}
	ts := wordTokens(w)
	a.memo[w] = ts
	return ts
}

// Terms analyzes a query: each inner slice lists the alternative tokens of
// one query word, any of which matches; all words must match. Operator
// characters are ordinary separators. At most 16 words count.
func Terms(q string) [][]string {
	var out [][]string
	seen := map[string]bool{}
	// A docket number in the query is matched as a whole: its parts would
	// not match "12 C 345/2026" against "12 C 345/26".
	for _, t := range aktenzeichenTokens(q) {
		if !seen[t] {
			seen[t] = true
			out = append(out, []string{t})
		}
	}
	q = aktenzeichenRE.ReplaceAllLiteralString(q, " ")
	for _, w := range words(q) {
		ts := wordTokens(w)
		key := strings.Join(ts, " ")
		if len(ts) == 0 || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, ts)
	}
	if len(out) > maxQueryWords {
		out = out[:maxQueryWords]
	}
	return out
}

// words splits text on everything that is not a letter or digit and lowercases.
func words(text string) []string {
	ws := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	// Longer "words" are codes or encoded data; PostgreSQL would refuse them anyway.
	return slices.DeleteFunc(ws, func(w string) bool { return len(w) > maxWordBytes })
}

// maxWordBytes is the longest word that is indexed.
const maxWordBytes = 100

var umlauts = strings.NewReplacer("ä", "a", "ö", "o", "ü", "u", "ß", "ss")

// wordTokens returns the tokens of one lowercased word: the stem of its
// umlaut-folded form and, if it contains ae, oe or ue (not after q), the stem
// of the form with those folded too ("muenchen" → also "munch").
func wordTokens(w string) []string {
	f := umlauts.Replace(w)
	out := []string{stem(f)}
	if d := foldDigraphs(f); d != f {
		if s := stem(d); s != out[0] {
			out = append(out, s)
		}
	}
	return out
}

func foldDigraphs(w string) string {
	if !strings.Contains(w, "e") {
		return w
	}
	var b strings.Builder
	rs := []rune(w)
	for i := 0; i < len(rs); i++ {
		b.WriteRune(rs[i])
		if i+1 < len(rs) && rs[i+1] == 'e' && (rs[i] == 'a' || rs[i] == 'o' || (rs[i] == 'u' && (i == 0 || rs[i-1] != 'q'))) {
			i++ // drop the e
		}
	}
	return b.String()
}

func stem(w string) string {
	for _, r := range w {
		if unicode.IsDigit(r) {
			return w
		}
	}
	env := snowballstem.NewEnv(w)
	german.Stem(env)
	return env.Current()
}

// aktenzeichenTokens returns one token per docket number in text: "12 C
// 345/26" and "12 c 345/2026" both become "az12c345j26".
func aktenzeichenTokens(text string) []string {
	if !strings.Contains(text, "/") { // every Aktenzeichen has one; spares the regexp most texts
		return nil
	}
	var out []string
	for _, m := range aktenzeichenRE.FindAllStringSubmatch(text, -1) {
		year := m[4]
		year = year[len(year)-2:]
		out = append(out, "az"+umlauts.Replace(strings.ToLower(m[1]+m[2]+m[3]))+"j"+year)
	}
	return out
}
