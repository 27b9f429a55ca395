// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package akte_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/blob"
	"justizcloud/blob/fsblob"
	"justizcloud/errs"
	"justizcloud/sqlstore"
	"justizcloud/sqlstore/storetest"
	"justizcloud/tenancy"
)

// filingFixture is the service over the embedded backends, with the store
// at hand for simulating a crash.
type filingFixture struct {
	svc   *akte.Service
	db    *sqlstore.DB
	blobs *blob.Encrypted
	inner *fsblob.Store
}

func mustFilingFixture(t *testing.T) filingFixture {
	t.Helper()
	b := storetest.Open(t, "")
	class := func(n string) bool { return n == "Klage" || n == "Anlage" }
	return filingFixture{svc: akte.NewService(b.DB, b.Blobs, b.Catalog, akte.Options{MaxUpload: 1 << 20, DocumentClass: class}),
		db: b.DB, blobs: b.Blobs, inner: b.Inner}
}

var erika = authz.Subject{ID: "u-erika", Role: authz.Buerger, User: "u-erika", Name: "Erika Mustermann"}

func filing(docs ...akte.FilingDocument) akte.Filing {
	if docs == nil {
		docs = []akte.FilingDocument{
			{Filename: "klage.pdf", ContentType: "application/pdf", Class: "Klage", Body: strings.NewReader("%PDF-1.4 Klage")},
			{Filename: "antrag.json", ContentType: "application/json", Class: "Anlage", Body: strings.NewReader(`{"forderung":"123456"}`)},
		}
	}
	return akte.Filing{
		Case: akte.NewCase{Court: "M1201", Register: "C", Subject: "Zahlungsklage über 1.234,56 €", Procedure: "zivil-online"},
		Participants: []akte.NewParticipant{
			{Role: "klaeger", Name: "Erika Mustermann", Address: "Heidestraße 17, 51147 Köln"},
			{Role: "beklagter", Name: "Muster GmbH", Address: "Zeil 1, 60313 Frankfurt am Main"},
		},
		Documents: docs,
	}
}

func TestFile(t *testing.T) {
	f := mustFilingFixture(t)
	ctx := context.Background()
	c, ds, err := f.svc.File(ctx, erika, filing())
	if err != nil {
		t.Fatal(err)
	}
	if c.Tenant != "DE-HE" || c.Aktenzeichen.Number != 1 || c.Aktenzeichen.Register != "C" || c.Procedure != "zivil-online" || len(ds) != 2 {
		t.Errorf("File = %+v, %d documents", c, len(ds))
	}
	// The filer sees the proceeding and its documents as a party.
	if _, err := f.svc.Case(ctx, erika, c.ID); err != nil {
		t.Errorf("the filer cannot read the case: %v", err)
	}
	got, err := f.svc.Documents(ctx, erika, c.ID)
	if err != nil || len(got) != 2 || got[0].Class != "Klage" || got[0].Filename != "klage.pdf" {
		t.Errorf("Documents = %+v, %v", got, err)
	}
	ps, err := f.svc.Participants(ctx, erika, c.ID)
	if err != nil || len(ps) != 2 || ps[0].Account != "user:u-erika" || ps[1].Account != "" {
		t.Errorf("Participants = %+v, %v", ps, err)
	}
	// Another citizen does not.
	max := authz.Subject{ID: "u-max", Role: authz.Buerger, User: "u-max"}
	if _, err := f.svc.Case(ctx, max, c.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("another citizen: %v, want ErrNotFound", err)
	}
	// The next filing at the same court gets the next number.
	c2, _, err := f.svc.File(ctx, erika, filing())
	if err != nil || c2.Aktenzeichen.Number != 2 {
		t.Errorf("second filing: %+v, %v", c2.Aktenzeichen, err)
	}
	if n, err := f.svc.SweepFilings(ctx, time.Now().Add(time.Hour)); err != nil || n != 0 {
		t.Errorf("SweepFilings after complete filings = %d, %v; want nothing left to sweep", n, err)
	}
}

// failingReader yields some bytes, then fails like a client that hangs up.
type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	k := min(len(p), r.n)
	r.n -= k
	return k, nil
}

