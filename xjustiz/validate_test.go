// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"justizcloud/errs"
	"justizcloud/xjustiz/xsd"
)

// manifestRow is one line of testdata/samples/MANIFEST.csv.
type manifestRow struct {
	File, Status, Version, Root, Schema, Error string
}

func mustManifest(tb testing.TB) []manifestRow {
	tb.Helper()
	f, err := os.Open("testdata/samples/MANIFEST.csv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var rows []manifestRow
	for _, r := range recs[1:] {
		rows = append(rows, manifestRow{File: r[0], Status: r[2], Version: r[3], Root: r[4], Schema: r[5], Error: r[9]})
	}
	if len(rows) != 30 {
		tb.Fatalf("manifest has %d rows, want 30", len(rows))
	}
	return rows
}

var (
	sharedValidator     *Validator
	sharedValidatorErr  error
	sharedValidatorOnce sync.Once
)

func mustValidator(tb testing.TB) *Validator {
	tb.Helper()
	sharedValidatorOnce.Do(func() { sharedValidator, sharedValidatorErr = NewValidator(xsd.Limits{}) })
	if sharedValidatorErr != nil {
		tb.Fatal(sharedValidatorErr)
	}
	return sharedValidator
}

// normalizeErr makes an error text comparable with the manifest, which has
// no commas (it is CSV) and is cut off after some characters.
func normalizeErr(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, ",", "")), " ")
}

func TestSamplesAsManifestSays(t *testing.T) {
	v := mustValidator(t)
	for _, row := range mustManifest(t) {
		t.Run(row.File, func(t *testing.T) {
			doc, err := os.ReadFile(filepath.Join("testdata/samples", row.File))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := v.Validate(doc)
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if rep.Version != row.Version || rep.Root != row.Root {
				t.Errorf("version, root = %s, %s; want %s, %s", rep.Version, rep.Root, row.Version, row.Root)
			}
			if want := strings.TrimPrefix(row.Schema, "schema/"); rep.Schema != want {
				t.Errorf("Schema = %s, want %s", rep.Schema, want)
			}
			if got := rep.Valid(); got != (row.Status == "valid") {
				t.Fatalf("Valid = %v, want status %s; errors: %v", got, row.Status, rep.Errors)
			}
			if row.Status == "invalid" {
				first, _ := rep.First()
				got, want := normalizeErr(first.String()), normalizeErr(row.Error)
				if !strings.HasPrefix(want, got) && !strings.HasPrefix(got, want) {
					t.Errorf("first error = %q\nmanifest    = %q", got, want)
				}
			}
		})
	}
}

func TestCodeListCheck(t *testing.T) {
	v := mustValidator(t)
	doc, err := os.ReadFile("testdata/samples/synthetic/minimal_uebermittlungSchriftgutobjekte_3.6.2.xml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, from, to, wantElem, wantMsg string
	}{
		{"unknown court", `<code>R3306</code></tns:gericht>
        </tns:auswahl_instanzbehoerde>`, `<code>X9999</code></tns:gericht>
        </tns:auswahl_instanzbehoerde>`, "gericht", `code "X9999" is not in the code list GDS.Gerichte 3.7`},
		{"unknown Dokumentklasse", `<code>003</code></tns:dokumentklasse>`, `<code>999</code></tns:dokumentklasse>`, "dokumentklasse", `code "999" is not in the code list GDS.Dokumentklasse 1.4`},
		{"unknown Sachgebiet", `<code>047</code>`, `<code>ZZZ</code>`, "sachgebiet", `GDS.Sachgebiet 2.5`},
		{"unknown Ereignis", `<code>017</code>`, `<code>9999</code>`, "ereignis", `GDS.Ereignis 1.13`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := strings.Replace(string(doc), tt.from, tt.to, 1)
			if bad == string(doc) {
				t.Fatal("replacement did not apply")
			}
			rep, err := v.Validate([]byte(bad))
			if err != nil {
				t.Fatal(err)
			}
			if rep.Valid() {
				t.Fatal("Valid = true, want a code list error")
			}
			first, _ := rep.First()
			if first.Element != tt.wantElem || !strings.Contains(first.Message, tt.wantMsg) || first.Line == 0 {
				t.Errorf("first error = %+v, want element %s, line > 0, message containing %q", first, tt.wantElem, tt.wantMsg)
			}
		})
	}
}

