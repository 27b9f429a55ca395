// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"justizcloud/akte"
	"justizcloud/errs"
)

func randomBlob(t *testing.T) string {
	t.Helper()
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}

func newDocumentFor(c akte.Case, blob string, pred akte.DocumentID) akte.Document {
	return akte.Document{
		Tenant:      c.Tenant,
		Case:        c.ID,
		Filename:    "Klageschrift.pdf",
		ContentType: "application/pdf",
		Size:        12345,
		SHA256:      sha256.Sum256([]byte(blob)),
		Blob:        blob,
		Predecessor: pred,
		CreatedAt:   testTime,
		CreatedBy:   "tok_test",
	}
}

// newDocument begins an upload for a new blob of case c and returns a
// document for it, ready to commit.
func newDocument(t *testing.T, db *DB, c akte.Case, pred akte.DocumentID) akte.Document {
	t.Helper()
	blob := randomBlob(t)
	if err := db.BeginUpload(context.Background(), akte.Upload{Tenant: c.Tenant, Blob: blob, Case: c.ID, StartedAt: testTime}); err != nil {
		t.Fatalf("BeginUpload = %v", err)
	}
	return newDocumentFor(c, blob, pred)
}

func mustCommit(t *testing.T, db *DB, d akte.Document) akte.Document {
	t.Helper()
	got, err := db.CommitDocument(context.Background(), d)
	if err != nil {
		t.Fatalf("CommitDocument(%+v) = %v", d, err)
	}
	return got
}

func testDocumentVersions(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	c := mustCreateCase(t, db, newCase("DE-BY", "D2601", "C", 2026))
	other := mustCreateCase(t, db, newCase("DE-BY", "D2601", "C", 2026))

	in := newDocument(t, db, c, "")
	in.Version = 42 // ignored
	v1 := mustCommit(t, db, in)
	if v1.ID == "" || v1.Version != 1 {
		t.Fatalf("first version: ID %q, Version %d; want an ID and 1", v1.ID, v1.Version)
	}
	want := in
	want.ID, want.Version, want.CreatedAt = v1.ID, 1, testTime.Truncate(time.Microsecond).UTC()
	if diff := cmp.Diff(want, v1); diff != "" {
		t.Errorf("CommitDocument result mismatch (-want +got):\n%s", diff)
	}
	got, err := db.Document(ctx, "DE-BY", v1.ID)
	if err != nil {
		t.Fatalf("Document = %v", err)
	}
	if diff := cmp.Diff(v1, got); diff != "" {
		t.Errorf("Document mismatch (-committed +stored):\n%s", diff)
	}

	v2 := mustCommit(t, db, newDocument(t, db, c, v1.ID))
	v3 := mustCommit(t, db, newDocument(t, db, c, v2.ID))
	if v2.Version != 2 || v3.Version != 3 || v3.Predecessor != v2.ID {
		t.Errorf("versions = %d, %d (predecessor %s); want 2, 3 (predecessor %s)", v2.Version, v3.Version, v3.Predecessor, v2.ID)
	}
	unrelated := mustCommit(t, db, newDocument(t, db, c, ""))

	failures := []struct {
		name string
		doc  akte.Document
		want error
	}{
		{"second successor", newDocument(t, db, c, v1.ID), errs.ErrConflict},
		{"predecessor of another case", newDocument(t, db, other, v1.ID), errs.ErrInvalid},
		{"missing predecessor", newDocument(t, db, c, "no-such-document"), errs.ErrInvalid},
		{"own predecessor", func() akte.Document {
			d := newDocument(t, db, c, "self")
			d.ID = "self"
			return d
		}(), errs.ErrInvalid},
		{"duplicate ID", func() akte.Document {
			d := newDocument(t, db, c, "")
			d.ID = v1.ID
			return d
		}(), errs.ErrConflict},
		{"no case", newDocumentFor(akte.Case{Tenant: "DE-BY"}, "b", ""), errs.ErrInvalid},
		{"negative size", func() akte.Document {
			d := newDocument(t, db, c, "")
			d.Size = -1
			return d
		}(), errs.ErrInvalid},
	}
	for _, f := range failures {
		_, err := db.CommitDocument(ctx, f.doc)
		wantIs(t, "CommitDocument("+f.name+")", err, f.want)
	}

	docs, err := db.Documents(ctx, "DE-BY", c.ID)
	if err != nil {
		t.Fatalf("Documents = %v", err)
	}
	if diff := cmp.Diff([]akte.Document{v1, v2, v3, unrelated}, docs); diff != "" {
		t.Errorf("Documents mismatch (-want +got):\n%s", diff)
	}
	// Filing order follows CreatedAt first.
	early := newDocument(t, db, other, "")
	early.CreatedAt = testTime.Add(-time.Hour)
	late := newDocument(t, db, other, "")
	late.CreatedAt = testTime.Add(time.Hour)
	l := mustCommit(t, db, late)
	e := mustCommit(t, db, early)
	docs, err = db.Documents(ctx, "DE-BY", other.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]akte.Document{e, l}, docs); diff != "" {
		t.Errorf("Documents(other) mismatch (-want +got):\n%s", diff)
	}
	empty := mustCreateCase(t, db, newCase("DE-BY", "D2601", "C", 2026))
	if docs, err := db.Documents(ctx, "DE-BY", empty.ID); err != nil || docs == nil || len(docs) != 0 {
		t.Errorf("Documents(case without documents) = %v, %v; want an empty list", docs, err)
	}
}

