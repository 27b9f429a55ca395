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
	"justizcloud/search"
	"justizcloud/tenancy"
)

func testSearch(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	c1 := mustCreateCase(t, db, newCase("DE-BY", "D2601", "C", 2026))
	c2in := newCase("DE-BY", "D2602", "C", 2026)
	c2in.Aktenzeichen.Department = "7"
	c2 := mustCreateCase(t, db, c2in)
	nw := mustCreateCase(t, db, newCase("DE-NW", "D2601", "C", 2026))
	d1 := mustCommit(t, db, newDocument(t, db, c1, ""))

	pending, err := db.Unindexed(ctx, time.Time{}, 100)
	if err != nil {
		t.Fatalf("Unindexed = %v", err)
	}
	if len(pending) != 4 {
		t.Errorf("Unindexed = %v, want 3 cases and 1 document", pending)
	}

	caseEntry := func(c akte.Case, text string) search.Entry {
		return search.Entry{Tenant: c.Tenant, Court: c.Court, Case: c.ID, Kind: search.KindCase,
			Aktenzeichen: c.Aktenzeichen.String(), Title: c.Subject, Text: text, Tokens: search.Analyze(text), Date: c.CreatedAt}
	}
	docText := `Die Urteile wurden verkündet. "NEAR(" AND OR *`
	entries := []search.Entry{
		caseEntry(c1, c1.Aktenzeichen.String()+" Amtsgericht München, Max Müller"),
		caseEntry(c2, c2.Aktenzeichen.String()+" Amtsgericht Muenchen"),
		caseEntry(nw, nw.Aktenzeichen.String()+" Amtsgericht München"),
		{Tenant: d1.Tenant, Court: c1.Court, Case: c1.ID, Document: d1.ID, Kind: search.KindDocument,
			Aktenzeichen: c1.Aktenzeichen.String(), Title: d1.Filename, Text: docText, Tokens: search.Analyze(docText),
			Date: d1.CreatedAt},
	}
	for _, e := range entries {
		if err := db.PutSearchEntries(ctx, []search.Entry{e}); err != nil {
			t.Fatalf("PutSearchEntry(%s %s) = %v", e.Case, e.Document, err)
		}
	}
	if err := db.PutSearchEntries(ctx, []search.Entry{entries[0]}); err != nil { // replacing is fine; c1 is now the newest
		t.Fatalf("PutSearchEntry again = %v", err)
	}
	bad := entries[0]
	bad.Tenant = "DE-NW"
	wantIs(t, "PutSearchEntry with another tenant's case", db.PutSearchEntries(ctx, []search.Entry{bad}), errs.ErrNotFound)
	if pending, err := db.Unindexed(ctx, time.Time{}, 100); err != nil || len(pending) != 0 {
		t.Errorf("Unindexed after indexing = %v, %v; want none", pending, err)
	}

	type hit struct {
		Case akte.CaseID
		Doc  akte.DocumentID
	}
	find := func(tn tenancy.ID, f search.Filter) []hit {
		t.Helper()
		hs, err := db.SearchEntries(ctx, tn, f)
		if err != nil {
			t.Fatalf("SearchEntries(%s, %+v) = %v", tn, f, err)
		}
		out := []hit{}
		for _, h := range hs {
			if h.Tenant != tn {
				t.Errorf("hit of tenant %s in a search of %s", h.Tenant, tn)
			}
			out = append(out, hit{h.Case, h.Document})
		}
		return out
	}
	steps := []struct {
		name   string
		tenant tenancy.ID
		f      search.Filter
		want   []hit
	}{
		{"stemmed", "DE-BY", search.Filter{Terms: search.Terms("Urteil")}, []hit{{c1.ID, d1.ID}}},
		{"umlaut spellings, newest first", "DE-BY", search.Filter{Terms: search.Terms("münchen")}, []hit{{c1.ID, ""}, {c2.ID, ""}}},
		{"other tenant", "DE-NW", search.Filter{Terms: search.Terms("Muenchen")}, []hit{{nw.ID, ""}}},
		{"AND", "DE-BY", search.Filter{Terms: search.Terms("München Müller")}, []hit{{c1.ID, ""}}},
		{"Aktenzeichen", "DE-BY", search.Filter{Terms: search.Terms(c1.Aktenzeichen.String())}, []hit{{c1.ID, ""}}},
		{"operators are words", "DE-BY", search.Filter{Terms: search.Terms(`"near(" and OR`)}, []hit{{c1.ID, d1.ID}}},
		{"court", "DE-BY", search.Filter{Terms: search.Terms("München"), Court: "D2601"}, []hit{{c1.ID, ""}}},
		{"from", "DE-BY", search.Filter{Terms: search.Terms("München"), From: testTime.Add(time.Hour)}, []hit{}},
		{"to", "DE-BY", search.Filter{Terms: search.Terms("München"), To: testTime.Add(-time.Hour)}, []hit{}},
		{"page", "DE-BY", search.Filter{Terms: search.Terms("München"), Limit: 1}, []hit{{c1.ID, ""}}},
		{"no match", "DE-BY", search.Filter{Terms: search.Terms("Berufung")}, []hit{}},
		{"class", "DE-BY", search.Filter{Terms: search.Terms("Urteil"), Class: "Urteil"}, []hit{}},
		{"no class", "DE-BY", search.Filter{Terms: search.Terms("Urteil"), Class: ""}, []hit{{c1.ID, d1.ID}}},
		{"state of a plain case file", "DE-BY", search.Filter{Terms: search.Terms("München"), State: "eingereicht", InitialIn: []string{"zivil-online"}}, []hit{}},
		{"initial state", "DE-BY", search.Filter{Terms: search.Terms("München"), State: "eingereicht", InitialIn: []string{""}}, []hit{{c1.ID, ""}, {c2.ID, ""}}},
	}
	for _, s := range steps {
		if diff := cmp.Diff(s.want, find(s.tenant, s.f)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", s.name, diff)
		}
	}
	first, err := db.SearchEntries(ctx, "DE-BY", search.Filter{Terms: search.Terms("München"), Limit: 1})
	if err != nil || len(first) != 1 {
		t.Fatalf("first page = %v, %v", first, err)
	}
	if diff := cmp.Diff([]hit{{c2.ID, ""}}, find("DE-BY", search.Filter{Terms: search.Terms("München"), After: first[0].Seq})); diff != "" {
		t.Errorf("second page (-want +got):\n%s", diff)
	}

	// Shredding a document removes its text from the index; the entry
	// keeps the filename's words, in the same transaction.
	if got := find("DE-BY", search.Filter{Terms: search.Terms("Klageschrift")}); len(got) != 0 {
		t.Fatalf("filename words before shredding = %v, want none (the entry holds the text's)", got)
	}
	if err := db.AddTombstone(ctx, retention.Tombstone{Tenant: d1.Tenant, Document: d1.ID, Case: c1.ID, Rule: "test", DestroyedBy: "t"}); err != nil {
		t.Fatalf("AddTombstone = %v", err)
	}
	if got := find("DE-BY", search.Filter{Terms: search.Terms("Urteil")}); len(got) != 0 {
		t.Errorf("search after shredding = %v, want nothing", got)
	}
	if diff := cmp.Diff([]hit{{c1.ID, d1.ID}}, find("DE-BY", search.Filter{Terms: search.Terms("Klageschrift")})); diff != "" {
		t.Errorf("search for the filename after shredding (-want +got):\n%s", diff)
	}
	if pending, _ := db.Unindexed(ctx, time.Time{}, 100); len(pending) != 0 {
		t.Errorf("Unindexed after shredding = %v, want nothing", pending)
	}

	if m, err := db.ScanMark(ctx); err != nil || !m.IsZero() {
		t.Errorf("ScanMark of a new store = %v, %v; want zero", m, err)
	}
	mark := time.Date(2026, 11, 27, 13, 30, 0, 123456789, time.UTC)
	if err := db.SetScanMark(ctx, mark); err != nil {
		t.Fatal(err)
	}
	if m, err := db.ScanMark(ctx); err != nil || !m.Equal(mark) {
		t.Errorf("ScanMark = %v, %v; want %v", m, err, mark)
	}
	if err := db.ClearSearchIndex(ctx); err != nil {
		t.Fatalf("ClearSearchIndex = %v", err)
	}
	if m, err := db.ScanMark(ctx); err != nil || !m.IsZero() {
		t.Errorf("ScanMark after clearing the index = %v, %v; want zero", m, err)
	}
	if pending, _ := db.Unindexed(ctx, time.Time{}, 100); len(pending) != 4 {
		t.Errorf("Unindexed after clearing = %v, want everything", pending)
	}
	// Looks with a since see only what was created from then on.
	if pending, err := db.Unindexed(ctx, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), 100); err != nil || len(pending) != 4 {
		t.Errorf("Unindexed since 2000 = %v, %v; want everything", pending, err)
	}
	if pending, err := db.Unindexed(ctx, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), 100); err != nil || len(pending) != 0 {
		t.Errorf("Unindexed since 3000 = %v, %v; want nothing", pending, err)
	}
}
