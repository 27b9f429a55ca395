// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon

import (
	"math/big"
	"regexp"
	"strings"
	"unicode/utf8"
)

// rule finds one kind of identifier by pattern. group selects the submatch
// that is the identifier (0: the whole match); check, when set, must accept
// the identifier (e.g. the IBAN checksum).
type rule struct {
	kind  Kind
	re    *regexp.Regexp
	group int
	check func(string) bool
	// need is a cheap test that a chunk (and its lower-cased form) may hold
	// a match; the regular expression runs only where it passes.
	need func(chunk, lower string) bool
}

func hasDigit(c, _ string) bool { return strings.ContainsAny(c, "0123456789") }

// hasDigitRun returns a test for n digits in a row.
func hasDigitRun(n int) func(string, string) bool {
	return func(c, _ string) bool {
		run := 0
		for i := 0; i < len(c); i++ {
			if c[i] >= '0' && c[i] <= '9' {
				run++
				if run == n {
					return true
				}
			} else {
				run = 0
			}
		}
		return false
	}
}

func isDigitByte(b byte) bool { return b >= '0' && b <= '9' }

// hasIBANStart tests for two capitals followed by two digits.
func hasIBANStart(c, _ string) bool {
	for i := 0; i+3 < len(c); i++ {
		if c[i] >= 'A' && c[i] <= 'Z' && c[i+1] >= 'A' && c[i+1] <= 'Z' && isDigitByte(c[i+2]) && isDigitByte(c[i+3]) {
			return true
		}
	}
	return false
}

// hasPhoneStart tests for "+49" or a number that starts with 0 ("030", "(089").
func hasPhoneStart(c, _ string) bool {
	if strings.Contains(c, "+49") {
		return true
	}
	for i := 0; i+1 < len(c); i++ {
		if c[i] == '0' && isDigitByte(c[i+1]) && (i == 0 || !isDigitByte(c[i-1]) && c[i-1] != '.' && c[i-1] != ',') {
			return true
		}
	}
	return false
}

func hasAny(words ...string) func(string, string) bool {
	return func(_, lower string) bool {
		for _, w := range words {
			if strings.Contains(lower, w) {
				return true
			}
		}
		return false
	}
}

