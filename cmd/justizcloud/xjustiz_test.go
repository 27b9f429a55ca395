// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"justizcloud/akte"
	"justizcloud/sqlstore"
	"justizcloud/tenancy"
)

const xjSamples = "../../xjustiz/testdata/samples"

type xjManifestRow struct{ file, status, root, firstErr string }

func mustXJManifest(t *testing.T) []xjManifestRow {
	t.Helper()
	f, err := os.Open(filepath.Join(xjSamples, "MANIFEST.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []xjManifestRow
	for _, r := range recs[1:] {
		rows = append(rows, xjManifestRow{file: r[0], status: r[2], root: r[4], firstErr: r[9]})
	}
	if len(rows) != 30 {
		t.Fatalf("manifest has %d rows, want 30", len(rows))
	}
	return rows
}

func runXJ(args ...string) (string, error) {
	var out, errb bytes.Buffer
	err := run(context.Background(), append([]string{"xjustiz"}, args...), func(string) string { return "" }, nil, &out, &errb)
	return out.String() + errb.String(), err
}

// noCommas compares with the manifest, which drops commas (CSV) and cuts
// long error texts off.
func noCommas(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, ",", "")), " ")
}

// TestXJustizValidateSamples runs "xjustiz validate" on every shared sample:
// each is OK or invalid as MANIFEST.csv says, with its first error.
func TestXJustizValidateSamples(t *testing.T) {
	rows := mustXJManifest(t)
	for _, row := range rows {
		t.Run(row.file, func(t *testing.T) {
			path := filepath.Join(xjSamples, row.file)
			out, err := runXJ("validate", path)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if row.status == "valid" {
				if err != nil || out != path+": OK\n" {
					t.Fatalf("validate = %q, %v; want %q", out, err, path+": OK")
				}
				return
			}
			if err == nil {
				t.Fatalf("validate of an invalid sample did not fail: %q", out)
			}
			first := strings.TrimPrefix(lines[0], path+": ")
			if got, want := noCommas(first), noCommas(row.firstErr); !strings.HasPrefix(want, got) && !strings.HasPrefix(got, want) {
				t.Errorf("first error = %q\nmanifest    = %q", got, want)
			}
			if !regexp.MustCompile(`^line [0-9]+ <[^>]+>: `).MatchString(first) {
				t.Errorf("error %q lacks line and element", first)
			}
		})
	}
	// All at once, through a directory: non-zero exit and a count.
	out, err := runXJ("validate", xjSamples)
	if err == nil || !strings.Contains(err.Error(), "6 of 30 files invalid") {
		t.Errorf("validate DIR = %v, want 6 of 30 invalid", err)
	}
	if n := strings.Count(out, ": OK\n"); n != 24 {
		t.Errorf("validate DIR printed %d OK lines, want 24", n)
	}
	if out, err := runXJ("validate", "/nonexistent.xml"); err == nil || !strings.Contains(out, "no such file") {
		t.Errorf("validate of a missing file = %q, %v", out, err)
	}
}

var dateinameRE = regexp.MustCompile(`<(?:\w+:)?dateiname>([^<]+)</`)

// mustMessageDir copies a sample into a fresh directory with the files it
// names, and returns the directory and the SHA-256 of each file.
func mustMessageDir(t *testing.T, sample string) (string, map[string][32]byte) {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join(xjSamples, sample))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "nachricht.xml"), doc, 0o600); err != nil {
		t.Fatal(err)
	}
	sums := map[string][32]byte{}
	for i, m := range dateinameRE.FindAllSubmatch(doc, -1) {
		name := string(m[1])
		body := []byte(fmt.Sprintf("Inhalt %d von %s\n", i, name))
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o600); err != nil {
			t.Fatal(err)
		}
		sums[name] = sha256.Sum256(body)
	}
	return dir, sums
}

