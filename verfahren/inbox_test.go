// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/frist"
	"justizcloud/sqlstore"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
)

const resubmitYAML = `name: wv
title: Wiedervorlagetest
initial: a
states:
  - name: a
    title: A
  - name: b
    title: B
  - name: c
    title: C
    terminal: true
fristen:
  - name: f
    title: Stellungnahmefrist
    period: 2w
    basis: go
events:
  - name: go
    title: Go
    from: [a]
    to: b
    roles: [geschaeftsstelle]
    effects:
      start_fristen: [f]
      wiedervorlage: 1w
  - name: stop
    title: Stop
    from: [b]
    to: c
    roles: [geschaeftsstelle]
    effects:
      stop_fristen: [f]
`

// now is Friday, 18 December 2026, in the morning in Germany.
var now = time.Date(2026, 12, 18, 9, 0, 0, 0, time.UTC)

type fixture struct {
	db    *sqlstore.DB
	cases *akte.Service
	svc   *verfahren.Service
}

func mustFixture(t *testing.T) fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "db.sqlite"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cat, err := tenancy.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	reg, err := verfahren.LoadRegistry(fstest.MapFS{"wv.yaml": {Data: []byte(resubmitYAML)}})
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return now }
	cases := akte.NewService(db, nil, cat, akte.Options{Now: clock})
	return fixture{db: db, cases: cases, svc: verfahren.NewService(cases, db, reg, frist.NewCalendar(cat), clock)}
}

