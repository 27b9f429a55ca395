// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/portal"
	"justizcloud/sqlstore/pgtest"
)

func TestPortalStoresSQLite(t *testing.T) {
	testPortalStores(t, func(t *testing.T) string { return filepath.Join(t.TempDir(), "data", "justizcloud.db") })
}

func TestPortalStoresPostgres(t *testing.T) {
	pgtest.DSN(t) // skips (or fails under CI) when PostgreSQL is unreachable
	testPortalStores(t, func(t *testing.T) string { return pgtest.DSN(t) })
}

// testPortalStores: drafts and their files round-trip, expire and are
// swept; a filing is stored whole in one transaction or not at all.
func testPortalStores(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

	// Drafts.
	d := portal.Draft{User: "usr_a", Interview: "geld-einklagen", Blob: "entwurf-1", CreatedAt: t0, UpdatedAt: t0}
	if err := db.PutDraft(ctx, d); err != nil {
		t.Fatal(err)
	}
	d.Blob, d.UpdatedAt = "entwurf-2", t0.Add(time.Hour)
	if err := db.PutDraft(ctx, d); err != nil {
		t.Fatal(err)
	}
	got, err := db.Draft(ctx, "usr_a", "geld-einklagen")
	if err != nil || got.Blob != "entwurf-2" || !got.UpdatedAt.Equal(t0.Add(time.Hour)) || !got.CreatedAt.Equal(t0) {
		t.Errorf("Draft = %+v, %v", got, err)
	}
	if _, err := db.Draft(ctx, "usr_b", "geld-einklagen"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("another user's draft: %v, want ErrNotFound", err)
	}
	for _, ref := range []string{"f1", "f2"} {
		if err := db.AddDraftFile(ctx, portal.DraftFile{User: "usr_a", Interview: "geld-einklagen", Ref: ref, CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddDraftFile(ctx, portal.DraftFile{User: "usr_b", Interview: "geld-einklagen", Ref: "orphan", CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteDraftFile(ctx, "usr_a", "geld-einklagen", "f2"); err != nil {
		t.Fatal(err)
	}
	if fs, err := db.DraftFiles(ctx, "usr_a", "geld-einklagen"); err != nil || len(fs) != 1 || fs[0].Ref != "f1" {
		t.Errorf("DraftFiles = %+v, %v", fs, err)
	}
	if exp, err := db.ExpiredDrafts(ctx, t0.Add(30*time.Minute)); err != nil || len(exp) != 0 {
		t.Errorf("ExpiredDrafts before the update = %+v, %v", exp, err)
	}
	if exp, err := db.ExpiredDrafts(ctx, t0.Add(2*time.Hour)); err != nil || len(exp) != 1 || exp[0].User != "usr_a" {
		t.Errorf("ExpiredDrafts = %+v, %v", exp, err)
	}
	if st, err := db.StaleDraftFiles(ctx, t0.Add(time.Minute)); err != nil || len(st) != 1 || st[0].Ref != "orphan" {
		t.Errorf("StaleDraftFiles = %+v, %v; want the file without a draft", st, err)
	}
	if err := db.DeleteDraft(ctx, "usr_a", "geld-einklagen"); err != nil {
		t.Fatal(err)
	}
	if fs, _ := db.DraftFiles(ctx, "usr_a", "geld-einklagen"); len(fs) != 0 {
		t.Errorf("files after DeleteDraft: %+v", fs)
	}

	// Filing.
	c := akte.Case{ID: "case-f1", Tenant: "DE-HE", Court: "M1201", Subject: "Klage", Procedure: "zivil-online", CreatedAt: t0, CreatedBy: "usr_a",
		Aktenzeichen: akte.Aktenzeichen{Department: "1", Register: "C", Year: 2026}}
	ps := []akte.Participant{{ID: "p1", Tenant: "DE-HE", Case: "case-f1", Role: "klaeger", Name: "Erika", Account: "user:usr_a", CreatedAt: t0}}
	ds := []akte.Document{{ID: "d1", Tenant: "DE-HE", Case: "case-f1", Filename: "klage.pdf", ContentType: "application/pdf", Size: 3, Blob: "b1", Version: 1, CreatedAt: t0, CreatedBy: "usr_a"}}
	if _, err := db.FileCase(ctx, c, ps, ds); !errors.Is(err, errs.ErrConflict) {
		t.Errorf("FileCase with an unreserved blob = %v, want ErrConflict", err)
	}
	if n := count(t, db, `SELECT count(*) FROM cases WHERE id = ?`, "case-f1"); n != 0 {
		t.Errorf("a refused filing left %d cases", n)
	}
	if err := db.ReserveFilingBlobs(ctx, "DE-HE", []string{"b1", "b2"}, t0); err != nil {
		t.Fatal(err)
	}
	filed, err := db.FileCase(ctx, c, ps, ds)
	if err != nil || filed.Aktenzeichen.Number != 1 {
		t.Fatalf("FileCase = %+v, %v", filed.Aktenzeichen, err)
	}
	if got, err := db.Participants(ctx, "DE-HE", "case-f1"); err != nil || len(got) != 1 || got[0].Account != "user:usr_a" {
		t.Errorf("Participants = %+v, %v", got, err)
	}
	if got, err := db.Documents(ctx, "DE-HE", "case-f1"); err != nil || len(got) != 1 || got[0].Blob != "b1" || got[0].Version != 1 {
		t.Errorf("Documents = %+v, %v", got, err)
	}
	stale, err := db.StaleFilingBlobs(ctx, t0.Add(time.Minute))
	if err != nil || len(stale) != 1 || stale[0].Blob != "b2" {
		t.Errorf("StaleFilingBlobs = %+v, %v; want b2 only (b1 was committed)", stale, err)
	}
	if err := db.ReleaseFilingBlobs(ctx, "DE-HE", []string{"b2", "missing"}); err != nil {
		t.Fatal(err)
	}
	if stale, _ := db.StaleFilingBlobs(ctx, t0.Add(time.Minute)); len(stale) != 0 {
		t.Errorf("after release: %+v", stale)
	}
}
