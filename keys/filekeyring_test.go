// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package keys_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"justizcloud/errs"
	"justizcloud/keys"
	"justizcloud/tenancy"
)

func mustOpen(tb testing.TB, path string) *keys.FileKeyring {
	tb.Helper()
	k, err := keys.OpenFileKeyring(path)
	if err != nil {
		tb.Fatalf("OpenFileKeyring(%s) = %v", path, err)
	}
	return k
}

func mustWrap(tb testing.TB, k keys.Keyring, t tenancy.ID, dek []byte) keys.Wrapped {
	tb.Helper()
	w, err := k.Wrap(context.Background(), t, dek)
	if err != nil {
		tb.Fatalf("Wrap(%s) = %v", t, err)
	}
	return w
}

func dek(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func TestWrapUnwrap(t *testing.T) {
	ctx := context.Background()
	k := mustOpen(t, filepath.Join(t.TempDir(), "keyring.json"))
	by := mustWrap(t, k, "DE-BY", dek(1))
	nw := mustWrap(t, k, "DE-NW", dek(2))
	again := mustWrap(t, k, "DE-BY", dek(1))
	if bytes.Equal(by.Ciphertext, again.Ciphertext) {
		t.Error("two wraps of the same key are equal; want random nonces")
	}
	if by.KEK != again.KEK {
		t.Errorf("KEK = %q, then %q; want the same current KEK", by.KEK, again.KEK)
	}
	if bytes.Contains(by.Ciphertext, dek(1)) {
		t.Error("wrapped key contains the plaintext key")
	}

	flipped := keys.Wrapped{KEK: by.KEK, Ciphertext: bytes.Clone(by.Ciphertext)}
	flipped.Ciphertext[20] ^= 1
	tests := []struct {
		name    string
		tenant  tenancy.ID
		w       keys.Wrapped
		want    []byte
		wantErr error
	}{
		{"own tenant", "DE-BY", by, dek(1), nil},
		{"second wrap", "DE-BY", again, dek(1), nil},
		{"other tenant's key", "DE-BY", nw, nil, errs.ErrInvalid},
		{"relabelled to own tenant", "DE-BY", keys.Wrapped{KEK: by.KEK, Ciphertext: nw.Ciphertext}, nil, errs.ErrInvalid},
		{"wrong tenant asks", "DE-NW", by, nil, errs.ErrInvalid},
		{"bit flip", "DE-BY", flipped, nil, errs.ErrInvalid},
		{"too short", "DE-BY", keys.Wrapped{KEK: by.KEK, Ciphertext: by.Ciphertext[:20]}, nil, errs.ErrInvalid},
		{"malformed KEK id", "DE-BY", keys.Wrapped{KEK: "DE-BY", Ciphertext: by.Ciphertext}, nil, errs.ErrInvalid},
		{"unknown KEK version", "DE-BY", keys.Wrapped{KEK: "DE-BY/v9", Ciphertext: by.Ciphertext}, nil, errs.ErrNotFound},
		{"unknown tenant", "XX", by, nil, errs.ErrInvalid},
		{"tenant without KEK", "DE-SL", keys.Wrapped{KEK: "DE-SL/v1", Ciphertext: by.Ciphertext}, nil, errs.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := k.Unwrap(ctx, tt.tenant, tt.w)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("Unwrap error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil || !bytes.Equal(got, tt.want) {
				t.Errorf("Unwrap = %x, %v; want %x, nil", got, err, tt.want)
			}
		})
	}
}

