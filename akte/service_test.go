// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package akte_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/blob"
	"justizcloud/blob/fsblob"
	"justizcloud/errs"
	"justizcloud/sqlstore/storetest"
)

type fixture struct {
	svc   *akte.Service
	blobs *blob.Encrypted
	inner *fsblob.Store
	sub   authz.Subject
}

// mustFixture wires the service to the real embedded backends in a temp folder.
func mustFixture(t *testing.T) fixture {
	t.Helper()
	b := storetest.Open(t, "")
	return fixture{
		svc:   akte.NewService(b.DB, b.Blobs, b.Catalog, akte.Options{MaxUpload: 1 << 20}),
		blobs: b.Blobs, inner: b.Inner,
		sub: authz.Subject{ID: "t", Tenant: "DE-BY", Role: authz.Geschaeftsstelle},
	}
}

func (f fixture) mustCase(t *testing.T) akte.Case {
	t.Helper()
	c, err := f.svc.CreateCase(context.Background(), f.sub, akte.NewCase{Court: "D2601", Register: "C"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f fixture) innerNames(t *testing.T) []string {
	t.Helper()
	names, err := f.inner.List(context.Background(), "DE-BY", "")
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestShreddedDocumentIsGone(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	c := f.mustCase(t)
	d, err := f.svc.AddDocument(ctx, f.sub, akte.NewDocument{Case: c.ID, Filename: "urteil.pdf", Body: strings.NewReader("Im Namen des Volkes")})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.blobs.Shred(ctx, blob.Key{Tenant: d.Tenant, Name: d.Blob}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Content(ctx, f.sub, d.ID); !errors.Is(err, errs.ErrGone) {
		t.Errorf("Content after shredding = %v, want ErrGone", err)
	}
	// The metadata stays: the file shows that the document existed.
	if _, err := f.svc.Document(ctx, f.sub, d.ID); err != nil {
		t.Errorf("Document after shredding = %v, want the metadata", err)
	}
}

// failAfter yields n bytes, then fails like a client that hangs up.
type failAfter struct{ n int }

func (r *failAfter) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	k := min(len(p), r.n)
	for i := range p[:k] {
		p[i] = 'x'
	}
	r.n -= k
	return k, nil
}

func TestFailedUploadsLeaveNothing(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	c := f.mustCase(t)
	tests := []struct {
		name string
		in   akte.NewDocument
		want error
	}{
		{"client hangs up", akte.NewDocument{Case: c.ID, Body: &failAfter{300 << 10}}, io.ErrUnexpectedEOF},
		{"over the limit", akte.NewDocument{Case: c.ID, Body: &failAfter{2 << 20}}, errs.ErrTooLarge},
		{"digest mismatch", akte.NewDocument{Case: c.ID, Body: strings.NewReader("abc"), SHA256: make([]byte, 32)}, errs.ErrInvalid},
		{"bad media type", akte.NewDocument{Case: c.ID, Body: strings.NewReader("abc"), ContentType: "kein/typ/;;"}, errs.ErrInvalid},
		{"other tenant's case", akte.NewDocument{Case: "nope", Body: strings.NewReader("abc")}, errs.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := f.svc.AddDocument(ctx, f.sub, tt.in); !errors.Is(err, tt.want) {
				t.Errorf("AddDocument = %v, want %v", err, tt.want)
			}
			if names := f.innerNames(t); len(names) != 0 {
				t.Errorf("blobs left behind: %v", names)
			}
			if n, err := f.svc.SweepUploads(ctx, time.Now().Add(time.Hour)); n != 0 || err != nil {
				t.Errorf("upload intents left behind: %d (%v)", n, err)
			}
		})
	}
}

func TestSweepRemovesAbandonedUploads(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	c := f.mustCase(t)
	// A reader that blocks until the context ends, like a stalled client of a killed request.
	ctx2, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() {
		_, err := f.svc.AddDocument(ctx2, f.sub, akte.NewDocument{Case: c.ID, Body: &failAfter{100 << 10}})
		done <- err
	}()
	if err := <-done; err == nil {
		t.Fatal("AddDocument of a failing body succeeded")
	}
	cancel()
	if n, err := f.svc.SweepUploads(ctx, time.Now().Add(time.Hour)); err != nil || n != 0 {
		t.Errorf("SweepUploads = %d, %v; want 0 (discarded at once)", n, err)
	}
	d, err := f.svc.AddDocument(ctx, f.sub, akte.NewDocument{Case: c.ID, Body: strings.NewReader("bleibt")})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := f.svc.SweepUploads(ctx, time.Now().Add(time.Hour)); err != nil || n != 0 {
		t.Errorf("SweepUploads after a commit = %d, %v; want 0", n, err)
	}
	if _, rc, err := f.svc.Content(ctx, f.sub, d.ID); err != nil {
		t.Errorf("committed document unreadable after sweep: %v", err)
	} else {
		rc.Close()
	}
}
