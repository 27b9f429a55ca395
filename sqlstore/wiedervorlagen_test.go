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

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func testWiedervorlagen(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	c1 := mustCreateCase(t, db, newCase("DE-BY", "D2601", "C", 2026))
	c2 := mustCreateCase(t, db, newCase("DE-BY", "D2602", "C", 2026))
	nw := mustCreateCase(t, db, newCase("DE-NW", "D2601", "C", 2026))
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	mk := func(id string, c akte.Case, due, who string) akte.Wiedervorlage {
		return akte.Wiedervorlage{ID: akte.WiedervorlageID(id), Tenant: c.Tenant, Case: c.ID, Due: day(due), For: who,
			Note: "Akte " + id, CreatedBy: "tok_a", CreatedAt: at}
	}
	ws := []akte.Wiedervorlage{
		mk("w1", c1, "2026-12-01", "tok_a"),
		mk("w2", c1, "2026-11-30", akte.ForGeschaeftsstelle),
		mk("w3", c2, "2026-11-30", "tok_a"),
		mk("w4", c1, "2027-01-15", "tok_a"),
		mk("w5", c2, "2026-11-28", "tok_b"),
		mk("w6", nw, "2026-11-01", "tok_a"),
	}
	for _, w := range ws {
		if err := db.AddWiedervorlage(ctx, w); err != nil {
			t.Fatalf("AddWiedervorlage(%s) = %v", w.ID, err)
		}
	}
	wantIs(t, "AddWiedervorlage with another tenant's case", db.AddWiedervorlage(ctx, mk("x", akte.Case{Tenant: "DE-NW", ID: c1.ID}, "2026-12-01", "a")), errs.ErrNotFound)
	wantIs(t, "AddWiedervorlage twice", db.AddWiedervorlage(ctx, ws[0]), errs.ErrConflict)

	got, err := db.Wiedervorlagen(ctx, "DE-BY", c1.ID)
	if err != nil {
		t.Fatalf("Wiedervorlagen = %v", err)
	}
	if diff := cmp.Diff([]akte.Wiedervorlage{ws[1], ws[0], ws[3]}, got); diff != "" {
		t.Errorf("Wiedervorlagen of c1 (-want +got):\n%s", diff)
	}
	if got, _ := db.Wiedervorlagen(ctx, "DE-NW", c1.ID); len(got) != 0 {
		t.Errorf("Wiedervorlagen seen from another tenant = %v", got)
	}
	_, err = db.Wiedervorlage(ctx, "DE-NW", "w1")
	wantIs(t, "Wiedervorlage of another tenant", err, errs.ErrNotFound)

	due := func(f akte.WiedervorlageFilter) []string {
		t.Helper()
		ds, err := db.DueWiedervorlagen(ctx, "DE-BY", f)
		if err != nil {
			t.Fatalf("DueWiedervorlagen(%+v) = %v", f, err)
		}
		var ids []string
		for _, d := range ds {
			if d.Case.ID != d.Wiedervorlage.Case || d.Case.Tenant != "DE-BY" {
				t.Errorf("DueWiedervorlage %s comes with case %s", d.Wiedervorlage.ID, d.Case.ID)
			}
			ids = append(ids, string(d.Wiedervorlage.ID))
		}
		return ids
	}
	until := day("2026-12-31")
	for _, tc := range []struct {
		name string
		f    akte.WiedervorlageFilter
		want []string
	}{
		{"nobody", akte.WiedervorlageFilter{Until: until}, nil},
		{"tok_a", akte.WiedervorlageFilter{For: []string{"tok_a"}, Until: until}, []string{"w3", "w1"}},
		{"tok_a and GS", akte.WiedervorlageFilter{For: []string{"tok_a", akte.ForGeschaeftsstelle}, Until: until}, []string{"w2", "w3", "w1"}},
		{"until", akte.WiedervorlageFilter{For: []string{"tok_a", akte.ForGeschaeftsstelle}, Until: day("2026-11-30")}, []string{"w2", "w3"}},
		{"court", akte.WiedervorlageFilter{For: []string{"tok_a", "tok_b"}, Until: until, Court: "D2602"}, []string{"w5", "w3"}},
		{"after", akte.WiedervorlageFilter{For: []string{"tok_a", akte.ForGeschaeftsstelle}, Until: until, AfterDue: day("2026-11-30"), AfterID: "w2"}, []string{"w3", "w1"}},
		{"limit", akte.WiedervorlageFilter{For: []string{"tok_a", akte.ForGeschaeftsstelle}, Until: until, Limit: 1}, []string{"w2"}},
	} {
		if got := due(tc.f); !cmp.Equal(got, tc.want) {
			t.Errorf("%s: DueWiedervorlagen = %v, want %v", tc.name, got, tc.want)
		}
	}

	done := at.Add(time.Hour)
	wantIs(t, "CompleteWiedervorlage of another tenant", db.CompleteWiedervorlage(ctx, "DE-NW", "w2", done), errs.ErrNotFound)
	if err := db.CompleteWiedervorlage(ctx, "DE-BY", "w2", done); err != nil {
		t.Fatalf("CompleteWiedervorlage = %v", err)
	}
	wantIs(t, "CompleteWiedervorlage twice", db.CompleteWiedervorlage(ctx, "DE-BY", "w2", done), errs.ErrConflict)
	wantIs(t, "CompleteWiedervorlage of none", db.CompleteWiedervorlage(ctx, "DE-BY", "nope", done), errs.ErrNotFound)
	w2, err := db.Wiedervorlage(ctx, "DE-BY", "w2")
	if err != nil || !w2.DoneAt.Equal(done) {
		t.Errorf("Wiedervorlage after done = %+v, %v; want DoneAt %v", w2, err, done)
	}
	if got := due(akte.WiedervorlageFilter{For: []string{akte.ForGeschaeftsstelle}, Until: until}); len(got) != 0 {
		t.Errorf("done Wiedervorlage still due: %v", got)
	}
}