func mustOpenStore(t *testing.T, data string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(data, "justizcloud.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func countCases(t *testing.T, db *sqlstore.DB, tenant tenancy.ID, court tenancy.CourtID) int {
	t.Helper()
	cs, err := db.Cases(context.Background(), tenant, akte.CaseFilter{Court: court, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(cs)
}

var caseLineRE = regexp.MustCompile(`as case ([0-9a-f-]{36}), (\S+) (.+)\n`)

// TestXJustizImportSamples imports every valid GDS sample with its files,
// twice: the second import changes nothing. Invalid samples and eEB
// messages are refused and leave nothing behind.
func TestXJustizImportSamples(t *testing.T) {
	imported := 0
	shared := t.TempDir()
	for _, row := range mustXJManifest(t) {
		if !strings.HasPrefix(row.root, "nachricht.gds.") || row.status != "valid" || strings.HasPrefix(row.file, "synthetic/") {
			continue
		}
		t.Run(row.file, func(t *testing.T) {
			// The real samples share one message id, so each gets its own store.
			data := t.TempDir()
			dir, sums := mustMessageDir(t, row.file)
			args := []string{"import", "--data", data, "--tenant", "DE-BY", "--court", "D2601", dir}
			out, err := runXJ(args...)
			if err != nil {
				t.Fatalf("import: %v\n%s", err, out)
			}
			m := caseLineRE.FindStringSubmatch(out)
			if m == nil || !strings.Contains(out, ": imported message ") || m[2] != "D2601" {
				t.Fatalf("import printed %q", out)
			}
			for name, sum := range sums {
				if !strings.Contains(out, fmt.Sprintf("\t%s\t", name)) || !strings.Contains(out, fmt.Sprintf("sha256 %x", sum)) {
					t.Errorf("document %s with sha256 %x not in the output:\n%s", name, sum, out)
				}
			}
			again, err := runXJ(args...)
			if err != nil || !strings.Contains(again, ": already imported message ") || !strings.Contains(again, "as case "+m[1]) {
				t.Errorf("second import = %q, %v; want the same case %s", again, err, m[1])
			}
			db := mustOpenStore(t, data)
			if n := countCases(t, db, "DE-BY", "D2601"); n != 1 {
				t.Errorf("%d cases at D2601 after importing the message twice, want 1", n)
			}
			imported++
		})
	}
	if imported != 17 {
		t.Errorf("imported %d GDS samples, want 17", imported)
	}

	// Another message with an id imported before is a conflict, not a repeat.
	data := shared
	first, _ := mustMessageDir(t, "valid/xjustiz_nachricht_eeb1_v3_2.xml")
	if out, err := runXJ("import", "--data", data, "--tenant", "DE-BY", "--court", "D2601", first); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	other, _ := mustMessageDir(t, "valid/xjustiz_nachricht_v2_4.xml")
	if out, err := runXJ("import", "--data", data, "--tenant", "DE-BY", "--court", "D2601", other); err == nil || !strings.Contains(err.Error(), "imported before with different content") {
		t.Errorf("import of another message with the same id = %q, %v; want a conflict", out, err)
	}
	db := mustOpenStore(t, data)
	if n := countCases(t, db, "DE-BY", "D2601"); n != 1 {
		t.Errorf("%d cases, want 1", n)
	}
	imported = 1

	for _, row := range mustXJManifest(t) {
		if row.status == "valid" && strings.HasPrefix(row.root, "nachricht.gds.") {
			continue
		}
		t.Run("refused "+row.file, func(t *testing.T) {
			dir, _ := mustMessageDir(t, row.file)
			out, err := runXJ("import", "--data", data, "--tenant", "DE-BY", "--court", "D2601", dir)
			if err == nil {
				t.Fatalf("import of %s (%s) succeeded: %s", row.file, row.status, out)
			}
			if row.status == "invalid" {
				if want := noCommas(row.firstErr); !strings.Contains(noCommas(err.Error()), want[:min(len(want), 80)]) {
					t.Errorf("err = %v\nwant the schema's reason %q", err, want)
				}
			} else if !strings.Contains(err.Error(), "not a GDS message") {
				t.Errorf("err = %v, want: not a GDS message", err)
			}
		})
	}
	if n := countCases(t, db, "DE-BY", "D2601"); n != imported {
		t.Errorf("%d cases after the refused imports, want still %d", n, imported)
	}
}

// TestXJustizImportZip imports the synthetic 3.6.2 message from a ZIP at
// its recipient court (Amtsgericht Köln, DE-NW), and refuses ZIPs that
// miss or add files, and tenants that do not own the court.
func TestXJustizImportZip(t *testing.T) {
	data := t.TempDir()
	doc, err := os.ReadFile(filepath.Join(xjSamples, "synthetic/minimal_uebermittlungSchriftgutobjekte_3.6.2.xml"))
	if err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n% Klage der Erika Mustermann\n")
	const pdfName = "Klage_b5e0f7a2-1c3d-4e5f-8a9b-0c1d2e3f4a5b.pdf"
	mkzip := func(files map[string][]byte) string {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for n, b := range files {
			w, err := zw.Create(n)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(b)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), "paket.zip")
		if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	refused := []struct {
		name, tenant string
		files        map[string][]byte
		want         string
	}{
		{"missing file", "DE-NW", map[string][]byte{"nachricht.xml": doc}, "missing from the package"},
		{"unnamed file", "DE-NW", map[string][]byte{"nachricht.xml": doc, pdfName: pdf, "x.pdf": pdf}, "does not name"},
		{"zip slip", "DE-NW", map[string][]byte{"nachricht.xml": doc, pdfName: pdf, "../x.pdf": pdf}, "zip slip"},
		{"other tenant", "DE-BY", map[string][]byte{"nachricht.xml": doc, pdfName: pdf}, "names no court of DE-BY"},
		{"unknown court", "DE-NW", map[string][]byte{"nachricht.xml": []byte(strings.ReplaceAll(string(doc), "R3306", "X9999")), pdfName: pdf}, `code "X9999" is not in the code list GDS.Gerichte`},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runXJ("import", "--data", data, "--tenant", tt.tenant, mkzip(tt.files))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("import = %q, %v; want an error mentioning %q", out, err, tt.want)
			}
		})
	}
	db := mustOpenStore(t, data)
	if n := countCases(t, db, "DE-NW", "R3306"); n != 0 {
		t.Fatalf("%d cases after refused imports, want 0", n)
	}
	out, err := runXJ("import", "--data", data, "--tenant", "DE-NW", mkzip(map[string][]byte{"nachricht.xml": doc, pdfName: pdf}))
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if !strings.Contains(out, "R3306") || !strings.Contains(out, `"KB-2026-0042"`) || !strings.Contains(out, fmt.Sprintf("sha256 %x", sha256.Sum256(pdf))) {
		t.Errorf("import printed %q", out)
	}
	cs, err := db.Cases(context.Background(), "DE-NW", akte.CaseFilter{Court: "R3306", Limit: 10})
	if err != nil || len(cs) != 1 {
		t.Fatalf("cases = %v, %v; want one", cs, err)
	}
	docs, err := db.Documents(context.Background(), "DE-NW", cs[0].ID)
	if err != nil || len(docs) != 1 || docs[0].Filename != pdfName || docs[0].SHA256 != sha256.Sum256(pdf) || docs[0].Class != "Klage" {
		t.Errorf("documents = %+v, %v", docs, err)
	}
	if !strings.Contains(cs[0].Subject, "KB-2026-0042") {
		t.Errorf("case subject %q does not keep the sender's Aktenzeichen", cs[0].Subject)
	}
}

