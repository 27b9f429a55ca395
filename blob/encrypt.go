// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package blob

import (
	"bytes"
	"context"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"

	"justizcloud/errs"
	"justizcloud/keys"
)

var (
	_ Store       = (*Encrypted)(nil)
	_ RangeGetter = (*Encrypted)(nil)
)

const (
	dekSize = 32
	// getAttempts bounds the retries of a read that races with Puts of the same key.
	getAttempts = 5
)

// Encrypted is the encrypting decorator: envelope encryption with a fresh
// 256-bit data key (DEK) per Put, wrapped by the tenant's KEK in a
// keys.Keyring and kept in keys.DataKeys under the caller's tenant and name;
// the content is stream-encrypted with AES-256-GCM in 64 KiB segments (see
// ErrCorrupt and the format description in stream.go). The inner store
// sees only ciphertext and opaque names. Encrypted passes blobtest.Run.
//
// Object names. The ciphertext is stored in the inner store under the
// caller's tenant and a name derived from the DEK with HKDF-SHA256 (64 hex
// digits), different for every Put. Keeping the caller's name would be safe
// too (it is a random ID), but a fixed name cannot give atomic overwrites:
// between replacing the ciphertext and replacing the data key, readers would
// see a ciphertext that does not match its key. With a name per version, a
// Put writes the new ciphertext, then switches the data key (the commit
// point), then deletes the previous ciphertext. Readers that lose that race
// find their ciphertext gone, notice that the data key changed and read
// again. The price: Stat and Delete look up and unwrap the data key before
// they can name the ciphertext, and the name survives re-wrapping of data
// keys (it depends on the DEK, not on its wrapping).
//
// Consequences. If deleting the previous ciphertext fails, or two Puts of the
// same key race, an orphaned ciphertext may remain; its DEK is gone, so it is
// unreadable garbage. After Shred the ciphertext can no longer be named, so
// Delete then removes only the remembered key; the ciphertext stays in the
// inner store (unreadable) until the tenant's objects are removed wholesale.
// Errors of the inner store, keyring and data key store are returned
// wrapped; a Get of a shredded blob, or of one whose tenant KEK was
// destroyed, wraps errs.ErrGone.
//
// Encrypted is safe for concurrent use.
type Encrypted struct {
	inner Store
	kr    keys.Keyring
	dk    keys.DataKeys
	bufs  sync.Pool // *[sealedSegmentSize]byte
}

// Encrypt wraps inner.
func Encrypt(inner Store, kr keys.Keyring, dk keys.DataKeys) *Encrypted {
	e := &Encrypted{inner: inner, kr: kr, dk: dk}
	e.bufs.New = func() any { return new([sealedSegmentSize]byte) }
	return e
}

func (e *Encrypted) getBuf() []byte { return e.bufs.Get().(*[sealedSegmentSize]byte)[:] }

func (e *Encrypted) putBuf(b []byte) { e.bufs.Put((*[sealedSegmentSize]byte)(b)) }

// version is one stored version of a blob: its data key and where and how
// its ciphertext is stored.
type version struct {
	wrapped keys.Wrapped
	obj     Key // of the ciphertext in the inner store
	aead    cipher.AEAD
}

// derive computes the inner key and the content cipher from a DEK.
func derive(key Key, dek []byte) (Key, cipher.AEAD, error) {
	if len(dek) != dekSize {
		return Key{}, nil, fmt.Errorf("blob %s: %w: data key of %d bytes", key, ErrCorrupt, len(dek))
	}
	contentKey, err := hkdf.Key(sha256.New, dek, nil, "justizcloud blob v1 content", 32)
	if err != nil {
		return Key{}, nil, err
	}
	name, err := hkdf.Key(sha256.New, dek, nil, "justizcloud blob v1 object name\x00"+string(key.Tenant)+"\x00"+key.Name, 32)
	if err != nil {
		return Key{}, nil, err
	}
	aead, err := newAEAD(contentKey)
	if err != nil {
		return Key{}, nil, err
	}
	return Key{Tenant: key.Tenant, Name: hex.EncodeToString(name)}, aead, nil
}

// current looks up and unwraps the data key of key.
func (e *Encrypted) current(ctx context.Context, key Key) (version, error) {
	w, err := e.dk.DataKey(ctx, key.Tenant, key.Name)
	if err != nil {
		return version{}, fmt.Errorf("blob %s: data key: %w", key, err)
	}
	dek, err := e.kr.Unwrap(ctx, key.Tenant, w)
	if err != nil {
		return version{}, fmt.Errorf("blob %s: unwrapping data key: %w", key, err)
	}
	obj, aead, err := derive(key, dek)
	if err != nil {
		return version{}, err
	}
	return version{wrapped: w, obj: obj, aead: aead}, nil
}

