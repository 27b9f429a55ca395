// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package blobtest is the conformance suite of the blob.Store contract. Every
// driver and every decorator calls Run from its tests, against a real backend
// (a directory, an S3 server on 127.0.0.1), so that all stores behave alike.
package blobtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"testing"
	"testing/iotest"

	"justizcloud/blob"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

// Tenants used by the suite. Two Länder, so that cross-tenant cases exist.
const (
	tenantA tenancy.ID = "DE-BY"
	tenantB tenancy.ID = "DE-NW"
)

// Run runs the conformance suite. open is called once per subtest with the
// subtest's t and must return a usable store; stores returned by different
// calls may share their backend, because every subtest uses its own names.
// Run needs several MiB of memory per case but nothing else.
func Run(t *testing.T, open func(t *testing.T) blob.Store) {
	t.Helper()
	cases := []struct {
		name string
		fn   func(t *testing.T, s blob.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"ReaderKinds", testReaderKinds},
		{"Missing", testMissing},
		{"Delete", testDelete},
		{"Overwrite", testOverwrite},
		{"OverwriteConcurrentReaders", testOverwriteConcurrentReaders},
		{"InvalidKeys", testInvalidKeys},
		{"FailingReader", testFailingReader},
		{"Cancel", testCancel},
		{"Concurrent", testConcurrent},
		{"Tenants", testTenants},
		{"Range", testRange},
		{"List", testList},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.fn(t, open(t))
		})
	}
}

// errBoom is what failing readers return; Put must hand it back wrapped.
var errBoom = errors.New("blobtest: reader failed on purpose")

// randomBytes returns n reproducible pseudo-random bytes.
func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8), byte(seed >> 16), 'j', 'c'}))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func mustPut(t testing.TB, s blob.Store, key blob.Key, data []byte) {
	t.Helper()
	if err := s.Put(context.Background(), key, bytes.NewReader(data)); err != nil {
		t.Fatalf("Put(%s, %d bytes) = %v", key, len(data), err)
	}
}

func mustGet(t testing.TB, s blob.Store, key blob.Key) []byte {
	t.Helper()
	got, err := get(context.Background(), s, key)
	if err != nil {
		t.Fatalf("Get(%s) = %v", key, err)
	}
	return got
}

func get(ctx context.Context, s blob.Store, key blob.Key) ([]byte, error) {
	rc, err := s.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	got, err := io.ReadAll(rc)
	if cerr := rc.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("closing %s: %w", key, cerr)
	}
	return got, err
}

// checkContent compares without printing megabytes of data.
func checkContent(t testing.TB, what string, got, want []byte) {
	t.Helper()
	if bytes.Equal(got, want) {
		return
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	t.Errorf("%s: got %d bytes, want %d bytes; first difference at byte %d", what, len(got), len(want), i)
}

func wantNotFound(t testing.TB, s blob.Store, key blob.Key) {
	t.Helper()
	ctx := context.Background()
	if _, err := get(ctx, s, key); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("Get(%s) error = %v, want errs.ErrNotFound", key, err)
	}
	if _, err := s.Stat(ctx, key); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("Stat(%s) error = %v, want errs.ErrNotFound", key, err)
	}
}

// Sizes around the 64 KiB segment size of the encrypting decorator, and one
// beyond the 5 MiB minimum part size of S3 multipart uploads.
var roundTripSizes = []int{0, 1, 1000, 64<<10 - 1, 64 << 10, 64<<10 + 1, 128 << 10, 6<<20 + 1}

func testRoundTrip(t *testing.T, s blob.Store) {
	ctx := context.Background()
	for i, n := range roundTripSizes {
		key := blob.Key{Tenant: tenantA, Name: fmt.Sprintf("roundtrip%d", n)}
		want := randomBytes(uint64(i), n)
		mustPut(t, s, key, want)
		info, err := s.Stat(ctx, key)
		if err != nil {
			t.Fatalf("Stat(%s) = %v", key, err)
		}
		if info.Size != int64(n) {
			t.Errorf("Stat(%s).Size = %d, want %d", key, info.Size, n)
		}
		checkContent(t, fmt.Sprintf("Get(%s)", key), mustGet(t, s, key), want)
	}
}