// TestXJustizExportCommand imports the synthetic message, exports the case,
// validates the export with the validate command and imports it elsewhere.
func TestXJustizExportCommand(t *testing.T) {
	data := t.TempDir()
	dir, sums := mustMessageDir(t, "synthetic/minimal_uebermittlungSchriftgutobjekte_3.6.2.xml")
	out, err := runXJ("import", "--data", data, "--tenant", "DE-NW", dir)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	m := caseLineRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("import printed %q", out)
	}
	zipPath := filepath.Join(t.TempDir(), "export.zip")
	if out, err := runXJ("export", "--data", data, "--case", m[1], "--version", "3.6.2", "--out", zipPath); err != nil || !strings.Contains(out, "1 files") {
		t.Fatalf("export = %q, %v", out, err)
	}
	if _, err := runXJ("export", "--data", data, "--case", m[1], "--version", "2.4.0", "--out", zipPath+".x"); err == nil {
		t.Error("export as 2.4.0 succeeded")
	}
	if _, err := os.Stat(zipPath + ".x"); !os.IsNotExist(err) {
		t.Errorf("a failed export left %s behind", zipPath+".x")
	}
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	xdir := t.TempDir()
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(rc)
		rc.Close()
		if err := os.WriteFile(filepath.Join(xdir, f.Name), buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		if f.Name != "nachricht.xml" {
			if sum, ok := sums[f.Name]; !ok || sum != sha256.Sum256(buf.Bytes()) {
				t.Errorf("exported file %s does not match the imported one", f.Name)
			}
		}
	}
	zr.Close()
	if out, err := runXJ("validate", filepath.Join(xdir, "nachricht.xml")); err != nil || !strings.HasSuffix(out, ": OK\n") {
		t.Errorf("validate export = %q, %v", out, err)
	}
	out, err = runXJ("import", "--data", t.TempDir(), "--tenant", "DE-NW", zipPath)
	if err != nil || !strings.Contains(out, "R3306") {
		t.Errorf("import of the export = %q, %v", out, err)
	}
}

// TestXJustizImportCourt: the court comes from the message when it is the
// tenant's; otherwise the import says why and what to give.
func TestXJustizImportCourt(t *testing.T) {
	dir, _ := mustMessageDir(t, "valid/xjustiz_nachricht_abs_sonst_empf_sg_v3_2.xml") // Sozialgericht München, D6260
	tests := []struct {
		name string
		args []string
		want string // in the error; "" for success
	}{
		{"other Land", []string{"--tenant", "DE-BE"}, "the message names no court of DE-BE (recipient and Instanzbehörde: [D6260 (DE-BY)]); give one (--court)"},
		{"no Registerzeichen", []string{"--tenant", "DE-BY"}, "no Registerzeichen for a Sozialgericht is known; give one (--register)"},
		{"court of another Land", []string{"--tenant", "DE-BY", "--court", "F1101"}, "court F1101 belongs to DE-BE, not DE-BY"},
		{"unknown court", []string{"--tenant", "DE-BY", "--court", "Q0000"}, `unknown court id "Q0000"`},
		{"with --register", []string{"--tenant", "DE-BY", "--register", "BZR"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := t.TempDir()
			out, err := runXJ(append(append([]string{"import", "--data", data}, tt.args...), dir)...)
			if tt.want == "" {
				if err != nil || !strings.Contains(out, ", D6260 1 BZR 1/") {
					t.Errorf("import = %q, %v; want a case at D6260 with BZR", out, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("import = %q, %v; want an error with %q", out, err, tt.want)
			}
			if n := countCases(t, mustOpenStore(t, data), "DE-BY", ""); n != 0 {
				t.Errorf("%d cases after a refused import", n)
			}
		})
	}
}
