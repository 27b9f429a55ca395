// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

// testTime is a fixed time with sub-microsecond digits and a non-UTC zone.
var testTime = time.Date(2026, 3, 29, 1, 30, 15, 123456789, time.FixedZone("CET", 3600))

func newCase(tn tenancy.ID, court tenancy.CourtID, register string, year int) akte.Case {
	return akte.Case{
		Tenant:       tn,
		Court:        court,
		Aktenzeichen: akte.Aktenzeichen{Department: "12", Register: register, Year: year},
		Subject:      "Kaufpreisforderung",
		CreatedAt:    testTime,
		CreatedBy:    "tok_test",
	}
}

func mustCreateCase(t *testing.T, db *DB, c akte.Case) akte.Case {
	t.Helper()
	got, err := db.CreateCase(context.Background(), c)
	if err != nil {
		t.Fatalf("CreateCase(%+v) = %v", c, err)
	}
	return got
}

func testCaseNumbering(t *testing.T, newDSN func(t *testing.T) string) {
	db := mustDB(t, newDSN)
	steps := []struct {
		c    akte.Case
		want int
	}{
		{newCase("DE-BY", "D2601", "C", 2026), 1},
		{newCase("DE-BY", "D2601", "C", 2026), 2},
		{newCase("DE-BY", "D2601", "C", 2026), 3},
		{newCase("DE-BY", "D2601", "F", 2026), 1}, // other register
		{newCase("DE-BY", "D2602", "C", 2026), 1}, // other court
		{newCase("DE-BY", "D2601", "C", 2027), 1}, // other year
		{newCase("DE-NW", "D2601", "C", 2026), 1}, // other tenant
		{newCase("DE-BY", "D2601", "c", 2026), 1}, // Registerzeichen are case-sensitive
		{newCase("DE-BY", "D2601", "C", 2026), 4}, // back to the first sequence
		{newCase("DE-BY", "D2601", "F", 2026), 2},
	}
	for i, s := range steps {
		s.c.Aktenzeichen.Number = 99 // ignored
		got := mustCreateCase(t, db, s.c)
		if got.Aktenzeichen.Number != s.want {
			t.Errorf("step %d: CreateCase(%s %s %s/%d).Number = %d, want %d", i, s.c.Tenant, s.c.Court,
				s.c.Aktenzeichen.Register, s.c.Aktenzeichen.Year, got.Aktenzeichen.Number, s.want)
		}
		stored, err := db.Case(context.Background(), got.Tenant, got.ID)
		if err != nil {
			t.Fatalf("Case(%s) = %v", got.ID, err)
		}
		if diff := cmp.Diff(got, stored); diff != "" {
			t.Errorf("step %d: Case differs from CreateCase result (-created +stored):\n%s", i, diff)
		}
	}

	// A failed insert does not use up a number.
	c := newCase("DE-BY", "D2601", "C", 2026)
	c.ID = mustCreateCase(t, db, newCase("DE-BY", "D2601", "C", 2026)).ID // number 5
	if _, err := db.CreateCase(context.Background(), c); err == nil {
		t.Fatalf("CreateCase with a duplicate ID = nil, want an error")
	} else {
		wantIs(t, "CreateCase with a duplicate ID", err, errs.ErrConflict)
	}
	if got := mustCreateCase(t, db, newCase("DE-BY", "D2601", "C", 2026)); got.Aktenzeichen.Number != 6 {
		t.Errorf("number after a failed CreateCase = %d, want 6", got.Aktenzeichen.Number)
	}

	invalid := []akte.Case{
		newCase("", "D2601", "C", 2026),
		newCase("DE-BY", "", "C", 2026),
		newCase("DE-BY", "D2601", "", 2026),
		newCase("DE-BY", "D2601", "C", 0),
		newCase("DE-BY", "D2601", "C", 10000),
	}
	for _, c := range invalid {
		_, err := db.CreateCase(context.Background(), c)
		wantIs(t, fmt.Sprintf("CreateCase(%+v)", c), err, errs.ErrInvalid)
	}
}

