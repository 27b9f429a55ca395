// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package blob

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"justizcloud/errs"
)

// Format of an encrypted blob, version 1:
//
//	header   16 bytes: "JCB1" | version 0x01 | segment size uint32 BE (65536) | nonce prefix (7 random bytes)
//	segment  sealed plaintext segments of 65536 bytes: 65552 bytes each
//	final    sealed last segment of 0 to 65535 plaintext bytes: 16 to 65551 bytes
//
// Each segment is sealed with AES-256-GCM (the STREAM construction of Hoang,
// Reyhanitabar, Rogaway and Vizár) under the nonce
//
//	prefix (7) | segment counter uint32 BE (4) | 0x01 for the final segment, else 0x00 (1)
//
// and the additional data header | uint16 BE len(tenant) | tenant | name.
// A full-size segment is never final, so the final segment always holds less
// than 65536 bytes (an empty plaintext is one empty final segment) and the
// ciphertext size alone gives the plaintext size. Because counter and final
// flag are in the nonce and the header in every segment's additional data,
// truncation, extension, reordering, bit flips and moving a ciphertext to
// another key all fail authentication.
const (
	segmentSize       = 64 << 10
	tagSize           = 16
	sealedSegmentSize = segmentSize + tagSize
	headerSize        = 16
	noncePrefixSize   = 7
	formatMagic       = "JCB1"
	formatVersion     = 1
)

// ErrCorrupt is wrapped by every error that reports an encrypted blob that
// fails authentication or is malformed: tampered with, truncated, extended,
// reordered, or not written by this package. A reader that returns it has
// returned only plaintext of segments verified before. It does not wrap
// errs.ErrInvalid: the fault is in the storage, not in the caller's request.
var ErrCorrupt = errors.New("encrypted blob corrupt")

func corrupt(key Key, format string, args ...any) error {
	return fmt.Errorf("blob %s: %w: %s", key, ErrCorrupt, fmt.Sprintf(format, args...))
}

type header [headerSize]byte

func newHeader(prefix [noncePrefixSize]byte) header {
	var h header
	copy(h[:4], formatMagic)
	h[4] = formatVersion
	binary.BigEndian.PutUint32(h[5:9], segmentSize)
	copy(h[9:], prefix[:])
	return h
}

func parseHeader(key Key, b []byte) (header, error) {
	var h header
	if len(b) != headerSize {
		return h, corrupt(key, "header of %d bytes", len(b))
	}
	copy(h[:], b)
	if string(h[:4]) != formatMagic {
		return h, corrupt(key, "bad magic %q", h[:4])
	}
	if h[4] != formatVersion {
		return h, corrupt(key, "unknown format version %d", h[4])
	}
	if s := binary.BigEndian.Uint32(h[5:9]); s != segmentSize {
		return h, corrupt(key, "segment size %d, want %d", s, segmentSize)
	}
	return h, nil
}

// readHeader reads and checks the header at the start of r.
func readHeader(key Key, r io.Reader) (header, error) {
	var b [headerSize]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return header{}, corrupt(key, "truncated header")
		}
		return header{}, fmt.Errorf("blob %s: reading header: %w", key, err)
	}
	return parseHeader(key, b[:])
}

// streamAAD is the additional data of every segment.
func streamAAD(h header, key Key) []byte {
	aad := make([]byte, 0, headerSize+2+len(key.Tenant)+len(key.Name))
	aad = append(aad, h[:]...)
	aad = binary.BigEndian.AppendUint16(aad, uint16(len(key.Tenant)))
	aad = append(aad, key.Tenant...)
	return append(aad, key.Name...)
}

func newAEAD(contentKey []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(contentKey)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// stream is the state shared by sealer and opener.
type stream struct {
	key   Key // for error messages
	aead  cipher.AEAD
	aad   []byte
	nonce [12]byte
	seg   uint32 // counter of the next segment
	buf   []byte // sealedSegmentSize bytes, reused for every segment
}

func newStream(key Key, aead cipher.AEAD, h header, first uint32, buf []byte) stream {
	s := stream{key: key, aead: aead, aad: streamAAD(h, key), seg: first, buf: buf}
	copy(s.nonce[:noncePrefixSize], h[9:])
	return s
}

func (s *stream) setNonce(final bool) {
	binary.BigEndian.PutUint32(s.nonce[noncePrefixSize:], s.seg)
	s.nonce[11] = 0
	if final {
		s.nonce[11] = 1
	}
}

// sealer is an io.Reader of the ciphertext of src. Its WriteTo writes the
// header and then every sealed segment with one Write call, from one buffer.
type sealer struct {
	stream
	ctx   context.Context
	src   io.Reader
	hdr   header
	out   []byte // sealed bytes not yet handed out
	final bool   // the final segment was sealed
	err   error  // sticky
}

func newSealer(ctx context.Context, src io.Reader, key Key, aead cipher.AEAD, h header, buf []byte) *sealer {
	s := &sealer{stream: newStream(key, aead, h, 0, buf), ctx: ctx, src: src, hdr: h}
	s.out = s.hdr[:]
	return s
}

// next seals the next segment into s.out.
func (s *sealer) next() error {
	if s.final {
		return io.EOF
	}
	if err := s.ctx.Err(); err != nil {
		return err
	}
	n, err := fill(s.src, s.buf[:segmentSize])
	switch {
	case err == nil || (err == io.EOF && n == segmentSize): // a full segment is never final
		if s.seg == math.MaxUint32 {
			return fmt.Errorf("blob %s: %w: more than 2^32 segments", s.key, errs.ErrTooLarge)
		}
	case err == io.EOF:
		s.final = true
	default:
		return err
	}
	s.setNonce(s.final)
	s.out = s.aead.Seal(s.buf[:0], s.nonce[:], s.buf[:n], s.aad)
	s.seg++
	return nil
}

// fill reads from src until buf is full or src reports io.EOF. Unlike
// io.ReadFull it passes every other error through, io.ErrUnexpectedEOF
// included: an HTTP request body returns that when the client hangs up
// mid-upload, and it must never be taken for the end of the content.
func fill(src io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := src.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (s *sealer) Read(p []byte) (int, error) {
	for len(s.out) == 0 {
		if s.err != nil {
			return 0, s.err
		}
		s.err = s.next()
	}
	n := copy(p, s.out)
	s.out = s.out[n:]
	return n, nil
}

func (s *sealer) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		if len(s.out) > 0 {
			n, err := w.Write(s.out)
			total += int64(n)
			s.out = s.out[n:]
			if err != nil {
				return total, err
			}
		}
		if s.err != nil {
			if s.err == io.EOF {
				return total, nil
			}
			return total, s.err
		}
		s.err = s.next()
	}
}

