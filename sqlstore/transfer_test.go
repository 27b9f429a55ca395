// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/sqlstore/pgtest"
)

func TestTransferStateSQLite(t *testing.T) {
	testTransferState(t, func(t *testing.T) string { return filepath.Join(t.TempDir(), "data", "justizcloud.db") })
}

func TestTransferStatePostgres(t *testing.T) {
	pgtest.DSN(t) // skips (or fails under CI) when PostgreSQL is unreachable
	testTransferState(t, func(t *testing.T) string { return pgtest.DSN(t) })
}

// testTransferState walks a case through a hand-over: pending (one of two
// beginners wins), aborted, pending again, done with its pointer; and the
// pointer on a receiving case.
func testTransferState(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	c := mustCreateCase(t, db, newCase("DE-BY", "D2601", "C", 2026))
	st, err := db.CaseTransfer(ctx, "DE-BY", c.ID)
	if err != nil || st.State != "" || st.To != nil || st.From != nil {
		t.Fatalf("new case: %+v, %v", st, err)
	}
	wantIs(t, "CaseTransfer of another tenant", func() error { _, err := db.CaseTransfer(ctx, "DE-NW", c.ID); return err }(), errs.ErrNotFound)
	wantIs(t, "FinishCaseTransfer before Begin", db.FinishCaseTransfer(ctx, "DE-BY", c.ID, akte.TransferRef{}), errs.ErrConflict)
	if err := db.BeginCaseTransfer(ctx, "DE-BY", c.ID); err != nil {
		t.Fatal(err)
	}
	wantIs(t, "BeginCaseTransfer twice", db.BeginCaseTransfer(ctx, "DE-BY", c.ID), errs.ErrConflict)
	wantIs(t, "BeginCaseTransfer of another tenant", db.BeginCaseTransfer(ctx, "DE-NW", c.ID), errs.ErrNotFound)
	if err := db.AbortCaseTransfer(ctx, "DE-BY", c.ID); err != nil {
		t.Fatal(err)
	}
	if st, _ := db.CaseTransfer(ctx, "DE-BY", c.ID); st.State != "" {
		t.Fatalf("after abort: %+v", st)
	}
	if err := db.BeginCaseTransfer(ctx, "DE-BY", c.ID); err != nil {
		t.Fatal(err)
	}
	to := akte.TransferRef{Tenant: "DE-BE", Court: "F1112", Case: "c-be", Aktenzeichen: "1 C 1/26",
		At: time.Date(2026, 11, 27, 15, 0, 0, 123456000, time.UTC), By: "gs", Message: "m1", Manifest: "ab12"}
	if err := db.FinishCaseTransfer(ctx, "DE-BY", c.ID, to); err != nil {
		t.Fatal(err)
	}
	st, err = db.CaseTransfer(ctx, "DE-BY", c.ID)
	if err != nil || st.State != "done" || st.To == nil {
		t.Fatalf("after finish: %+v, %v", st, err)
	}
	if diff := cmp.Diff(to, *st.To); diff != "" {
		t.Errorf("pointer (-want +got):\n%s", diff)
	}
	wantIs(t, "AbortCaseTransfer when done", db.AbortCaseTransfer(ctx, "DE-BY", c.ID), errs.ErrConflict)
	wantIs(t, "BeginCaseTransfer when done", db.BeginCaseTransfer(ctx, "DE-BY", c.ID), errs.ErrConflict)

	r := mustCreateCase(t, db, newCase("DE-BE", "F1112", "C", 2026))
	from := akte.TransferRef{Tenant: "DE-BY", Court: "D2601", Case: c.ID, Aktenzeichen: "1 C 1/26", At: to.At, By: "gs", Message: "m1", Manifest: "ab12"}
	if err := db.SetCaseTransferredFrom(ctx, "DE-BE", r.ID, from); err != nil {
		t.Fatal(err)
	}
	wantIs(t, "SetCaseTransferredFrom of another tenant", db.SetCaseTransferredFrom(ctx, "DE-BY", r.ID, from), errs.ErrNotFound)
	st, err = db.CaseTransfer(ctx, "DE-BE", r.ID)
	if err != nil || st.State != "" || st.From == nil {
		t.Fatalf("received case: %+v, %v", st, err)
	}
	if diff := cmp.Diff(from, *st.From); diff != "" {
		t.Errorf("from pointer (-want +got):\n%s", diff)
	}
}