// testReaderKinds feeds Put readers that return short reads and data with
// io.EOF, and checks the returned reader with iotest.TestReader.
func testReaderKinds(t *testing.T, s blob.Store) {
	ctx := context.Background()
	want := randomBytes(7, 70_000)
	readers := map[string]func() io.Reader{
		"half":    func() io.Reader { return iotest.HalfReader(bytes.NewReader(want)) },
		"dataeof": func() io.Reader { return iotest.DataErrReader(bytes.NewReader(want)) },
		"onebyte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(want[:3000])) },
	}
	for name, r := range readers {
		key := blob.Key{Tenant: tenantA, Name: "reader" + name}
		if err := s.Put(ctx, key, r()); err != nil {
			t.Fatalf("Put(%s) = %v", key, err)
		}
		exp := want
		if name == "onebyte" {
			exp = want[:3000]
		}
		rc, err := s.Get(ctx, key)
		if err != nil {
			t.Fatalf("Get(%s) = %v", key, err)
		}
		if err := iotest.TestReader(rc, exp); err != nil {
			t.Errorf("iotest.TestReader(Get(%s)) = %v", key, err)
		}
		if err := rc.Close(); err != nil {
			t.Errorf("Close(Get(%s)) = %v", key, err)
		}
	}
}

func testMissing(t *testing.T, s blob.Store) {
	key := blob.Key{Tenant: tenantA, Name: "neverwritten"}
	wantNotFound(t, s, key)
	if rg, ok := s.(blob.RangeGetter); ok {
		if _, err := rg.GetRange(context.Background(), key, 0, 10); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("GetRange(%s) error = %v, want errs.ErrNotFound", key, err)
		}
	}
}

func testDelete(t *testing.T, s blob.Store) {
	ctx := context.Background()
	key := blob.Key{Tenant: tenantA, Name: "deleteme"}
	if err := s.Delete(ctx, key); err != nil {
		t.Errorf("Delete(missing %s) = %v, want nil", key, err)
	}
	mustPut(t, s, key, []byte("short-lived"))
	if err := s.Delete(ctx, key); err != nil {
		t.Fatalf("Delete(%s) = %v", key, err)
	}
	wantNotFound(t, s, key)
	if err := s.Delete(ctx, key); err != nil {
		t.Errorf("second Delete(%s) = %v, want nil", key, err)
	}
	mustPut(t, s, key, []byte("reborn"))
	checkContent(t, "Get after re-Put", mustGet(t, s, key), []byte("reborn"))
}

func testOverwrite(t *testing.T, s blob.Store) {
	ctx := context.Background()
	key := blob.Key{Tenant: tenantA, Name: "overwrite"}
	first, second := randomBytes(1, 200_000), []byte("now much shorter")
	mustPut(t, s, key, first)
	mustPut(t, s, key, second)
	checkContent(t, "Get after overwrite", mustGet(t, s, key), second)
	info, err := s.Stat(ctx, key)
	if err != nil {
		t.Fatalf("Stat(%s) = %v", key, err)
	}
	if info.Size != int64(len(second)) {
		t.Errorf("Stat(%s).Size = %d, want %d", key, info.Size, len(second))
	}
	mustPut(t, s, key, nil)
	checkContent(t, "Get after overwrite with empty", mustGet(t, s, key), nil)
}

