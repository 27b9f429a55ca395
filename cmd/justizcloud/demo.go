// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/sqlstore"
	"justizcloud/tenancy"
)

// demoCase is one proceeding of the demo data, with its documents.
type demoCase struct {
	tenant   tenancy.ID
	court    tenancy.CourtID
	register string
	dept     string
	subject  string
	docs     []demoDoc
}

type demoDoc struct {
	name, contentType, text string
}

var demoCases = []demoCase{
	{"DE-BY", "D2601", "C", "12", "Zahlungsklage: Rückzahlung eines Darlehens (1.850,00 EUR)", []demoDoc{
		{"Klageschrift.txt", "text/plain; charset=utf-8", "Klage\n\nder Frau Erika Mustermann, Musterstraße 1, 80331 München\n– Klägerin –\n\ngegen\n\nHerrn Max Beispiel, Beispielweg 2, 80333 München\n– Beklagter –\n\nwegen Forderung.\n\nIch beantrage, den Beklagten zu verurteilen, an die Klägerin 1.850,00 EUR nebst Zinsen in Höhe von fünf Prozentpunkten über dem Basiszinssatz seit Rechtshängigkeit zu zahlen.\n"},
		{"Anlage K1 Darlehensvertrag.txt", "text/plain; charset=utf-8", "Darlehensvertrag\n\nFrau Erika Mustermann gewährt Herrn Max Beispiel ein Darlehen über 1.850,00 EUR, rückzahlbar bis zum 31.03.2026.\n"},
	}},
	{"DE-BY", "D2600", "O", "3", "Schadensersatz aus Verkehrsunfall", []demoDoc{
		{"Klageschrift.txt", "text/plain; charset=utf-8", "Klage wegen Schadensersatzes aus einem Verkehrsunfall vom 14.02.2026 in München.\n"},
	}},
	{"DE-NW", "R3306", "C", "142", "Fluggastrechte: Ausgleichszahlung nach Art. 7 VO (EG) 261/2004", []demoDoc{
		{"Klageschrift.txt", "text/plain; charset=utf-8", "Klage auf Ausgleichszahlung in Höhe von 400,00 EUR wegen Verspätung des Fluges Köln/Bonn – Palma de Mallorca um mehr als drei Stunden.\n"},
	}},
	{"DE-BE", "F1112", "C", "7", "Mietsache: Rückzahlung der Mietkaution", []demoDoc{
		{"Klageschrift.txt", "text/plain; charset=utf-8", "Klage auf Rückzahlung einer Mietkaution von 2.400,00 EUR nebst Zinsen.\n"},
	}},
}

// seedDemo files the demo cases once: when the first demo tenant has no case yet.
func seedDemo(ctx context.Context, db *sqlstore.DB, svc *akte.Service, log *slog.Logger) error {
	existing, err := db.Cases(ctx, demoCases[0].tenant, akte.CaseFilter{Limit: 1})
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	if len(existing) > 0 {
		return nil
	}
	for _, dc := range demoCases {
		sub := authz.Subject{ID: "demo", Tenant: dc.tenant, Role: authz.Landesadmin}
		c, err := svc.CreateCase(ctx, sub, akte.NewCase{Court: dc.court, Register: dc.register, Department: dc.dept, Subject: dc.subject})
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		for _, d := range dc.docs {
			if _, err := svc.AddDocument(ctx, sub, akte.NewDocument{
				Case: c.ID, Filename: d.name, ContentType: d.contentType, Body: strings.NewReader(d.text),
			}); err != nil {
				return fmt.Errorf("demo data: %w", err)
			}
		}
		log.Info("demo case filed", "tenant", dc.tenant, "aktenzeichen", c.Aktenzeichen.String(), "id", c.ID)
	}
	return nil
}
