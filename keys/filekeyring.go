// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package keys

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"justizcloud/errs"
	"justizcloud/tenancy"
)

var _ Keyring = (*FileKeyring)(nil)

const (
	keyringFormat = 1
	kekSize       = 32 // AES-256
	nonceSize     = 12
	// wrapAADPrefix separates this use of a KEK from any other.
	wrapAADPrefix = "justizcloud keyring v1 wrap\x00"
)

// FileKeyring is the embedded Keyring: per-tenant 256-bit KEKs with
// versions, kept in one JSON file of mode 0600. Wrapping is AES-256-GCM with
// a random 12-byte nonce; the additional data binds the tenant and the KEK
// id, so a key wrapped for one tenant cannot be unwrapped for another.
//
// The file is rewritten atomically (temporary file, fsync, rename, fsync of
// the directory) on every change: the first Wrap for a tenant, Rotate and
// DestroyTenant. Before every operation the keyring checks whether the file
// was replaced and then reloads it, and every change starts from the file's
// current content; so several FileKeyrings on the same file, in one process
// or several, see each other's changes. Changes must still not happen at the
// same moment from two of them (there is no file lock): let one process own
// the keyring.
//
// The KEKs lie unencrypted in the file; protect it like a private key. A
// FileKeyring is safe for concurrent use.
type FileKeyring struct {
	path string

	mu     sync.RWMutex
	loaded os.FileInfo // identity of the file last read or written
	state  keyringState
	aeads  map[string]cipher.AEAD // by KEK id; rebuilt with state
}

// keyringState is the content of the file.
type keyringState struct {
	Format  int                        `json:"format"`
	Tenants map[tenancy.ID]*tenantKEKs `json:"tenants"`
}

type tenantKEKs struct {
	// Issued is the highest version ever created. Versions up to Issued that
	// are not in KEKs were destroyed.
	Issued int   `json:"issued"`
	KEKs   []kek `json:"keks"` // ascending versions; the last one is current
}

type kek struct {
	Version int       `json:"version"`
	Key     []byte    `json:"key"`
	Created time.Time `json:"created"`
}

func kekID(t tenancy.ID, version int) string { return string(t) + "/v" + strconv.Itoa(version) }

// parseKEKID splits an id made by kekID.
func parseKEKID(id string) (tenancy.ID, int, error) {
	i := strings.LastIndex(id, "/v")
	if i < 0 {
		return "", 0, fmt.Errorf("%w: malformed KEK id %q", errs.ErrInvalid, id)
	}
	v, err := strconv.Atoi(id[i+2:])
	if err != nil || v < 1 {
		return "", 0, fmt.Errorf("%w: malformed KEK id %q", errs.ErrInvalid, id)
	}
	return tenancy.ID(id[:i]), v, nil
}

// OpenFileKeyring opens the keyring file at path, creating an empty one if
// it does not exist. It refuses a file that group or others may access.
func OpenFileKeyring(path string) (*FileKeyring, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("keyring %s: %w", path, err)
	}
	k := &FileKeyring{path: abs}
	k.mu.Lock()
	defer k.mu.Unlock()
	switch err := k.reload(); {
	case errors.Is(err, fs.ErrNotExist):
		empty := keyringState{Format: keyringFormat, Tenants: map[tenancy.ID]*tenantKEKs{}}
		if err := k.write(empty); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	}
	return k, nil
}

// reload reads the file if it is not the one last read or written.
// k.mu must be held for writing.
func (k *FileKeyring) reload() error {
	fi, err := os.Stat(k.path)
	if err != nil {
		return fmt.Errorf("keyring %s: %w", k.path, err)
	}
	if k.loaded != nil && os.SameFile(fi, k.loaded) && fi.ModTime().Equal(k.loaded.ModTime()) && fi.Size() == k.loaded.Size() {
		return nil
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("keyring %s: %w: mode %v lets group or others access the keys; want 0600", k.path, errs.ErrInvalid, perm)
	}
	data, err := os.ReadFile(k.path)
	if err != nil {
		return fmt.Errorf("keyring %s: %w", k.path, err)
	}
	var st keyringState
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return fmt.Errorf("keyring %s: %w: %w", k.path, errs.ErrInvalid, err)
	}
	if err := st.validate(); err != nil {
		return fmt.Errorf("keyring %s: %w", k.path, err)
	}
	k.setState(st, fi)
	return nil
}

