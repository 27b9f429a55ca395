// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/sqlstore"
	"justizcloud/sqlstore/pgtest"
	"justizcloud/sqlstore/storetest"
	"justizcloud/xjustiz"
	"justizcloud/xjustiz/xsd"
)

type fixture struct {
	svc *akte.Service
	v   *xjustiz.Validator
	db  *sqlstore.DB
	log sqlstore.ImportLog
	im  *xjustiz.Importer
	sub authz.Subject
}

// mustFixture wires the importer to the real backends on the database
// named by dsn (empty: SQLite), with the reference data seeded.
func mustFixture(t testing.TB, dsn string) fixture {
	t.Helper()
	b := storetest.Open(t, dsn)
	db, cat := b.DB, b.Catalog
	if err := db.SeedReference(context.Background(), cat); err != nil {
		t.Fatal(err)
	}
	svc := akte.NewService(db, b.Blobs, cat, akte.Options{DocumentClass: func(n string) bool { return n == "Klage" }})
	l := db.ImportLog()
	v, err := xjustiz.NewValidator(xsd.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	className := func(code string) string {
		if code == "003" {
			return "Klage"
		}
		return ""
	}
	return fixture{svc: svc, v: v, db: db, log: l, im: xjustiz.NewImporter(v, svc, cat, l, className),
		sub: authz.Subject{ID: "test", Tenant: "DE-NW", Role: authz.Landesadmin}}
}

const pdfName = "Klage_b5e0f7a2-1c3d-4e5f-8a9b-0c1d2e3f4a5b.pdf"

func mustMessage(t *testing.T) []byte {
	t.Helper()
	doc, err := os.ReadFile("testdata/samples/synthetic/minimal_uebermittlungSchriftgutobjekte_3.6.2.xml")
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestImportSQLite(t *testing.T) {
	testImport(t, "")
}

func TestImportPostgres(t *testing.T) {
	testImport(t, pgtest.DSN(t))
}

func testImport(t *testing.T, dsn string) {
	f := mustFixture(t, dsn)
	ctx := context.Background()
	msg := mustMessage(t)
	pdf := []byte("%PDF-1.4 Klage")

	// Refused before anything is stored: no case, no claim.
	_, err := f.im.Import(ctx, f.sub, xjustiz.NewPackage("m.xml", msg, nil), xjustiz.ImportOptions{})
	if !errors.Is(err, errs.ErrInvalid) || !strings.Contains(err.Error(), "missing from the package") {
		t.Fatalf("import without its file: %v", err)
	}
	if _, err := f.log.Lookup(ctx, "DE-NW", "3f1c2a9e-6b7d-4c1e-9a55-0d2e8b7f4c11"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("Lookup after a refused import = %v, want ErrNotFound", err)
	}
	if cs, _ := f.db.Cases(ctx, "DE-NW", akte.CaseFilter{Court: "R3306"}); len(cs) != 0 {
		t.Fatalf("%d cases after a refused import", len(cs))
	}

	pkg := xjustiz.NewPackage("m.xml", msg, map[string][]byte{pdfName: pdf})
	res, err := f.im.Import(ctx, f.sub, pkg, xjustiz.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Repeated || res.Case.Court != "R3306" || res.Case.Aktenzeichen.Register != "AR" || len(res.Documents) != 1 ||
		res.Documents[0].SHA256 != sha256.Sum256(pdf) || res.Documents[0].Class != "Klage" {
		t.Errorf("import = %+v", res)
	}
	e, err := f.log.Lookup(ctx, "DE-NW", res.Message.ID)
	if err != nil || e.Case != res.Case.ID || e.State != "done" || e.SenderAktenzeichen != "KB-2026-0042" || e.SHA256 != sha256.Sum256(msg) || e.DoneAt.IsZero() {
		t.Errorf("log entry = %+v, %v", e, err)
	}
	if got, err := f.log.ByCase(ctx, "DE-NW", res.Case.ID); err != nil || got.MessageID != res.Message.ID {
		t.Errorf("ByCase = %+v, %v", got, err)
	}

	again, err := f.im.Import(ctx, f.sub, pkg, xjustiz.ImportOptions{})
	if err != nil || !again.Repeated || again.Case.ID != res.Case.ID || len(again.Documents) != 1 {
		t.Errorf("second import = %+v, %v; want the same case, repeated", again, err)
	}
	changed := []byte(strings.Replace(string(msg), "<tns:anzeigename>Klage", "<tns:anzeigename>Klageschrift", 1))
	_, err = f.im.Import(ctx, f.sub, xjustiz.NewPackage("m.xml", changed, map[string][]byte{pdfName: pdf}), xjustiz.ImportOptions{})
	if !errors.Is(err, errs.ErrConflict) {
		t.Errorf("import of different content with the same id = %v, want ErrConflict", err)
	}
	// The same message id in another tenant is another message.
	other := authz.Subject{ID: "test", Tenant: "DE-BY", Role: authz.Landesadmin}
	if _, err := f.im.Import(ctx, other, pkg, xjustiz.ImportOptions{Court: "D2601"}); err != nil {
		t.Errorf("import into DE-BY: %v", err)
	}
	if cs, _ := f.db.Cases(ctx, "DE-NW", akte.CaseFilter{Court: "R3306"}); len(cs) != 1 {
		t.Errorf("%d cases at R3306, want 1", len(cs))
	}

	// An import interrupted after its claim is reported, not repeated.
	interrupted := []byte(strings.ReplaceAll(string(msg), "3f1c2a9e-6b7d-4c1e-9a55-0d2e8b7f4c11", "3f1c2a9e-6b7d-4c1e-9a55-0d2e8b7f4c12"))
	if _, err := f.log.Claim(ctx, xjustiz.Entry{Tenant: "DE-NW", MessageID: "3f1c2a9e-6b7d-4c1e-9a55-0d2e8b7f4c12", Version: "3.6.2", Root: "x",
		SHA256: sha256.Sum256(interrupted)}); err != nil {
		t.Fatal(err)
	}
	_, err = f.im.Import(ctx, f.sub, xjustiz.NewPackage("m.xml", interrupted, map[string][]byte{pdfName: pdf}), xjustiz.ImportOptions{})
	if !errors.Is(err, errs.ErrConflict) || !strings.Contains(err.Error(), "did not finish") {
		t.Errorf("import after an interrupted one = %v, want ErrConflict: did not finish", err)
	}
}

// TestExportRoundTrip exports a case with participants and documents as a
// 3.6.2 package, validates it, imports it into another store, and compares.
func TestExportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := mustFixture(t, "")
	sub := authz.Subject{ID: "test", Tenant: "DE-BY", Role: authz.Landesadmin}
	c, err := src.svc.CreateCase(ctx, sub, akte.NewCase{Court: "D2601", Register: "C", Department: "12", Subject: "Zahlungsklage <Müller & Söhne>"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []akte.NewParticipant{{Role: "klaeger", Name: "Erika Mustermann"}, {Role: "beklagter", Name: "Müller & Söhne GmbH"}} {
		if _, err := src.svc.AddParticipant(ctx, sub, c.ID, p); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string][]byte{"klage.pdf": []byte("%PDF-1.4 Klage"), "anlage.txt": []byte("Anlage K1\n"), "klage.pdf ": []byte("same name, other bytes")}
	for _, name := range []string{"klage.pdf", "anlage.txt"} {
		class := ""
		if name == "klage.pdf" {
			class = "Klage"
		}
		if _, err := src.svc.AddDocument(ctx, sub, akte.NewDocument{Case: c.ID, Filename: name, ContentType: "application/octet-stream", Body: bytes.NewReader(files[name]), Class: class}); err != nil {
			t.Fatal(err)
		}
	}
	// A second document with a file name already used.
	if _, err := src.svc.AddDocument(ctx, sub, akte.NewDocument{Case: c.ID, Filename: "klage.pdf", Body: bytes.NewReader(files["klage.pdf "])}); err != nil {
		t.Fatal(err)
	}
	ex := xjustiz.NewExporter(src.v, src.svc, func(n string) (string, bool) {
		if n == "Klage" {
			return "003", true
		}
		return "", false
	})
	var zbuf bytes.Buffer
	res, err := ex.Export(ctx, sub, c.ID, "3.6.2", &zbuf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ex.Export(ctx, sub, c.ID, "2.4.0", io.Discard); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("export 2.4.0 = %v, want ErrInvalid", err)
	}
	// Validate the export independently of Export's own check.
	pkg, err := xjustiz.OpenZip(bytes.NewReader(zbuf.Bytes()), int64(zbuf.Len()), xjustiz.ZipLimits{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := src.v.Validate(pkg.Message)
	if err != nil || !rep.Valid() || rep.Version != "3.6.2" || rep.Schema != "3.6.2/xjustiz_0005_nachrichten_3_2.xsd" {
		t.Fatalf("export validates = %+v, %v", rep, err)
	}
	if len(res.Files) != 3 {
		t.Errorf("export files = %v, want 3", res.Files)
	}

	// Import into another store and tenant: same participants, same bytes.
	dst := mustFixture(t, "")
	dsub := authz.Subject{ID: "test", Tenant: "DE-BE", Role: authz.Landesadmin}
	got, err := dst.im.Import(ctx, dsub, pkg, xjustiz.ImportOptions{Court: "F1101"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Skipped) != 0 || !strings.Contains(got.Case.Subject, "Zahlungsklage <Müller & Söhne>") || !strings.Contains(got.Case.Subject, c.Aktenzeichen.String()) {
		t.Errorf("imported case = %+v, skipped %v", got.Case, got.Skipped)
	}
	var roles []string
	for _, p := range got.Participants {
		roles = append(roles, p.Role+":"+p.Name)
	}
	if strings.Join(roles, ",") != "klaeger:Erika Mustermann,beklagter:Müller & Söhne GmbH" {
		t.Errorf("participants = %v", roles)
	}
	srcDocs, _ := src.svc.Documents(ctx, sub, c.ID)
	if len(got.Documents) != len(srcDocs) {
		t.Fatalf("%d documents imported, want %d", len(got.Documents), len(srcDocs))
	}
	for i, d := range got.Documents {
		if d.SHA256 != srcDocs[i].SHA256 || d.Size != srcDocs[i].Size || d.Class != srcDocs[i].Class {
			t.Errorf("document %d: %s %x %q, want %s %x %q", i, d.Filename, d.SHA256, d.Class, srcDocs[i].Filename, srcDocs[i].SHA256, srcDocs[i].Class)
		}
	}
	if got.Documents[0].Filename != "klage.pdf" || got.Documents[1].Filename != "anlage.txt" {
		t.Errorf("file names = %s, %s", got.Documents[0].Filename, got.Documents[1].Filename)
	}
}
