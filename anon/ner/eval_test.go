// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package ner

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"justizcloud/errs"
)

func TestSpans(t *testing.T) {
	for _, tc := range []struct {
		tags string
		want []Span
	}{
		{"O O", nil},
		{"B-PER I-PER O", []Span{{0, 1, "PER"}}},
		// conlleval: I- after O starts an entity.
		{"O I-PER I-PER", []Span{{1, 2, "PER"}}},
		// I- of another class ends the entity and starts a new one.
		{"B-PER I-GS", []Span{{0, 0, "PER"}, {1, 1, "GS"}}},
		// B- always starts a new entity, even of the same class.
		{"B-PER B-PER I-PER", []Span{{0, 0, "PER"}, {1, 2, "PER"}}},
		{"I-RS", []Span{{0, 0, "RS"}}},
		{"B-GS I-GS I-GS", []Span{{0, 2, "GS"}}},
		{"B-GRT O B-ST", []Span{{0, 0, "GRT"}, {2, 2, "ST"}}},
	} {
		if got := Spans(strings.Fields(tc.tags)); !cmp.Equal(got, tc.want) {
			t.Errorf("Spans(%s) = %v, want %v", tc.tags, got, tc.want)
		}
	}
}

func TestEvaluate(t *testing.T) {
	split := func(s ...string) [][]string {
		out := make([][]string, len(s))
		for i, x := range s {
			out[i] = strings.Fields(x)
		}
		return out
	}
	gold := split(
		"B-PER I-PER O B-GS I-GS",
		"B-RR O B-ST",
		"O B-RS I-RS",
	)
	pred := split(
		"B-PER I-PER O B-GS O", // PER right; GS too short (FP+FN)
		"B-PER O B-ST",         // RR with the wrong class (FP PER, FN RR); ST right
		"O I-RS I-RS",          // I- after O starts the entity: right
	)
	r, err := Evaluate(gold, pred)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Counts{
		"PER": {Gold: 1, Pred: 2, Correct: 1},
		"GS":  {Gold: 1, Pred: 1, Correct: 0},
		"RR":  {Gold: 1, Pred: 0, Correct: 0},
		"ST":  {Gold: 1, Pred: 1, Correct: 1},
		"RS":  {Gold: 1, Pred: 1, Correct: 1},
	}
	if d := cmp.Diff(want, r.Fine); d != "" {
		t.Errorf("Fine (-want +got):\n%s", d)
	}
	if want := (Counts{Gold: 5, Pred: 5, Correct: 3}); r.Micro != want {
		t.Errorf("Micro = %+v, want %+v", r.Micro, want)
	}
	// Coarse: RR and PER are both PER, so the judge counts as right there.
	if want := (Counts{Gold: 2, Pred: 2, Correct: 2}); r.Coarse["PER"] != want {
		t.Errorf("Coarse[PER] = %+v, want %+v", r.Coarse["PER"], want)
	}
	if want := (Counts{Gold: 1, Pred: 1, Correct: 0}); r.Coarse["NRM"] != want {
		t.Errorf("Coarse[NRM] = %+v, want %+v", r.Coarse["NRM"], want)
	}
	if want := (Counts{Gold: 2, Pred: 2, Correct: 1}); r.Persons != want {
		t.Errorf("Persons = %+v, want %+v", r.Persons, want)
	}
	if want := (Counts{Gold: 1, Pred: 1, Correct: 1}); r.Places != want {
		t.Errorf("Places = %+v, want %+v", r.Places, want)
	}
	// Person tokens: 2 (PER) + 1 (RR), all inside predicted PER entities.
	if want := (Counts{Gold: 3, Correct: 3}); r.PersonTokens != want {
		t.Errorf("PersonTokens = %+v, want %+v", r.PersonTokens, want)
	}
	if p, rc, f := r.Micro.Precision(), r.Micro.Recall(), r.Micro.F1(); math.Abs(p-60) > 1e-9 || math.Abs(rc-60) > 1e-9 || math.Abs(f-60) > 1e-9 {
		t.Errorf("micro P/R/F1 = %v/%v/%v, want 60/60/60", p, rc, f)
	}
	if r.Sentences != 3 || r.Tokens != 11 {
		t.Errorf("Sentences, Tokens = %d, %d, want 3, 11", r.Sentences, r.Tokens)
	}
}

func TestEvaluateEmptyAndMismatch(t *testing.T) {
	r, err := Evaluate(nil, nil)
	if err != nil || r.Micro.F1() != 0 || r.Micro.Precision() != 0 {
		t.Errorf("Evaluate(nil, nil) = %+v, %v", r.Micro, err)
	}
	if _, err := Evaluate([][]string{{"O"}}, nil); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("sentence count mismatch: err = %v", err)
	}
	if _, err := Evaluate([][]string{{"O"}}, [][]string{{"O", "O"}}); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("token count mismatch: err = %v", err)
	}
}

func TestCoarse(t *testing.T) {
	for fine, coarse := range map[string]string{"RR": "PER", "AN": "PER", "STR": "LOC", "LDS": "LOC", "GRT": "ORG", "MRK": "ORG", "EUN": "NRM", "VT": "REG", "RS": "RS", "LIT": "LIT"} {
		if got := Coarse(fine); got != coarse {
			t.Errorf("Coarse(%s) = %s, want %s", fine, got, coarse)
		}
	}
	if got := CoarseTag("I-VO"); got != "I-NRM" {
		t.Errorf("CoarseTag(I-VO) = %s", got)
	}
	if len(Classes()) != 19 || len(CoarseClasses()) != 7 {
		t.Errorf("Classes: %d fine, %d coarse", len(Classes()), len(CoarseClasses()))
	}
	for _, c := range Classes() {
		found := false
		for _, cc := range CoarseClasses() {
			found = found || Coarse(c) == cc
		}
		if !found {
			t.Errorf("class %s maps to unknown coarse class %s", c, Coarse(c))
		}
	}
}
