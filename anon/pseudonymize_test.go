// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"justizcloud/anon/ner"
	"justizcloud/errs"
)

var tagger = sync.OnceValues(ner.Default)

func mustPseudonymizer(tb testing.TB, o Options) *Pseudonymizer {
	tb.Helper()
	m, err := tagger()
	if err != nil {
		tb.Fatal(err)
	}
	p, err := New(m, o)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestPseudonymizeIdentifiers(t *testing.T) {
	p := mustPseudonymizer(t, Options{Policy: DefaultPolicy()})
	for _, tc := range []struct {
		kind   Kind
		secret string
		text   string
	}{
		{Email, "erika.mustermann@example.org", "Sie schrieb an erika.mustermann@example.org eine Nachricht."},
		{IBAN, "DE89 3704 0044 0532 0130 00", "Die Zahlung ging auf das Konto DE89 3704 0044 0532 0130 00 ein."},
		{Phone, "030 12345678", "Der Zeuge war unter 030 12345678 erreichbar."},
		{Phone, "+49 89 1234567", "Rückfragen unter Tel. +49 89 1234567 beantwortete niemand."},
		{BirthDate, "12.03.1980", "Die Klägerin (geb. 12.03.1980) ist Rentnerin."},
		{BirthDate, "7. Mai 1975", "Der Beklagte, geboren am 7. Mai 1975, bestreitet dies."},
		{LicencePlate, "M-AB 1234", "Das Fahrzeug mit dem Kennzeichen M-AB 1234 parkte dort."},
		{TaxID, "12 345 678 901", "Ihre Steuer-ID: 12 345 678 901 war angegeben."},
		{SocialSecurity, "65 170839 J 003", "Die Versicherungsnummer 65 170839 J 003 ist korrekt."},
		{Address, "Musterstraße 12", "Er wohnt in der Musterstraße 12, 10115 Berlin, seit Jahren."},
		{Address, "Berliner Straße 3a", "Die Wohnung Berliner Straße 3a ist vermietet."},
		{Address, "Am Markt 7", "Der Laden Am Markt 7 schloss."},
		{Address, "Lindenweg 4", "Sie wohnt im Lindenweg 4."},
		{Address, "10115 Berlin", "Die Zustellung erfolgte in 10115 Berlin."},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			res, err := p.Pseudonymize(context.Background(), tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(res.Text, tc.secret) {
				t.Errorf("result still holds %q: %q", tc.secret, res.Text)
			}
			found := false
			for _, s := range res.Spans {
				found = found || s.Kind == tc.kind && s.Replacement != "" && strings.Contains(s.Text, tc.secret)
			}
			if !found {
				t.Errorf("no replaced %s span holding %q in %+v", tc.kind, tc.secret, res.Spans)
			}
		})
	}
}

