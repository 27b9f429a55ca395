// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/identity"
	"justizcloud/login"
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

// demoUser is an account of the demo login (serve --demo on a loopback
// address): fixed IDs, so that seeding is idempotent.
type demoUser struct {
	user  identity.User
	label string
}

var demoUsers = []demoUser{
	{identity.User{ID: "usr_demo_erika", Role: authz.Buerger, Name: "Erika Mustermann", Email: "erika.mustermann@demo.invalid"}, "Erika Mustermann – Bürgerin, Klägerin"},
	{identity.User{ID: "usr_demo_max", Role: authz.Buerger, Name: "Max Beispiel", Email: "max.beispiel@demo.invalid"}, "Max Beispiel – Bürger, Beklagter"},
	{identity.User{ID: "usr_demo_klug", Role: authz.Rechtsanwalt, Org: "kanzlei-klug", Name: "RAin Dr. Sabine Klug", Email: "klug@demo.invalid"}, "RAin Dr. Sabine Klug – Rechtsanwältin"},
	{identity.User{ID: "usr_demo_gs", Role: authz.Geschaeftsstelle, Tenant: "DE-BY", Court: "D2601", Name: "Geschäftsstelle Abt. 12 (Demo)"}, "Geschäftsstelle – Amtsgericht München"},
	{identity.User{ID: "usr_demo_richterin", Role: authz.Richter, Tenant: "DE-BY", Court: "D2601", Name: "Richterin am AG Dr. Weber (Demo)"}, "Richterin Dr. Weber – Amtsgericht München"},
	{identity.User{ID: "usr_demo_admin", Role: authz.Landesadmin, Tenant: "DE-BY", Name: "Landesadmin Bayern (Demo)"}, "Landesadmin – Bayern"},
}

// seedDemoUsers creates the demo accounts (once) and returns them for the
// login page. The first demo proceeding gets Erika Mustermann and Max
// Beispiel as its parties, linked to their accounts, when it has none.
func seedDemoUsers(ctx context.Context, db *sqlstore.DB, svc *akte.Service) ([]login.DemoAccount, error) {
	var out []login.DemoAccount
	for _, d := range demoUsers {
		u := d.user
		u.CreatedAt = time.Now().UTC()
		if err := db.CreateUser(ctx, u); err != nil && !errors.Is(err, errs.ErrConflict) {
			return nil, fmt.Errorf("demo accounts: %w", err)
		}
		out = append(out, login.DemoAccount{User: u.ID, Label: d.label})
	}
	first := demoCases[0]
	cs, err := db.Cases(ctx, first.tenant, akte.CaseFilter{Court: first.court, Limit: 1})
	if err != nil || len(cs) == 0 {
		return out, err
	}
	sub := authz.Subject{ID: "demo", Tenant: first.tenant, Role: authz.Landesadmin}
	if ps, err := svc.Participants(ctx, sub, cs[0].ID); err != nil || len(ps) > 0 {
		return out, err
	}
	for _, p := range []akte.NewParticipant{
		{Role: "klaeger", Name: "Erika Mustermann", Address: "Musterstraße 1, 80331 München", Account: authz.UserRef("usr_demo_erika")},
		{Role: "beklagter", Name: "Max Beispiel", Address: "Beispielweg 2, 80333 München", Account: authz.UserRef("usr_demo_max")},
	} {
		if _, err := svc.AddParticipant(ctx, sub, cs[0].ID, p); err != nil {
			return nil, fmt.Errorf("demo parties: %w", err)
		}
	}
	return out, nil
}

// loopback reports whether a listener accepts only local connections: the
// demo login, which needs no password, is offered only then.
func loopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}
