// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func tokenTexts(sents [][]Token) [][]string {
	var out [][]string
	for _, s := range sents {
		var w []string
		for _, t := range s {
			w = append(w, t.Text)
		}
		out = append(out, w)
	}
	return out
}

func TestTokenize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want [][]string
	}{
		{"Der Kläger hat die Kosten zu tragen.", [][]string{{"Der", "Kläger", "hat", "die", "Kosten", "zu", "tragen", "."}}},
		{"nach § 823 Abs. 1 BGB (vgl. BGH, Urteil vom 24. August 2017 - 1 BvR 123/17 -).",
			[][]string{{"nach", "§", "823", "Abs.", "1", "BGB", "(", "vgl.", "BGH", ",", "Urteil", "vom", "24.", "August", "2017", "-", "1", "BvR", "123/17", "-", ")", "."}}},
		{"Herr K. klagte. Die Beklagte widersprach!", [][]string{{"Herr", "K.", "klagte", "."}, {"Die", "Beklagte", "widersprach", "!"}}},
		{"„Waffle Kelvin“ z.B. 3.395,86 Euro im Jahr 2017.", [][]string{{"„", "Waffle", "Kelvin", "“", "z.B.", "3.395,86", "Euro", "im", "Jahr", "2017", "."}}},
		{"Erster Absatz\n\nZweiter Absatz", [][]string{{"Erster", "Absatz"}, {"Zweiter", "Absatz"}}},
		{"Warten ... und BFH-Urteil", [][]string{{"Warten", "...", "und", "BFH-Urteil"}}},
		{"   \n\t ", nil},
		{"", nil},
	} {
		if got := tokenTexts(Tokenize(tc.in)); !cmp.Equal(got, tc.want) {
			t.Errorf("Tokenize(%q) =\n%q\nwant\n%q", tc.in, got, tc.want)
		}
	}
}

func TestTokenizeLongSentenceIsCut(t *testing.T) {
	sents := Tokenize(strings.Repeat("wort ", 3*maxSentence))
	if len(sents) != 3 {
		t.Fatalf("%d sentences, want 3", len(sents))
	}
	for _, s := range sents {
		if len(s) > maxSentence {
			t.Errorf("sentence of %d tokens, limit %d", len(s), maxSentence)
		}
	}
}

// checkTokens asserts the offsets contract: Text is the source slice, tokens
// are in order, do not overlap and hold no spaces.
func checkTokens(t *testing.T, text string, sents [][]Token) {
	t.Helper()
	last := 0
	for _, s := range sents {
		if len(s) == 0 {
			t.Fatal("empty sentence")
		}
		for _, tok := range s {
			if tok.Start < last || tok.End <= tok.Start || tok.End > len(text) {
				t.Fatalf("token %+v out of order or range (last end %d, len %d)", tok, last, len(text))
			}
			if text[tok.Start:tok.End] != tok.Text {
				t.Fatalf("token %+v does not match the source %q", tok, text[tok.Start:tok.End])
			}
			if strings.ContainsAny(tok.Text, " \n\t") {
				t.Fatalf("token %q holds a space", tok.Text)
			}
			last = tok.End
		}
	}
}

func FuzzTokenize(f *testing.F) {
	f.Add("Der Kläger K. (geb. 1.2.1980) wohnt in der Musterstraße 12, 10115 Berlin.")
	f.Add("§§ 186 bis 193 BGB ... „x“ \xff\xfe z.B. 2017.")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		sents := Tokenize(text)
		checkTokens(t, text, sents)
		if utf8.ValidString(text) {
			n := 0
			for _, s := range sents {
				for _, tok := range s {
					n += len(tok.Text)
				}
			}
			if want := len(strings.Join(strings.Fields(text), "")); n != want && strings.IndexFunc(text, func(r rune) bool { return r == '\u0085' || r == '\u00a0' }) < 0 {
				t.Fatalf("tokens cover %d bytes, the non-space text has %d", n, want)
			}
		}
	})
}