func TestWrapInvalid(t *testing.T) {
	k := mustOpen(t, filepath.Join(t.TempDir(), "keyring.json"))
	tests := []struct {
		tenant tenancy.ID
		dek    []byte
	}{
		{"XX", dek(1)},
		{"", dek(1)},
		{"DE-BY", nil},
		{"DE-BY", make([]byte, 15)},
		{"DE-BY", make([]byte, 65)},
	}
	for _, tt := range tests {
		if _, err := k.Wrap(context.Background(), tt.tenant, tt.dek); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("Wrap(%q, %d bytes) error = %v, want errs.ErrInvalid", tt.tenant, len(tt.dek), err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := k.Wrap(ctx, "DE-BY", dek(1)); !errors.Is(err, context.Canceled) {
		t.Errorf("Wrap with cancelled ctx error = %v, want context.Canceled", err)
	}
}

func TestRotateAndDestroy(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "keyring.json")
	k := mustOpen(t, path)
	v1 := mustWrap(t, k, "DE-HE", dek(1))
	other := mustWrap(t, k, "DE-HB", dek(9))
	if err := k.Rotate(ctx, "DE-HE"); err != nil {
		t.Fatalf("Rotate = %v", err)
	}
	v2 := mustWrap(t, k, "DE-HE", dek(2))
	if v1.KEK == v2.KEK {
		t.Fatalf("KEK after Rotate = %q, want a new one", v2.KEK)
	}
	for _, w := range []keys.Wrapped{v1, v2} {
		if _, err := k.Unwrap(ctx, "DE-HE", w); err != nil {
			t.Errorf("Unwrap(%s) after Rotate = %v", w.KEK, err)
		}
	}

	if err := k.DestroyTenant(ctx, "DE-HE"); err != nil {
		t.Fatalf("DestroyTenant = %v", err)
	}
	if err := k.DestroyTenant(ctx, "DE-HE"); err != nil {
		t.Fatalf("second DestroyTenant = %v, want nil", err)
	}
	for _, w := range []keys.Wrapped{v1, v2} {
		if _, err := k.Unwrap(ctx, "DE-HE", w); !errors.Is(err, errs.ErrGone) {
			t.Errorf("Unwrap(%s) after DestroyTenant error = %v, want errs.ErrGone", w.KEK, err)
		}
	}
	if got, err := k.Unwrap(ctx, "DE-HB", other); err != nil || !bytes.Equal(got, dek(9)) {
		t.Errorf("Unwrap of another tenant after DestroyTenant = %x, %v; want it intact", got, err)
	}

	v3 := mustWrap(t, k, "DE-HE", dek(3))
	if v3.KEK == v1.KEK || v3.KEK == v2.KEK {
		t.Errorf("KEK after DestroyTenant = %q, want a never used one", v3.KEK)
	}
	if _, err := k.Unwrap(ctx, "DE-HE", v3); err != nil {
		t.Errorf("Unwrap of new KEK = %v", err)
	}

	// Destruction is in the file, not only in memory.
	k2 := mustOpen(t, path)
	if _, err := k2.Unwrap(ctx, "DE-HE", v1); !errors.Is(err, errs.ErrGone) {
		t.Errorf("reopened Unwrap(v1) error = %v, want errs.ErrGone", err)
	}
	if err := k.DestroyTenant(ctx, "DE-MV"); err != nil {
		t.Errorf("DestroyTenant of a tenant without keys = %v, want nil", err)
	}
}

func TestFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "keyring.json")
	a := mustOpen(t, path)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("keyring file not created by Open: %v", err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("keyring file mode = %v, want 0600", perm)
	}
	w := mustWrap(t, a, "DE-ST", dek(5))

	// A second value on the same file sees the KEK made by the first, and
	// the first sees the rotation made by the second.
	b := mustOpen(t, path)
	if got, err := b.Unwrap(ctx, "DE-ST", w); err != nil || !bytes.Equal(got, dek(5)) {
		t.Fatalf("second keyring Unwrap = %x, %v; want %x", got, err, dek(5))
	}
	if err := b.Rotate(ctx, "DE-ST"); err != nil {
		t.Fatal(err)
	}
	wb := mustWrap(t, b, "DE-ST", dek(6))
	if got, err := a.Unwrap(ctx, "DE-ST", wb); err != nil || !bytes.Equal(got, dek(6)) {
		t.Errorf("first keyring Unwrap of key wrapped by second = %x, %v; want %x", got, err, dek(6))
	}
	if wa := mustWrap(t, a, "DE-ST", dek(7)); wa.KEK != wb.KEK {
		t.Errorf("first keyring wraps with %q, want rotated %q", wa.KEK, wb.KEK)
	}
	if err := b.DestroyTenant(ctx, "DE-ST"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Unwrap(ctx, "DE-ST", w); !errors.Is(err, errs.ErrGone) {
		t.Errorf("first keyring Unwrap after second destroyed = %v, want errs.ErrGone", err)
	}

	entries, err := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if err != nil || len(names) != 2 || names[0] != "keyring.json" || names[1] != "keyring.json.lock" {
		t.Errorf("directory holds %v (%v), want only the keyring file and its lock file", names, err)
	}

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.OpenFileKeyring(path); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("OpenFileKeyring of a 0644 file error = %v, want errs.ErrInvalid", err)
	}
}

