// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/identity"
	"justizcloud/keys"
	"justizcloud/keys/keystest"
)

func testDataKeys(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	keystest.RunDataKeys(t, db)

	// Destroying erases the key material in the row, not just a flag.
	w := keys.Wrapped{KEK: "kek-1", Ciphertext: []byte("0123456789abcdef0123456789abcdef")}
	if err := db.PutDataKey(ctx, "DE-BY", "shred", w); err != nil {
		t.Fatal(err)
	}
	if err := db.DestroyDataKey(ctx, "DE-BY", "shred"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM data_keys WHERE name = 'shred' AND wrapped IS NULL AND destroyed_at IS NOT NULL`); n != 1 {
		t.Errorf("destroyed rows with wrapped NULL and destroyed_at set = %d, want 1", n)
	}
	for _, bad := range []keys.Wrapped{{KEK: "", Ciphertext: []byte{1}}, {KEK: "k"}} {
		err := db.PutDataKey(ctx, "DE-BY", "bad", bad)
		wantIs(t, "PutDataKey(incomplete)", err, errs.ErrInvalid)
	}
}

func testTokens(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	tok := identity.Token{
		ID:        "tok_1",
		Hash:      sha256.Sum256([]byte("secret-1")),
		Subject:   authz.Subject{ID: "tok_1", Tenant: "DE-BY", Role: authz.Richter, Court: "D2601"},
		Label:     "Richterin Muster",
		CreatedAt: testTime,
		ExpiresAt: testTime.Add(24 * time.Hour),
	}
	if err := db.CreateToken(ctx, tok); err != nil {
		t.Fatalf("CreateToken = %v", err)
	}
	got, err := db.TokenByHash(ctx, tok.Hash)
	if err != nil {
		t.Fatalf("TokenByHash = %v", err)
	}
	want := tok
	want.CreatedAt = testTime.Truncate(time.Microsecond).UTC()
	want.ExpiresAt = tok.ExpiresAt.Truncate(time.Microsecond).UTC()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("TokenByHash mismatch (-want +got):\n%s", diff)
	}

	_, err = db.TokenByHash(ctx, sha256.Sum256([]byte("unknown")))
	wantIs(t, "TokenByHash(unknown)", err, errs.ErrNotFound)

	dup := tok
	dup.ID = "tok_2"
	wantIs(t, "CreateToken(duplicate hash)", db.CreateToken(ctx, dup), errs.ErrConflict)
	dup = tok
	dup.Hash = sha256.Sum256([]byte("secret-2"))
	wantIs(t, "CreateToken(duplicate ID)", db.CreateToken(ctx, dup), errs.ErrConflict)
	wantIs(t, "CreateToken(no tenant)", db.CreateToken(ctx, identity.Token{ID: "tok_3"}), errs.ErrInvalid)

	// The token service works end to end on the store; a token without
	// expiry and court round-trips with zero values.
	now := func() time.Time { return testTime }
	ts := identity.NewTokens(db, nil, now)
	secret, issued, err := ts.Issue(ctx, authz.Subject{Tenant: "DE-NW", Role: authz.Landesadmin}, "admin", 0)
	if err != nil {
		t.Fatalf("Issue = %v", err)
	}
	sub, err := ts.Verify(ctx, secret)
	if err != nil {
		t.Fatalf("Verify = %v", err)
	}
	if diff := cmp.Diff(issued.Subject, sub); diff != "" {
		t.Errorf("Verify mismatch (-issued +verified):\n%s", diff)
	}
	stored, err := db.TokenByHash(ctx, issued.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if !stored.ExpiresAt.IsZero() || stored.Subject.Court != "" {
		t.Errorf("stored token ExpiresAt = %v, Court = %q; want zero values", stored.ExpiresAt, stored.Subject.Court)
	}
	_, err = ts.Verify(ctx, "jc_unknown")
	wantIs(t, "Verify(unknown)", err, errs.ErrUnauthenticated)
}

func testTimeRoundTrip(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	times := []time.Time{
		testTime,
		time.Date(2026, 10, 25, 2, 30, 0, 999999999, time.FixedZone("CEST", 7200)),
		time.Date(1969, 12, 31, 23, 59, 59, 999_999_500, time.UTC), // before the Unix epoch
		time.Date(2100, 1, 1, 0, 0, 0, 1000, time.UTC),
		time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC).Round(0), // no monotonic reading
	}
	for i, in := range times {
		want := in.Truncate(time.Microsecond).UTC()
		c := newCase("DE-BY", "D2601", "C", 2026)
		c.CreatedAt = in
		created := mustCreateCase(t, db, c)
		stored, err := db.Case(ctx, "DE-BY", created.ID)
		if err != nil {
			t.Fatal(err)
		}
		up := akte.Upload{Tenant: "DE-BY", Blob: randomBlob(t), Case: created.ID, StartedAt: in}
		if err := db.BeginUpload(ctx, up); err != nil {
			t.Fatal(err)
		}
		stale, err := db.StaleUploads(ctx, want.Add(time.Microsecond))
		if err != nil || len(stale) == 0 {
			t.Fatalf("StaleUploads = %v, %v", stale, err)
		}
		gotUp := stale[len(stale)-1]
		for _, got := range []struct {
			what string
			t    time.Time
		}{
			{"CreateCase", created.CreatedAt},
			{"Case", stored.CreatedAt},
			{"StaleUploads", gotUp.StartedAt},
		} {
			if !got.t.Equal(want) || got.t.Location() != time.UTC {
				t.Errorf("time %d: %s returned %v, want %v in UTC", i, got.what, got.t, want)
			}
		}
		// The cutoff of StaleUploads is exclusive, at microsecond precision.
		if s, err := db.StaleUploads(ctx, want); err != nil || len(s) != len(stale)-1 {
			t.Errorf("time %d: StaleUploads(exactly the start) = %d uploads, %v; want %d", i, len(s), err, len(stale)-1)
		}
		if err := db.AbortUpload(ctx, "DE-BY", up.Blob); err != nil {
			t.Fatal(err)
		}
	}

	// A zero CreatedAt means now.
	before := time.Now().Add(-time.Second)
	c := newCase("DE-BY", "D2601", "C", 2026)
	c.CreatedAt = time.Time{}
	got := mustCreateCase(t, db, c)
	if got.CreatedAt.Before(before) || got.CreatedAt.After(time.Now().Add(time.Second)) {
		t.Errorf("CreateCase with zero CreatedAt stored %v, want about now", got.CreatedAt)
	}
}
