// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package ner

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"justizcloud/errs"
)

func TestReadCoNLL(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []Sentence
		invalid  bool
	}{
		{name: "tagged", in: "Der\tO\nBGH\tB-GRT\n\nHerr\tO\nK.\tB-PER\n", want: []Sentence{
			{Tokens: []string{"Der", "BGH"}, Tags: []string{"O", "B-GRT"}},
			{Tokens: []string{"Herr", "K."}, Tags: []string{"O", "B-PER"}},
		}},
		{name: "spaces, CRLF, several blank lines, docstart", in: "-DOCSTART- O\r\n\r\n§ B-GS\r\n823 I-GS\r\n\r\n\r\n\r\nBGB B-GS\r\n", want: []Sentence{
			{Tokens: []string{"§", "823"}, Tags: []string{"B-GS", "I-GS"}},
			{Tokens: []string{"BGB"}, Tags: []string{"B-GS"}},
		}},
		{name: "tokens only", in: "Der\nBGH\n\nentschied\n", want: []Sentence{
			{Tokens: []string{"Der", "BGH"}},
			{Tokens: []string{"entschied"}},
		}},
		{name: "middle columns ignored, tag is the last", in: "Der\tART\tO\nBGH\tNN\tB-GRT\n", want: []Sentence{
			{Tokens: []string{"Der", "BGH"}, Tags: []string{"O", "B-GRT"}},
		}},
		{name: "tab-separated token with a space", in: "a b\tO\n", want: []Sentence{{Tokens: []string{"a b"}, Tags: []string{"O"}}}},
		{name: "no final newline", in: "x\tO", want: []Sentence{{Tokens: []string{"x"}, Tags: []string{"O"}}}},
		{name: "empty", in: "", want: nil},
		{name: "blank lines only", in: "\n\n  \n", want: nil},
		{name: "invalid UTF-8", in: "a\tO\n\xff\tO\n", invalid: true},
		{name: "empty token before tab", in: "\tO\n", invalid: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadCoNLL(strings.NewReader(tc.in))
			if tc.invalid {
				if !errors.Is(err, errs.ErrInvalid) {
					t.Fatalf("err = %v, want ErrInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("ReadCoNLL (-want +got):\n%s", d)
			}
		})
	}
}

func TestReadCoNLLLongLine(t *testing.T) {
	_, err := ReadCoNLL(strings.NewReader(strings.Repeat("x", maxLine+10) + "\tO\n"))
	if !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("err = %v, want ErrInvalid for an overlong line", err)
	}
}

func TestWriteCoNLLRoundTrip(t *testing.T) {
	sents := []Sentence{{Tokens: []string{"Der", "BGH"}}, {Tokens: []string{"K."}}}
	tags := [][]string{{"O", "B-GRT"}, {"B-PER"}}
	var buf bytes.Buffer
	if err := WriteCoNLL(&buf, sents, tags); err != nil {
		t.Fatal(err)
	}
	if want := "Der\tO\nBGH\tB-GRT\n\nK.\tB-PER\n\n"; buf.String() != want {
		t.Errorf("WriteCoNLL = %q, want %q", buf.String(), want)
	}
	back, err := ReadCoNLL(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range back {
		if !cmp.Equal(back[i].Tokens, sents[i].Tokens) || !cmp.Equal(back[i].Tags, tags[i]) {
			t.Errorf("sentence %d = %v, want %v %v", i, back[i], sents[i].Tokens, tags[i])
		}
	}
	if err := WriteCoNLL(&buf, sents, [][]string{{"O"}, {"O"}}); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("WriteCoNLL with too few tags: err = %v, want ErrInvalid", err)
	}
}

func FuzzReadCoNLL(f *testing.F) {
	f.Add("Der\tO\nBGH\tB-GRT\n\nK.\tB-PER\n")
	f.Add("a b c\n\n\r\n-DOCSTART-\nx")
	f.Add("\t\t\n\xff")
	f.Fuzz(func(t *testing.T, in string) {
		sents, err := ReadCoNLL(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, s := range sents {
			if len(s.Tokens) == 0 {
				t.Fatal("empty sentence")
			}
			if s.Tags != nil && len(s.Tags) != len(s.Tokens) {
				t.Fatalf("%d tags for %d tokens", len(s.Tags), len(s.Tokens))
			}
			for _, tok := range s.Tokens {
				if tok == "" || strings.ContainsAny(tok, "\n") {
					t.Fatalf("bad token %q", tok)
				}
			}
		}
		tags := make([][]string, len(sents))
		for i, s := range sents {
			tags[i] = make([]string, len(s.Tokens))
			for j := range tags[i] {
				tags[i][j] = "O"
			}
		}
		var buf bytes.Buffer
		if err := WriteCoNLL(&buf, sents, tags); err != nil {
			t.Fatal(err)
		}
	})
}
