// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package blob_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"justizcloud/blob"
	"justizcloud/blob/fsblob"
)

const benchSize = 8 << 20

// benchPut puts benchSize bytes again and again under one key; every
// iteration includes the fsync of file and directory.
func benchPut(b *testing.B, s blob.Store) {
	ctx := context.Background()
	data := recognisable(benchSize)
	key := blob.Key{Tenant: "DE-BY", Name: "bench"}
	r := bytes.NewReader(data)
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(data)
		if err := s.Put(ctx, key, r); err != nil {
			b.Fatal(err)
		}
	}
}

func benchGet(b *testing.B, s blob.Store) {
	ctx := context.Background()
	key := blob.Key{Tenant: "DE-BY", Name: "bench"}
	if err := s.Put(ctx, key, bytes.NewReader(recognisable(benchSize))); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		rc, err := s.Get(ctx, key)
		if err != nil {
			b.Fatal(err)
		}
		if n, err := io.Copy(io.Discard, rc); err != nil || n != benchSize {
			b.Fatalf("Get = %d bytes, %v", n, err)
		}
		rc.Close()
	}
}

func BenchmarkEncryptedPut8MiB(b *testing.B) { benchPut(b, newFixture(b).enc) }
func BenchmarkEncryptedGet8MiB(b *testing.B) { benchGet(b, newFixture(b).enc) }

// The fsblob baselines show what the file system costs without encryption.
func BenchmarkFSPut8MiB(b *testing.B) { benchPut(b, mustFS(b)) }
func BenchmarkFSGet8MiB(b *testing.B) { benchGet(b, mustFS(b)) }

func mustFS(tb testing.TB) *fsblob.Store {
	tb.Helper()
	s, err := fsblob.Open(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