func (st *keyringState) validate() error {
	if st.Format != keyringFormat {
		return fmt.Errorf("%w: format %d, want %d", errs.ErrInvalid, st.Format, keyringFormat)
	}
	if st.Tenants == nil {
		st.Tenants = map[tenancy.ID]*tenantKEKs{}
	}
	for t, tk := range st.Tenants {
		if _, err := tenancy.Parse(string(t)); err != nil {
			return err
		}
		if tk == nil {
			return fmt.Errorf("%w: tenant %s without entry", errs.ErrInvalid, t)
		}
		last := 0
		for _, kk := range tk.KEKs {
			if kk.Version <= last || kk.Version > tk.Issued || len(kk.Key) != kekSize {
				return fmt.Errorf("%w: tenant %s: bad KEK version %d", errs.ErrInvalid, t, kk.Version)
			}
			last = kk.Version
		}
	}
	return nil
}

// setState installs st and its AEADs. k.mu must be held for writing.
func (k *FileKeyring) setState(st keyringState, fi os.FileInfo) {
	aeads := make(map[string]cipher.AEAD)
	for t, tk := range st.Tenants {
		for _, kk := range tk.KEKs {
			block, err := aes.NewCipher(kk.Key)
			if err != nil {
				panic(err) // validate checked the key length
			}
			aead, err := cipher.NewGCM(block)
			if err != nil {
				panic(err)
			}
			aeads[kekID(t, kk.Version)] = aead
		}
	}
	k.state, k.aeads, k.loaded = st, aeads, fi
}

