// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package ner

import (
	"fmt"

	"justizcloud/errs"
)

// Span is an entity: tokens Start to End inclusive, of one class.
type Span struct {
	Start, End int
	Class      string
}

// Spans turns a BIO tag sequence into entities with the conlleval rules: an
// entity starts at B-X, or at I-X after O or a tag of another class, and ends
// before O, before any B-, or before a tag of another class. Tags without a
// class ("O", or anything without a dash) are outside.
func Spans(tags []string) []Span {
	var out []Span
	open := -1
	openClass := ""
	for i, t := range tags {
		p, c := splitTag(t)
		if open >= 0 && (c == "" || p == "B" || c != openClass) {
			out = append(out, Span{open, i - 1, openClass})
			open = -1
		}
		if c != "" && open < 0 {
			open, openClass = i, c
		}
	}
	if open >= 0 {
		out = append(out, Span{open, len(tags) - 1, openClass})
	}
	return out
}

// Counts are entity counts for one class or a pool of classes.
type Counts struct {
	Gold, Pred, Correct int
}

func (c *Counts) add(o Counts) {
	c.Gold += o.Gold
	c.Pred += o.Pred
	c.Correct += o.Correct
}

// Precision is correct / predicted in percent (0 when nothing was predicted).
func (c Counts) Precision() float64 { return pct(c.Correct, c.Pred) }

// Recall is correct / gold in percent (0 when there is no gold entity).
func (c Counts) Recall() float64 { return pct(c.Correct, c.Gold) }

// F1 is the harmonic mean of precision and recall in percent.
func (c Counts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// Report is an entity-level evaluation (exact span and class).
type Report struct {
	Fine        map[string]Counts // per fine class
	Coarse      map[string]Counts // per coarse class, after mapping the tags
	Micro       Counts            // all fine classes pooled
	CoarseMicro Counts            // all coarse classes pooled
	Persons     Counts            // PER, RR and AN pooled (fine, strict)
	Places      Counts            // STR and ST pooled (fine, strict)
	// PersonTokens counts gold PER/RR/AN tokens (Gold) and how many of them lie
	// inside any predicted PER/RR/AN entity (Correct): the share of person
	// tokens a pseudonymizer would mask, whatever the exact span.
	PersonTokens Counts
	Sentences    int
	Tokens       int
}

// Evaluate scores predicted against gold tag sequences, sentence by
// sentence. Both must have the same shape; a mismatch is an error wrapping
// errs.ErrInvalid.
func Evaluate(gold, pred [][]string) (Report, error) {
	r := Report{Fine: map[string]Counts{}, Coarse: map[string]Counts{}}
	if len(gold) != len(pred) {
		return r, fmt.Errorf("evaluate: %d gold and %d predicted sentences: %w", len(gold), len(pred), errs.ErrInvalid)
	}
	var cg, cp []string
	for i := range gold {
		if len(gold[i]) != len(pred[i]) {
			return r, fmt.Errorf("evaluate: sentence %d: %d gold and %d predicted tags: %w", i+1, len(gold[i]), len(pred[i]), errs.ErrInvalid)
		}
		r.Sentences++
		r.Tokens += len(gold[i])
		count(r.Fine, Spans(gold[i]), Spans(pred[i]))
		cg, cp = cg[:0], cp[:0]
		for j := range gold[i] {
			cg = append(cg, CoarseTag(gold[i][j]))
			cp = append(cp, CoarseTag(pred[i][j]))
		}
		count(r.Coarse, Spans(cg), Spans(cp))
		covered := make([]bool, len(gold[i]))
		for _, s := range Spans(pred[i]) {
			if Coarse(s.Class) == "PER" {
				for k := s.Start; k <= s.End; k++ {
					covered[k] = true
				}
			}
		}
		for _, s := range Spans(gold[i]) {
			if Coarse(s.Class) != "PER" {
				continue
			}
			for k := s.Start; k <= s.End; k++ {
				r.PersonTokens.Gold++
				if covered[k] {
					r.PersonTokens.Correct++
				}
			}
		}
	}
	for c, n := range r.Fine {
		r.Micro.add(n)
		switch c {
		case "PER", "RR", "AN":
			r.Persons.add(n)
		case "STR", "ST":
			r.Places.add(n)
		}
	}
	for _, n := range r.Coarse {
		r.CoarseMicro.add(n)
	}
	return r, nil
}

func count(m map[string]Counts, gold, pred []Span) {
	set := make(map[Span]bool, len(gold))
	for _, s := range gold {
		set[s] = true
		c := m[s.Class]
		c.Gold++
		m[s.Class] = c
	}
	for _, s := range pred {
		c := m[s.Class]
		c.Pred++
		if set[s] {
			c.Correct++
		}
		m[s.Class] = c
	}
}