func testCaseNumberingConcurrent(t *testing.T, newDSN func(t *testing.T) string) {
	db := mustDB(t, newDSN)
	const workers, perWorker = 50, 5
	var wg sync.WaitGroup
	errc := make(chan error, workers*perWorker)
	start := time.Now()
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				c := newCase("DE-BY", "D2601", "C", 2026)
				c.CreatedBy = fmt.Sprintf("worker-%d-%d", w, i)
				if _, err := db.CreateCase(context.Background(), c); err != nil {
					errc <- err
				}
			}
		})
	}
	// Other registers in the same transactions' neighbourhood must not interfere.
	wg.Go(func() {
		for range 20 {
			if _, err := db.CreateCase(context.Background(), newCase("DE-BY", "D2601", "O", 2026)); err != nil {
				errc <- err
			}
		}
	})
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Errorf("concurrent CreateCase = %v", err)
	}
	t.Logf("%d concurrent CreateCase on %s took %v", workers*perWorker, db.Dialect(), time.Since(start))

	rows, err := db.r.QueryContext(context.Background(), db.q(`SELECT number FROM cases
		WHERE tenant = ? AND court = ? AND register = ? AND year = ? ORDER BY number`), "DE-BY", "D2601", "C", 2026)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		got = append(got, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := make([]int, workers*perWorker)
	for i := range want {
		want[i] = i + 1
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("case numbers are not exactly 1..%d (-want +got):\n%s", len(want), diff)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM cases WHERE register = 'O'`); n != 20 {
		t.Errorf("cases in register O = %d, want 20", n)
	}
}

func testCases(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	const total = akte.MaxCaseLimit + 5
	var ids []akte.CaseID
	for i := range total {
		court := tenancy.CourtID("D2601")
		if i%3 == 0 {
			court = "D2602"
		}
		ids = append(ids, mustCreateCase(t, db, newCase("DE-BY", court, "C", 2026)).ID)
	}
	mustCreateCase(t, db, newCase("DE-NW", "D2601", "C", 2026)) // other tenant
	slices.Sort(ids)

	limits := []struct{ limit, want int }{
		{0, akte.DefaultCaseLimit}, {-1, akte.DefaultCaseLimit}, {7, 7}, {akte.MaxCaseLimit + 1, akte.MaxCaseLimit}, {1 << 30, akte.MaxCaseLimit},
	}
	for _, l := range limits {
		got, err := db.Cases(ctx, "DE-BY", akte.CaseFilter{Limit: l.limit})
		if err != nil || len(got) != l.want {
			t.Errorf("Cases(Limit %d) = %d cases, %v; want %d", l.limit, len(got), err, l.want)
		}
	}

	// Keyset pagination visits every case of the tenant once, in ID order.
	var seen []akte.CaseID
	for f := (akte.CaseFilter{Limit: 97}); ; {
		page, err := db.Cases(ctx, "DE-BY", f)
		if err != nil {
			t.Fatalf("Cases(%+v) = %v", f, err)
		}
		if len(page) == 0 {
			break
		}
		for _, c := range page {
			if c.Tenant != "DE-BY" {
				t.Fatalf("Cases(DE-BY) returned a case of %s", c.Tenant)
			}
			seen = append(seen, c.ID)
		}
		f.After = page[len(page)-1].ID
	}
	if diff := cmp.Diff(ids, seen); diff != "" {
		t.Errorf("paginated Cases mismatch (-want +got):\n%s", diff)
	}

	byCourt, err := db.Cases(ctx, "DE-BY", akte.CaseFilter{Court: "D2602", Limit: akte.MaxCaseLimit})
	if err != nil {
		t.Fatal(err)
	}
	if want := (total + 2) / 3; len(byCourt) != want {
		t.Errorf("Cases(court D2602) = %d cases, want %d", len(byCourt), want)
	}
	for _, c := range byCourt {
		if c.Court != "D2602" {
			t.Errorf("Cases(court D2602) returned a case of %s", c.Court)
		}
	}
	if !slices.IsSortedFunc(byCourt, func(a, b akte.Case) int { return cmpString(string(a.ID), string(b.ID)) }) {
		t.Errorf("Cases(court D2602) not ordered by ID")
	}
	none, err := db.Cases(ctx, "DE-HB", akte.CaseFilter{})
	if err != nil || none == nil || len(none) != 0 {
		t.Errorf("Cases(DE-HB) = %v, %v; want an empty list", none, err)
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func testTenantScoping(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	c := mustCreateCase(t, db, newCase("DE-BY", "D2601", "C", 2026))
	doc := mustCommit(t, db, newDocument(t, db, c, ""))

	_, err := db.Case(ctx, "DE-NW", c.ID)
	wantIs(t, "Case(other tenant)", err, errs.ErrNotFound)
	_, err = db.Case(ctx, "DE-BY", "no-such-case")
	wantIs(t, "Case(missing)", err, errs.ErrNotFound)
	_, err = db.Document(ctx, "DE-NW", doc.ID)
	wantIs(t, "Document(other tenant)", err, errs.ErrNotFound)
	_, err = db.Document(ctx, "DE-BY", "no-such-document")
	wantIs(t, "Document(missing)", err, errs.ErrNotFound)
	_, err = db.Documents(ctx, "DE-NW", c.ID)
	wantIs(t, "Documents(other tenant)", err, errs.ErrNotFound)
	_, err = db.Documents(ctx, "DE-BY", "no-such-case")
	wantIs(t, "Documents(missing case)", err, errs.ErrNotFound)
	if got, err := db.Cases(ctx, "DE-NW", akte.CaseFilter{}); err != nil || len(got) != 0 {
		t.Errorf("Cases(other tenant) = %d cases, %v; want none", len(got), err)
	}

	err = db.BeginUpload(ctx, akte.Upload{Tenant: "DE-NW", Blob: "b-other", Case: c.ID, StartedAt: testTime})
	wantIs(t, "BeginUpload(other tenant's case)", err, errs.ErrNotFound)
	// Even with an upload intent in its own tenant, a tenant cannot file into another's case.
	c2 := mustCreateCase(t, db, newCase("DE-NW", "D2601", "C", 2026))
	if err := db.BeginUpload(ctx, akte.Upload{Tenant: "DE-NW", Blob: "b-nw", Case: c2.ID}); err != nil {
		t.Fatal(err)
	}
	d := newDocumentFor(c2, "b-nw", "")
	d.Case = c.ID
	_, err = db.CommitDocument(ctx, d)
	wantIs(t, "CommitDocument(other tenant's case)", err, errs.ErrNotFound)
	// Nor use another tenant's document as predecessor.
	d = newDocumentFor(c2, "b-nw", doc.ID)
	_, err = db.CommitDocument(ctx, d)
	wantIs(t, "CommitDocument(other tenant's predecessor)", err, errs.ErrInvalid)
	// Aborting in the wrong tenant does not touch the intent.
	if err := db.AbortUpload(ctx, "DE-BY", "b-nw"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM uploads WHERE tenant = 'DE-NW' AND blob = 'b-nw'`); n != 1 {
		t.Errorf("uploads after AbortUpload in another tenant = %d, want 1", n)
	}
}