// write stores st atomically and installs it. k.mu must be held for writing.
func (k *FileKeyring) write(st keyringState) error {
	data, err := json.MarshalIndent(st, "", "\t")
	if err != nil {
		return fmt.Errorf("keyring %s: %w", k.path, err)
	}
	dir := filepath.Dir(k.path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(k.path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("keyring %s: %w", k.path, err)
	}
	defer os.Remove(f.Name()) // fails harmlessly after the rename
	// CreateTemp makes the file 0600; Chmod makes sure even under odd umasks.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("keyring %s: %w", k.path, err)
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("keyring %s: %w", k.path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("keyring %s: %w", k.path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("keyring %s: %w", k.path, err)
	}
	if err := os.Rename(f.Name(), k.path); err != nil {
		return fmt.Errorf("keyring %s: %w", k.path, err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("keyring %s: %w", k.path, err)
	}
	serr := d.Sync()
	d.Close()
	if serr != nil {
		return fmt.Errorf("keyring %s: syncing directory: %w", k.path, serr)
	}
	fi, err := os.Stat(k.path)
	if err != nil {
		return fmt.Errorf("keyring %s: %w", k.path, err)
	}
	k.setState(st, fi)
	return nil
}

// change reloads the file, applies fn to a copy of the state and writes the
// result. fn returns false to leave the file as it is.
//
// Several processes may share the file (replicas with one keyring): a change
// holds an exclusive flock on "<path>.lock" from the reload to the write, so
// no process overwrites a key that another has just added. A change that
// turns out to be none takes no file lock, so a read-only keyring works as
// long as nothing needs to change.
func (k *FileKeyring) change(fn func(st *keyringState) bool) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.reload(); err != nil {
		return err
	}
	if st := k.state.clone(); !fn(&st) {
		return nil
	}
	unlock, err := lockFile(k.path + ".lock")
	if err != nil {
		return err
	}
	defer unlock()
	if err := k.reload(); err != nil { // another process may have changed it meanwhile
		return err
	}
	st := k.state.clone()
	if !fn(&st) {
		return nil
	}
	return k.write(st)
}

// lockFile takes an exclusive flock on name, creating it if needed, and
// returns the function that releases it.
func lockFile(name string) (func(), error) {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("keyring lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("keyring lock: %w", err)
	}
	return func() { f.Close() }, nil // closing releases the lock
}

func (st keyringState) clone() keyringState {
	out := keyringState{Format: st.Format, Tenants: make(map[tenancy.ID]*tenantKEKs, len(st.Tenants))}
	for t, tk := range st.Tenants {
		out.Tenants[t] = &tenantKEKs{Issued: tk.Issued, KEKs: slices.Clone(tk.KEKs)}
	}
	return out
}

// addKEK appends a fresh KEK for t.
func (st *keyringState) addKEK(t tenancy.ID) error {
	tk := st.Tenants[t]
	if tk == nil {
		tk = &tenantKEKs{}
		st.Tenants[t] = tk
	}
	key := make([]byte, kekSize)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	tk.Issued++
	tk.KEKs = append(tk.KEKs, kek{Version: tk.Issued, Key: key, Created: time.Now().UTC()})
	return nil
}

// current returns the id and AEAD of t's current KEK, reloading the file if
// it changed. ok is false when t has no KEK.
func (k *FileKeyring) current(t tenancy.ID) (id string, aead cipher.AEAD, ok bool, err error) {
	if err := k.fresh(); err != nil {
		return "", nil, false, err
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	tk := k.state.Tenants[t]
	if tk == nil || len(tk.KEKs) == 0 {
		return "", nil, false, nil
	}
	id = kekID(t, tk.KEKs[len(tk.KEKs)-1].Version)
	return id, k.aeads[id], true, nil
}

// fresh reloads the file if another FileKeyring replaced it. The common case
// costs one stat(2) under a read lock.
func (k *FileKeyring) fresh() error {
	k.mu.RLock()
	fi, err := os.Stat(k.path)
	same := err == nil && os.SameFile(fi, k.loaded) && fi.ModTime().Equal(k.loaded.ModTime()) && fi.Size() == k.loaded.Size()
	k.mu.RUnlock()
	if same {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.reload()
}

func wrapAAD(t tenancy.ID, id string) []byte {
	return []byte(wrapAADPrefix + string(t) + "\x00" + id)
}

// Wrap encrypts dek (16 to 64 bytes) under t's current KEK, creating the
// tenant's first KEK if it has none (also after DestroyTenant).
func (k *FileKeyring) Wrap(ctx context.Context, t tenancy.ID, dek []byte) (Wrapped, error) {
	if err := ctx.Err(); err != nil {
		return Wrapped{}, fmt.Errorf("keyring wrap for %s: %w", t, err)
	}
	if _, err := tenancy.Parse(string(t)); err != nil {
		return Wrapped{}, fmt.Errorf("keyring wrap: %w", err)
	}
	if len(dek) < 16 || len(dek) > 64 {
		return Wrapped{}, fmt.Errorf("keyring wrap for %s: %w: data key of %d bytes, want 16 to 64", t, errs.ErrInvalid, len(dek))
	}
	id, aead, ok, err := k.current(t)
	if err != nil {
		return Wrapped{}, fmt.Errorf("keyring wrap for %s: %w", t, err)
	}
	if !ok {
		var addErr error
		err := k.change(func(st *keyringState) bool {
			if tk := st.Tenants[t]; tk != nil && len(tk.KEKs) > 0 {
				return false // created meanwhile
			}
			addErr = st.addKEK(t)
			return addErr == nil
		})
		if err = errors.Join(err, addErr); err != nil {
			return Wrapped{}, fmt.Errorf("keyring wrap for %s: creating KEK: %w", t, err)
		}
		if id, aead, ok, err = k.current(t); err != nil || !ok {
			return Wrapped{}, fmt.Errorf("keyring wrap for %s: KEK vanished after creation: %w", t, err)
		}
	}
	out := make([]byte, nonceSize, nonceSize+len(dek)+aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		return Wrapped{}, fmt.Errorf("keyring wrap for %s: %w", t, err)
	}
	out = aead.Seal(out, out[:nonceSize], dek, wrapAAD(t, id))
	return Wrapped{KEK: id, Ciphertext: out}, nil
}

// Unwrap decrypts w. A key wrapped for another tenant or altered fails with
// errs.ErrInvalid; a destroyed KEK (DestroyTenant) with errs.ErrGone; a KEK
// this keyring never had with errs.ErrNotFound.
func (k *FileKeyring) Unwrap(ctx context.Context, t tenancy.ID, w Wrapped) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("keyring unwrap for %s: %w", t, err)
	}
	if _, err := tenancy.Parse(string(t)); err != nil {
		return nil, fmt.Errorf("keyring unwrap: %w", err)
	}
	owner, version, err := parseKEKID(w.KEK)
	if err != nil {
		return nil, fmt.Errorf("keyring unwrap for %s: %w", t, err)
	}
	if owner != t {
		return nil, fmt.Errorf("keyring unwrap for %s: %w: key was wrapped for tenant %q", t, errs.ErrInvalid, owner)
	}
	if err := k.fresh(); err != nil {
		return nil, fmt.Errorf("keyring unwrap for %s: %w", t, err)
	}
	k.mu.RLock()
	aead := k.aeads[w.KEK]
	issued := 0
	if tk := k.state.Tenants[t]; tk != nil {
		issued = tk.Issued
	}
	k.mu.RUnlock()
	switch {
	case aead == nil && version <= issued:
		return nil, fmt.Errorf("keyring unwrap for %s: KEK %s was destroyed: %w", t, w.KEK, errs.ErrGone)
	case aead == nil:
		return nil, fmt.Errorf("keyring unwrap for %s: KEK %s: %w", t, w.KEK, errs.ErrNotFound)
	case len(w.Ciphertext) < nonceSize+aead.Overhead():
		return nil, fmt.Errorf("keyring unwrap for %s: %w: wrapped key too short", t, errs.ErrInvalid)
	}
	dek, err := aead.Open(nil, w.Ciphertext[:nonceSize], w.Ciphertext[nonceSize:], wrapAAD(t, w.KEK))
	if err != nil {
		return nil, fmt.Errorf("keyring unwrap for %s: %w: wrapped key fails authentication", t, errs.ErrInvalid)
	}
	return dek, nil
}

// Rotate gives t a new current KEK. Keys wrapped under earlier versions
// still unwrap; re-wrapping them is the caller's business.
func (k *FileKeyring) Rotate(ctx context.Context, t tenancy.ID) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("keyring rotate %s: %w", t, err)
	}
	if _, err := tenancy.Parse(string(t)); err != nil {
		return fmt.Errorf("keyring rotate: %w", err)
	}
	var addErr error
	err := k.change(func(st *keyringState) bool {
		addErr = st.addKEK(t)
		return addErr == nil
	})
	if err = errors.Join(err, addErr); err != nil {
		return fmt.Errorf("keyring rotate %s: %w", t, err)
	}
	return nil
}

