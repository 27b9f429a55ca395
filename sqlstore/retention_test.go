// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/retention"
)

func testHolds(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	c := mustCreateCase(t, db, newCase("DE-BY", "D2601", "C", 2026))
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

	_, err := db.Hold(ctx, "DE-BY", c.ID)
	wantIs(t, "Hold of a case without one", err, errs.ErrNotFound)
	wantIs(t, "ClearHold of a case without one", db.ClearHold(ctx, "DE-BY", c.ID), nil)
	wantIs(t, "SetHold of an unknown case", db.SetHold(ctx, akte.Hold{Tenant: "DE-BY", Case: "nope", Reason: "x", SetAt: at, SetBy: "a"}), errs.ErrNotFound)
	wantIs(t, "SetHold of another tenant's case", db.SetHold(ctx, akte.Hold{Tenant: "DE-NW", Case: c.ID, Reason: "x", SetAt: at, SetBy: "a"}), errs.ErrNotFound)

	h := akte.Hold{Tenant: "DE-BY", Case: c.ID, Reason: "Amtshaftungsklage anhängig", SetAt: at, SetBy: "tok_a"}
	if err := db.SetHold(ctx, h); err != nil {
		t.Fatalf("SetHold = %v", err)
	}
	h.Reason, h.SetBy = "Strafanzeige wegen Urkundenfälschung", "tok_b"
	if err := db.SetHold(ctx, h); err != nil {
		t.Fatalf("second SetHold = %v", err)
	}
	got, err := db.Hold(ctx, "DE-BY", c.ID)
	if err != nil {
		t.Fatalf("Hold = %v", err)
	}
	if diff := cmp.Diff(h, got); diff != "" {
		t.Errorf("Hold mismatch (-want +got):\n%s", diff)
	}
	_, err = db.Hold(ctx, "DE-NW", c.ID)
	wantIs(t, "Hold seen from another tenant", err, errs.ErrNotFound)
	if err := db.ClearHold(ctx, "DE-NW", c.ID); err != nil {
		t.Fatalf("ClearHold from another tenant = %v", err)
	}
	if _, err := db.Hold(ctx, "DE-BY", c.ID); err != nil {
		t.Errorf("Hold after another tenant's ClearHold = %v, want the hold kept", err)
	}
	if err := db.ClearHold(ctx, "DE-BY", c.ID); err != nil {
		t.Fatalf("ClearHold = %v", err)
	}
	_, err = db.Hold(ctx, "DE-BY", c.ID)
	wantIs(t, "Hold after ClearHold", err, errs.ErrNotFound)
}

func testTombstones(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	c := mustCreateCase(t, db, newCase("DE-BY", "D2601", "C", 2026))
	other := mustCreateCase(t, db, newCase("DE-BY", "D2601", "C", 2026))
	d1 := mustCommit(t, db, newDocument(t, db, c, ""))
	d2 := mustCommit(t, db, newDocument(t, db, c, ""))
	at := time.Date(2060, 1, 1, 3, 0, 0, 0, time.UTC)

	if got, err := db.Tombstones(ctx, "DE-BY", c.ID); err != nil || len(got) != 0 {
		t.Fatalf("Tombstones before any = %v, %v; want none", got, err)
	}
	ts := retention.Tombstone{Tenant: "DE-BY", Document: d1.ID, Case: c.ID, Rule: "zivil-akte", DestroyedAt: at, DestroyedBy: "retention run"}
	if err := db.AddTombstone(ctx, ts); err != nil {
		t.Fatalf("AddTombstone = %v", err)
	}
	wantIs(t, "second AddTombstone", db.AddTombstone(ctx, ts), errs.ErrConflict)
	wrongCase := ts
	wrongCase.Document, wrongCase.Case = d2.ID, other.ID
	wantIs(t, "AddTombstone under the wrong case", db.AddTombstone(ctx, wrongCase), errs.ErrNotFound)
	wrongTenant := ts
	wrongTenant.Tenant, wrongTenant.Document = "DE-NW", d2.ID
	wantIs(t, "AddTombstone in another tenant", db.AddTombstone(ctx, wrongTenant), errs.ErrNotFound)

	got, err := db.Tombstones(ctx, "DE-BY", c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]retention.Tombstone{ts}, got); diff != "" {
		t.Errorf("Tombstones mismatch (-want +got):\n%s", diff)
	}
	if got, err := db.Tombstones(ctx, "DE-NW", c.ID); err != nil || len(got) != 0 {
		t.Errorf("Tombstones from another tenant = %v, %v; want none", got, err)
	}
	// Tombstones are the record of destruction: never rewritten.
	if _, err := db.w.ExecContext(ctx, db.q(`DELETE FROM tombstones WHERE tenant = ?`), "DE-BY"); err == nil {
		t.Error("DELETE FROM tombstones succeeded, want the append-only trigger to refuse")
	}
	if _, err := db.w.ExecContext(ctx, db.q(`UPDATE tombstones SET rule = 'x'`)); err == nil {
		t.Error("UPDATE tombstones succeeded, want the append-only trigger to refuse")
	}
}
