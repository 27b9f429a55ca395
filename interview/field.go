// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package interview

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"justizcloud/tenancy"
)

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

func or(override, def string) string {
	if override != "" {
		return override
	}
	return def
}

var requiredMsg = map[Type]string{
	Text: "Bitte füllen Sie dieses Feld aus.", Textarea: "Bitte füllen Sie dieses Feld aus.",
	Number: "Bitte geben Sie eine Zahl an.", Money: "Bitte geben Sie einen Betrag an.",
	Date: "Bitte geben Sie ein Datum an.", Email: "Bitte geben Sie eine E-Mail-Adresse an.",
	IBAN: "Bitte geben Sie eine IBAN an.", Select: "Bitte wählen Sie eine Antwort aus.",
	Radio: "Bitte wählen Sie eine Antwort aus.", Checkbox: "Bitte bestätigen Sie dies, um fortzufahren.",
	File: "Bitte laden Sie eine Datei hoch.", Court: "Bitte wählen Sie ein Amtsgericht aus.",
	Airport: "Bitte geben Sie einen Flughafen an.",
}

var formatMsg = map[Type]string{
	Text: "Die Eingabe enthält Zeichen, die nicht erlaubt sind.", Textarea: "Die Eingabe enthält Zeichen, die nicht erlaubt sind.",
	Number: "Bitte geben Sie eine ganze Zahl an, zum Beispiel 3.",
	Money:  "Bitte geben Sie einen Betrag in Euro an, zum Beispiel 1.250,00.",
	Date:   "Bitte geben Sie ein gültiges Datum im Format TT.MM.JJJJ an, zum Beispiel 24.12.2025.",
	Email:  "Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@beispiel.de.",
	IBAN:   "Bitte geben Sie eine gültige IBAN an, zum Beispiel DE02 1203 0000 0000 2020 51.",
	Select: "Bitte wählen Sie eine der angebotenen Antworten aus.", Radio: "Bitte wählen Sie eine der angebotenen Antworten aus.",
	Court:   "Bitte wählen Sie ein Amtsgericht aus der Liste aus.",
	Airport: "Bitte geben Sie den Flughafen mit seinem dreistelligen IATA-Code an, zum Beispiel FRA für Frankfurt am Main.",
}

// parse parses one field of a posted form. It returns the answer (nil: no
// answer), a German message if the input is not acceptable, and the input
// to show again.
func (d *Definition) parse(f *Field, prev Answer, form Form, today time.Time) (*Answer, string, string) {
	m := f.Messages
	if f.Type == File {
		return parseFiles(f, prev, form.Files[f.ID])
	}
	raw := first(form.Values[f.ID])
	if f.Type == Checkbox {
		switch strings.ToLower(strings.TrimSpace(raw)) {
		case "true", "on", "ja", "1", "yes":
			return &Answer{Value: "true"}, "", raw
		}
		if f.Required {
			return nil, or(m.Required, requiredMsg[Checkbox]), raw
		}
		return &Answer{Value: "false"}, "", raw
	}
	if len(raw) > 4*maxTextLimit {
		return nil, or(m.Max, "Die Eingabe ist zu lang."), ""
	}
	if strings.TrimSpace(raw) == "" {
		if f.Required {
			return nil, or(m.Required, requiredMsg[f.Type]), raw
		}
		return nil, "", raw
	}
	bad := func() (*Answer, string, string) { return nil, or(m.Format, formatMsg[f.Type]), raw }
	var v string
	switch f.Type {
	case Text, Textarea:
		s, ok := cleanText(raw, f.Type == Textarea)
		if !ok {
			return bad()
		}
		n := utf8.RuneCountInString(s)
		if f.MaxLength > 0 && n > f.MaxLength {
			return nil, or(m.Max, fmt.Sprintf("Bitte geben Sie höchstens %d Zeichen ein (jetzt %d).", f.MaxLength, n)), raw
		}
		if n < f.MinLength {
			return nil, or(m.Min, fmt.Sprintf("Bitte geben Sie mindestens %d Zeichen ein.", f.MinLength)), raw
		}
		if f.Pattern != nil && !f.Pattern.MatchString(s) {
			return nil, or(m.Pattern, "Die Eingabe hat nicht das erwartete Format."), raw
		}
		v = s
	case Number, Money:
		var n int64
		var ok bool
		if f.Type == Money {
			n, ok = parseMoney(raw)
		} else {
			n, ok = parseNumber(raw)
		}
		if !ok {
			return bad()
		}
		if msg := boundMsg(f, n); msg != "" {
			return nil, msg, raw
		}
		v = strconv.FormatInt(n, 10)
	case Date:
		t, ok := parseDate(raw)
		if !ok {
			return bad()
		}
		switch {
		case f.DateRule == "past" && t.After(today):
			return nil, or(m.Max, "Das Datum darf nicht in der Zukunft liegen."), raw
		case f.DateRule == "future" && t.Before(today):
			return nil, or(m.Min, "Das Datum darf nicht in der Vergangenheit liegen."), raw
		}
		v = t.Format(time.DateOnly)
	case Email:
		s, ok := parseEmail(raw)
		if !ok {
			return bad()
		}
		v = s
	case IBAN:
		s, form, check := parseIBAN(raw)
		if !form {
			return bad()
		}
		if !check {
			return nil, or(m.Format, "Die IBAN ist nicht gültig. Bitte prüfen Sie die Eingabe."), raw
		}
		v = s
	case Select, Radio:
		s := strings.TrimSpace(raw)
		if !slices.ContainsFunc(f.Options, func(o Option) bool { return o.Value == s }) {
			return bad()
		}
		v = s
	case Court:
		s := strings.TrimSpace(raw)
		if d.courts == nil {
			return bad()
		}
		if _, ok := d.courts.Court(tenancy.CourtID(s)); !ok {
			return bad()
		}
		v = s
	case Airport:
		a, ok := parseAirport(raw)
		if !ok {
			if s := strings.TrimSpace(raw); len(s) == 3 && utf8.ValidString(s) {
				return nil, or(m.Format, fmt.Sprintf("Den Flughafen „%s“ kennen wir nicht. Bitte wählen Sie einen Flughafen aus der Liste aus.", strings.ToUpper(s))), raw
			}
			return bad()
		}
		v = a.IATA
	default:
		return bad()
	}
	return &Answer{Value: v}, "", raw
}

