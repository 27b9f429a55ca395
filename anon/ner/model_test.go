// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package ner

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"justizcloud/errs"
)

var defaultModel = sync.OnceValues(Default)

func mustDefault(tb testing.TB) *Model {
	tb.Helper()
	m, err := defaultModel()
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// devFile is the LER dev part; tests that need it skip without it, except
// under CI.
const devFile = "../../../shared/data/ler/dev.conll"

func mustDev(tb testing.TB, n int) []Sentence {
	tb.Helper()
	f, err := os.Open(devFile)
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatal(err)
		}
		tb.Skip(err)
	}
	defer f.Close()
	var out []Sentence
	errStop := errors.New("stop")
	err = ScanCoNLL(f, func(s Sentence) error {
		out = append(out, s)
		if len(out) == n {
			return errStop
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		tb.Fatal(err)
	}
	return out
}

// TestDefaultTagsSentences: the embedded model loads and finds the obvious
// entities of a few German sentences written for this test.
func TestDefaultTagsSentences(t *testing.T) {
	m := mustDefault(t)
	for _, tc := range []struct {
		sentence string
		want     []string // "class:tokens" of entities that must be found exactly
	}{
		{"Der Anspruch folgt aus § 823 Abs. 1 BGB .", []string{"GS:§ 823 Abs. 1 BGB"}},
		{"Der Bundesgerichtshof hat mit Urteil vom 12. März 2015 - III ZR 207/14 - entschieden .", []string{"GRT:Bundesgerichtshof"}},
		{"Die Revision der Klägerin gegen das Urteil des Landesarbeitsgerichts Hamm wird zurückgewiesen .", []string{"GRT:Landesarbeitsgerichts Hamm"}},
		{"Der Kläger verweist auf Art. 3 Abs. 1 GG und § 7 Abs. 4 SGB II .", []string{"GS:Art. 3 Abs. 1 GG", "GS:§ 7 Abs. 4 SGB II"}},
	} {
		toks := strings.Fields(tc.sentence)
		tags := m.Tag(toks)
		if len(tags) != len(toks) {
			t.Fatalf("%d tags for %d tokens", len(tags), len(toks))
		}
		got := map[string]bool{}
		for _, s := range Spans(tags) {
			got[s.Class+":"+strings.Join(toks[s.Start:s.End+1], " ")] = true
		}
		for _, w := range tc.want {
			if !got[w] {
				t.Errorf("%q: entity %s not found; tags %v", tc.sentence, w, tags)
			}
		}
	}
	if got := m.Tag(nil); len(got) != 0 {
		t.Errorf("Tag(nil) = %v", got)
	}
}

// TestDefaultOnDev: F1 on the first 500 dev sentences. The floor is the
// figure measured when the embedded model was trained (see
// docs/anonymization.md) minus a margin for harmless retraining noise.
func TestDefaultOnDev(t *testing.T) {
	const minF1 = devSliceF1 - 1.5
	m := mustDefault(t)
	dev := mustDev(t, 500)
	r, err := evaluateModel(m, dev)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first %d dev sentences: micro F1 %.2f, PER+RR+AN recall %.2f", len(dev), r.Micro.F1(), r.Persons.Recall())
	if r.Micro.F1() < minF1 {
		t.Errorf("micro F1 = %.2f, want ≥ %.2f", r.Micro.F1(), minF1)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	train := []Sentence{
		{Tokens: strings.Fields("Herr K. klagte nach § 823 BGB ."), Tags: strings.Fields("O B-PER O O B-GS I-GS I-GS O")},
		{Tokens: strings.Fields("Der BGH wies die Klage ab ."), Tags: strings.Fields("O B-GRT O O O O O")},
		{Tokens: strings.Fields("Frau M. verwies auf § 280 BGB ."), Tags: strings.Fields("O B-PER O O B-GS I-GS I-GS O")},
	}
	m, err := Train(context.Background(), train, TrainOptions{Epochs: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range train {
		if got := strings.Join(m.Tag(s.Tokens), " "); got != strings.Join(s.Tags, " ") {
			t.Errorf("trained model tags %v as %s, want %v", s.Tokens, got, s.Tags)
		}
	}
	var buf bytes.Buffer
	if err := m.WithPersonBias(0.5).Save(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if back.PersonBias() != 0.5 {
		t.Errorf("PersonBias after load = %v, want 0.5", back.PersonBias())
	}
	for _, s := range train {
		if a, b := strings.Join(m.WithPersonBias(0.5).Tag(s.Tokens), " "), strings.Join(back.Tag(s.Tokens), " "); a != b {
			t.Errorf("loaded model tags %v as %s, saved one as %s", s.Tokens, b, a)
		}
	}
	for _, bad := range [][]byte{nil, []byte("not gzip"), buf.Bytes()[:buf.Len()/2]} {
		if _, err := Load(bytes.NewReader(bad)); err == nil {
			t.Errorf("Load(%d bytes of garbage) succeeded", len(bad))
		}
	}
	if _, err := Train(context.Background(), []Sentence{{Tokens: []string{"x"}, Tags: []string{"B-NOPE"}}}, TrainOptions{}); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("unknown tag: err = %v, want ErrInvalid", err)
	}
	if _, err := Train(context.Background(), []Sentence{{Tokens: []string{"x"}, Tags: []string{"I-PER"}}}, TrainOptions{}); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("I- at the start: err = %v, want ErrInvalid", err)
	}
}

// TestTagNeverBreaksBIO: whatever the input, the output is valid IOB2.
func TestTagNeverBreaksBIO(t *testing.T) {
	m := mustDefault(t)
	for _, s := range mustDev(t, 300) {
		tags := m.Tag(s.Tokens)
		prev := "O"
		for i, tag := range tags {
			if p, c := splitTag(tag); p == "I" {
				if _, pc := splitTag(prev); pc != c {
					t.Fatalf("%v: %s after %s at %d", s.Tokens, tag, prev, i)
				}
			}
			prev = tag
		}
	}
}

func BenchmarkTag(b *testing.B) {
	m := mustDefault(b)
	dev := mustDev(b, 1000)
	tokens := 0
	for _, s := range dev {
		tokens += len(s.Tokens)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, s := range dev {
			m.Tag(s.Tokens)
		}
	}
	b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

func TestRules(t *testing.T) {
	m := mustDefault(t)
	// A lone capital after a role word is a person whatever the weights say.
	toks := strings.Fields("Die Stammkraft N fehlte .")
	if got := m.Tag(toks); got[2] != "B-PER" {
		t.Errorf("Tag(%v) = %v, want B-PER for N", toks, got)
	}
	// A lone capital after "in" is a place, with the dots of an abbreviation.
	toks = strings.Fields("Er wohnte in B ... und arbeitete in L .")
	if got := m.Tag(toks); got[3] != "B-ST" || got[4] != "I-ST" || got[8] != "B-ST" {
		t.Errorf("Tag(%v) = %v, want places B ... and L", toks, got)
	}
	// A person after a lawyer's title, and the rest of the list, are lawyers.
	toks = strings.Fields("Rechtsanwälte T. , M. und Dr. S. unterschrieben .")
	got := m.Tag(toks)
	for _, i := range []int{1, 3, 6} {
		if !strings.HasSuffix(got[i], "-AN") {
			t.Errorf("Tag(%v) = %v: %s is %s, want a lawyer", toks, got, toks[i], got[i])
		}
	}
}
