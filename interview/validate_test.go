// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package interview

import (
	"strings"
	"testing"
)

// typesDef has one field of every type, all on page felder.
const typesDef = `name: typen
title: Typen
procedure: zivil-online
pages:
  - id: felder
    title: Felder
    fields:
      - {id: text, label: Text, type: text, max_length: 10}
      - {id: plz, label: PLZ, type: text, pattern: '[0-9]{5}', messages: {pattern: Bitte geben Sie eine fünfstellige Postleitzahl an.}}
      - {id: lang, label: Lang, type: textarea, min_length: 5, max_length: 20}
      - {id: zahl, label: Zahl, type: number, min: 0, max: 1000}
      - {id: betrag, label: Betrag, type: money, min: "0,01", max: "10.000,00"}
      - {id: vergangen, label: Vergangen, type: date, date: past}
      - {id: kuenftig, label: Künftig, type: date, date: future}
      - {id: email, label: E-Mail, type: email}
      - {id: iban, label: IBAN, type: iban}
      - {id: auswahl, label: Auswahl, type: select, options: [{value: eins, label: Eins}, {value: zwei, label: Zwei}]}
      - {id: radio, label: Radio, type: radio, options: [{value: ja, label: Ja}, {value: nein, label: Nein}]}
      - {id: haken, label: Haken, type: checkbox}
      - {id: pflichthaken, label: Pflichthaken, type: checkbox, required: true}
      - {id: flughafen, label: Flughafen, type: airport}
      - {id: gericht, label: Gericht, type: court, required: true}
      - {id: pflicht, label: Pflicht, type: money, required: true}
      - {id: datei, label: Datei, type: file, accept: [application/pdf, image/png], max_size: 1 MB, max_files: 2}
output:
  register: C
  subject: Test
  court: gericht
  participants:
    - {role: klaeger, name: "{text}"}
    - {role: beklagter, name: "{text}"}
`

// validBase are values that make page felder valid, to vary one at a time.
var validBase = map[string]string{"pflichthaken": "on", "gericht": "D2601", "pflicht": "1"}