// testOverwriteConcurrentReaders checks atomicity: while the blob is
// overwritten again and again, every reader sees one whole version.
func testOverwriteConcurrentReaders(t *testing.T, s blob.Store) {
	ctx := context.Background()
	key := blob.Key{Tenant: tenantA, Name: "atomic"}
	versions := [][]byte{randomBytes(10, 150_000), randomBytes(11, 70_000), randomBytes(12, 10)}
	mustPut(t, s, key, versions[0])

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				got, err := get(ctx, s, key)
				if err != nil {
					t.Errorf("Get during overwrite = %v", err)
					return
				}
				if !bytes.Equal(got, versions[0]) && !bytes.Equal(got, versions[1]) && !bytes.Equal(got, versions[2]) {
					t.Errorf("Get during overwrite returned %d bytes that match no version", len(got))
					return
				}
			}
		})
	}
	for i := range 30 {
		if err := s.Put(ctx, key, bytes.NewReader(versions[i%3])); err != nil {
			t.Errorf("Put #%d = %v", i, err)
			break
		}
	}
	close(stop)
	wg.Wait()
}

func testInvalidKeys(t *testing.T, s blob.Store) {
	ctx := context.Background()
	keys := []blob.Key{
		{Tenant: "XX", Name: "abc"},
		{Tenant: "", Name: "abc"},
		{Tenant: "de-by", Name: "abc"},
		{Tenant: "DE-BY/../DE-NW", Name: "abc"},
		{Tenant: tenantA, Name: ""},
		{Tenant: tenantA, Name: "."},
		{Tenant: tenantA, Name: ".."},
		{Tenant: tenantA, Name: "a/b"},
		{Tenant: tenantA, Name: "../b"},
		{Tenant: tenantA, Name: `a\b`},
		{Tenant: tenantA, Name: "a\x00b"},
		{Tenant: tenantA, Name: "a\nb"},
		{Tenant: tenantA, Name: "a\x7fb"},
		{Tenant: tenantA, Name: "-a"},
		{Tenant: tenantA, Name: "a b"},
		{Tenant: tenantA, Name: "ä"},
		{Tenant: tenantA, Name: string(bytes.Repeat([]byte("a"), 161))},
	}
	rg, isRange := s.(blob.RangeGetter)
	for _, key := range keys {
		if err := s.Put(ctx, key, bytes.NewReader([]byte("x"))); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("Put(%q) error = %v, want errs.ErrInvalid", key, err)
		}
		if _, err := s.Get(ctx, key); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("Get(%q) error = %v, want errs.ErrInvalid", key, err)
		}
		if _, err := s.Stat(ctx, key); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("Stat(%q) error = %v, want errs.ErrInvalid", key, err)
		}
		if err := s.Delete(ctx, key); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("Delete(%q) error = %v, want errs.ErrInvalid", key, err)
		}
		if isRange {
			if _, err := rg.GetRange(ctx, key, 0, 1); !errors.Is(err, errs.ErrInvalid) {
				t.Errorf("GetRange(%q) error = %v, want errs.ErrInvalid", key, err)
			}
		}
	}
}

// failingReader returns n bytes of data and then fails with errBoom.
type failingReader struct {
	r io.Reader
}

func newFailingReader(n int) *failingReader {
	return &failingReader{r: io.MultiReader(bytes.NewReader(randomBytes(99, n)), iotest.ErrReader(errBoom))}
}

func (f *failingReader) Read(p []byte) (int, error) { return f.r.Read(p) }

func testFailingReader(t *testing.T, s blob.Store) {
	ctx := context.Background()
	// 7 MiB is more than one S3 part, so an upload that was already under way must be aborted.
	for _, n := range []int{0, 100_000, 7 << 20} {
		key := blob.Key{Tenant: tenantA, Name: fmt.Sprintf("failing%d", n)}
		if err := s.Put(ctx, key, newFailingReader(n)); !errors.Is(err, errBoom) {
			t.Errorf("Put(%s, reader failing after %d bytes) error = %v, want it to wrap the reader's error", key, n, err)
		}
		wantNotFound(t, s, key)
	}

	// An HTTP request body reports a client that hangs up as io.ErrUnexpectedEOF:
	// a store must not take that for the end of the content.
	for _, n := range []int{1000, 64 << 10, 100_000} {
		key := blob.Key{Tenant: tenantA, Name: fmt.Sprintf("hangup%d", n)}
		r := io.MultiReader(bytes.NewReader(randomBytes(98, n)), iotest.ErrReader(io.ErrUnexpectedEOF))
		if err := s.Put(ctx, key, r); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("Put(%s, reader failing with io.ErrUnexpectedEOF after %d bytes) error = %v, want it wrapped", key, n, err)
		}
		wantNotFound(t, s, key)
	}

	key := blob.Key{Tenant: tenantA, Name: "failingoverwrite"}
	old := randomBytes(3, 80_000)
	mustPut(t, s, key, old)
	if err := s.Put(ctx, key, newFailingReader(100_000)); !errors.Is(err, errBoom) {
		t.Errorf("Put(%s, failing reader) error = %v, want it to wrap the reader's error", key, err)
	}
	checkContent(t, "Get after failed overwrite", mustGet(t, s, key), old)
}

