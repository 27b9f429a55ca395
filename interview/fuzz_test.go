// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package interview

import (
	"encoding/json"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"unicode/utf8"

	"justizcloud/errs"
)

// FuzzParse feeds arbitrary files to Parse and Load: they must not panic,
// must refuse with a *LoadError naming the file, or return a definition
// whose engine works on empty answers. The seeds are the shipped
// definitions (about 10 KB each); minimizing such inputs takes minutes, so
// run it with a bound:
//
//	go test ./interview -run XXX -fuzz FuzzParse -fuzztime 1m -fuzzminimizetime 2s
func FuzzParse(f *testing.F) {
	files, _ := fs.Glob(definitionsFS, "definitions/*.yaml")
	for _, name := range files {
		data, _ := fs.ReadFile(definitionsFS, name)
		f.Add(data)
	}
	f.Add([]byte(baseDef))
	f.Add([]byte(condDef))
	f.Add([]byte(typesDef))
	f.Add([]byte("name: x\ntitle: [\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("pages:\n  - when: {not: {not: {not: {}}}}\n"))
	e, _ := mustEnv(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Load("fuzz.yaml", data, e)
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) || !errors.Is(err, errs.ErrInvalid) || len(le.Problems) == 0 {
				t.Fatalf("Load error %v (%T) is not a *LoadError with problems", err, err)
			}
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Fatalf("Load error %q does not name the file", err)
			}
			return
		}
		a := Answers{}
		for p := d.Next(a, ""); p != ""; p = d.Next(a, p) {
			d.Validate(p, a, Form{Now: now})
			d.ShownFields(p, a)
		}
		d.Summary(a)
		d.Missing(a)
		d.Output(a)
	})
}

// FuzzValidate posts arbitrary values to every field type: Validate must
// not panic, every answer it returns must be canonical (Output accepts
// it), problems must be in valid UTF-8, and answers must survive JSON.
func FuzzValidate(f *testing.F) {
	d := mustLoad(f, strings.Replace(typesDef, `name: "{text}"}`, `name: "{pflicht}"}`, 2))
	for _, s := range []string{"", " ", "1.234,56", "10.000,01", "1e9", "-0", "0,", ",5", "99999999999999999999",
		"24.12.2025", "2025-12-24", "31.02.2024", "name@beispiel.de", "DE02 1203 0000 0000 2020 51", "FRA", "(MUC)",
		"D2601", "on", "zwei", "\x00", "\xff\xfe", "ä\u202e", strings.Repeat("x", 300)} {
		f.Add("betrag", s)
		f.Add("text", s)
	}
	f.Fuzz(func(t *testing.T, field, value string) {
		if _, ok := d.fields[field]; !ok {
			field = "text"
		}
		vals := map[string][]string{"pflichthaken": {"on"}, "gericht": {"D2601"}, "pflicht": {"1"}}
		vals[field] = []string{value}
		a, problems := d.Validate("felder", Answers{}, Form{Values: vals, Now: now})
		for _, p := range problems {
			if p.Message == "" || !utf8.ValidString(p.Message) || p.Field == "" {
				t.Fatalf("bad problem %+v", p)
			}
		}
		if len(problems) > 0 {
			return
		}
		for id, ans := range a {
			f := d.fields[id]
			if f.Type != File && !d.canonicalOK(f, ans.Value) {
				t.Fatalf("answer %s = %q from input %q is not canonical", id, ans.Value, value)
			}
		}
		if _, err := d.Output(a); err != nil {
			t.Fatalf("Output after a valid page: %v", err)
		}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		var back Answers
		if err := json.Unmarshal(b, &back); err != nil || len(back) != len(a) {
			t.Fatalf("JSON round trip: %v", err)
		}
		for id, ans := range a {
			if back[id].Value != ans.Value {
				t.Fatalf("JSON round trip changed %s: %q → %q", id, ans.Value, back[id].Value)
			}
		}
	})
}