// rules are compiled once per Pseudonymizer; regexp values are safe for
// concurrent use.
func newRules() []rule {
	const month = `(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|Jan\.|Feb\.|Mär\.|Apr\.|Jun\.|Jul\.|Aug\.|Sep\.|Sept\.|Okt\.|Nov\.|Dez\.)`
	const date = `\d{1,2}\.\s?(?:\d{1,2}\.|` + month + `)\s?(?:19|20)?\d{2}`
	return []rule{
		{kind: Email, re: regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`), need: hasAny("@")},
		{kind: IBAN, re: regexp.MustCompile(`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b`), check: validIBAN, need: hasIBANStart},
		// Dates after "geb." / "geboren am" / "*"; the date itself is the span.
		{kind: BirthDate, re: regexp.MustCompile(`(?:\bgeb\.|\bgeboren(?: am)?|\*)\s*(?:am\s+)?(` + date + `)`), group: 1, need: hasAny("geb.", "geboren", "*")},
		// Renten-/Sozialversicherungsnummer: 2 digits, birth date (6), initial, 3 digits.
		{kind: SocialSecurity, re: regexp.MustCompile(`\b\d{2}\s?\d{6}\s?[A-Z]\s?\d{3}\b`), need: hasDigitRun(6)},
		// Steuer-Identifikationsnummer and Steuernummer after their keyword.
		{kind: TaxID, re: regexp.MustCompile(`(?i:steuer-?id(?:entifikationsnummer)?|steuer-idnr\.?|idnr\.?|steuernummer|st\.-?nr\.?)\s*:?\s*(\d[\d /]{8,14}\d)`), group: 1, need: hasAny("steuer", "idnr", "st.")},
		{kind: Phone, re: regexp.MustCompile(`(?:\+49|\b0049|\(0\d{2,5}\)|\b0\d{2,5})[\d /()-]{4,}\d`), check: phoneDigits, need: hasPhoneStart},
		{kind: Phone, re: regexp.MustCompile(`(?i:tel(?:efon)?\.?|fax|mobil|handy)\s*:?\s*(\+?[\d][\d /()-]{5,}\d)`), group: 1, check: phoneDigits, need: hasAny("tel.", "tel:", "telefon", "fax", "mobil", "handy")},
		{kind: LicencePlate, re: regexp.MustCompile(`\b[A-ZÄÖÜ]{1,3}-[A-Z]{1,2} ?[1-9]\d{0,3}[EH]?\b`), need: hasAny("-")},
		{kind: LicencePlate, re: regexp.MustCompile(`(?i:kennzeichen|kfz-kennzeichen)\s*:?\s*([A-ZÄÖÜ]{1,3}[ -][A-Z]{1,2} ?[1-9]\d{0,3}[EH]?)\b`), group: 1, need: hasAny("kennzeichen")},
		// Postcode and town on their own, after "in", a comma or at a line start.
		{kind: Address, re: regexp.MustCompile(`(?m)(?:^|,|\bin)[ \t]*(\d{5}\s+[A-ZÄÖÜ][\p{L}-]+(?:\s?/\s?[A-ZÄÖÜ][\p{L}]+)?)\b`), group: 1, check: postcodeContext, need: hasDigitRun(5)},
		// A name after a form of address; the name is the span.
		{kind: Person, re: regexp.MustCompile(`\b(?:Herrn?|Frau|Fräulein|Zeugin|Zeuge|Zeugen)\s+(?:(?:Dr\.|Prof\.|Dipl\.-[\p{L}]+\.?)\s+)*((?:[A-ZÄÖÜ][\p{Ll}ß]+(?:-[A-ZÄÖÜ][\p{Ll}ß]+)?\s+)?[A-ZÄÖÜ][\p{Ll}ß]+(?:-[A-ZÄÖÜ][\p{Ll}ß]+)?|[A-ZÄÖÜ]\.)`), group: 1, check: notCommonWord, need: hasAny("herr", "frau", "fräulein", "zeug")},
	}
}

// maxChunk bounds the pieces of text the rules run on. Go's regexp runs a
// fast backtracker on short inputs and a slower automaton on long ones, so
// rules run line by line, and long lines are cut at a sentence end or a space.
const maxChunk = 2048

// ruleSpans applies every rule to text.
func ruleSpans(rules []rule, text string) []Span {
	var out []Span
	for start := 0; start < len(text); {
		end := chunkEnd(text, start)
		chunk := text[start:end]
		lower := strings.ToLower(chunk)
		for _, r := range rules {
			if r.need != nil && !r.need(chunk, lower) {
				continue
			}
			for _, m := range r.re.FindAllStringSubmatchIndex(chunk, -1) {
				s, e := m[2*r.group], m[2*r.group+1]
				if s < 0 {
					continue
				}
				if r.check != nil && !r.check(chunk[s:e]) {
					continue
				}
				out = append(out, Span{Start: start + s, End: start + e, Kind: r.kind, Text: chunk[s:e], Source: "rule"})
			}
		}
		start = end
	}
	return out
}

// chunkEnd returns the end of the chunk starting at start: after the next
// newline, or for a long line after the last ". " (else the last space)
// within maxChunk bytes.
func chunkEnd(text string, start int) int {
	rest := text[start:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 && i < maxChunk {
		return start + i + 1
	}
	if len(rest) <= maxChunk {
		return len(text)
	}
	window := rest[:maxChunk]
	if i := strings.LastIndex(window, ". "); i > maxChunk/2 {
		return start + i + 2
	}
	if i := strings.LastIndexAny(window, " \t"); i > 0 {
		return start + i + 1
	}
	// No space at all: cut at a rune boundary.
	end := start + maxChunk
	for end > start+1 && !utf8.RuneStart(text[end]) {
		end--
	}
	return end
}

// validIBAN checks the ISO 13616 mod-97 checksum.
func validIBAN(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	var b strings.Builder
	for _, r := range s[4:] + s[:4] {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteString(big.NewInt(int64(r - 'A' + 10)).String())
		default:
			return false
		}
	}
	n, ok := new(big.Int).SetString(b.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// phoneDigits accepts 7 to 15 digits.
func phoneDigits(s string) bool {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n >= 7 && n <= 15
}

// postcodeContext rejects five-digit numbers followed by words that are not
// towns ("12345 Euro").
func postcodeContext(s string) bool {
	f := strings.Fields(s)
	if len(f) < 2 {
		return false
	}
	switch strings.ToLower(f[1]) {
	case "euro", "eur", "dm", "tage", "stunden", "personen", "fälle", "stück", "mitglieder", "einwohner", "exemplare", "arbeitnehmer":
		return false
	}
	return true
}

// notCommonWord rejects capitalized words that follow "Herr"/"Frau" without
// being names ("Frau Vorsitzende", "Herr Richter").
func notCommonWord(s string) bool {
	switch strings.Fields(s)[0] {
	case "Vorsitzende", "Vorsitzender", "Richter", "Richterin", "Rechtsanwalt", "Rechtsanwältin", "Präsident", "Präsidentin",
		"Kollege", "Kollegin", "Staatsanwalt", "Staatsanwältin", "Abgeordneter", "Abgeordnete", "Minister", "Ministerin",
		"Bürgermeister", "Bürgermeisterin", "Professor", "Professorin", "Doktor", "Sachverständige", "Sachverständiger":
		return false
	}
	return true
}
