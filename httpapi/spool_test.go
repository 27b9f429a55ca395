// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"testing"

	"justizcloud/errs"
)

// TestSpool: what is read back at any offset is what was written; the file
// holds no plaintext; fill stops at the limit; Close removes the file.
func TestSpool(t *testing.T) {
	dir := t.TempDir()
	s, err := newSpool(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Repeat([]byte("Klageschrift der Erika Mustermann. "), 10000)
	// Writes of odd sizes, so that the key stream crosses block boundaries mid-write.
	for rest := want; len(rest) > 0; {
		n := min(len(rest), 1+rand.IntN(100000))
		if _, err := s.Write(rest[:n]); err != nil {
			t.Fatal(err)
		}
		rest = rest[n:]
	}
	if s.Size() != int64(len(want)) {
		t.Fatalf("Size = %d, want %d", s.Size(), len(want))
	}
	for i := 0; i < 200; i++ {
		off := rand.IntN(len(want))
		p := make([]byte, rand.IntN(5000))
		n, err := s.ReadAt(p, int64(off))
		if end := min(off+len(p), len(want)); n != end-off || !bytes.Equal(p[:n], want[off:end]) {
			t.Fatalf("ReadAt(%d bytes, %d) = %d, %v; content differs", len(p), off, n, err)
		}
	}
	got, err := io.ReadAll(io.NewSectionReader(s, 0, s.Size()))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("read back %d bytes, %v; want the %d written", len(got), err, len(want))
	}
	raw, err := os.ReadFile(s.f.Name())
	if err != nil || bytes.Contains(raw, want[:20]) {
		t.Errorf("the spool file holds plaintext (err %v)", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("Close left %d files", len(left))
	}

	s, err = newSpool(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.fill(bytes.NewReader(make([]byte, 1001)), 1000); !errors.Is(err, errs.ErrTooLarge) {
		t.Errorf("fill over the limit = %v, want ErrTooLarge", err)
	}
}

// TestSpoolCounterCarry: the counter carries into the high half.
func TestSpoolCounterCarry(t *testing.T) {
	s, err := newSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 8; i < 16; i++ {
		s.iv[i] = 0xff
	}
	s.w = s.streamAt(0)
	want := bytes.Repeat([]byte{'a'}, 100)
	s.Write(want)
	p := make([]byte, 60)
	if n, _ := s.ReadAt(p, 33); !bytes.Equal(p[:n], want[33:93]) {
		t.Errorf("read across the carry differs")
	}
}