func TestCodeListsLoad(t *testing.T) {
	for _, tt := range []struct {
		name, version, code, value string
		min                        int
	}{
		{"GDS.Gerichte", "3.7", "R3306", "", 2700},
		{"GDS.Rollenbezeichnung", "3.6", "101", "Kläger(in)", 100},
		{"GDS.Registerzeichen", "3.5", "C", "", 100},
		{"GDS.Dokumentklasse", "1.4", "003", "", 10},
	} {
		l, err := LoadCodeList(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		if l.Version != tt.version || l.Len() < tt.min || !l.Has(tt.code) {
			t.Errorf("%s: version %s, %d codes, has %s = %v; want %s, ≥ %d, true", tt.name, l.Version, l.Len(), tt.code, l.Has(tt.code), tt.version, tt.min)
		}
		if v, _ := l.Value(tt.code); tt.value != "" && v != tt.value {
			t.Errorf("%s: value of %s = %q, want %q", tt.name, tt.code, v, tt.value)
		}
	}
	if _, err := LoadCodeList("GDS.Nichtvorhanden"); err == nil {
		t.Error("LoadCodeList of a missing list: err = nil")
	}
}

func TestVersionErrors(t *testing.T) {
	v := mustValidator(t)
	doc, err := os.ReadFile("testdata/samples/synthetic/minimal_uebermittlungSchriftgutobjekte_3.6.2.xml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, from, to string
		wantErr        error
		want           string
	}{
		{"unknown version", `xjustizVersion="3.6.2"`, `xjustizVersion="9.9.9"`, ErrUnknownVersion, `"9.9.9"`},
		{"no version", ` xjustizVersion="3.6.2"`, ``, ErrUnknownVersion, "declares no xjustizVersion"},
		{"wrong version for the content", `xjustizVersion="3.6.2"`, `xjustizVersion="3.2.1"`, nil, "This element is not expected"},
		{"message type not in the version", `nachricht.gds.uebermittlungSchriftgutobjekte.0005005`, `nachricht.gds.gibtesnicht.0005999`, errs.ErrInvalid, "has no message nachricht.gds.gibtesnicht.0005999"},
		{"foreign namespace", `xmlns:tns="http://www.xjustiz.de"`, `xmlns:tns="urn:other"`, errs.ErrInvalid, "not in the XJustiz namespace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := strings.ReplaceAll(string(doc), tt.from, tt.to)
			rep, err := v.Validate([]byte(bad))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v, want %v containing %q", err, tt.wantErr, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if first, _ := rep.First(); rep.Valid() || !strings.Contains(first.Message, tt.want) {
				t.Errorf("first error = %+v, want one containing %q", first, tt.want)
			}
		})
	}
}

func TestHostileMessages(t *testing.T) {
	v := mustValidator(t)
	tests := []struct{ name, doc, want string }{
		{"billion laughs", `<?xml version="1.0"?><!DOCTYPE n [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>` +
			`<n:nachricht.gds.uebermittlungSchriftgutobjekte.0005005 xmlns:n="http://www.xjustiz.de">&b;</n:nachricht.gds.uebermittlungSchriftgutobjekte.0005005>`, "DOCTYPE"},
		{"external entity", `<?xml version="1.0"?><!DOCTYPE n [<!ENTITY x SYSTEM "file:///etc/passwd">]><n>&x;</n>`, "DOCTYPE"},
		{"invalid UTF-8", "<n:nachricht.gds.uebermittlungSchriftgutobjekte.0005005 xmlns:n=\"http://www.xjustiz.de\"><n:nachrichtenkopf xjustizVersion=\"3.6.2\">\xc3\x28</n:nachrichtenkopf></n:nachricht.gds.uebermittlungSchriftgutobjekte.0005005>", "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := v.Validate([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if first, _ := rep.First(); rep.Valid() || !strings.Contains(first.Message, tt.want) {
				t.Errorf("first error = %+v, want one containing %q", first, tt.want)
			}
		})
	}
	big := &io.LimitedReader{R: zeros{}, N: 1 << 30}
	if _, err := v.ReadMessage(big); !errors.Is(err, xsd.ErrTooLarge) {
		t.Errorf("ReadMessage(1 GiB) err = %v, want xsd.ErrTooLarge", err)
	}
	if big.N < 1<<30-xsd.DefaultMaxBytes-1<<20 {
		t.Errorf("read %d bytes of 1 GiB, want no more than the limit", 1<<30-big.N)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// FuzzMessage feeds arbitrary bytes through validation and, when valid,
// the mapping to the domain.
func FuzzMessage(f *testing.F) {
	files, _ := filepath.Glob("testdata/samples/*/*.xml")
	for _, name := range files {
		if doc, err := os.ReadFile(name); err == nil && len(doc) < 8<<10 {
			f.Add(doc)
		}
	}
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>`))
	v := mustValidator(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		rep, err := v.Validate(doc)
		if err != nil {
			return
		}
		if !rep.Valid() {
			if first, ok := rep.First(); !ok || first.Message == "" {
				t.Fatalf("invalid without a reason: %+v", rep)
			}
			return
		}
		if m, err := ParseMessage(doc, rep); err == nil && m.ID == "" {
			t.Fatal("mapped a message without an id")
		}
	})
}
