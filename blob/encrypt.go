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
	"slices"
	"strings"
	"sync"

	"justizcloud/errs"
	"justizcloud/keys"
	"justizcloud/tenancy"
)

var (
	_ Store       = (*Encrypted)(nil)
	_ RangeGetter = (*Encrypted)(nil)
	_ Lister      = (*Encrypted)(nil)
)

// errNoVersions marks a Put that had no earlier version to remove.
var errNoVersions = errors.New("no earlier versions")

const (
	dekSize = 32
	// getAttempts bounds the retries of a read that races with Puts of the same key.
	getAttempts = 5
	// versionLen is the length of the hex digits that name a version.
	versionLen = 16
	// maxEncryptedNameLen is the longest caller name Encrypted accepts, so
	// that "<name>_<version>" is a valid name of the inner store.
	maxEncryptedNameLen = maxNameLen - 1 - versionLen
)

// Encrypted is the encrypting decorator: envelope encryption with a fresh
// 256-bit data key (DEK) per Put, wrapped by the tenant's KEK in a
// keys.Keyring and kept in keys.DataKeys under the caller's tenant and name;
// the content is stream-encrypted with AES-256-GCM in 64 KiB segments (see
// ErrCorrupt and the format description in stream.go). The inner store
// sees only ciphertext and the caller's names with a version suffix.
// Encrypted passes blobtest.Run.
//
// Object names. Each Put stores its ciphertext in the inner store under the
// caller's tenant and the name "<name>_<version>", where version is 16
// lowercase hex digits derived from the DEK with HKDF-SHA256, so it differs
// for every Put and survives re-wrapping of data keys. The inner store
// learns the caller's names, which are random IDs that say nothing about the
// content (see Key), but not which version is current. A fixed name cannot
// give atomic overwrites: between replacing the ciphertext and replacing the
// data key, readers would see a ciphertext that does not match its key. With
// a name per version, a Put lists the versions already there, writes the new
// ciphertext, switches the data key (the commit point) and then deletes the
// versions it listed. Readers that lose that race find their ciphertext gone,
// notice that the data key changed and read again. Get, GetRange and Stat
// look up and unwrap the data key to name the current version; Delete needs
// no data key, because it finds every version by listing "<name>_" in the
// inner store (which is therefore a ListingStore). Caller names have at most
// 143 characters, so that the version names fit Key's limit of 160.
//
// Consequences. A Put that fails, or whose process is killed, after writing
// its ciphertext and before storing the data key leaves a version without a
// data key: unreadable garbage, which the next Put or Delete of the same name
// removes. So Delete (as the upload sweeper calls it after a restart) leaves
// nothing of the name behind, whether the data key exists, was destroyed by
// Shred or with the tenant's KEK, or was never written; List shows such
// leftovers under their name until then. Concurrent writers of one name:
// a Put deletes only the versions it listed before its upload. If another
// Put of the name had written its ciphertext by then but stores its data key
// only after this Put's commit, that data key names a deleted version and
// the blob reads as missing (errs.ErrNotFound); in every other interleaving
// the last commit wins and the loser's ciphertext is garbage until the next
// Put or Delete. A Delete racing a Put of the same name can likewise leave a
// data key without ciphertext, which reads as missing and goes with the next
// Delete. Callers that write every name once (random IDs) and do not delete
// a name while putting it are not affected.
// Errors of the inner store, keyring and data key store are returned
// wrapped; a Get of a shredded blob, or of one whose tenant KEK was
// destroyed, wraps errs.ErrGone.
//
// Encrypted is safe for concurrent use.
type Encrypted struct {
	inner ListingStore
	kr    keys.Keyring
	dk    keys.DataKeys
	bufs  sync.Pool // *[sealedSegmentSize]byte
}

// Encrypt wraps inner.
func Encrypt(inner ListingStore, kr keys.Keyring, dk keys.DataKeys) *Encrypted {
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

// validate checks a caller's key: Key.Validate, and room for the version suffix.
func validate(key Key) error {
	if err := key.Validate(); err != nil {
		return err
	}
	if len(key.Name) > maxEncryptedNameLen {
		return fmt.Errorf("%w: encrypted blob name must have 1 to %d characters", errs.ErrInvalid, maxEncryptedNameLen)
	}
	return nil
}

// versionOf splits an inner name "<name>_<version>" into name and reports
// whether it has that form; version is versionLen lowercase hex digits.
func versionOf(inner string) (name string, ok bool) {
	cut := len(inner) - versionLen - 1
	if cut < 1 || inner[cut] != '_' {
		return "", false
	}
	for _, c := range []byte(inner[cut+1:]) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return "", false
		}
	}
	return inner[:cut], true
}