func TestValidateFields(t *testing.T) {
	src := strings.Replace(typesDef, `name: "{text}"}`, `name: "{pflicht}"}`, 2)
	d := mustLoad(t, src)
	tests := []struct {
		field, input string
		want         string // canonical value; "" with msg == "": no answer
		msg          string // German message
	}{
		{"text", "  Hallo  ", "Hallo", ""},
		{"text", "Zehn Zeich", "Zehn Zeich", ""},
		{"text", "Elf Zeichen", "", "Bitte geben Sie höchstens 10 Zeichen ein (jetzt 11)."},
		{"text", "a\x00b", "", "Die Eingabe enthält Zeichen, die nicht erlaubt sind."},
		{"text", "a\nb", "", "Die Eingabe enthält Zeichen, die nicht erlaubt sind."},
		{"text", "\xff", "", "Die Eingabe enthält Zeichen, die nicht erlaubt sind."},
		{"text", "", "", ""},
		{"plz", "10115", "10115", ""},
		{"plz", "1011", "", "Bitte geben Sie eine fünfstellige Postleitzahl an."},
		{"plz", "10115x", "", "Bitte geben Sie eine fünfstellige Postleitzahl an."},
		{"lang", "Zeile 1\r\nZeile 2", "Zeile 1\nZeile 2", ""},
		{"lang", "kurz", "", "Bitte geben Sie mindestens 5 Zeichen ein."},
		{"lang", "äöüßäöüßäöüßäöüßäöüß", "äöüßäöüßäöüßäöüßäöüß", ""}, // 20 characters, 40 bytes
		{"zahl", "42", "42", ""},
		{"zahl", "1.000", "1000", ""},
		{"zahl", "1.001", "", "Die Zahl darf höchstens 1.000 sein."},
		{"zahl", "-1", "", "Die Zahl muss mindestens 0 sein."},
		{"zahl", "1,5", "", "Bitte geben Sie eine ganze Zahl an, zum Beispiel 3."},
		{"zahl", "99999999999999999999", "", "Bitte geben Sie eine ganze Zahl an, zum Beispiel 3."},
		{"betrag", "1.234,56", "123456", ""},
		{"betrag", "1234,5", "123450", ""},
		{"betrag", "1234.56", "123456", ""},
		{"betrag", "1.234", "123400", ""},
		{"betrag", "1234 €", "123400", ""},
		{"betrag", "EUR 99,99", "9999", ""},
		{"betrag", "10.000,00", "1000000", ""},
		{"betrag", "10.000,01", "", "Der Betrag darf 10.000,00 € nicht übersteigen."},
		{"betrag", "0", "", "Der Betrag muss mindestens 0,01 € betragen."},
		{"betrag", "-5", "", "Bitte geben Sie einen Betrag in Euro an, zum Beispiel 1.250,00."},
		{"betrag", "12,345", "", "Bitte geben Sie einen Betrag in Euro an, zum Beispiel 1.250,00."},
		{"betrag", "1.23.4", "", "Bitte geben Sie einen Betrag in Euro an, zum Beispiel 1.250,00."},
		{"betrag", "zehn", "", "Bitte geben Sie einen Betrag in Euro an, zum Beispiel 1.250,00."},
		{"vergangen", "14.03.2026", "2026-03-14", ""},
		{"vergangen", "15.03.2026", "2026-03-15", ""}, // today counts as past
		{"vergangen", "2026-03-16", "", "Das Datum darf nicht in der Zukunft liegen."},
		{"vergangen", "30.02.2026", "", "Bitte geben Sie ein gültiges Datum im Format TT.MM.JJJJ an, zum Beispiel 24.12.2025."},
		{"vergangen", "1.3.26", "", "Bitte geben Sie ein gültiges Datum im Format TT.MM.JJJJ an, zum Beispiel 24.12.2025."},
		{"kuenftig", "1.4.2026", "2026-04-01", ""},
		{"kuenftig", "14.03.2026", "", "Das Datum darf nicht in der Vergangenheit liegen."},
		{"email", "name@beispiel.de", "name@beispiel.de", ""},
		{"email", "Name <name@beispiel.de>", "", "Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@beispiel.de."},
		{"email", "name@localhost", "", "Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@beispiel.de."},
		{"email", "kein-at", "", "Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@beispiel.de."},
		{"iban", "DE02 1203 0000 0000 2020 51", "DE02120300000000202051", ""},
		{"iban", "de02120300000000202051", "DE02120300000000202051", ""},
		{"iban", "DE03 1203 0000 0000 2020 51", "", "Die IBAN ist nicht gültig. Bitte prüfen Sie die Eingabe."},
		{"iban", "DE02 1203 0000 0000 2020 5", "", "Bitte geben Sie eine gültige IBAN an, zum Beispiel DE02 1203 0000 0000 2020 51."},
		{"iban", "12345", "", "Bitte geben Sie eine gültige IBAN an, zum Beispiel DE02 1203 0000 0000 2020 51."},
		{"auswahl", "zwei", "zwei", ""},
		{"auswahl", "drei", "", "Bitte wählen Sie eine der angebotenen Antworten aus."},
		{"radio", "ja", "ja", ""},
		{"radio", "Ja", "", "Bitte wählen Sie eine der angebotenen Antworten aus."},
		{"haken", "on", "true", ""},
		{"haken", "", "false", ""},
		{"pflichthaken", "", "", "Bitte bestätigen Sie dies, um fortzufahren."},
		{"flughafen", "fra", "FRA", ""},
		{"flughafen", "Flughafen Frankfurt am Main (FRA)", "FRA", ""},
		{"flughafen", "XYZ", "", "Den Flughafen „XYZ“ kennen wir nicht. Bitte wählen Sie einen Flughafen aus der Liste aus."},
		{"flughafen", "Frankfurt", "", "Bitte geben Sie den Flughafen mit seinem dreistelligen IATA-Code an, zum Beispiel FRA für Frankfurt am Main."},
		{"gericht", "R3306", "R3306", ""},
		{"gericht", "R3306G", "", "Bitte wählen Sie ein Amtsgericht aus der Liste aus."}, // Grundbuchamt
		{"gericht", "F1105", "", "Bitte wählen Sie ein Amtsgericht aus der Liste aus."},  // dissolved
		{"gericht", "M1200", "", "Bitte wählen Sie ein Amtsgericht aus der Liste aus."},  // Landgericht Frankfurt
		{"gericht", "", "", "Bitte wählen Sie ein Amtsgericht aus."},
		{"pflicht", " ", "", "Bitte geben Sie einen Betrag an."},
	}
	for _, tt := range tests {
		t.Run(tt.field+"="+tt.input, func(t *testing.T) {
			vals := map[string][]string{}
			for k, v := range validBase {
				vals[k] = []string{v}
			}
			vals[tt.field] = []string{tt.input}
			prev := Answers{tt.field: {Value: "alt"}}
			a, problems := d.Validate("felder", prev, Form{Values: vals, Now: now})
			var msg string
			for _, p := range problems {
				if p.Field == tt.field {
					msg = p.Message
					if p.Entered != tt.input {
						t.Errorf("Entered = %q, want the input %q kept", p.Entered, tt.input)
					}
					if p.Page != "felder" || p.Label == "" {
						t.Errorf("FieldError = %+v, want page and label", p)
					}
				} else {
					t.Errorf("unexpected problem %+v", p)
				}
			}
			if msg != tt.msg {
				t.Errorf("message = %q, want %q", msg, tt.msg)
			}
			got, has := a[tt.field]
			if tt.want == "" && has {
				t.Errorf("answer = %q, want none", got.Value)
			}
			if tt.want != "" && got.Value != tt.want {
				t.Errorf("answer = %q, want %q", got.Value, tt.want)
			}
			if prev[tt.field].Value != "alt" {
				t.Error("Validate modified prev")
			}
		})
	}
}