func (f fixture) mustCase(t *testing.T, sub authz.Subject) akte.Case {
	t.Helper()
	c, err := f.svc.CreateCase(context.Background(), sub, akte.NewCase{Court: "D2601", Register: "C", Procedure: "wv"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type item struct {
	Kind       verfahren.InboxKind
	Case, Date string
}

func (f fixture) inbox(t *testing.T, sub authz.Subject, q verfahren.InboxQuery) ([]item, string) {
	t.Helper()
	page, err := f.svc.Inbox(context.Background(), sub, q)
	if err != nil {
		t.Fatalf("Inbox(%+v) = %v", q, err)
	}
	var out []item
	for _, it := range page.Items {
		out = append(out, item{it.Kind, string(it.Case.ID), it.Date.Format(time.DateOnly)})
	}
	return out, page.Next
}

// TestFireWiedervorlage checks the effect "wiedervorlage": the due date is
// computed like a Frist, so Christmas moves it.
func TestFireWiedervorlage(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t)
	gs := authz.Subject{ID: "gs1", Tenant: "DE-BY", Role: authz.Geschaeftsstelle}
	c := f.mustCase(t, gs)
	if _, err := f.svc.Fire(ctx, gs, c.ID, verfahren.Command{Event: "go"}); err != nil {
		t.Fatalf("Fire(go) = %v", err)
	}
	ws, err := f.cases.Wiedervorlagen(ctx, gs, c.ID)
	if err != nil || len(ws) != 1 {
		t.Fatalf("Wiedervorlagen = %v, %v; want one", ws, err)
	}
	// 18 Dec + 1 week = Fri 25 Dec (1. Weihnachtstag), 26 Dec is a Saturday
	// and a holiday, 27 Dec a Sunday: Monday, 28 December.
	if got := ws[0].Due.Format(time.DateOnly); got != "2026-12-28" || ws[0].For != akte.ForGeschaeftsstelle {
		t.Errorf("Wiedervorlage = due %s for %q, want 2026-12-28 for the Geschäftsstelle", got, ws[0].For)
	}
	// An event without the effect sets none.
	if _, err := f.svc.Fire(ctx, gs, c.ID, verfahren.Command{Event: "stop"}); err != nil {
		t.Fatalf("Fire(stop) = %v", err)
	}
	if ws, _ := f.cases.Wiedervorlagen(ctx, gs, c.ID); len(ws) != 1 {
		t.Errorf("Wiedervorlagen after stop = %d, want 1", len(ws))
	}
}

func TestInbox(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t)
	gs := authz.Subject{ID: "gs1", Tenant: "DE-BY", Role: authz.Geschaeftsstelle}
	richter := authz.Subject{ID: "r1", Tenant: "DE-BY", Role: authz.Richter}
	other := authz.Subject{ID: "nw", Tenant: "DE-NW", Role: authz.Landesadmin}
	filed := f.mustCase(t, gs)
	running := f.mustCase(t, gs)
	if _, err := f.svc.Fire(ctx, gs, running.ID, verfahren.Command{Event: "go"}); err != nil {
		t.Fatal(err)
	}
	mine, err := f.cases.AddWiedervorlage(ctx, gs, filed.ID, akte.NewWiedervorlage{Due: time.Date(2026, 12, 17, 0, 0, 0, 0, time.UTC), Note: "Akte anfordern"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.cases.AddWiedervorlage(ctx, richter, filed.ID, akte.NewWiedervorlage{Due: time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	leser := authz.Subject{ID: "l1", Tenant: "DE-BY", Role: authz.Leser}
	if _, err := f.cases.AddWiedervorlage(ctx, leser, filed.ID, akte.NewWiedervorlage{Due: now}); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("AddWiedervorlage by a Leser = %v, want ErrForbidden", err)
	}

	wMine := item{verfahren.InboxWiedervorlage, string(filed.ID), "2026-12-17"}
	wFiling := item{verfahren.InboxFiling, string(filed.ID), "2026-12-18"}
	wRichter := item{verfahren.InboxWiedervorlage, string(filed.ID), "2026-12-20"}
	wGS := item{verfahren.InboxWiedervorlage, string(running.ID), "2026-12-28"}
	wFrist := item{verfahren.InboxFrist, string(running.ID), "2027-01-04"} // 1 Jan is a holiday
	for _, tc := range []struct {
		name string
		sub  authz.Subject
		days int
		want []item
	}{
		{"gs, 7 days", gs, 0, []item{wMine, wFiling}},
		{"gs, 17 days", gs, 17, []item{wMine, wFiling, wGS, wFrist}},
		{"richter, 17 days", richter, 17, []item{wFiling, wRichter, wFrist}},
		{"another Land", other, 17, nil},
	} {
		got, next := f.inbox(t, tc.sub, verfahren.InboxQuery{Days: tc.days})
		if diff := cmp.Diff(tc.want, got); diff != "" || next != "" {
			t.Errorf("%s: Inbox (-want +got):\n%s next %q", tc.name, diff, next)
		}
	}

	// Page by page, one item at a time, gives the same list.
	var paged []item
	after := ""
	for i := 0; ; i++ {
		got, next := f.inbox(t, gs, verfahren.InboxQuery{Days: 17, Limit: 1, After: after})
		paged = append(paged, got...)
		if next == "" || i > 10 {
			break
		}
		after = next
	}
	if diff := cmp.Diff([]item{wMine, wFiling, wGS, wFrist}, paged); diff != "" {
		t.Errorf("paged Inbox (-want +got):\n%s", diff)
	}
	if _, err := f.svc.Inbox(ctx, gs, verfahren.InboxQuery{After: "kaputt!"}); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("Inbox with a bad cursor = %v, want ErrInvalid", err)
	}

	// Done Wiedervorlagen leave the inbox; another tenant cannot touch them.
	if _, err := f.cases.CompleteWiedervorlage(ctx, other, mine.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("CompleteWiedervorlage by another Land = %v, want ErrNotFound", err)
	}
	if _, err := f.cases.CompleteWiedervorlage(ctx, gs, mine.ID); err != nil {
		t.Fatalf("CompleteWiedervorlage = %v", err)
	}
	if _, err := f.cases.CompleteWiedervorlage(ctx, gs, mine.ID); !errors.Is(err, errs.ErrConflict) {
		t.Errorf("CompleteWiedervorlage twice = %v, want ErrConflict", err)
	}
	if got, _ := f.inbox(t, gs, verfahren.InboxQuery{}); !cmp.Equal(got, []item{wFiling}) {
		t.Errorf("Inbox after done = %v, want only the filing", got)
	}
}

// TestRebuildFristen: the stored Fristen follow the events (started by one,
// gone after the one that stops them), and RebuildDerived restores lost rows
// from the history alone.
func TestRebuildFristen(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t)
	gs := authz.Subject{ID: "gs1", Tenant: "DE-BY", Role: authz.Geschaeftsstelle}
	running, stopped := f.mustCase(t, gs), f.mustCase(t, gs)
	for _, c := range []akte.Case{running, stopped} {
		if _, err := f.svc.Fire(ctx, gs, c.ID, verfahren.Command{Event: "go"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.Fire(ctx, gs, stopped.ID, verfahren.Command{Event: "stop"}); err != nil {
		t.Fatal(err)
	}
	fristen := func() []item {
		t.Helper()
		items, _ := f.inbox(t, gs, verfahren.InboxQuery{Days: 30})
		return slices.DeleteFunc(items, func(it item) bool { return it.Kind != verfahren.InboxFrist })
	}
	want := []item{{verfahren.InboxFrist, string(running.ID), "2027-01-04"}}
	if diff := cmp.Diff(want, fristen()); diff != "" {
		t.Fatalf("Fristen after the events (-want +got):\n%s", diff)
	}
	if err := f.db.ReplaceDerived(ctx, running, verfahren.Derived{}); err != nil {
		t.Fatal(err)
	}
	if got := fristen(); len(got) != 0 {
		t.Fatalf("Fristen after removing the rows = %v", got)
	}
	n, err := f.svc.RebuildDerived(ctx, []tenancy.ID{"DE-BY", "DE-NW"})
	if err != nil || n != 2 {
		t.Fatalf("RebuildDerived = %d, %v; want both proceedings with a history", n, err)
	}
	if diff := cmp.Diff(want, fristen()); diff != "" {
		t.Errorf("Fristen after the rebuild (-want +got):\n%s", diff)
	}
}
