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
	"justizcloud/verfahren"
)

// testFristen: the running Fristen are stored with each event, replaced by
// the next one, listed by end within the tenant (and court), and paginated.
func testFristen(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	mk := func(court string) akte.Case {
		c := newCase("DE-BY", "D2601", "C", 2026)
		c.Procedure = "zivil-online"
		if court != "" {
			c.Court = "D2602"
		}
		return mustCreateCase(t, db, c)
	}
	a, b, other := mk(""), mk(""), mk("D2602")
	fs := func(ends ...int) []verfahren.FristStatus {
		var out []verfahren.FristStatus
		for i, e := range ends {
			out = append(out, verfahren.FristStatus{Name: []string{"verteidigungsanzeige", "klageerwiderung"}[i], Title: "T", Start: day(1), End: day(e)})
		}
		return out
	}
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	if err := db.AppendEvent(ctx, a, verfahren.Event{Seq: 1, Name: "zustellung", At: at}, verfahren.Derived{State: "zugestellt", Fristen: fs(16, 30)}); err != nil {
		t.Fatal(err)
	}
	if err := db.AppendEvent(ctx, b, verfahren.Event{Seq: 1, Name: "zustellung", At: at}, verfahren.Derived{State: "zugestellt", Fristen: fs(16)}); err != nil {
		t.Fatal(err)
	}
	if err := db.AppendEvent(ctx, other, verfahren.Event{Seq: 1, Name: "zustellung", At: at}, verfahren.Derived{State: "zugestellt", Fristen: fs(10)}); err != nil {
		t.Fatal(err)
	}
	// A refused append (stale sequence number) leaves the Fristen alone.
	wantIs(t, "stale append", db.AppendEvent(ctx, b, verfahren.Event{Seq: 1, Name: "x", At: at}, verfahren.Derived{}), errs.ErrConflict)

	type item struct {
		Case akte.CaseID
		Name string
		End  string
	}
	list := func(f verfahren.FristFilter) []item {
		t.Helper()
		due, err := db.DueFristen(ctx, "DE-BY", f)
		if err != nil {
			t.Fatalf("DueFristen(%+v) = %v", f, err)
		}
		out := []item{}
		for _, d := range due {
			if d.Case.Tenant != "DE-BY" || d.Frist.Title != "T" || !d.Frist.Start.Equal(day(1)) {
				t.Errorf("DueFristen row %+v", d)
			}
			out = append(out, item{d.Case.ID, d.Frist.Name, d.Frist.End.Format(time.DateOnly)})
		}
		return out
	}
	first, second := a.ID, b.ID
	if second < first {
		first, second = second, first
	}
	want := []item{{other.ID, "verteidigungsanzeige", "2026-11-10"}, {first, "verteidigungsanzeige", "2026-11-16"}, {second, "verteidigungsanzeige", "2026-11-16"}}
	if got := list(verfahren.FristFilter{Until: day(20)}); !cmp.Equal(got, want) {
		t.Errorf("due by 20 Nov = %v, want %v", got, want)
	}
	if got := list(verfahren.FristFilter{Until: day(20), Court: "D2601"}); !cmp.Equal(got, want[1:]) {
		t.Errorf("due at D2601 = %v, want %v", got, want[1:])
	}
	if got := list(verfahren.FristFilter{Until: day(20), AfterEnd: day(16), AfterCase: first, AfterName: "verteidigungsanzeige"}); !cmp.Equal(got, want[2:]) {
		t.Errorf("page after %s = %v, want %v", first, got, want[2:])
	}
	if got, err := db.DueFristen(ctx, "DE-NW", verfahren.FristFilter{Until: day(30)}); err != nil || len(got) != 0 {
		t.Errorf("another tenant's due Fristen = %v, %v", got, err)
	}
	// The next event replaces the case's Fristen: none run after it.
	if err := db.AppendEvent(ctx, a, verfahren.Event{Seq: 2, Name: "klageruecknahme", At: at}, verfahren.Derived{}); err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceDerived(ctx, other, verfahren.Derived{}); err != nil {
		t.Fatal(err)
	}
	if got := list(verfahren.FristFilter{Until: day(30)}); !cmp.Equal(got, []item{{b.ID, "verteidigungsanzeige", "2026-11-16"}}) {
		t.Errorf("after withdrawal = %v, want only %s", got, b.ID)
	}
}