// EnsureTenants gives every tenant of ts that has no KEK one, in a single
// write, and writes nothing when all have one. A server calls it at start, so
// that replicas sharing a keyring file (a mounted secret) never create KEKs on
// their own; on a read-only file with a tenant missing it fails, loudly.
func (k *FileKeyring) EnsureTenants(ctx context.Context, ts []tenancy.ID) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("keyring ensure tenants: %w", err)
	}
	var addErr error
	err := k.change(func(st *keyringState) bool {
		changed := false
		for _, t := range ts {
			if tk := st.Tenants[t]; tk != nil && len(tk.KEKs) > 0 {
				continue
			}
			if addErr = st.addKEK(t); addErr != nil {
				return false
			}
			changed = true
		}
		return changed
	})
	if err = errors.Join(err, addErr); err != nil {
		return fmt.Errorf("keyring ensure tenants: %w", err)
	}
	return nil
}

// DestroyTenant removes every KEK of t from the file, so that everything
// wrapped for t is unreadable for good (Unwrap wraps errs.ErrGone).
// Idempotent. A later Wrap creates a new KEK with a higher version.
//
// Old copies of the keyring file (backups, snapshots) still hold the KEKs;
// crypto-shredding is only as good as their deletion.
func (k *FileKeyring) DestroyTenant(ctx context.Context, t tenancy.ID) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("keyring destroy %s: %w", t, err)
	}
	if _, err := tenancy.Parse(string(t)); err != nil {
		return fmt.Errorf("keyring destroy: %w", err)
	}
	err := k.change(func(st *keyringState) bool {
		tk := st.Tenants[t]
		if tk == nil || len(tk.KEKs) == 0 {
			return false
		}
		tk.KEKs = nil
		return true
	})
	if err != nil {
		return fmt.Errorf("keyring destroy %s: %w", t, err)
	}
	return nil
}
