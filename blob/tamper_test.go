// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package blob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"slices"
	"testing"

	"justizcloud/blob"
	"justizcloud/errs"
)

// Layout of format version 1, restated so that a change of the format shows here.
const (
	hdr    = 16
	seg    = 64 << 10
	sealed = seg + 16
)

// TestTamper changes the stored ciphertext in the fsblob directory and
// checks that reading fails with blob.ErrCorrupt after handing out at most
// the verified segments before the first changed one.
func TestTamper(t *testing.T) {
	plain := recognisable(3*seg + 100) // segments 0, 1, 2 full, segment 3 final
	segment := func(ct []byte, i int) []byte {
		return ct[hdr+i*sealed : min(hdr+(i+1)*sealed, len(ct))]
	}
	tests := []struct {
		name   string
		tamper func(ct []byte) []byte
		intact int // leading segments that may be handed out before the error
	}{
		{"drop final segment", func(ct []byte) []byte { return ct[:hdr+3*sealed] }, 3},
		{"truncate final segment", func(ct []byte) []byte { return ct[:len(ct)-1] }, 3},
		{"truncate to tag of final", func(ct []byte) []byte { return ct[:hdr+3*sealed+15] }, 3},
		{"truncate inside segment 1", func(ct []byte) []byte { return ct[:hdr+sealed+1000] }, 1},
		{"truncate to header", func(ct []byte) []byte { return ct[:hdr] }, 0},
		{"truncate inside header", func(ct []byte) []byte { return ct[:7] }, 0},
		{"empty", func(ct []byte) []byte { return nil }, 0},
		{"extend by one byte", func(ct []byte) []byte { return append(ct, 0) }, 3},
		{"extend by a copy of the final segment", func(ct []byte) []byte { return append(ct, segment(ct, 3)...) }, 3},
		{"extend final to full size", func(ct []byte) []byte { return append(ct, make([]byte, sealed-len(segment(ct, 3)))...) }, 3},
		{"drop segment 1", func(ct []byte) []byte { return slices.Concat(ct[:hdr+sealed], ct[hdr+2*sealed:]) }, 1},
		{"duplicate segment 0", func(ct []byte) []byte { return slices.Concat(ct[:hdr+sealed], segment(ct, 0), ct[hdr+sealed:]) }, 1},
		{"swap segments 0 and 1", func(ct []byte) []byte {
			return slices.Concat(ct[:hdr], segment(ct, 1), segment(ct, 0), ct[hdr+2*sealed:])
		}, 0},
		{"swap segments 1 and 2", func(ct []byte) []byte {
			return slices.Concat(ct[:hdr+sealed], segment(ct, 2), segment(ct, 1), ct[hdr+3*sealed:])
		}, 1},
		{"flip magic", flip(0), 0},
		{"flip version", flip(4), 0},
		{"flip segment size", flip(7), 0},
		{"flip nonce prefix", flip(12), 0},
		{"flip first byte of segment 0", flip(hdr), 0},
		{"flip byte in segment 2", flip(hdr + 2*sealed + 500), 2},
		{"flip tag of segment 1", flip(hdr + 2*sealed - 1), 1},
		{"flip last byte", func(ct []byte) []byte { ct[len(ct)-1] ^= 0x80; return ct }, 3},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			key := blob.Key{Tenant: "DE-BW", Name: "tampered"}
			if err := f.enc.Put(ctx, key, bytes.NewReader(plain)); err != nil {
				t.Fatal(err)
			}
			path := f.ciphertextFile(t)
			ct, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tt.tamper(ct), 0o600); err != nil {
				t.Fatal(err)
			}

			got, err := readAll(f.enc.Get(ctx, key))
			if !errors.Is(err, blob.ErrCorrupt) {
				t.Errorf("reading tampered blob: error = %v, want blob.ErrCorrupt", err)
			}
			if len(got) > tt.intact*seg || !bytes.Equal(got, plain[:len(got)]) {
				t.Errorf("reading tampered blob handed out %d bytes, want a prefix of the plaintext of at most %d bytes", len(got), tt.intact*seg)
			}
			// A range read touches other segments; it must fail or return the
			// right bytes, never others. A tampered size can also put the range
			// beyond the apparent end (errs.ErrInvalid).
			want := plain[3*seg-10:]
			got, err = readAll(f.enc.GetRange(ctx, key, 3*seg-10, -1))
			switch {
			case err == nil && !bytes.Equal(got, want):
				t.Errorf("GetRange of tampered blob returned %d wrong bytes and no error", len(got))
			case err != nil && !errors.Is(err, blob.ErrCorrupt) && !errors.Is(err, errs.ErrInvalid):
				t.Errorf("GetRange of tampered blob: error = %v, want blob.ErrCorrupt or errs.ErrInvalid", err)
			case err != nil && !bytes.Equal(got, want[:min(len(got), len(want))]):
				t.Errorf("GetRange of tampered blob handed out %d bytes that are not plaintext", len(got))
			}
		})
	}
}

func flip(i int) func([]byte) []byte {
	return func(ct []byte) []byte {
		ct[i] ^= 1
		return ct
	}
}

// readAll reads what Get or GetRange returned.
func readAll(rc io.ReadCloser, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// TestMovedCiphertext moves a ciphertext under another blob's version: the
// data key does not fit, and the additional data names another blob.
func TestMovedCiphertext(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := blob.Key{Tenant: "DE-HH", Name: "a"}
	if err := f.enc.Put(ctx, a, bytes.NewReader(recognisable(1000))); err != nil {
		t.Fatal(err)
	}
	pathA := f.ciphertextFile(t)
	ctA, err := os.ReadFile(pathA)
	if err != nil {
		t.Fatal(err)
	}
	b := blob.Key{Tenant: "DE-HH", Name: "b"}
	if err := f.enc.Put(ctx, b, bytes.NewReader(recognisable(1000))); err != nil {
		t.Fatal(err)
	}
	for _, path := range f.files(t) {
		if path != pathA {
			if err := os.WriteFile(path, ctA, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := readAll(f.enc.Get(ctx, b)); !errors.Is(err, blob.ErrCorrupt) {
		t.Errorf("Get of a moved ciphertext: error = %v, want blob.ErrCorrupt", err)
	}
}
