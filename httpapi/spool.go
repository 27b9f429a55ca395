// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"justizcloud/errs"
)

// spool is a temporary file for a body too large to hold in memory: an
// XJustiz package on its way in, an export on its way out. It is encrypted
// with AES-256-CTR under a key that exists only in this process's memory,
// so court documents never rest on disk in plaintext, not even for the
// length of a request; a spool left behind by a crash is noise. CTR allows
// the random reads that archive/zip needs. Integrity is not protected: the
// file is private to the process (0600) and lives for one request.
//
// A spool is written sequentially (Write), then read (ReadAt); it is not
// safe for concurrent writes. Close removes the file.
type spool struct {
	f     *os.File
	block cipher.Block
	iv    [aes.BlockSize]byte
	w     cipher.Stream // the write position's key stream
	size  int64
}

func newSpool(dir string) (*spool, error) {
	var key [32]byte
	s := &spool{}
	if _, err := rand.Read(key[:]); err != nil {
		return nil, err
	}
	if _, err := rand.Read(s.iv[:]); err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key[:])
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, "justizcloud-xjustiz-*.spool")
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	s.f, s.block = f, block
	s.w = s.streamAt(0)
	return s, nil
}

// streamAt returns the key stream from byte offset off on: the counter is
// the IV plus the block number, as a 128-bit big-endian integer (the way
// cipher.NewCTR counts).
func (s *spool) streamAt(off int64) cipher.Stream {
	var ctr [aes.BlockSize]byte
	hi, lo := binary.BigEndian.Uint64(s.iv[:8]), binary.BigEndian.Uint64(s.iv[8:])
	n := uint64(off) / aes.BlockSize
	if lo+n < lo {
		hi++
	}
	lo += n
	binary.BigEndian.PutUint64(ctr[:8], hi)
	binary.BigEndian.PutUint64(ctr[8:], lo)
	st := cipher.NewCTR(s.block, ctr[:])
	if skip := off % aes.BlockSize; skip > 0 {
		var junk [aes.BlockSize]byte
		st.XORKeyStream(junk[:skip], junk[:skip])
	}
	return st
}

// Write appends p, encrypted.
func (s *spool) Write(p []byte) (int, error) {
	buf := make([]byte, min(len(p), 64<<10))
	done := 0
	for done < len(p) {
		n := min(len(buf), len(p)-done)
		s.w.XORKeyStream(buf[:n], p[done:done+n])
		m, err := s.f.Write(buf[:n])
		done += m
		s.size += int64(m)
		if err != nil {
			return done, err
		}
	}
	return done, nil
}

// fill copies r to the spool and fails with errs.ErrTooLarge as soon as it
// holds more than limit bytes.
func (s *spool) fill(r io.Reader, limit int64) (int64, error) {
	n, err := io.Copy(s, io.LimitReader(r, limit-s.size+1))
	if err != nil {
		return n, err
	}
	if s.size > limit {
		return n, fmt.Errorf("%w: more than %d bytes", errs.ErrTooLarge, limit)
	}
	return n, nil
}

// ReadAt reads decrypted bytes at off.
func (s *spool) ReadAt(p []byte, off int64) (int, error) {
	if off >= s.size {
		return 0, io.EOF
	}
	n, err := s.f.ReadAt(p, off)
	s.streamAt(off).XORKeyStream(p[:n], p[:n])
	if errors.Is(err, io.EOF) && off+int64(n) < s.size {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// Size is the number of bytes written.
func (s *spool) Size() int64 { return s.size }

// Close closes and removes the file.
func (s *spool) Close() error {
	err := s.f.Close()
	if rerr := os.Remove(s.f.Name()); err == nil {
		err = rerr
	}
	return err
}
