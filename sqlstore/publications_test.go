// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"justizcloud/errs"
	"justizcloud/sqlstore/pgtest"
	"justizcloud/veroeffentlichung"
)

func TestPublicationsSQLite(t *testing.T) {
	testPublications(t, func(t *testing.T) string { return filepath.Join(t.TempDir(), "data", "justizcloud.db") })
}

func TestPublicationsPostgres(t *testing.T) {
	pgtest.DSN(t) // skips (or fails under CI) when PostgreSQL is unreachable
	testPublications(t, func(t *testing.T) string { return pgtest.DSN(t) })
}

// testPublications: publications round-trip, are scoped by tenant and
// court, change only on the version they were read at (one of two
// concurrent writers wins), and only published ones are public.
func testPublications(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	p := veroeffentlichung.Publication{ID: "pub-1", Tenant: "DE-BY", Court: "D2601", Case: "case-1", Document: "doc-1",
		Aktenzeichen: "1 C 1/26", Title: "Urteil", DecidedAt: t0.Add(-time.Hour), State: veroeffentlichung.Pruefung, Version: 1,
		Blob: "blob-1", CreatedAt: t0, CreatedBy: "gs", UpdatedAt: t0}
	other := p
	other.ID, other.Court, other.Document, other.CreatedAt = "pub-2", "D2600", "doc-2", t0.Add(time.Minute)
	nw := p
	nw.ID, nw.Tenant, nw.Court = "pub-3", "DE-NW", "R3306"
	for _, x := range []veroeffentlichung.Publication{p, other, nw} {
		if err := db.CreatePublication(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	wantIs(t, "CreatePublication twice", db.CreatePublication(ctx, p), errs.ErrConflict)
	second := p
	second.ID = "pub-1b" // another open publication of doc-1
	wantIs(t, "a second open publication of a decision", db.CreatePublication(ctx, second), errs.ErrConflict)
	wantIs(t, "CreatePublication without a case", db.CreatePublication(ctx, veroeffentlichung.Publication{ID: "x", Tenant: "DE-BY", Version: 1}), errs.ErrInvalid)

	got, err := db.Publication(ctx, "DE-BY", "pub-1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, got); diff != "" {
		t.Errorf("Publication (-want +got):\n%s", diff)
	}
	_, err = db.Publication(ctx, "DE-NW", "pub-1")
	wantIs(t, "Publication of another tenant", err, errs.ErrNotFound)

	ids := func(ps []veroeffentlichung.Publication, err error) []veroeffentlichung.ID {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var out []veroeffentlichung.ID
		for _, x := range ps {
			out = append(out, x.ID)
		}
		return out
	}
	if got := ids(db.Publications(ctx, "DE-BY", "", 10)); !cmp.Equal(got, []veroeffentlichung.ID{"pub-2", "pub-1"}) {
		t.Errorf("Publications(DE-BY) = %v, want newest first [pub-2 pub-1]", got)
	}
	if got := ids(db.Publications(ctx, "DE-BY", "D2601", 10)); !cmp.Equal(got, []veroeffentlichung.ID{"pub-1"}) {
		t.Errorf("Publications(DE-BY, D2601) = %v, want [pub-1]", got)
	}
	if got := ids(db.PublicationsOf(ctx, "DE-BY", "doc-1")); !cmp.Equal(got, []veroeffentlichung.ID{"pub-1"}) {
		t.Errorf("PublicationsOf(doc-1) = %v, want [pub-1]", got)
	}

	// Two writers on version 1: exactly one wins, the other gets ErrConflict.
	var wg sync.WaitGroup
	errc := make(chan error, 2)
	for _, by := range []string{"richter", "gs"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := p
			q.Version, q.Blob, q.ReviewedBy, q.UpdatedAt = 2, "blob-"+by, by, t0.Add(time.Hour)
			errc <- db.UpdatePublication(ctx, q, 1)
		}()
	}
	wg.Wait()
	close(errc)
	var won, lost int
	for err := range errc {
		switch {
		case err == nil:
			won++
		case errors.Is(err, errs.ErrConflict):
			lost++
		default:
			t.Fatal(err)
		}
	}
	if won != 1 || lost != 1 {
		t.Errorf("concurrent updates: %d won, %d conflicts; want 1 and 1", won, lost)
	}
	wantIs(t, "UpdatePublication of another tenant", db.UpdatePublication(ctx, veroeffentlichung.Publication{ID: "pub-1", Tenant: "DE-NW", Version: 3}, 2), errs.ErrConflict)

	// Nothing is public before it is published.
	if got := ids(db.PublishedDecisions(ctx, time.Time{}, 10)); len(got) != 0 {
		t.Errorf("PublishedDecisions before publishing = %v, want none", got)
	}
	_, err = db.PublishedDecision(ctx, "pub-1")
	wantIs(t, "PublishedDecision under review", err, errs.ErrNotFound)

	pub := p
	pub.State, pub.Version, pub.Blob, pub.ReviewedBy, pub.UpdatedAt = veroeffentlichung.Veroeffentlicht, 3, "", "richter", t0.Add(2*time.Hour)
	pub.PublishedAt, pub.PublishedBy, pub.Text, pub.Record = t0.Add(2*time.Hour), "richter", "Die Klägerin A. …", `{"publication":"pub-1"}`
	if err := db.UpdatePublication(ctx, pub, 2); err != nil {
		t.Fatal(err)
	}
	later := nw
	later.State, later.Version, later.PublishedAt, later.Text = veroeffentlichung.Veroeffentlicht, 2, t0.Add(3*time.Hour), "B."
	if err := db.UpdatePublication(ctx, later, 1); err != nil {
		t.Fatal(err)
	}
	got, err = db.PublishedDecision(ctx, "pub-1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(pub, got); diff != "" {
		t.Errorf("PublishedDecision (-want +got):\n%s", diff)
	}
	if got := ids(db.PublishedDecisions(ctx, time.Time{}, 10)); !cmp.Equal(got, []veroeffentlichung.ID{"pub-3", "pub-1"}) {
		t.Errorf("PublishedDecisions = %v, want across tenants, newest first [pub-3 pub-1]", got)
	}
	if got := ids(db.PublishedDecisions(ctx, t0.Add(3*time.Hour), 10)); !cmp.Equal(got, []veroeffentlichung.ID{"pub-1"}) {
		t.Errorf("PublishedDecisions before pub-3 = %v, want [pub-1]", got)
	}
}