// versions lists the ciphertexts of key in the inner store: committed,
// replaced or never committed. A name such as "abc_def" is never taken for
// a version of "abc", because a version suffix is exactly "_" and 16 hex digits.
func (e *Encrypted) versions(ctx context.Context, key Key) ([]Key, error) {
	names, err := e.inner.List(ctx, key.Tenant, key.Name+"_")
	if err != nil {
		return nil, fmt.Errorf("listing versions: %w", err)
	}
	var vs []Key
	for _, n := range names {
		if name, ok := versionOf(n); ok && name == key.Name {
			vs = append(vs, Key{Tenant: key.Tenant, Name: n})
		}
	}
	return vs, nil
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
	version, err := hkdf.Key(sha256.New, dek, nil, "justizcloud blob v1 object name\x00"+string(key.Tenant)+"\x00"+key.Name, versionLen/2)
	if err != nil {
		return Key{}, nil, err
	}
	aead, err := newAEAD(contentKey)
	if err != nil {
		return Key{}, nil, err
	}
	return Key{Tenant: key.Tenant, Name: key.Name + "_" + hex.EncodeToString(version)}, aead, nil
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

// Put encrypts r into the inner store, stores the wrapped data key and then
// removes the versions that were there before (see Encrypted).
func (e *Encrypted) Put(ctx context.Context, key Key, r io.Reader) error {
	if err := validate(key); err != nil {
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

	// Earlier versions are listed before the upload, so that a concurrent
	// Put's ciphertext written meanwhile is not taken for a replaced version.
	// A name without a data key has no committed version, and the listing is
	// skipped: that keeps a first Put, the common case, free of a directory
	// scan. A killed Put's leftover under such a name is removed by Delete.
	// Removing versions is best effort: whatever is left, the next overwrite
	// or Delete finds again.
	var stale []Key
	listErr := errNoVersions
	if _, err := e.dk.DataKey(ctx, key.Tenant, key.Name); !errors.Is(err, errs.ErrNotFound) {
		stale, listErr = e.versions(ctx, key)
	}

	buf := e.getBuf()
	err = e.inner.Put(ctx, obj, newSealer(ctx, r, key, aead, newHeader(prefix), buf))
	e.putBuf(buf)
	if err != nil {
		return fmt.Errorf("encrypted put %s: %w", key, err)
	}

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
	if listErr == nil {
		for _, v := range stale {
			if v != obj {
				e.inner.Delete(cleanup, v)
			}
		}
	}
	return nil
}

// Get returns a reader of the plaintext that verifies each segment before
// handing it out. Reading fails with an error wrapping ErrCorrupt when the
// ciphertext was tampered with, truncated or extended.
func (e *Encrypted) Get(ctx context.Context, key Key) (io.ReadCloser, error) {
	if err := validate(key); err != nil {
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
	if err := validate(key); err != nil {
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
	if err := validate(key); err != nil {
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

// Delete removes every version of key from the inner store, found by
// listing, and then the data key. It needs neither the data key nor the
// keyring, so it also removes the ciphertext of a shredded blob, of one
// whose tenant KEK was destroyed, and of a Put that was killed before
// storing its data key. A missing key is not an error. If removing a
// version fails, the data key is kept and the error returned; calling
// Delete again finishes the job.
func (e *Encrypted) Delete(ctx context.Context, key Key) error {
	if err := validate(key); err != nil {
		return fmt.Errorf("encrypted delete: %w", err)
	}
	vs, err := e.versions(ctx, key)
	if err != nil {
		return fmt.Errorf("encrypted delete %s: %w", key, err)
	}
	var errList []error
	for _, v := range vs {
		if err := e.inner.Delete(ctx, v); err != nil {
			errList = append(errList, err)
		}
	}
	if err := errors.Join(errList...); err != nil {
		return fmt.Errorf("encrypted delete %s: %w", key, err)
	}
	if err := e.dk.DeleteDataKey(ctx, key.Tenant, key.Name); err != nil {
		return fmt.Errorf("encrypted delete %s: data key: %w", key, err)
	}
	return nil
}

// List implements Lister: the caller names of tenant t that start with
// prefix and have at least one version in the inner store. Besides every
// name whose Put completed, that includes shredded names and leftovers of
// Puts that failed to store their data key or were killed, until Delete
// removes them; their Get wraps errs.ErrGone or errs.ErrNotFound. A prefix
// longer than 143 characters wraps errs.ErrInvalid.
func (e *Encrypted) List(ctx context.Context, t tenancy.ID, prefix string) ([]string, error) {
	if err := ValidatePrefix(t, prefix); err != nil {
		return nil, fmt.Errorf("encrypted list: %w", err)
	}
	if len(prefix) > maxEncryptedNameLen {
		return nil, fmt.Errorf("encrypted list: %w: prefix longer than %d characters", errs.ErrInvalid, maxEncryptedNameLen)
	}
	inner, err := e.inner.List(ctx, t, prefix)
	if err != nil {
		return nil, fmt.Errorf("encrypted list %s/%s*: %w", t, prefix, err)
	}
	names := []string{}
	for _, n := range inner {
		// The prefix can reach into a version suffix: for "abc_0", the inner
		// store also lists "abc_0<15 hex digits>", a version of "abc".
		if name, ok := versionOf(n); ok && strings.HasPrefix(name, prefix) {
			names = append(names, name)
		}
	}
	// "_" sorts after "-", so "a-b_<version>" comes before "a_<version>".
	slices.Sort(names)
	return slices.Compact(names), nil
}

// Shred destroys the data key of key (keys.DataKeys.DestroyDataKey) and
// nothing else: afterwards Get, GetRange and Stat wrap errs.ErrGone, while
// the ciphertext stays in the inner store, unreadable, until Delete removes
// it (and in the inner store's backups). Idempotent.
func (e *Encrypted) Shred(ctx context.Context, key Key) error {
	if err := validate(key); err != nil {
		return fmt.Errorf("encrypted shred: %w", err)
	}
	if err := e.dk.DestroyDataKey(ctx, key.Tenant, key.Name); err != nil {
		return fmt.Errorf("encrypted shred %s: %w", key, err)
	}
	return nil
}