func boundMsg(f *Field, n int64) string {
	show := func(v int64) string {
		if f.Type == Money {
			return kostenString(v)
		}
		return groupThousands(v)
	}
	switch {
	case f.Min != nil && n < *f.Min:
		if f.Type == Money {
			return or(f.Messages.Min, fmt.Sprintf("Der Betrag muss mindestens %s betragen.", show(*f.Min)))
		}
		return or(f.Messages.Min, fmt.Sprintf("Die Zahl muss mindestens %s sein.", show(*f.Min)))
	case f.Max != nil && n > *f.Max:
		if f.Type == Money {
			return or(f.Messages.Max, fmt.Sprintf("Der Betrag darf %s nicht übersteigen.", show(*f.Max)))
		}
		return or(f.Messages.Max, fmt.Sprintf("Die Zahl darf höchstens %s sein.", show(*f.Max)))
	}
	return ""
}

// parseFiles adds new uploads to the files already given.
func parseFiles(f *Field, prev Answer, uploads []Upload) (*Answer, string, string) {
	files := slices.Clone(prev.Files)
	for _, u := range uploads {
		name := u.Name
		switch {
		case name == "" || strings.ContainsAny(name, `/\`) || !utf8.ValidString(name) || utf8.RuneCountInString(name) > 255:
			return nil, "Der Dateiname ist ungültig. Bitte benennen Sie die Datei um und laden Sie sie erneut hoch.", ""
		case u.Size <= 0:
			return nil, fmt.Sprintf("Die Datei „%s“ ist leer.", name), ""
		case u.Size > f.MaxSize:
			return nil, fmt.Sprintf("Die Datei „%s“ ist zu groß. Erlaubt sind höchstens %s je Datei.", name, humanSize(f.MaxSize)), ""
		case !slices.Contains(f.Accept, u.ContentType):
			allowed := make([]string, len(f.Accept))
			for i, ct := range f.Accept {
				allowed[i] = typeName(ct)
			}
			return nil, fmt.Sprintf("Die Datei „%s“ hat ein Format, das nicht erlaubt ist. Erlaubt sind: %s.", name, strings.Join(allowed, ", ")), ""
		case u.Ref == "":
			return nil, fmt.Sprintf("Die Datei „%s“ konnte nicht gespeichert werden. Bitte laden Sie sie erneut hoch.", name), ""
		}
		files = append(files, u)
	}
	if len(files) > f.MaxFiles {
		if f.MaxFiles == 1 {
			return nil, "Bitte laden Sie nur eine Datei hoch.", ""
		}
		return nil, fmt.Sprintf("Bitte laden Sie höchstens %d Dateien hoch.", f.MaxFiles), ""
	}
	if len(files) == 0 {
		if f.Required {
			return nil, or(f.Messages.Required, requiredMsg[File]), ""
		}
		return nil, "", ""
	}
	return &Answer{Files: files}, "", ""
}