func testInboxQueries(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	mk := func(tn, court, proc string, at time.Time) akte.Case {
		c := newCase("DE-BY", "D2601", "C", 2026)
		c.Tenant, c.Court, c.Procedure, c.CreatedAt = "DE-BY", "D2601", proc, at
		if tn != "" {
			c.Tenant = "DE-NW"
		}
		if court != "" {
			c.Court = "D2602"
		}
		return mustCreateCase(t, db, c)
	}
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	a := mk("", "", "zivil-online", t0.Add(2*time.Hour))
	b := mk("", "", "zivil-online", t0)
	mk("", "", "", t0) // a plain case file is no filing
	d := mk("", "D2602", "zivil-online", t0.Add(time.Hour))
	mk("DE-NW", "", "zivil-online", t0)
	e := mk("", "", "zivil-online", t0.Add(3*time.Hour))
	if err := db.AppendEvent(ctx, e, verfahren.Event{Seq: 1, Name: "zustellung", At: t0, By: "x", Role: "geschaeftsstelle"}, verfahren.Derived{}); err != nil {
		t.Fatal(err)
	}
	ids := func(cs []akte.Case, err error) []string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, string(c.ID))
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    verfahren.FilingFilter
		want []string
	}{
		{"all", verfahren.FilingFilter{}, []string{string(b.ID), string(d.ID), string(a.ID)}},
		{"court", verfahren.FilingFilter{Court: "D2601"}, []string{string(b.ID), string(a.ID)}},
		{"after", verfahren.FilingFilter{AfterAt: d.CreatedAt, AfterID: d.ID}, []string{string(a.ID)}},
		{"limit", verfahren.FilingFilter{Limit: 2}, []string{string(b.ID), string(d.ID)}},
	} {
		if got := ids(db.Filings(ctx, "DE-BY", tc.f)); !cmp.Equal(got, tc.want) {
			t.Errorf("%s: Filings = %v, want %v", tc.name, got, tc.want)
		}
	}
	if got := ids(db.CasesWithEvents(ctx, "DE-BY", "", []string{"zustellung", "urteil"})); !cmp.Equal(got, []string{string(e.ID)}) {
		t.Errorf("CasesWithEvents = %v, want [%s]", got, e.ID)
	}
	if got := ids(db.CasesWithEvents(ctx, "DE-BY", "D2602", []string{"zustellung"})); len(got) != 0 {
		t.Errorf("CasesWithEvents at another court = %v", got)
	}
	if got := ids(db.CasesWithEvents(ctx, "DE-NW", "", []string{"zustellung"})); len(got) != 0 {
		t.Errorf("CasesWithEvents of another tenant = %v", got)
	}
}