// cancellingReader cancels its context after after bytes and keeps reading.
type cancellingReader struct {
	r      io.Reader
	n      int
	after  int
	cancel context.CancelFunc
}

func (c *cancellingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	if c.n >= c.after {
		c.cancel()
	}
	return n, err
}

func testCancel(t *testing.T, s blob.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	key := blob.Key{Tenant: tenantA, Name: "cancelledbefore"}
	if err := s.Put(ctx, key, bytes.NewReader([]byte("never"))); !errors.Is(err, context.Canceled) {
		t.Errorf("Put(%s) with cancelled ctx error = %v, want context.Canceled", key, err)
	}
	wantNotFound(t, s, key)

	for _, sizes := range [][2]int{{200_000, 100_000}, {8 << 20, 7 << 20}} {
		ctx, cancel := context.WithCancel(context.Background())
		key := blob.Key{Tenant: tenantA, Name: fmt.Sprintf("cancelledat%d", sizes[1])}
		r := &cancellingReader{r: bytes.NewReader(randomBytes(5, sizes[0])), after: sizes[1], cancel: cancel}
		if err := s.Put(ctx, key, r); !errors.Is(err, context.Canceled) {
			t.Errorf("Put(%s) cancelled after %d of %d bytes: error = %v, want context.Canceled", key, sizes[1], sizes[0], err)
		}
		cancel()
		wantNotFound(t, s, key)
	}
}

func testConcurrent(t *testing.T, s blob.Store) {
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 4 {
				key := blob.Key{Tenant: tenantA, Name: fmt.Sprintf("concurrent%d-%d", g, i)}
				want := randomBytes(uint64(100*g+i), 1000+g*40_000+i*7)
				if err := s.Put(ctx, key, bytes.NewReader(want)); err != nil {
					t.Errorf("Put(%s) = %v", key, err)
					return
				}
				got, err := get(ctx, s, key)
				if err != nil {
					t.Errorf("Get(%s) = %v", key, err)
					return
				}
				checkContent(t, fmt.Sprintf("Get(%s)", key), got, want)
				if i%2 == 0 {
					if err := s.Delete(ctx, key); err != nil {
						t.Errorf("Delete(%s) = %v", key, err)
					}
				}
			}
		})
	}
	wg.Wait()
}

func testTenants(t *testing.T, s blob.Store) {
	ctx := context.Background()
	a := blob.Key{Tenant: tenantA, Name: "samename"}
	b := blob.Key{Tenant: tenantB, Name: "samename"}
	mustPut(t, s, a, []byte("Bayern"))
	wantNotFound(t, s, b)
	mustPut(t, s, b, []byte("Nordrhein-Westfalen"))
	checkContent(t, "Get("+a.String()+")", mustGet(t, s, a), []byte("Bayern"))
	checkContent(t, "Get("+b.String()+")", mustGet(t, s, b), []byte("Nordrhein-Westfalen"))
	if err := s.Delete(ctx, a); err != nil {
		t.Fatalf("Delete(%s) = %v", a, err)
	}
	wantNotFound(t, s, a)
	checkContent(t, "Get("+b.String()+") after deleting "+a.String(), mustGet(t, s, b), []byte("Nordrhein-Westfalen"))
}
