// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package blob

import (
	"bytes"
	"context"
	"crypto/cipher"
	"crypto/sha256"
	"errors"
	"io"
	"testing"
)

var (
	testKey    = Key{Tenant: "DE-BY", Name: "stream"}
	testPrefix = [noncePrefixSize]byte{1, 2, 3, 4, 5, 6, 7}
)

func testAEAD(tb testing.TB) cipher.AEAD {
	tb.Helper()
	aead, err := newAEAD(bytes.Repeat([]byte{0x42}, 32))
	if err != nil {
		tb.Fatal(err)
	}
	return aead
}

func seal(tb testing.TB, aead cipher.AEAD, key Key, prefix [noncePrefixSize]byte, plain []byte) []byte {
	tb.Helper()
	var out bytes.Buffer
	s := newSealer(context.Background(), bytes.NewReader(plain), key, aead, newHeader(prefix), make([]byte, sealedSegmentSize))
	if _, err := s.WriteTo(&out); err != nil {
		tb.Fatalf("sealing: %v", err)
	}
	return out.Bytes()
}

func open(aead cipher.AEAD, key Key, ct []byte) ([]byte, error) {
	src := io.NopCloser(bytes.NewReader(ct))
	h, err := readHeader(key, src)
	if err != nil {
		return nil, err
	}
	o := newOpener(src, key, aead, h, 0, 0, -1, make([]byte, sealedSegmentSize), nil)
	defer o.Close()
	return io.ReadAll(o)
}

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>11)
	}
	return b
}

func TestSizes(t *testing.T) {
	aead := testAEAD(t)
	for _, n := range []int{0, 1, 15, 16, 17, segmentSize - 1, segmentSize, segmentSize + 1, 3*segmentSize - 5, 3 * segmentSize} {
		ct := seal(t, aead, testKey, testPrefix, pattern(n))
		if got := ciphertextSize(int64(n)); got != int64(len(ct)) {
			t.Errorf("ciphertextSize(%d) = %d, want %d", n, got, len(ct))
		}
		if got, err := plaintextSize(testKey, int64(len(ct))); err != nil || got != int64(n) {
			t.Errorf("plaintextSize(%d) = %d, %v; want %d", len(ct), got, err, n)
		}
		got, err := open(aead, testKey, ct)
		if err != nil || !bytes.Equal(got, pattern(n)) {
			t.Errorf("open(seal(%d bytes)) = %d bytes, %v", n, len(got), err)
		}
	}
	for _, size := range []int64{-1, 0, headerSize, headerSize + tagSize - 1, headerSize + sealedSegmentSize, headerSize + sealedSegmentSize + 15} {
		if _, err := plaintextSize(testKey, size); !errors.Is(err, ErrCorrupt) {
			t.Errorf("plaintextSize(%d) error = %v, want ErrCorrupt", size, err)
		}
	}
}

// TestBoundToKey checks that the additional data binds tenant and name: the
// same content key does not open a ciphertext under another blob key.
func TestBoundToKey(t *testing.T) {
	aead := testAEAD(t)
	ct := seal(t, aead, testKey, testPrefix, pattern(1000))
	for _, other := range []Key{{Tenant: "DE-NW", Name: testKey.Name}, {Tenant: testKey.Tenant, Name: "other"}} {
		if _, err := open(aead, other, ct); !errors.Is(err, ErrCorrupt) {
			t.Errorf("opening %s's ciphertext as %s: error = %v, want ErrCorrupt", testKey, other, err)
		}
	}
}

func TestSealerRead(t *testing.T) {
	aead := testAEAD(t)
	plain := pattern(2*segmentSize + 99)
	want := seal(t, aead, testKey, testPrefix, plain)
	s := newSealer(context.Background(), bytes.NewReader(plain), testKey, aead, newHeader(testPrefix), make([]byte, sealedSegmentSize))
	got, err := io.ReadAll(s) // through Read, in small pieces
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("Read gives %d bytes, %v; want the %d bytes of WriteTo", len(got), err, len(want))
	}
}