func TestPseudonymizeNoFalseIdentifiers(t *testing.T) {
	p := mustPseudonymizer(t, Options{Policy: Policy{Replace: []Kind{Email, Phone, IBAN, BirthDate, LicencePlate, TaxID, SocialSecurity, Address}}})
	text := "Der Streitwert wird auf 3.395,86 Euro festgesetzt (BGH, Urteil vom 24. August 2017 - 1 BvR 123/17 -, NJW-RR 2016, 1511). Es kamen 12345 Besucher."
	res, err := p.Pseudonymize(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != text {
		t.Errorf("Pseudonymize changed a text without identifiers:\n%s\n%+v", res.Text, res.Spans)
	}
}

func TestPseudonymizeConsistentLetters(t *testing.T) {
	p := mustPseudonymizer(t, Options{Policy: DefaultPolicy()})
	text := "Herr Müller verklagte Frau Schmidt. Frau Schmidt bestritt, dass Herr Müller gezahlt habe. Die Zeugin Weber sagte aus."
	res, err := p.Pseudonymize(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Müller", "Schmidt", "Weber"} {
		if strings.Contains(res.Text, name) {
			t.Errorf("%s not replaced: %q", name, res.Text)
		}
	}
	want := "Herr A. verklagte Frau B. Frau B. bestritt, dass Herr A. gezahlt habe. Die Zeugin C. sagte aus."
	if res.Text != want {
		t.Errorf("Pseudonymize =\n%q\nwant\n%q", res.Text, want)
	}
}

func TestPseudonymizePolicy(t *testing.T) {
	text := "Herr Müller wohnt in der Musterstraße 12."
	keep := mustPseudonymizer(t, Options{Policy: Policy{}})
	res, err := keep.Pseudonymize(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != text {
		t.Errorf("empty policy changed the text: %q", res.Text)
	}
	if len(res.Spans) == 0 {
		t.Error("spans are reported even when kept; got none")
	}
	if _, err := New(mustTagger(t), Options{Policy: Policy{Replace: []Kind{"NONSENSE"}}}); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("unknown kind: err = %v, want ErrInvalid", err)
	}
}

func mustTagger(tb testing.TB) *ner.Model {
	tb.Helper()
	m, err := tagger()
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func TestPseudonymizeBadInput(t *testing.T) {
	p := mustPseudonymizer(t, Options{Policy: DefaultPolicy(), MaxBytes: 64})
	for _, tc := range []struct {
		name, text string
		want       error
	}{
		{"empty", "", errs.ErrInvalid},
		{"blank", " \n\t ", errs.ErrInvalid},
		{"invalid UTF-8", "Herr M\xfcller", errs.ErrInvalid},
		{"too large", strings.Repeat("Wort ", 20), errs.ErrTooLarge},
	} {
		if _, err := p.Pseudonymize(context.Background(), tc.text); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Pseudonymize(ctx, "Herr Müller"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

func TestLetterName(t *testing.T) {
	for i, want := range map[int]string{0: "A.", 1: "B.", 25: "Z.", 26: "AA.", 27: "AB.", 52: "BA."} {
		if got := letterName(i); got != want {
			t.Errorf("letterName(%d) = %s, want %s", i, got, want)
		}
	}
}

func FuzzPseudonymize(f *testing.F) {
	f.Add("Herr Müller (geb. 1.2.1980) wohnt in der Musterstraße 12, 10115 Berlin; Tel. 030 1234567.")
	f.Add("Der Senat (Richter Dr. Meier) verweist auf § 823 Abs. 1 BGB und BGH NJW-RR 2016, 1511.")
	f.Add("\xff")
	f.Add("")
	p := mustPseudonymizer(f, Options{Policy: DefaultPolicy(), MaxBytes: 1 << 16})
	f.Fuzz(func(t *testing.T, text string) {
		res, err := p.Pseudonymize(context.Background(), text)
		if err != nil {
			if !errors.Is(err, errs.ErrInvalid) && !errors.Is(err, errs.ErrTooLarge) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if !utf8.ValidString(res.Text) {
			t.Fatalf("result is not valid UTF-8: %q", res.Text)
		}
		last := 0
		for _, s := range res.Spans {
			if s.Start < last || s.End <= s.Start || s.End > len(text) || text[s.Start:s.End] != s.Text {
				t.Fatalf("bad span %+v (last end %d)", s, last)
			}
			last = s.End
			if s.Replacement != "" && !strings.Contains(res.Text, s.Replacement) {
				t.Fatalf("replacement %q missing from the result", s.Replacement)
			}
		}
	})
}

func TestPseudonymizeFirstNames(t *testing.T) {
	p := mustPseudonymizer(t, Options{Policy: DefaultPolicy()})
	res, err := p.Pseudonymize(context.Background(), "Die Klägerin Erika Mustermann verlangt Schadensersatz von Herrn Karl Schmidt.")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Erika", "Mustermann", "Karl", "Schmidt"} {
		if strings.Contains(res.Text, name) {
			t.Errorf("%s not replaced: %q (spans %+v)", name, res.Text, res.Spans)
		}
	}
}

// BenchmarkPseudonymize: a 50-page decision (20,000 tokens) made of LER dev
// sentences, on one goroutine.
func BenchmarkPseudonymize(b *testing.B) {
	f, err := os.Open("../../shared/data/ler/dev.conll")
	if err != nil {
		b.Skip(err)
	}
	sents, err := ner.ReadCoNLL(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	tokens := 0
	for _, s := range sents {
		if tokens >= 50*400 {
			break
		}
		sb.WriteString(strings.Join(s.Tokens, " "))
		sb.WriteByte('\n')
		tokens += len(s.Tokens)
	}
	text := sb.String()
	p := mustPseudonymizer(b, Options{Policy: DefaultPolicy()})
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := p.Pseudonymize(context.Background(), text); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}
