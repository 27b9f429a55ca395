// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"encoding/hex"
	"path/filepath"
	"testing"

	"justizcloud/audit"
	"justizcloud/sqlstore/pgtest"
)

func TestAuditPendingSQLite(t *testing.T) {
	testAuditPending(t, func(t *testing.T) string {
		return filepath.Join(t.TempDir(), "data", "justizcloud.db")
	})
}

func TestAuditPendingPostgres(t *testing.T) {
	pgtest.DSN(t)
	testAuditPending(t, func(t *testing.T) string { return pgtest.DSN(t) })
}

// testAuditPending checks that CommitDocument writes a pending audit entry of
// its own log in the document's transaction, completed from the document;
// that a failed commit stores neither; that a pending entry of another
// store's log is left to its caller; and that the log verifies afterwards.
func testAuditPending(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	signer := mustSigner(t)
	l := audit.NewLog(db, signer, nil)
	c := mustCreateCase(t, db, newCase("DE-BY", "D2601", "C", 2026))
	mustAppend(t, l, testEntry("DE-BY", 0)) // the tree does not start empty

	template := audit.Entry{Subject: "usr_gs", Role: "geschaeftsstelle", Court: "D2601", Action: "document.create",
		Route: "POST /api/v1/cases/{id}/documents", Outcome: audit.Allowed, Status: 201, RequestID: "req-1"}
	p, err := l.Pending(template)
	if err != nil {
		t.Fatalf("Pending = %v", err)
	}
	doc, err := db.CommitDocument(audit.WithPending(ctx, p), newDocument(t, db, c, ""))
	if err != nil {
		t.Fatalf("CommitDocument = %v", err)
	}
	e, ok := p.Done()
	if !ok {
		t.Fatal("the pending entry was not recorded")
	}
	if e.Seq != 1 || e.Tenant != "DE-BY" || e.Case != string(c.ID) || e.Document != string(doc.ID) ||
		e.SHA256 != hex.EncodeToString(doc.SHA256[:]) || e.Subject != "usr_gs" || e.Status != 201 {
		t.Errorf("recorded entry = %+v; want seq 1 about document %s of case %s", e, doc.ID, c.ID)
	}
	stored, err := l.About(ctx, "DE-BY", audit.RefQuery{Document: string(doc.ID)})
	if err != nil || len(stored) != 1 || stored[0].Seq != 1 || stored[0].RequestID != "req-1" {
		t.Fatalf("About(document) = %+v, %v; want the one entry", stored, err)
	}
	if p.For(db) {
		t.Error("a recorded entry is still offered to the store")
	}

	// A commit that fails (no upload intent) stores no entry.
	p2, err := l.Pending(template)
	if err != nil {
		t.Fatal(err)
	}
	bad := newDocumentFor(c, randomBlob(t), "")
	if _, err := db.CommitDocument(audit.WithPending(ctx, p2), bad); err == nil {
		t.Fatal("CommitDocument without an upload intent succeeded")
	}
	if _, ok := p2.Done(); ok {
		t.Error("a failed commit marked its entry recorded")
	}
	if n, err := db.AuditSize(ctx, "DE-BY"); err != nil || n != 2 {
		t.Errorf("AuditSize after a failed commit = %d, %v; want 2", n, err)
	}

	// The pending entry of another store's log is not this store's to write.
	other := audit.NewLog(mustDB(t, newDSN), signer, nil)
	p3, err := other.Pending(template)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CommitDocument(audit.WithPending(ctx, p3), newDocument(t, db, c, "")); err != nil {
		t.Fatal(err)
	}
	if _, ok := p3.Done(); ok {
		t.Error("a store wrote the pending entry of another store's log")
	}
	if n, err := db.AuditSize(ctx, "DE-BY"); err != nil || n != 2 {
		t.Errorf("AuditSize = %d, %v; want 2", n, err)
	}

	// Entries written with a document and appended by the log interleave
	// into one verifiable tree.
	mustAppend(t, l, testEntry("DE-BY", 3))
	rep, err := audit.Verify(ctx, db, "DE-BY", l.PublicKey())
	if err != nil || !rep.OK() {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
}
