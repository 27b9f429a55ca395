// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/verfahren"
)

func testEvents(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	c := newCase("DE-BY", "D2601", "C", 2026)
	c.Procedure = "zivil-online"
	c = mustCreateCase(t, db, c)
	if got, err := db.Case(ctx, "DE-BY", c.ID); err != nil || got.Procedure != "zivil-online" {
		t.Fatalf("Case = %+v, %v; want procedure zivil-online", got, err)
	}

	h, err := db.Events(ctx, "DE-BY", c.ID)
	if err != nil || len(h) != 0 {
		t.Fatalf("Events of a new case = %v, %v; want empty", h, err)
	}
	at := time.Date(2026, 11, 27, 9, 30, 0, 123000, time.UTC)
	want := []verfahren.Event{
		{Seq: 1, Name: "eingetragen", At: at, By: "tok_a", Role: "geschaeftsstelle", Documents: []string{}, Data: map[string]string{}},
		{Seq: 2, Name: "zugestellt", At: at.Add(time.Hour), By: "tok_a", Role: "geschaeftsstelle", Documents: []string{"d1", "d2"}, Data: map[string]string{"an": "beklagter", "weg": "Zugang"}},
	}
	for _, e := range want {
		if err := db.AppendEvent(ctx, c, e, verfahren.Derived{}); err != nil {
			t.Fatalf("AppendEvent(%s) = %v", e.Name, err)
		}
	}
	got, err := db.Events(ctx, "DE-BY", c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Events mismatch (-want +got):\n%s", diff)
	}

	// A stale writer (seq already taken) and a gap are conflicts.
	for _, seq := range []int{2, 4} {
		err := db.AppendEvent(ctx, c, verfahren.Event{Seq: seq, Name: "x", At: at}, verfahren.Derived{})
		wantIs(t, "AppendEvent with a wrong sequence number", err, errs.ErrConflict)
	}
	wantIs(t, "AppendEvent seq 0", db.AppendEvent(ctx, c, verfahren.Event{Seq: 0, Name: "x"}, verfahren.Derived{}), errs.ErrInvalid)
	// Another tenant sees neither the history nor may append to it.
	_, err = db.Events(ctx, "DE-NW", c.ID)
	wantIs(t, "Events of another tenant's case", err, errs.ErrNotFound)
	wantIs(t, "AppendEvent to another tenant's case", db.AppendEvent(ctx, akte.Case{Tenant: "DE-NW", ID: c.ID}, verfahren.Event{Seq: 3, Name: "x", At: at}, verfahren.Derived{}), errs.ErrNotFound)

	// Concurrent writers of the same next event: exactly one wins.
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, conflicts := 0, 0
	for i := range 10 {
		wg.Go(func() {
			err := db.AppendEvent(ctx, c, verfahren.Event{Seq: 3, Name: "termin", At: at, By: string(rune('a' + i))}, verfahren.Derived{})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, errs.ErrConflict):
				conflicts++
			default:
				t.Errorf("concurrent AppendEvent = %v", err)
			}
		})
	}
	wg.Wait()
	if wins != 1 || conflicts != 9 {
		t.Errorf("concurrent appends of #3: %d won, %d conflicts; want 1 and 9", wins, conflicts)
	}

	// The history is append-only in the database itself.
	if _, err := db.w.ExecContext(ctx, `UPDATE case_events SET name = 'forged'`); err == nil {
		t.Error("UPDATE of case_events succeeded")
	}
	if _, err := db.w.ExecContext(ctx, `DELETE FROM case_events`); err == nil {
		t.Error("DELETE from case_events succeeded")
	}
}