func testUploads(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	c := mustCreateCase(t, db, newCase("DE-BY", "D2601", "C", 2026))
	c2 := mustCreateCase(t, db, newCase("DE-HH", "K1101", "C", 2026))
	base := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	ups := []akte.Upload{
		{Tenant: "DE-BY", Blob: "old-1", Case: c.ID, StartedAt: base.Add(-2 * time.Hour)},
		{Tenant: "DE-HH", Blob: "old-2", Case: c2.ID, StartedAt: base.Add(-time.Hour)},
		{Tenant: "DE-BY", Blob: "edge", Case: c.ID, StartedAt: base}, // not before the cutoff
		{Tenant: "DE-BY", Blob: "new", Case: c.ID, StartedAt: base.Add(time.Minute)},
	}
	for _, u := range ups {
		if err := db.BeginUpload(ctx, u); err != nil {
			t.Fatalf("BeginUpload(%s) = %v", u.Blob, err)
		}
	}
	err := db.BeginUpload(ctx, ups[0])
	wantIs(t, "BeginUpload(duplicate)", err, errs.ErrConflict)
	err = db.BeginUpload(ctx, akte.Upload{Tenant: "DE-BY", Blob: "x", Case: "no-such-case"})
	wantIs(t, "BeginUpload(missing case)", err, errs.ErrNotFound)
	err = db.BeginUpload(ctx, akte.Upload{Tenant: "DE-BY", Case: c.ID})
	wantIs(t, "BeginUpload(no blob)", err, errs.ErrInvalid)

	stale, err := db.StaleUploads(ctx, base)
	if err != nil {
		t.Fatalf("StaleUploads = %v", err)
	}
	if diff := cmp.Diff(ups[:2], stale); diff != "" {
		t.Errorf("StaleUploads mismatch (-want +got):\n%s", diff)
	}

	if err := db.AbortUpload(ctx, "DE-BY", "old-1"); err != nil {
		t.Fatalf("AbortUpload = %v", err)
	}
	if err := db.AbortUpload(ctx, "DE-BY", "old-1"); err != nil {
		t.Errorf("AbortUpload(missing) = %v, want nil", err)
	}
	stale, err = db.StaleUploads(ctx, base.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ups[1:], stale); diff != "" {
		t.Errorf("StaleUploads after abort mismatch (-want +got):\n%s", diff)
	}

	// CommitDocument consumes the intent in the same transaction.
	uploads := func() int {
		return count(t, db, `SELECT COUNT(*) FROM uploads WHERE tenant = 'DE-BY' AND blob = 'new'`)
	}
	wrongCase := newDocumentFor(mustCreateCase(t, db, newCase("DE-BY", "D2601", "C", 2026)), "new", "")
	_, err = db.CommitDocument(ctx, wrongCase)
	wantIs(t, "CommitDocument(intent of another case)", err, errs.ErrInvalid)
	if uploads() != 1 {
		t.Fatalf("a failed CommitDocument removed the upload intent")
	}
	doc := mustCommit(t, db, newDocumentFor(c, "new", ""))
	if n := uploads(); n != 0 {
		t.Errorf("uploads for a committed blob = %d, want 0", n)
	}
	_, err = db.CommitDocument(ctx, newDocumentFor(c, "new", ""))
	wantIs(t, "CommitDocument(intent already used)", err, errs.ErrConflict)
	_, err = db.CommitDocument(ctx, newDocumentFor(c, "never-begun", ""))
	wantIs(t, "CommitDocument(no intent)", err, errs.ErrConflict)
	if n := count(t, db, `SELECT COUNT(*) FROM documents`); n != 1 {
		t.Errorf("documents = %d, want 1 (%s)", n, doc.ID)
	}
}
