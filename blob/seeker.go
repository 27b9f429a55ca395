// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package blob

import (
	"context"
	"errors"
	"fmt"
	"io"

	"justizcloud/errs"
)

// Seeker reads a blob of known size as an io.ReadSeeker, so it can be served
// with Range requests. It opens the underlying stream lazily at the current
// offset (with GetRange when the store offers it) and reopens after a Seek,
// so memory stays constant whatever the blob's size.
type Seeker struct {
	ctx  context.Context
	s    Store
	key  Key
	size int64
	off  int64
	rc   io.ReadCloser
}

// NewSeeker returns a Seeker over the blob key of the given plaintext size.
func NewSeeker(ctx context.Context, s Store, key Key, size int64) *Seeker {
	return &Seeker{ctx: ctx, s: s, key: key, size: size}
}

// Read implements io.Reader.
func (r *Seeker) Read(p []byte) (int, error) {
	if r.off >= r.size {
		return 0, io.EOF
	}
	if r.rc == nil {
		rc, err := r.open()
		if err != nil {
			return 0, err
		}
		r.rc = rc
	}
	n, err := r.rc.Read(p)
	r.off += int64(n)
	if errors.Is(err, io.EOF) && r.off < r.size {
		return n, fmt.Errorf("blob %s: %w: ended at %d of %d bytes", r.key, io.ErrUnexpectedEOF, r.off, r.size)
	}
	return n, err
}

func (r *Seeker) open() (io.ReadCloser, error) {
	if rg, ok := r.s.(RangeGetter); ok {
		return rg.GetRange(r.ctx, r.key, r.off, -1)
	}
	rc, err := r.s.Get(r.ctx, r.key)
	if err != nil {
		return nil, err
	}
	if _, err := io.CopyN(io.Discard, rc, r.off); err != nil {
		rc.Close()
		return nil, fmt.Errorf("blob %s: skip to %d: %w", r.key, r.off, err)
	}
	return rc, nil
}

// Seek implements io.Seeker. Seeking does no I/O.
func (r *Seeker) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = r.off + offset
	case io.SeekEnd:
		abs = r.size + offset
	default:
		return 0, fmt.Errorf("blob seek: %w: whence %d", errs.ErrInvalid, whence)
	}
	if abs < 0 {
		return 0, fmt.Errorf("blob seek: %w: negative position", errs.ErrInvalid)
	}
	if abs != r.off && r.rc != nil {
		r.rc.Close()
		r.rc = nil
	}
	r.off = abs
	return abs, nil
}

// Close releases the underlying stream.
func (r *Seeker) Close() error {
	if r.rc == nil {
		return nil
	}
	err := r.rc.Close()
	r.rc = nil
	return err
}
