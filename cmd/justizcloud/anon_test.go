// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runAnonArgs(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), append([]string{"anon"}, args...), func(string) string { return "" }, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

// TestAnonTagContract: tokens in, token<TAB>tag out, sentence breaks kept,
// other columns ignored.
func TestAnonTagContract(t *testing.T) {
	in := "Der\tX\tO\nAnspruch\nfolgt\naus\n§\n823\nBGB\n.\n\n\nHerr\nK.\nklagte\n.\n"
	out, _, err := runAnonArgs(t, in, "tag", "--conll")
	if err != nil {
		t.Fatal(err)
	}
	sents := strings.Split(strings.TrimSuffix(out, "\n\n"), "\n\n")
	if len(sents) != 2 {
		t.Fatalf("%d sentences in the output, want 2:\n%s", len(sents), out)
	}
	var toks []string
	for _, line := range strings.Split(strings.Join(sents, "\n"), "\n") {
		tok, tag, ok := strings.Cut(line, "\t")
		if !ok || tag == "" || strings.Contains(tag, "\t") {
			t.Fatalf("bad output line %q", line)
		}
		toks = append(toks, tok)
	}
	if want := "Der Anspruch folgt aus § 823 BGB . Herr K. klagte ."; strings.Join(toks, " ") != want {
		t.Errorf("tokens = %q, want %q", strings.Join(toks, " "), want)
	}
	if !strings.Contains(out, "§\tB-GS\n823\tI-GS\nBGB\tI-GS\n") {
		t.Errorf("§ 823 BGB not tagged as a law:\n%s", out)
	}
	if _, _, err := runAnonArgs(t, in, "tag"); err == nil {
		t.Error("anon tag without --conll succeeded")
	}
	if _, _, err := runAnonArgs(t, "a\tO\n\xff\n", "tag", "--conll"); err == nil {
		t.Error("anon tag accepted invalid UTF-8")
	}
}

func TestAnonEval(t *testing.T) {
	gold := filepath.Join(t.TempDir(), "gold.conll")
	if err := os.WriteFile(gold, []byte("Nach\tO\n§\tB-GS\n823\tI-GS\nBGB\tI-GS\n.\tO\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err := runAnonArgs(t, "", "eval", "--gold", gold)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"fine class", "coarse class", "micro F1 (fine) 100.00", "recall PER+RR+AN", "recall STR+ST", "NRM"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
	}
	if _, _, err := runAnonArgs(t, "", "eval"); err == nil {
		t.Error("anon eval without --gold succeeded")
	}
	if _, _, err := runAnonArgs(t, "", "eval", "--gold", gold, "--model", gold); err == nil {
		t.Error("anon eval with a CoNLL file as model succeeded")
	}
}

func TestAnonPseudonymize(t *testing.T) {
	out, _, err := runAnonArgs(t, "Herr Müller wohnt in der Musterstraße 12. Herr Müller klagt.", "pseudonymize")
	if err != nil {
		t.Fatal(err)
	}
	if want := "Herr A. wohnt in der [Straße 1]. Herr A. klagt."; out != want {
		t.Errorf("pseudonymize = %q, want %q", out, want)
	}
	for _, in := range []string{"", "\xff\xfe", strings.Repeat("x ", 100)} {
		if _, _, err := runAnonArgs(t, in, "pseudonymize", "--max-bytes", "100"); err == nil {
			t.Errorf("pseudonymize %.10q succeeded", in)
		}
	}
}

func TestAnonHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"train", "--help"}, {"eval", "--help"}, {"tag", "--help"}, {"pseudonymize", "--help"}} {
		out, errOut, err := runAnonArgs(t, "", args...)
		if err != nil && !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%v: %v", args, err)
		}
		if !strings.Contains(out+errOut, "Usage") {
			t.Errorf("%v printed no usage", args)
		}
	}
	if _, _, err := runAnonArgs(t, "", "nonsense"); err == nil {
		t.Error("unknown anon command succeeded")
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"bench", "anon", "--help"}, func(string) string { return "" }, nil, &out, &out); err != nil && !errors.Is(err, flag.ErrHelp) {
		t.Errorf("bench anon --help: %v", err)
	}
}

// TestAnonymizeEndpoint: POST /api/v1/services/anonymize for two tenants,
// bad input as problems, validated against the OpenAPI document.
func TestAnonymizeEndpoint(t *testing.T) {
	data := t.TempDir()
	srv := startServe(t, data)
	for _, tenant := range []string{"DE-BY", "DE-HB"} {
		c := client{t: t, base: srv.url, token: mustToken(t, data, tenant, "leser")}
		var out struct {
			Text  string
			Spans []struct {
				Start, End                int
				Kind, Source, Replacement string
			}
		}
		text := "Herr Müller wohnt in der Musterstraße 12. Herr Müller klagt."
		c.expect(200, "POST", "/api/v1/services/anonymize", strings.NewReader(text), map[string]string{"Content-Type": "text/plain; charset=utf-8"}, &out)
		if want := "Herr A. wohnt in der [Straße 1]. Herr A. klagt."; out.Text != want {
			t.Errorf("%s: text = %q, want %q", tenant, out.Text, want)
		}
		replaced := 0
		for _, s := range out.Spans {
			if s.Replacement != "" {
				replaced++
			}
		}
		if replaced != 3 {
			t.Errorf("%s: %d replaced spans, want 3: %+v", tenant, replaced, out.Spans)
		}
		c.expect(400, "POST", "/api/v1/services/anonymize", strings.NewReader(""), map[string]string{"Content-Type": "text/plain"}, nil)
		c.expect(400, "POST", "/api/v1/services/anonymize", strings.NewReader("\xff\xfe"), map[string]string{"Content-Type": "text/plain"}, nil)
		c.expect(400, "POST", "/api/v1/services/anonymize", strings.NewReader("%PDF-1.7"), map[string]string{"Content-Type": "application/pdf"}, nil)
		c.expect(413, "POST", "/api/v1/services/anonymize", strings.NewReader(strings.Repeat("Wort ", 2<<20)), map[string]string{"Content-Type": "text/plain"}, nil)
	}
	anonymous := client{t: t, base: srv.url}
	anonymous.expect(401, "POST", "/api/v1/services/anonymize", strings.NewReader("Herr Müller"), map[string]string{"Content-Type": "text/plain"}, nil)
}
