// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package pdfdoc

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func sample() Document {
	return Document{
		Sender: "Amtsgericht München",
		Title:  "Klage im zivilgerichtlichen Online-Verfahren",
		Meta:   []Pair{{"Aktenzeichen", "12 C 345/26"}, {"Eingang", "27.11.2026, 14:03 Uhr"}},
		Blocks: []Block{
			{Heading: "Parteien"},
			{Pairs: []Pair{{"Klägerin", "Erika Mustermann, Musterstraße 1, 80331 München"}, {"Beklagter", "Łukasz Nowak-Ørsted, Čapkova 7, 602 00 Brno"}}},
			{Heading: "Antrag"},
			{Paragraph: "Der Beklagte wird verurteilt, an die Klägerin 1.234,56 € nebst Zinsen in Höhe von fünf Prozentpunkten über dem Basiszinssatz seit dem 1. Oktober 2026 zu zahlen.\n\nDie Klägerin beantragt, das Verfahren „schriftlich“ zu führen."},
			{Table: &Table{Header: []string{"Datei", "Größe", "SHA-256"}, Rows: [][]string{{"rechnung.pdf", "12 KB", strings.Repeat("ab", 32)}}, Widths: []float64{2, 1, 5}}},
			{List: []string{"Rechnung vom 1. September 2026", "Mahnung vom 15. September 2026"}},
			{Note: "Diese Eingangsbestätigung wurde maschinell erstellt."},
		},
		Footer: "Justizcloud – Eingangsbestätigung",
		Date:   time.Date(2026, 11, 27, 14, 3, 0, 0, time.UTC),
	}
}

// TestRenderIsSearchableAndDeterministic: the text comes back out with
// pdftotext (umlauts, €, typographic quotes, names in other Latin scripts),
// and the same document gives the same bytes.
func TestRenderIsSearchableAndDeterministic(t *testing.T) {
	a, err := Bytes(sample())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Bytes(sample())
	if !bytes.Equal(a, b) {
		t.Error("two renderings of the same document differ")
	}
	if !bytes.HasPrefix(a, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", a[:8])
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext not installed (scripts/deps.sh installs poppler-utils)")
		}
		t.Skip("pdftotext not installed (scripts/deps.sh installs poppler-utils)")
	}
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(a)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(out)
	for _, want := range []string{"Amtsgericht München", "12 C 345/26", "Łukasz Nowak-Ørsted", "Čapkova", "1.234,56 €", "„schriftlich“", "Basiszinssatz", "rechnung.pdf", "Seite 1 von 1", "Mahnung vom 15. September 2026"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext output lacks %q:\n%s", want, text)
		}
	}
}

func TestRenderRefusesWhatItCannotPrint(t *testing.T) {
	for name, d := range map[string]Document{
		"invalid UTF-8":    {Title: "Klage \xff"},
		"CJK":              {Title: "Klage", Blocks: []Block{{Paragraph: "山田太郎"}}},
		"emoji in a table": {Title: "x", Blocks: []Block{{Table: &Table{Header: []string{"a"}, Rows: [][]string{{"🙂"}}}}}},
	} {
		if _, err := Bytes(d); err == nil {
			t.Errorf("%s: rendered without error", name)
		}
	}
}

func TestLongDocumentBreaksPages(t *testing.T) {
	d := Document{Title: "Lang", Footer: "f"}
	for range 200 {
		d.Blocks = append(d.Blocks, Block{Paragraph: strings.Repeat("Wort ", 60)})
	}
	pdf, err := Bytes(d)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(pdf, []byte("/Type /Page\n")); n < 10 {
		t.Errorf("%d pages for 200 long paragraphs", n)
	}
}