// withCurrent calls fn with the current version of key. When fn finds the
// ciphertext missing (errs.ErrNotFound) because a concurrent Put replaced
// the version, it tries again with the new one.
func (e *Encrypted) withCurrent(ctx context.Context, key Key, fn func(v version) error) error {
	var prev keys.Wrapped
	var prevErr error
	for attempt := range getAttempts {
		v, err := e.current(ctx, key)
		if err != nil {
			return err
		}
		if attempt > 0 && v.wrapped.KEK == prev.KEK && bytes.Equal(v.wrapped.Ciphertext, prev.Ciphertext) {
			break // same version: the ciphertext is really missing
		}
		if prevErr = fn(v); !errors.Is(prevErr, errs.ErrNotFound) {
			return prevErr
		}
		prev = v.wrapped
	}
	return fmt.Errorf("blob %s: ciphertext missing: %w", key, prevErr)
}

// Put encrypts r into the inner store and then stores the wrapped data key.
func (e *Encrypted) Put(ctx context.Context, key Key, r io.Reader) error {
	if err := key.Validate(); err != nil {
		return fmt.Errorf("encrypted put: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("encrypted put %s: %w", key, err)
	}
	dek := make([]byte, dekSize)
	var prefix [noncePrefixSize]byte
	rand.Read(dek) // never fails (crypto/rand)
	rand.Read(prefix[:])
	w, err := e.kr.Wrap(ctx, key.Tenant, dek)
	if err != nil {
		return fmt.Errorf("encrypted put %s: wrapping data key: %w", key, err)
	}
	obj, aead, err := derive(key, dek)
	if err != nil {
		return fmt.Errorf("encrypted put %s: %w", key, err)
	}

	buf := e.getBuf()
	err = e.inner.Put(ctx, obj, newSealer(ctx, r, key, aead, newHeader(prefix), buf))
	e.putBuf(buf)
	if err != nil {
		return fmt.Errorf("encrypted put %s: %w", key, err)
	}

	old, oldErr := e.dk.DataKey(ctx, key.Tenant, key.Name)
	err = ctx.Err()
	if err == nil {
		err = e.dk.PutDataKey(ctx, key.Tenant, key.Name, w)
	}
	cleanup := context.WithoutCancel(ctx)
	if err != nil {
		if derr := e.inner.Delete(cleanup, obj); derr != nil {
			err = errors.Join(err, fmt.Errorf("removing the new ciphertext: %w", derr))
		}
		return fmt.Errorf("encrypted put %s: storing data key: %w", key, err)
	}
	if oldErr == nil {
		e.removeVersion(cleanup, key, old)
	}
	return nil
}

// removeVersion deletes the ciphertext of a replaced version, best effort:
// its data key is no longer stored, so a leftover is unreadable garbage.
func (e *Encrypted) removeVersion(ctx context.Context, key Key, w keys.Wrapped) {
	dek, err := e.kr.Unwrap(ctx, key.Tenant, w)
	if err != nil {
		return
	}
	if obj, _, err := derive(key, dek); err == nil {
		e.inner.Delete(ctx, obj)
	}
}

// Get returns a reader of the plaintext that verifies each segment before
// handing it out. Reading fails with an error wrapping ErrCorrupt when the
// ciphertext was tampered with, truncated or extended.
func (e *Encrypted) Get(ctx context.Context, key Key) (io.ReadCloser, error) {
	if err := key.Validate(); err != nil {
		return nil, fmt.Errorf("encrypted get: %w", err)
	}
	var rc io.ReadCloser
	err := e.withCurrent(ctx, key, func(v version) error {
		src, err := e.inner.Get(ctx, v.obj)
		if err != nil {
			return err
		}
		h, err := readHeader(key, src)
		if err != nil {
			src.Close()
			return err
		}
		rc = newOpener(src, key, v.aead, h, 0, 0, -1, e.getBuf(), e.putBuf)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("encrypted get: %w", err)
	}
	return rc, nil
}

// GetRange decrypts only the segments that hold the range. If the inner
// store is a RangeGetter, it fetches the header and those segments;
// otherwise it reads and discards the ciphertext before them.
func (e *Encrypted) GetRange(ctx context.Context, key Key, offset, length int64) (io.ReadCloser, error) {
	if err := key.Validate(); err != nil {
		return nil, fmt.Errorf("encrypted get range: %w", err)
	}
	if offset < 0 {
		return nil, fmt.Errorf("encrypted get range %s: %w: negative offset %d", key, errs.ErrInvalid, offset)
	}
	var rc io.ReadCloser
	err := e.withCurrent(ctx, key, func(v version) error {
		info, err := e.inner.Stat(ctx, v.obj)
		if err != nil {
			return err
		}
		size, err := plaintextSize(key, info.Size)
		if err != nil {
			return err
		}
		if offset > size {
			return fmt.Errorf("blob %s: %w: offset %d beyond size %d", key, errs.ErrInvalid, offset, size)
		}
		n := size - offset
		if length >= 0 && length < n {
			n = length
		}
		if n == 0 {
			rc = io.NopCloser(bytes.NewReader(nil))
			return nil
		}
		first, last := offset/segmentSize, (offset+n-1)/segmentSize
		start := headerSize + first*sealedSegmentSize
		end := min(headerSize+(last+1)*sealedSegmentSize, info.Size)
		h, src, err := e.openRange(ctx, key, v.obj, start, end)
		if err != nil {
			return err
		}
		rc = newOpener(src, key, v.aead, h, uint32(first), int(offset%segmentSize), n, e.getBuf(), e.putBuf)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("encrypted get range: %w", err)
	}
	return rc, nil
}

// openRange returns the header of the ciphertext obj and a reader of its
// bytes [start, end).
func (e *Encrypted) openRange(ctx context.Context, key, obj Key, start, end int64) (header, io.ReadCloser, error) {
	rg, ok := e.inner.(RangeGetter)
	if !ok || start == headerSize {
		var src io.ReadCloser
		var err error
		if ok {
			src, err = rg.GetRange(ctx, obj, 0, end)
		} else {
			src, err = e.inner.Get(ctx, obj)
		}
		if err != nil {
			return header{}, nil, err
		}
		h, err := readHeader(key, src)
		if err == nil {
			_, err = io.CopyN(io.Discard, src, start-headerSize)
		}
		if err != nil {
			src.Close()
			return header{}, nil, err
		}
		return h, src, nil
	}
	hr, err := rg.GetRange(ctx, obj, 0, headerSize)
	if err != nil {
		return header{}, nil, err
	}
	h, err := readHeader(key, hr)
	hr.Close()
	if err != nil {
		return header{}, nil, err
	}
	src, err := rg.GetRange(ctx, obj, start, end-start)
	if err != nil {
		return header{}, nil, err
	}
	return h, src, nil
}

// Stat computes the plaintext size from the ciphertext size.
func (e *Encrypted) Stat(ctx context.Context, key Key) (Info, error) {
	if err := key.Validate(); err != nil {
		return Info{}, fmt.Errorf("encrypted stat: %w", err)
	}
	var info Info
	err := e.withCurrent(ctx, key, func(v version) error {
		ci, err := e.inner.Stat(ctx, v.obj)
		if err != nil {
			return err
		}
		info.Size, err = plaintextSize(key, ci.Size)
		return err
	})
	if err != nil {
		return Info{}, fmt.Errorf("encrypted stat: %w", err)
	}
	return info, nil
}

// Delete removes the ciphertext and then the data key. A missing key is not
// an error. For a shredded blob, or one whose tenant KEK was destroyed, only
// the data key record is removed (see Encrypted).
func (e *Encrypted) Delete(ctx context.Context, key Key) error {
	if err := key.Validate(); err != nil {
		return fmt.Errorf("encrypted delete: %w", err)
	}
	w, err := e.dk.DataKey(ctx, key.Tenant, key.Name)
	switch {
	case errors.Is(err, errs.ErrNotFound):
		return nil
	case errors.Is(err, errs.ErrGone):
	case err != nil:
		return fmt.Errorf("encrypted delete %s: data key: %w", key, err)
	default:
		dek, err := e.kr.Unwrap(ctx, key.Tenant, w)
		switch {
		case errors.Is(err, errs.ErrGone):
		case err != nil:
			return fmt.Errorf("encrypted delete %s: unwrapping data key: %w", key, err)
		default:
			obj, _, err := derive(key, dek)
			if err == nil {
				err = e.inner.Delete(ctx, obj)
			}
			if err != nil {
				return fmt.Errorf("encrypted delete %s: %w", key, err)
			}
		}
	}
	if err := e.dk.DeleteDataKey(ctx, key.Tenant, key.Name); err != nil {
		return fmt.Errorf("encrypted delete %s: data key: %w", key, err)
	}
	return nil
}

// Shred destroys the data key of key (keys.DataKeys.DestroyDataKey) and
// nothing else: afterwards Get, GetRange and Stat wrap errs.ErrGone, while
// the ciphertext may still exist in the inner store and in its backups,
// unreadable. Idempotent.
func (e *Encrypted) Shred(ctx context.Context, key Key) error {
	if err := key.Validate(); err != nil {
		return fmt.Errorf("encrypted shred: %w", err)
	}
	if err := e.dk.DestroyDataKey(ctx, key.Tenant, key.Name); err != nil {
		return fmt.Errorf("encrypted shred %s: %w", key, err)
	}
	return nil
}
