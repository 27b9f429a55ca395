// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package storetest_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"justizcloud/blob"
	"justizcloud/sqlstore/pgtest"
	"justizcloud/sqlstore/storetest"
)

// TestOpen stores a blob through the backends of both dialects: it reads
// back as written through Blobs, and Inner holds only its ciphertext.
func TestOpen(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) { testOpen(t, "") })
	t.Run("Postgres", func(t *testing.T) { testOpen(t, pgtest.DSN(t)) })
}

func testOpen(t *testing.T, dsn string) {
	ctx := context.Background()
	b := storetest.Open(t, dsn)
	if _, err := b.Catalog.Court("D2601"); err != nil {
		t.Errorf("catalogue: %v", err)
	}
	plain := []byte("Im Namen des Volkes")
	key := blob.Key{Tenant: "DE-BY", Name: "probe"}
	if err := b.Blobs.Put(ctx, key, bytes.NewReader(plain)); err != nil {
		t.Fatal(err)
	}
	r, err := b.Blobs.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil || !bytes.Equal(got, plain) {
		t.Errorf("Get = %q, %v; want %q", got, err, plain)
	}
	names, err := b.Inner.List(ctx, "DE-BY", "")
	if err != nil || len(names) == 0 {
		t.Fatalf("Inner.List = %v, %v", names, err)
	}
	for _, n := range names {
		r, err := b.Inner.Get(ctx, blob.Key{Tenant: "DE-BY", Name: n})
		if err != nil {
			t.Fatal(err)
		}
		stored, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(stored, plain) {
			t.Errorf("inner blob %s holds the plaintext", n)
		}
	}
}