func TestOpenerAfterClose(t *testing.T) {
	aead := testAEAD(t)
	ct := seal(t, aead, testKey, testPrefix, pattern(3*segmentSize))
	src := io.NopCloser(bytes.NewReader(ct))
	h, err := readHeader(testKey, src)
	if err != nil {
		t.Fatal(err)
	}
	released := 0
	o := newOpener(src, testKey, aead, h, 0, 0, -1, make([]byte, sealedSegmentSize), func([]byte) { released++ })
	if _, err := o.Read(make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	if released != 1 {
		t.Errorf("buffer released %d times, want 1", released)
	}
	if n, err := o.Read(make([]byte, 10)); n != 0 || err == nil {
		t.Errorf("Read after Close = %d, %v; want 0 and an error", n, err)
	}
}

// FuzzOpen feeds arbitrary bytes to the decrypting reader. It must fail with
// ErrCorrupt or return plaintext that seals back to exactly the input.
//
// Run it with a bounded minimizer, as minimizing 64 KiB inputs byte by byte
// otherwise stalls the fuzzer for minutes (0 execs/sec):
//
//	go test -run XXX -fuzz FuzzOpen -fuzzminimizetime 50x ./blob/
func FuzzOpen(f *testing.F) {
	aead := testAEAD(f)
	for _, n := range []int{0, 1, 100, segmentSize - 1, segmentSize, segmentSize + 1} {
		ct := seal(f, aead, testKey, testPrefix, pattern(n))
		f.Add(ct)
		f.Add(ct[:len(ct)-1])
	}
	f.Add([]byte(formatMagic))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, ct []byte) {
		plain, err := open(aead, testKey, ct)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("open error = %v, want ErrCorrupt", err)
			}
			return
		}
		var prefix [noncePrefixSize]byte
		copy(prefix[:], ct[9:headerSize])
		if again := seal(t, aead, testKey, prefix, plain); !bytes.Equal(again, ct) {
			t.Fatalf("open accepted %d bytes that are not the sealing of the %d bytes it returned", len(ct), len(plain))
		}
	})
}

// BenchmarkSealSegment is the baseline: raw AES-256-GCM over 64 KiB
// segments, in place, as the sealer does it.
func BenchmarkSealSegment(b *testing.B) {
	aead := testAEAD(b)
	buf := make([]byte, sealedSegmentSize)
	nonce := make([]byte, 12)
	aad := streamAAD(newHeader(testPrefix), testKey)
	b.SetBytes(segmentSize)
	for b.Loop() {
		aead.Seal(buf[:0], nonce, buf[:segmentSize], aad)
	}
}

// BenchmarkSealSegmentSHA256 adds SHA-256 over the plaintext: the work per
// byte of an ingest that also hashes the document.
func BenchmarkSealSegmentSHA256(b *testing.B) {
	aead := testAEAD(b)
	buf := make([]byte, sealedSegmentSize)
	nonce := make([]byte, 12)
	aad := streamAAD(newHeader(testPrefix), testKey)
	h := sha256.New()
	b.SetBytes(segmentSize)
	for b.Loop() {
		h.Write(buf[:segmentSize])
		aead.Seal(buf[:0], nonce, buf[:segmentSize], aad)
	}
}

// BenchmarkSealer and BenchmarkOpener measure the stream code in memory,
// without a store.
func BenchmarkSealer(b *testing.B) {
	aead := testAEAD(b)
	plain := pattern(8 << 20)
	buf := make([]byte, sealedSegmentSize)
	b.SetBytes(int64(len(plain)))
	for b.Loop() {
		s := newSealer(context.Background(), bytes.NewReader(plain), testKey, aead, newHeader(testPrefix), buf)
		if _, err := s.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpener(b *testing.B) {
	aead := testAEAD(b)
	ct := seal(b, aead, testKey, testPrefix, pattern(8<<20))
	buf := make([]byte, sealedSegmentSize)
	b.SetBytes(8 << 20)
	for b.Loop() {
		src := io.NopCloser(bytes.NewReader(ct))
		h, err := readHeader(testKey, src)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := newOpener(src, testKey, aead, h, 0, 0, -1, buf, nil).WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// ciphertextSize is the stored size of a plaintext of n bytes, computed
// independently of plaintextSize for the test.
func ciphertextSize(n int64) int64 {
	full := n / segmentSize
	return headerSize + full*sealedSegmentSize + n - full*segmentSize + tagSize
}