func TestValidateFiles(t *testing.T) {
	src := strings.Replace(typesDef, `name: "{text}"}`, `name: "{pflicht}"}`, 2)
	d := mustLoad(t, src)
	base := map[string][]string{"pflichthaken": {"on"}, "gericht": {"D2601"}, "pflicht": {"1"}}
	up := func(name, ct string, size int64) Upload {
		return Upload{Ref: "r-" + name, Name: name, ContentType: ct, Size: size}
	}
	tests := []struct {
		name  string
		prev  []Upload
		files []Upload
		want  int // files in the answer
		msg   string
	}{
		{"none", nil, nil, 0, ""},
		{"one pdf", nil, []Upload{up("a.pdf", "application/pdf", 100)}, 1, ""},
		{"added to previous", []Upload{up("a.pdf", "application/pdf", 100)}, []Upload{up("b.png", "image/png", 1<<20)}, 2, ""},
		{"kept without upload", []Upload{up("a.pdf", "application/pdf", 100)}, nil, 1, ""},
		{"empty", nil, []Upload{up("leer.pdf", "application/pdf", 0)}, 0, "Die Datei „leer.pdf“ ist leer."},
		{"too large", nil, []Upload{up("gross.pdf", "application/pdf", 1<<20+1)}, 0, "Die Datei „gross.pdf“ ist zu groß. Erlaubt sind höchstens 1 MB je Datei."},
		{"wrong type", nil, []Upload{up("a.exe", "application/x-msdownload", 10)}, 0, "Die Datei „a.exe“ hat ein Format, das nicht erlaubt ist. Erlaubt sind: PDF, PNG."},
		{"too many", []Upload{up("a.pdf", "application/pdf", 1), up("b.pdf", "application/pdf", 1)}, []Upload{up("c.pdf", "application/pdf", 1)}, 0, "Bitte laden Sie höchstens 2 Dateien hoch."},
		{"path in name", nil, []Upload{up("../etc/passwd", "application/pdf", 1)}, 0, "Der Dateiname ist ungültig. Bitte benennen Sie die Datei um und laden Sie sie erneut hoch."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prev := Answers{}
			if tt.prev != nil {
				prev["datei"] = Answer{Files: tt.prev}
			}
			a, problems := d.Validate("felder", prev, Form{Values: base, Files: map[string][]Upload{"datei": tt.files}, Now: now})
			msg := ""
			if len(problems) > 0 {
				msg = problems[0].Message
			}
			if msg != tt.msg || len(a["datei"].Files) != tt.want {
				t.Errorf("Validate = %d files, %q; want %d, %q", len(a["datei"].Files), msg, tt.want, tt.msg)
			}
		})
	}
	a := Answers{"datei": {Files: []Upload{up("a.pdf", "application/pdf", 1), up("b.pdf", "application/pdf", 1)}}}
	if got := a.RemoveFile("datei", "r-a.pdf"); len(got["datei"].Files) != 1 || got["datei"].Files[0].Name != "b.pdf" || len(a["datei"].Files) != 2 {
		t.Errorf("RemoveFile = %+v", got)
	}
	if got := a.RemoveFile("datei", "r-a.pdf").RemoveFile("datei", "r-b.pdf"); len(got) != 0 {
		t.Errorf("RemoveFile of the last file left %+v", got)
	}
}

func TestDisplay(t *testing.T) {
	d := mustLoad(t, strings.Replace(typesDef, `name: "{text}"}`, `name: "{pflicht}"}`, 2))
	tests := []struct{ id, v, want string }{
		{"betrag", "123456", "1.234,56 €"},
		{"zahl", "1000", "1.000"},
		{"vergangen", "2026-03-01", "01.03.2026"},
		{"haken", "true", "Ja"},
		{"haken", "false", "Nein"},
		{"auswahl", "zwei", "Zwei"},
		{"iban", "DE02120300000000202051", "DE02 1203 0000 0000 2020 51"},
		{"gericht", "D2601", "Amtsgericht München"},
		{"flughafen", "MUC", "Flughafen München (MUC)"},
		{"text", "x", "x"},
		{"unbekannt", "x", "x"},
	}
	for _, tt := range tests {
		if got := d.Display(tt.id, tt.v); got != tt.want {
			t.Errorf("Display(%s, %q) = %q, want %q", tt.id, tt.v, got, tt.want)
		}
	}
}

// The display form of an answer is accepted as input again, so a page can
// prefill its text inputs with Display.
func TestDisplayIsInput(t *testing.T) {
	d := mustLoad(t, strings.Replace(typesDef, `name: "{text}"}`, `name: "{pflicht}"}`, 2))
	for id, v := range map[string]string{"betrag": "123456", "zahl": "1000", "vergangen": "2026-03-01",
		"iban": "DE02120300000000202051", "flughafen": "MUC", "text": "x", "email": "a@b.de"} {
		vals := map[string][]string{"pflichthaken": {"on"}, "gericht": {"D2601"}, "pflicht": {"1"}, id: {d.Display(id, v)}}
		a, problems := d.Validate("felder", Answers{}, Form{Values: vals, Now: now})
		if len(problems) > 0 || a[id].Value != v {
			t.Errorf("Validate(Display(%s, %q) = %q) = %q, %+v", id, v, d.Display(id, v), a[id].Value, problems)
		}
	}
}
