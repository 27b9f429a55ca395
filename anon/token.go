// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is a token of running text: Text equals the source text from byte
// offset Start to End.
type Token struct {
	Text       string
	Start, End int
}

// maxSentence bounds a sentence; longer runs without a sentence end are cut,
// so that tagging time stays linear in the length of the text.
const maxSentence = 250

// abbreviations keep their full stop as part of the token, as the LER corpus
// tokenizes them ("Abs.", "vgl."). Lower-cased, without the stop.
var abbreviations = map[string]bool{
	"abs": true, "rn": true, "vgl": true, "nr": true, "art": true, "s": true, "bzw": true, "ff": true,
	"f": true, "aufl": true, "buchst": true, "dr": true, "rdnr": true, "ziff": true, "prof": true,
	"hrsg": true, "bl": true, "bd": true, "az": true, "ca": true, "usw": true, "gem": true, "etc": true,
	"sog": true, "evtl": true, "ggf": true, "inkl": true, "einschl": true, "lit": true, "anm": true,
	"abschn": true, "anl": true, "anh": true, "bgbl": true, "gvbl": true, "str": true, "tel": true,
	"geb": true, "jr": true, "kap": true, "nrn": true, "rz": true, "tz": true, "zit": true, "zb": true,
	"hs": true, "alt": true, "mwn": true, "st": true, "vorbem": true, "ivm": true, "isv": true, "isd": true,
	"ua": true, "uä": true, "zt": true, "dh": true, "ebd": true, "fn": true, "hm": true,
	"mio": true, "mrd": true, "möglw": true, "sa": true, "u": true, "v": true, "i": true,
	"m": true, "a": true, "o": true, "d": true, "w": true, "z": true, "n": true, "e": true, "b": true,
}

// Tokenize splits running German text into sentences of tokens, close to the
// tokenization of the LER corpus: punctuation is split off, but the full stop
// stays on abbreviations, initials, ordinals and dates ("Abs.", "K.", "24."),
// and slashes and hyphens stay inside tokens ("170/17", "BFH-Urteil").
// Sentences end after ".", "!" or "?" before an upper-case letter or digit, at
// blank lines, and after maxSentence tokens. Invalid UTF-8 is tokenized
// byte-wise as opaque runs; callers that need valid text check it first.
func Tokenize(text string) [][]Token {
	var sents [][]Token
	var cur []Token
	flush := func() {
		if len(cur) > 0 {
			sents = append(sents, cur)
			cur = nil
		}
	}
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			// A blank line ends a sentence.
			if r == '\n' && len(cur) > 0 {
				j := i + size
				for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
					j++
				}
				if j < len(text) && text[j] == '\n' {
					flush()
				}
			}
			i += size
			continue
		}
		j := i
		for j < len(text) {
			r, s := utf8.DecodeRuneInString(text[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += s
		}
		for _, t := range splitChunk(text, i, j) {
			cur = append(cur, t)
			if len(cur) >= maxSentence {
				flush()
			}
		}
		i = j
		if n := len(cur); n > 0 && isSentenceEnd(cur[n-1].Text) {
			if next, ok := nextRune(text, i); !ok || unicode.IsUpper(next) || unicode.IsDigit(next) || next == '(' || next == '„' || next == '"' {
				flush()
			}
		}
	}
	flush()
	return sents
}

func isSentenceEnd(t string) bool { return t == "." || t == "!" || t == "?" }

// nextRune returns the first non-space rune at or after i.
func nextRune(text string, i int) (rune, bool) {
	for i < len(text) {
		r, s := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsSpace(r) {
			return r, true
		}
		i += s
	}
	return 0, false
}

// leading punctuation split off the front of a chunk, trailing punctuation
// split off its end.
const (
	leadPunct  = "([{\"'„‚«»<“‘"
	trailPunct = ")]},;:!?\"'“”»«>’‘"
)

// splitChunk tokenizes text[start:end], a run without spaces.
func splitChunk(text string, start, end int) []Token {
	var head, tail []Token
	for start < end {
		r, s := utf8.DecodeRuneInString(text[start:end])
		if !strings.ContainsRune(leadPunct, r) {
			break
		}
		head = append(head, Token{text[start : start+s], start, start + s})
		start += s
	}
	for start < end {
		r, s := utf8.DecodeLastRuneInString(text[start:end])
		switch {
		case strings.ContainsRune(trailPunct, r):
		case r == '.':
			body := text[start:end]
			if strings.HasSuffix(body, "...") {
				if len(body) == 3 {
					goto done
				}
				tail = append(tail, Token{"...", end - 3, end})
				end -= 3
				continue
			}
			if keepsStop(body[:len(body)-1]) {
				goto done
			}
		default:
			goto done
		}
		if end-s == start {
			break
		}
		tail = append(tail, Token{text[end-s : end], end - s, end})
		end -= s
	}
done:
	out := head
	if start < end {
		out = append(out, Token{text[start:end], start, end})
	}
	for k := len(tail) - 1; k >= 0; k-- {
		out = append(out, tail[k])
	}
	return out
}

// keepsStop reports whether a word keeps a following full stop: an
// abbreviation, a single letter (initial), a number (ordinal, date part), a
// Roman numeral, or a word with inner stops ("z.B", "i.V.m").
func keepsStop(w string) bool {
	if w == "" {
		return false
	}
	if strings.Contains(w, ".") {
		return true
	}
	if utf8.RuneCountInString(w) == 1 {
		return true
	}
	digits := true
	roman := true
	for _, r := range w {
		if r < '0' || r > '9' {
			digits = false
		}
		if !strings.ContainsRune("IVXLC", r) {
			roman = false
		}
	}
	return digits && len(w) < 4 || roman || abbreviations[strings.ToLower(w)]
}