func TestOpenCorrupt(t *testing.T) {
	tests := map[string]string{
		"not json":      "{",
		"wrong format":  `{"format": 2, "tenants": {}}`,
		"bad tenant":    `{"format": 1, "tenants": {"XX": {"issued": 1, "keks": []}}}`,
		"short key":     `{"format": 1, "tenants": {"DE-BY": {"issued": 1, "keks": [{"version": 1, "key": "AAAA"}]}}}`,
		"version order": `{"format": 1, "tenants": {"DE-BY": {"issued": 1, "keks": [{"version": 2, "key": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}]}}}`,
		"unknown field": `{"format": 1, "tenants": {}, "extra": true}`,
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "keyring.json")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := keys.OpenFileKeyring(path); !errors.Is(err, errs.ErrInvalid) {
				t.Errorf("OpenFileKeyring error = %v, want errs.ErrInvalid", err)
			}
		})
	}
}

func TestConcurrent(t *testing.T) {
	ctx := context.Background()
	k := mustOpen(t, filepath.Join(t.TempDir(), "keyring.json"))
	tenants := tenancy.Tenants()
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			tid := tenants[g%len(tenants)].ID
			for i := range 20 {
				d := dek(byte(g*20 + i))
				w, err := k.Wrap(ctx, tid, d)
				if err != nil {
					t.Errorf("Wrap(%s) = %v", tid, err)
					return
				}
				if i == 10 && g%4 == 0 {
					if err := k.Rotate(ctx, tid); err != nil {
						t.Errorf("Rotate(%s) = %v", tid, err)
					}
				}
				got, err := k.Unwrap(ctx, tid, w)
				if err != nil || !bytes.Equal(got, d) {
					t.Errorf("Unwrap(%s) = %x, %v; want %s", tid, got, err, fmt.Sprintf("%x", d))
				}
			}
		})
	}
	wg.Wait()
}

func TestEnsureTenants(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "keyring.json")
	k, err := keys.OpenFileKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	ids := []tenancy.ID{"DE", "DE-BY", "DE-NW"}
	if err := k.EnsureTenants(ctx, ids); err != nil {
		t.Fatal(err)
	}
	w, err := k.Wrap(ctx, "DE-BY", make([]byte, 32))
	if err != nil || w.KEK != "DE-BY/v1" {
		t.Fatalf("Wrap after EnsureTenants = %+v, %v; want KEK DE-BY/v1", w, err)
	}
	fi1, _ := os.Stat(path)
	// All present: nothing is written, so a read-only shared file works.
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Dir(path), 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Dir(path), 0o700) })
	k2, err := keys.OpenFileKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := k2.EnsureTenants(ctx, ids); err != nil {
		t.Errorf("EnsureTenants with all KEKs present on a read-only keyring = %v", err)
	}
	fi2, _ := os.Stat(path)
	if !fi1.ModTime().Equal(fi2.ModTime()) {
		t.Error("EnsureTenants rewrote a complete keyring")
	}
	if os.Geteuid() != 0 { // root ignores the permissions
		if err := k2.EnsureTenants(ctx, []tenancy.ID{"DE-TH"}); err == nil {
			t.Error("EnsureTenants added a KEK to a read-only keyring")
		}
	}
}

// TestSharedKeyringFile: two keyrings on one file (as two replicas) change
// it at the same time; no key one of them added may get lost.
func TestSharedKeyringFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "keyring.json")
	a, err := keys.OpenFileKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := keys.OpenFileKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wrapped := make([][]keys.Wrapped, 2)
	for i, k := range []*keys.FileKeyring{a, b} {
		wg.Go(func() {
			for range 20 {
				if err := k.Rotate(ctx, "DE-BY"); err != nil {
					t.Error(err)
					return
				}
				w, err := k.Wrap(ctx, "DE-BY", bytes.Repeat([]byte{byte(i)}, 32))
				if err != nil {
					t.Error(err)
					return
				}
				wrapped[i] = append(wrapped[i], w)
			}
		})
	}
	wg.Wait()
	c, err := keys.OpenFileKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, ws := range wrapped {
		for _, w := range ws {
			dek, err := c.Unwrap(ctx, "DE-BY", w)
			if err != nil || !bytes.Equal(dek, bytes.Repeat([]byte{byte(i)}, 32)) {
				t.Fatalf("key wrapped by keyring %d under %s: Unwrap from the file = %v; a concurrent change lost its KEK", i, w.KEK, err)
			}
		}
	}
	if last, err := c.Wrap(ctx, "DE-BY", make([]byte, 32)); err != nil || last.KEK != "DE-BY/v40" {
		t.Errorf("current KEK after 40 rotations = %+v, %v; want DE-BY/v40", last, err)
	}
}
