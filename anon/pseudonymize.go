// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"justizcloud/anon/ner"
	"justizcloud/errs"
)

// DefaultMaxBytes is the size limit of Options{}: about 2,000 pages.
const DefaultMaxBytes = 8 << 20

// Span is a detected entity or identifier in the input text.
type Span struct {
	Start, End int // byte offsets into the input
	Kind       Kind
	Text       string
	// Source is "model" (the tagger) or "rule".
	Source string
	// Replacement is what replaced the span, or "" if the policy keeps it.
	Replacement string
}

// Result is a pseudonymized document.
type Result struct {
	Text  string // the input with every replaced span substituted
	Spans []Span // every detected span, in text order, without overlaps
}

// Options configure a Pseudonymizer.
type Options struct {
	Policy   Policy
	MaxBytes int // 0 means DefaultMaxBytes
}

// Pseudonymizer finds and replaces personal data in German court
// decisions. It is safe for concurrent use.
type Pseudonymizer struct {
	tagger   *ner.Model
	policy   Policy
	rules    []rule
	maxBytes int
}

// New returns a Pseudonymizer using tagger for names, places and
// organizations. An invalid policy is an error wrapping errs.ErrInvalid.
func New(tagger *ner.Model, o Options) (*Pseudonymizer, error) {
	if tagger == nil {
		return nil, fmt.Errorf("anon: no tagger: %w", errs.ErrInvalid)
	}
	if err := o.Policy.Validate(); err != nil {
		return nil, err
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	return &Pseudonymizer{tagger: tagger, policy: o.Policy, rules: newRules(), maxBytes: o.MaxBytes}, nil
}

// Detect returns the spans of text without replacing anything; Replacement
// is empty in all of them.
func (p *Pseudonymizer) Detect(ctx context.Context, text string) ([]Span, error) {
	if err := p.check(text); err != nil {
		return nil, err
	}
	var spans []Span
	for i, sent := range Tokenize(text) {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("anon: %w", err)
			}
		}
		words := make([]string, len(sent))
		for j, t := range sent {
			words[j] = t.Text
		}
		spans = append(spans, firstNameSpans(text, sent)...)
		spans = append(spans, addressSpans(text, sent)...)
		for _, s := range ner.Spans(p.tagger.Tag(words)) {
			a, b := sent[s.Start].Start, sent[s.End].End
			spans = append(spans, Span{Start: a, End: b, Kind: Kind(s.Class), Text: text[a:b], Source: "model"})
		}
	}
	spans = append(spans, ruleSpans(p.rules, text)...)
	spans = p.resolve(text, dropNotNames(spans))
	trimRoleWords(text, spans)
	widenFirstNames(text, spans)
	return p.propagateSurnames(text, spans), nil
}

// Pseudonymize detects spans and replaces those the policy names: persons by
// letters ("A.", "B.", …, the same name always by the same letter), everything
// else by numbered placeholders ("[Straße 1]"). Empty text and invalid UTF-8
// wrap errs.ErrInvalid; text over the size limit wraps errs.ErrTooLarge.
func (p *Pseudonymizer) Pseudonymize(ctx context.Context, text string) (Result, error) {
	spans, err := p.Detect(ctx, text)
	if err != nil {
		return Result{}, err
	}
	return Apply(text, spans, func(i int) bool { return p.policy.Replaces(spans[i].Kind) })
}

func (p *Pseudonymizer) check(text string) error {
	if len(text) > p.maxBytes {
		return fmt.Errorf("anon: %d bytes, the limit is %d: %w", len(text), p.maxBytes, errs.ErrTooLarge)
	}
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("anon: empty text: %w", errs.ErrInvalid)
	}
	if !utf8.ValidString(text) {
		return fmt.Errorf("anon: text is not valid UTF-8: %w", errs.ErrInvalid)
	}
	return nil
}

// citation kinds are kept whole: a rule match inside a case or norm
// citation ("NJW-RR 2016" is no licence plate) is dropped.
func isCitation(k Kind) bool {
	switch k {
	case Law, Ordinance, EUNorm, Regulation, Contract, CaseCitation, Literature, Court:
		return true
	}
	return false
}

// resolve sorts spans and removes overlaps. Of two overlapping spans, a
// person found by the tagger and by a rule gets the rule's kind (person,
// judge or lawyer) and the union of both; a citation from the tagger beats
// a rule; otherwise a replaced span beats a kept one, and two replaced spans
// merge into their union with the kind of the rule (rules are more
// specific) or of the longer span.
func (p *Pseudonymizer) resolve(text string, spans []Span) []Span {
	slices.SortFunc(spans, func(a, b Span) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return b.End - a.End
	})
	var out []Span
	for _, s := range spans {
		n := len(out)
		if n == 0 || s.Start >= out[n-1].End {
			out = append(out, s)
			continue
		}
		prev := &out[n-1]
		switch {
		case IsPerson(prev.Kind) && IsPerson(s.Kind) && (prev.Source == "rule") != (s.Source == "rule"):
			// The same person found twice: the rule knows the role from
			// the context ("Richterin am Amtsgericht …"), the extent is the
			// union.
			if s.Source == "rule" {
				prev.Kind, prev.Source = s.Kind, s.Source
			}
			prev.End = max(prev.End, s.End)
			prev.Text = text[prev.Start:prev.End]
		case prev.Source == "model" && isCitation(prev.Kind) && s.Source == "rule":
			continue
		case s.Source == "model" && isCitation(s.Kind) && prev.Source == "rule":
			*prev = s
		case p.policy.Replaces(prev.Kind) && p.policy.Replaces(s.Kind):
			end := max(prev.End, s.End)
			if s.Source == "rule" && prev.Source != "rule" || s.End-s.Start > prev.End-prev.Start && s.Source == prev.Source {
				prev.Kind, prev.Source = s.Kind, s.Source
			}
			prev.End = end
			prev.Text = text[prev.Start:prev.End]
		case p.policy.Replaces(s.Kind):
			*prev = s
		}
	}
	return out
}

// personKey normalizes a name for consistent letters: the last word,
// lower-cased, without a trailing full stop or genitive s ("Herrn Dr. Erika
// Mustermann", "Mustermann" and "Mustermanns" share a letter).
func personKey(name string) string {
	f := strings.Fields(name)
	if len(f) == 0 {
		return ""
	}
	w := strings.ToLower(strings.TrimRight(f[len(f)-1], ".,;:"))
	if len(f) == 1 && utf8.RuneCountInString(w) > 3 && strings.HasSuffix(w, "s") {
		w = strings.TrimSuffix(w, "s")
	}
	return w
}

// letterName returns "A.", …, "Z.", "AA.", "AB.", … for i = 0, 1, ….
func letterName(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b) + "."
}