// opener is an io.ReadCloser of the plaintext of the sealed segments that
// src yields, starting with segment first. It hands out only plaintext of
// verified segments; skip bytes of the first segment are dropped, and after
// limit bytes (limit < 0: no limit) it stops without reading further.
type opener struct {
	stream
	src     io.Reader
	closer  io.Closer
	release func([]byte) // takes buf back after Close
	skip    int
	limit   int64
	plain   []byte // verified plaintext not yet handed out
	done    bool   // final segment verified or limit reached
	err     error  // sticky
}

func newOpener(src io.ReadCloser, key Key, aead cipher.AEAD, h header, first uint32, skip int, limit int64, buf []byte, release func([]byte)) *opener {
	return &opener{stream: newStream(key, aead, h, first, buf), src: src, closer: src, release: release, skip: skip, limit: limit}
}

// next verifies the next segment into o.plain.
func (o *opener) next() error {
	if o.done || o.limit == 0 {
		o.done = true
		return io.EOF
	}
	if o.buf == nil {
		return fmt.Errorf("blob %s: read after close", o.key)
	}
	n, err := io.ReadFull(o.src, o.buf)
	final := false
	switch {
	case err == nil:
		if o.seg == math.MaxUint32 {
			return corrupt(o.key, "more than 2^32 segments")
		}
	case err == io.ErrUnexpectedEOF:
		final = true // a short segment can only be the final one
		if n < tagSize {
			return corrupt(o.key, "segment %d truncated to %d bytes", o.seg, n)
		}
	case err == io.EOF:
		return corrupt(o.key, "truncated: segment %d and the final segment are missing", o.seg)
	default:
		return fmt.Errorf("blob %s: reading segment %d: %w", o.key, o.seg, err)
	}
	o.setNonce(final)
	plain, err := o.aead.Open(o.buf[:0], o.nonce[:], o.buf[:n], o.aad)
	if err != nil {
		return corrupt(o.key, "segment %d (final: %t) fails authentication", o.seg, final)
	}
	o.seg++
	o.done = final
	if o.skip > 0 {
		k := min(o.skip, len(plain))
		plain, o.skip = plain[k:], o.skip-k
	}
	if o.limit >= 0 {
		if int64(len(plain)) > o.limit {
			plain = plain[:o.limit]
		}
		o.limit -= int64(len(plain))
	}
	o.plain = plain
	return nil
}

func (o *opener) Read(p []byte) (int, error) {
	for len(o.plain) == 0 {
		if o.err != nil {
			return 0, o.err
		}
		o.err = o.next()
	}
	n := copy(p, o.plain)
	o.plain = o.plain[n:]
	return n, nil
}

// WriteTo hands every verified segment to w in one Write call.
func (o *opener) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		if len(o.plain) > 0 {
			n, err := w.Write(o.plain)
			total += int64(n)
			o.plain = o.plain[n:]
			if err != nil {
				return total, err
			}
		}
		if o.err != nil {
			if o.err == io.EOF {
				return total, nil
			}
			return total, o.err
		}
		o.err = o.next()
	}
}

// Close closes the ciphertext reader and gives the buffer back. Further
// reads fail; a second Close does nothing.
func (o *opener) Close() error {
	if o.buf == nil {
		return nil
	}
	o.plain = nil
	if o.release != nil {
		o.release(o.buf)
	}
	o.buf = nil
	if o.err == nil {
		o.err = fmt.Errorf("blob %s: read after close", o.key)
	}
	return o.closer.Close()
}

// plaintextSize computes a plaintext's size from the stored size of its
// ciphertext (header, full segments, a short final segment); sizes the
// format cannot produce wrap ErrCorrupt.
func plaintextSize(key Key, size int64) (int64, error) {
	body := size - headerSize
	if body < tagSize {
		return 0, corrupt(key, "ciphertext of %d bytes is too short", size)
	}
	full, rest := body/sealedSegmentSize, body%sealedSegmentSize
	if rest < tagSize {
		return 0, corrupt(key, "ciphertext of %d bytes has no final segment", size)
	}
	return full*segmentSize + rest - tagSize, nil
}
