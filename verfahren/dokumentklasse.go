// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren

import (
	"embed"
	"encoding/json"
	"fmt"

	"justizcloud/errs"
)

// codelistFS holds an unmodified copy of the XJustiz code list
// GDS.Dokumentklasse 1.4; codelist/README.md names its source.
//
//go:embed codelist/GDS.Dokumentklasse_1.4.json
var codelistFS embed.FS

const dokumentklasseFile = "codelist/GDS.Dokumentklasse_1.4.json"

// DocumentClass is one entry of the XJustiz code list GDS.Dokumentklasse.
type DocumentClass struct {
	Code        string // e.g. "006"
	Value       string // e.g. "Urteil"
	Description string
}

// DocumentClasses returns the entries of the embedded GDS.Dokumentklasse 1.4
// code list in list order. It parses the embedded file on every call, so the
// result is the caller's to keep.
func DocumentClasses() ([]DocumentClass, error) {
	data, err := codelistFS.ReadFile(dokumentklasseFile)
	if err != nil {
		return nil, fmt.Errorf("verfahren: document classes: %w", err)
	}
	var list struct {
		Spalten []struct {
			Name string `json:"spaltennameTechnisch"`
		} `json:"spalten"`
		Daten [][]string `json:"daten"`
	}
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("verfahren: document classes: %w: %w", err, errs.ErrInvalid)
	}
	if len(list.Spalten) < 2 || list.Spalten[0].Name != "code" || list.Spalten[1].Name != "wert" {
		return nil, fmt.Errorf("verfahren: document classes: unexpected columns: %w", errs.ErrInvalid)
	}
	out := make([]DocumentClass, 0, len(list.Daten))
	for _, row := range list.Daten {
		if len(row) < 2 {
			return nil, fmt.Errorf("verfahren: document classes: short row %q: %w", row, errs.ErrInvalid)
		}
		c := DocumentClass{Code: row[0], Value: row[1]}
		if len(row) > 2 {
			c.Description = row[2]
		}
		out = append(out, c)
	}
	return out, nil
}

// DocumentClassCode maps the readable document class names used in the
// definition files and the UI to GDS.Dokumentklasse 1.4 codes:
//
//	Klage, Antrag        003 Klage / Antrag (also the filing of a Rechtsmittel)
//	Schriftsatz          015 Schreiben (a party's submission that is neither Klage/Antrag nor Einspruch of an authority)
//	Urteil               006 Urteil
//	Beschluss            007 Beschluss
//	Verfuegung           008 Verfügung
//	Protokoll            010 Protokoll
//	Zustellungsnachweis  012 Zustellungsdokument
//	Anlage               001 Andere / Sonstige
//
// Version 1.4 of the list removed the value "Anlage": XJustiz now marks an
// attachment by a reference of type 002 "Anlage" (GDS.Verweistyp) from the
// main document, so an Anlage on its own is class 001.
func DocumentClassCode(name string) (string, bool) {
	switch name {
	case "Klage", "Antrag":
		return "003", true
	case "Schriftsatz":
		return "015", true
	case "Urteil":
		return "006", true
	case "Beschluss":
		return "007", true
	case "Verfuegung":
		return "008", true
	case "Protokoll":
		return "010", true
	case "Zustellungsnachweis":
		return "012", true
	case "Anlage":
		return "001", true
	}
	return "", false
}

// documentClassName returns the readable name of a code for messages, or the
// code itself.
func documentClassName(code string) string {
	for _, n := range []string{"Klage", "Schriftsatz", "Urteil", "Beschluss", "Verfuegung", "Protokoll", "Zustellungsnachweis", "Anlage"} {
		if c, _ := DocumentClassCode(n); c == code {
			return n + " (" + code + ")"
		}
	}
	return code
}

// normalizeDocumentClass turns a readable name into its code and leaves
// anything else (a code, or an unknown string) as it is.
func normalizeDocumentClass(s string) string {
	if c, ok := DocumentClassCode(s); ok {
		return c
	}
	return s
}
