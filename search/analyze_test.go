// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package search

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// matches reports whether a query finds a text, the way the store matches:
// every term has an alternative among the text's tokens.
func matches(text, query string) bool {
	toks := Analyze(text)
	terms := Terms(query)
	if len(terms) == 0 {
		return false
	}
	for _, alts := range terms {
		if !slices.ContainsFunc(alts, func(a string) bool { return slices.Contains(toks, a) }) {
			return false
		}
	}
	return true
}

func TestAnalyzeMatches(t *testing.T) {
	cases := []struct {
		text, query string
		want        bool
	}{
		{"Die Urteile des Landgerichts", "Urteil", true},
		{"Das Urteil", "Urteile", true},
		{"Zwei Berufungen wurden eingelegt", "Berufung", true},
		{"Die Berufung", "Berufungen", true},
		{"Landgericht München I", "München", true},
		{"Landgericht München I", "Muenchen", true},
		{"Landgericht München I", "munchen", true},
		{"Landgericht Muenchen I", "München", true},
		{"Hauptstraße 5", "Strasse", false}, // compounds are not split
		{"Hauptstraße 5", "Hauptstrasse", true},
		{"Straße", "Strasse", true},
		{"Strasse", "STRASSE", true},
		{"Die Frauen klagen", "Frau", true},
		{"Aktenzeichen 12 C 345/26", "12 C 345/26", true},
		{"Aktenzeichen 12 C 345/26", "12 c 345/2026", true},
		{"Aktenzeichen 12 C 345/26", "12 C 346/26", false},
		{"Aktenzeichen 12 C 345/26", "az12c345j26", true},
		{"Mietzahlung ausstehend", "Miete", false},
		{"Klage wegen Mietzahlung", "klage mietzahlung", true},
		{"Klage wegen Mietzahlung", "klage urteil", false},
		{`Er sagte "NEAR(x)" AND OR`, `"near(x" AND OR`, true},
	}
	for _, c := range cases {
		t.Run(c.text+"/"+c.query, func(t *testing.T) {
			if got := matches(c.text, c.query); got != c.want {
				t.Errorf("match(%q, %q) = %v, want %v (tokens %q, terms %q)", c.text, c.query, got, c.want, Analyze(c.text), Terms(c.query))
			}
		})
	}
}

func TestTermsOperatorsAreText(t *testing.T) {
	if got := Terms(`NEAR(`); len(got) != 1 || got[0][0] != "near" {
		t.Errorf("Terms(NEAR() = %q, want the word near", got)
	}
	for _, q := range []string{`"`, `*`, `^-:()`, ``} {
		if got := Terms(q); len(got) != 0 {
			t.Errorf("Terms(%q) = %q, want none", q, got)
		}
	}
	if got := len(Terms(strings.Repeat("wort", 1) + strings.Repeat(" a b c d e f g h i j k l m n o p q r s", 3))); got > maxQueryWords {
		t.Errorf("len(Terms(long)) = %d, want at most %d", got, maxQueryWords)
	}
}

func TestSnippet(t *testing.T) {
	text := strings.Repeat("Vorrede ", 30) + "Das Landgericht hat die Berufungen zurückgewiesen. " + strings.Repeat("Nachrede ", 40)
	got := Snippet(text, Terms("Berufung"))
	if !strings.Contains(got, "«Berufungen»") {
		t.Errorf("Snippet = %q, want «Berufungen» marked", got)
	}
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
		t.Errorf("Snippet = %q, want … at both cut ends", got)
	}
	if got := Snippet("kurz", Terms("lang")); got != "kurz" {
		t.Errorf("Snippet without match = %q, want %q", got, "kurz")
	}
}

func TestExtractHTML(t *testing.T) {
	got, err := Extract(context.Background(), "text/html; charset=utf-8", strings.NewReader(`<html><head><style>p{x:1}</style><script>var a="<b>";</script></head>
		<body><!-- note --><p>M&uuml;nchen &amp; Berlin</p></body></html>`))
	if err != nil {
		t.Fatal(err)
	}
	if f := strings.Join(strings.Fields(got), " "); f != "München & Berlin" {
		t.Errorf("Extract = %q, want %q", f, "München & Berlin")
	}
}

func TestExtractLatin1(t *testing.T) {
	got, err := Extract(context.Background(), "text/plain; charset=ISO-8859-1", strings.NewReader("M\xfcnchen Stra\xdfe"))
	if err != nil || got != "München Straße" {
		t.Errorf("Extract(latin-1) = %q, %v; want %q", got, err, "München Straße")
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"Urteile", "12 C 345/26", "München Straße", "\xff\xfe", `"NEAR(" AND OR *`, "ae oe ue que"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range Analyze(s) {
			if tok == "" || !utf8.ValidString(tok) || strings.ContainsAny(tok, " \"'*()") {
				t.Fatalf("Analyze(%q) has token %q", s, tok)
			}
		}
		for _, alts := range Terms(s) {
			for _, tok := range alts {
				if tok == "" || strings.ContainsAny(tok, " \"'*()") {
					t.Fatalf("Terms(%q) has token %q", s, tok)
				}
			}
		}
		_ = Snippet(s, Terms(s))
	})
}

// TestSnippetFirstLetterFilter: words whose folded first letter differs from
// every query token's are skipped unstemmed, so matches after umlauts, ß and
// non-ASCII letters must still be marked.
func TestSnippetFirstLetterFilter(t *testing.T) {
	for _, tc := range []struct{ text, q, want string }{
		{"Die Übergabe der Wohnung", "uebergabe", "«Übergabe»"},
		{"Das Schloß und die Straße", "strasse", "«Straße»"},
		{"Ein Élan ohnegleichen", "élan", "«Élan»"},
		{"Müller gegen Mueller", "Müller", "«Müller» gegen «Mueller»"},
	} {
		if got := Snippet(tc.text, Terms(tc.q)); !strings.Contains(got, tc.want) {
			t.Errorf("Snippet(%q, %q) = %q, want it to contain %q", tc.text, tc.q, got, tc.want)
		}
	}
}
