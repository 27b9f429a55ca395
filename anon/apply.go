// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"justizcloud/errs"
)

// Apply substitutes spans of text: those for which replace(i) reports true
// get a replacement, the others are kept (Replacement ""). It is the
// replacement step of Pseudonymize, open to a final list of spans that a
// reviewer has changed, so that spans added by hand get replacements
// consistent with the suggested ones: persons (PER, RR, AN) by letters in
// order of appearance, the same surname always by the same letter ("Herrn
// Dr. Erika Mustermann" and "Mustermanns" share one); every other kind by a
// placeholder numbered per label, the same text by the same number
// ("[Straße 1]"). A letter's full stop is dropped before a full stop of the
// text ("Frau B." rather than "Frau B..").
//
// spans must be in text order, without overlaps, with byte offsets on
// character boundaries of text and a kind; otherwise the error wraps
// errs.ErrInvalid. Each span's Text is set from text. spans is not changed.
func Apply(text string, spans []Span, replace func(i int) bool) (Result, error) {
	out := make([]Span, len(spans))
	letters := map[string]string{}
	numbers := map[string]string{}
	counters := map[string]int{}
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for i, s := range spans {
		if err := checkSpan(text, s, last); err != nil {
			return Result{}, fmt.Errorf("anon: span %d: %w", i, err)
		}
		s.Text, s.Replacement = text[s.Start:s.End], ""
		if replace(i) {
			s.Replacement = replacement(s, letters, numbers, counters)
			b.WriteString(text[last:s.Start])
			r := s.Replacement
			if strings.HasSuffix(r, ".") && strings.HasPrefix(text[s.End:], ".") {
				r = r[:len(r)-1]
			}
			b.WriteString(r)
			last = s.End
		}
		out[i] = s
	}
	b.WriteString(text[last:])
	return Result{Text: b.String(), Spans: out}, nil
}

// checkSpan checks that s lies within text, after offset from, on character
// boundaries, and has a kind.
func checkSpan(text string, s Span, from int) error {
	switch {
	case s.Kind == "":
		return fmt.Errorf("%w: no kind", errs.ErrInvalid)
	case s.Start < from || s.End <= s.Start || s.End > len(text):
		return fmt.Errorf("%w: bytes %d–%d out of order or outside the text", errs.ErrInvalid, s.Start, s.End)
	case !utf8.RuneStart(text[s.Start]) || s.End < len(text) && !utf8.RuneStart(text[s.End]):
		return fmt.Errorf("%w: bytes %d–%d cut a character", errs.ErrInvalid, s.Start, s.End)
	}
	return nil
}

// replacement is the letter or numbered placeholder of s, given those
// already handed out in the document.
func replacement(s Span, letters, numbers map[string]string, counters map[string]int) string {
	if IsPerson(s.Kind) {
		key := personKey(s.Text)
		r, ok := letters[key]
		if !ok {
			r = letterName(len(letters))
			letters[key] = r
		}
		return r
	}
	label := placeholder(s.Kind)
	key := label + "\x00" + strings.ToLower(strings.Join(strings.Fields(s.Text), " "))
	r, ok := numbers[key]
	if !ok {
		counters[label]++
		r = "[" + label + " " + strconv.Itoa(counters[label]) + "]"
		numbers[key] = r
	}
	return r
}