func TestFileFailuresLeaveNothing(t *testing.T) {
	pdf := func() akte.FilingDocument {
		return akte.FilingDocument{Filename: "klage.pdf", ContentType: "application/pdf", Class: "Klage", Body: strings.NewReader("%PDF-1.4")}
	}
	tests := []struct {
		name string
		sub  authz.Subject
		edit func(*akte.Filing)
		want error
	}{
		{"second document fails midway", erika, func(fl *akte.Filing) {
			fl.Documents = []akte.FilingDocument{pdf(), {Filename: "beleg.pdf", ContentType: "application/pdf", Body: &failingReader{n: 100 << 10}}}
		}, io.ErrUnexpectedEOF},
		{"document over the limit", erika, func(fl *akte.Filing) {
			fl.Documents = []akte.FilingDocument{pdf(), {Filename: "gross.pdf", ContentType: "application/pdf", Body: strings.NewReader(strings.Repeat("x", 1<<20+1))}}
		}, errs.ErrTooLarge},
		{"unknown class", erika, func(fl *akte.Filing) { fl.Documents[0].Class = "Urteil" }, errs.ErrInvalid},
		{"dissolved court", erika, func(fl *akte.Filing) { fl.Case.Court = "B1301" }, errs.ErrInvalid},
		{"register not at an Amtsgericht", erika, func(fl *akte.Filing) { fl.Case.Register = "O" }, errs.ErrInvalid},
		{"filer's account set", erika, func(fl *akte.Filing) { fl.Participants[0].Account = "user:someone-else" }, errs.ErrInvalid},
		{"filer out of range", erika, func(fl *akte.Filing) { fl.Filer = 2 }, errs.ErrInvalid},
		{"counsel", erika, func(fl *akte.Filing) { fl.Participants[1].Represents = "x" }, errs.ErrInvalid},
		{"no documents", erika, func(fl *akte.Filing) { fl.Documents = nil }, errs.ErrInvalid},
		{"a role token, no person", authz.Subject{ID: "tok", Role: authz.Buerger}, func(*akte.Filing) {}, errs.ErrInvalid},
		{"no subject", authz.Subject{ID: "x", User: "x"}, func(*akte.Filing) {}, errs.ErrUnauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustFilingFixture(t)
			ctx := context.Background()
			fl := filing()
			tt.edit(&fl)
			if fl.Documents == nil {
				fl.Documents = []akte.FilingDocument{}
			}
			_, _, err := f.svc.File(ctx, tt.sub, fl)
			if !errors.Is(err, tt.want) {
				t.Fatalf("File = %v, want %v", err, tt.want)
			}
			if cs, err := f.svc.Cases(ctx, erika, akte.CaseFilter{}); err != nil || len(cs) != 0 {
				t.Errorf("cases after a failed filing: %v, %v", cs, err)
			}
			for _, tn := range []tenancy.ID{"DE-HE", "DE-BW"} {
				if names, err := f.inner.List(ctx, tn, ""); err != nil || len(names) != 0 {
					t.Errorf("blobs of %s after a failed filing: %v, %v", tn, names, err)
				}
			}
			if n, err := f.svc.SweepFilings(ctx, time.Now().Add(time.Hour)); err != nil || n != 0 {
				t.Errorf("reservations left: %d, %v", n, err)
			}
		})
	}
}

// TestSweepFilings: a process that died after writing a filing's blobs
// leaves reservations; the sweep deletes the blobs.
func TestSweepFilings(t *testing.T) {
	f := mustFilingFixture(t)
	ctx := context.Background()
	start := time.Now().Add(-2 * time.Hour)
	if err := f.db.ReserveFilingBlobs(ctx, "DE-HE", []string{"b1", "b2"}, start); err != nil {
		t.Fatal(err)
	}
	if err := f.blobs.Put(ctx, blob.Key{Tenant: "DE-HE", Name: "b1"}, strings.NewReader("written before the crash")); err != nil {
		t.Fatal(err)
	}
	if err := f.db.ReserveFilingBlobs(ctx, "DE-HE", []string{"b1"}, start); !errors.Is(err, errs.ErrConflict) {
		t.Errorf("reserving twice: %v, want ErrConflict", err)
	}
	if n, err := f.svc.SweepFilings(ctx, time.Now().Add(-time.Hour)); err != nil || n != 2 {
		t.Fatalf("SweepFilings = %d, %v; want 2", n, err)
	}
	if names, _ := f.inner.List(ctx, "DE-HE", ""); len(names) != 0 {
		t.Errorf("blobs left: %v", names)
	}
	if n, _ := f.svc.SweepFilings(ctx, time.Now()); n != 0 {
		t.Errorf("second sweep = %d", n)
	}
}
