// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package blob_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"justizcloud/blob"
	"justizcloud/blob/blobtest"
	"justizcloud/blob/fsblob"
	"justizcloud/blob/s3blob"
	"justizcloud/blob/s3blob/s3test"
	"justizcloud/errs"
	"justizcloud/keys"
	"justizcloud/tenancy"
)

// fixture is an encrypted store over fsblob with its parts exposed.
type fixture struct {
	dir string // of the fsblob store
	kr  *keys.FileKeyring
	dk  *memDataKeys
	enc *blob.Encrypted
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	dir := tb.TempDir()
	inner, err := fsblob.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	kr, err := keys.OpenFileKeyring(filepath.Join(tb.TempDir(), "keyring.json"))
	if err != nil {
		tb.Fatal(err)
	}
	f := &fixture{dir: dir, kr: kr, dk: newMemDataKeys()}
	f.enc = blob.Encrypt(inner, kr, f.dk)
	return f
}

// files returns the paths of all regular files of the inner store.
func (f *fixture) files(tb testing.TB) []string {
	tb.Helper()
	var out []string
	err := filepath.WalkDir(f.dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, path)
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// ciphertextFile returns the one blob file of the inner store.
func (f *fixture) ciphertextFile(tb testing.TB) string {
	tb.Helper()
	files := f.files(tb)
	if len(files) != 1 {
		tb.Fatalf("inner store holds %q, want exactly one file", files)
	}
	return files[0]
}

func TestEncryptedOverFS(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Store { return newFixture(t).enc })
}

// noRange hides the RangeGetter of the inner store, so that GetRange of the
// decorator reads and discards.
type noRange struct{ blob.ListingStore }

func TestEncryptedOverStoreWithoutRange(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Store {
		inner, err := fsblob.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		kr, err := keys.OpenFileKeyring(filepath.Join(t.TempDir(), "keyring.json"))
		if err != nil {
			t.Fatal(err)
		}
		return blob.Encrypt(noRange{inner}, kr, newMemDataKeys())
	})
}

func TestEncryptedOverS3(t *testing.T) {
	cfg := s3test.Start(t)
	var n atomic.Int64
	blobtest.Run(t, func(t *testing.T) blob.Store {
		c := cfg
		c.Bucket = fmt.Sprintf("encrypted-%d", n.Add(1))
		inner, err := s3blob.Open(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		kr, err := keys.OpenFileKeyring(filepath.Join(t.TempDir(), "keyring.json"))
		if err != nil {
			t.Fatal(err)
		}
		return blob.Encrypt(inner, kr, newMemDataKeys())
	})
}

// recognisable is text of n bytes that is easy to spot and never repeats
// within 32 bytes.
func recognisable(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "Aktenzeichen 1 O %d/26 - Im Namen des Volkes ergeht folgendes Urteil. ", i)
	}
	return b.Bytes()[:n]
}

func TestNoPlaintextInInnerStore(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	secret := recognisable(1 << 20)
	key := blob.Key{Tenant: "DE-BY", Name: "klageschrift"}
	if err := f.enc.Put(ctx, key, bytes.NewReader(secret)); err != nil {
		t.Fatal(err)
	}
	if err := f.enc.Put(ctx, blob.Key{Tenant: "DE-BY", Name: "leer"}, bytes.NewReader(nil)); err != nil {
		t.Fatal(err)
	}
	// The inner names are the caller's (random IDs) with a version suffix;
	// nothing else of the content or of the data key may show.
	version := regexp.MustCompile(`^(klageschrift|leer)_[0-9a-f]{16}$`)
	for _, path := range f.files(t) {
		if !version.MatchString(filepath.Base(path)) {
			t.Errorf("inner store path %s, want the file named <name>_<16 hex digits>", path)
		}
		content, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for off := 0; off+32 <= len(secret); off += 997 {
			if bytes.Contains(content, secret[off:off+32]) {
				t.Fatalf("%s contains plaintext bytes %d to %d: %q", path, off, off+32, secret[off:off+32])
			}
		}
	}
	got, err := f.enc.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	if b, err := io.ReadAll(got); err != nil || !bytes.Equal(b, secret) {
		t.Errorf("Get = %d bytes, %v; want the 1 MiB back", len(b), err)
	}
}

func TestShred(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	key := blob.Key{Tenant: "DE-SH", Name: "geheim"}
	keep := blob.Key{Tenant: "DE-SH", Name: "bleibt"}
	for _, k := range []blob.Key{key, keep} {
		if err := f.enc.Put(ctx, k, bytes.NewReader(recognisable(100_000))); err != nil {
			t.Fatal(err)
		}
	}
	before := f.files(t)

	if err := f.enc.Shred(ctx, key); err != nil {
		t.Fatalf("Shred = %v", err)
	}
	if err := f.enc.Shred(ctx, key); err != nil {
		t.Fatalf("second Shred = %v, want nil", err)
	}
	if _, err := f.enc.Get(ctx, key); !errors.Is(err, errs.ErrGone) {
		t.Errorf("Get after Shred error = %v, want errs.ErrGone", err)
	}
	if _, err := f.enc.Stat(ctx, key); !errors.Is(err, errs.ErrGone) {
		t.Errorf("Stat after Shred error = %v, want errs.ErrGone", err)
	}
	if _, err := f.enc.GetRange(ctx, key, 10, 10); !errors.Is(err, errs.ErrGone) {
		t.Errorf("GetRange after Shred error = %v, want errs.ErrGone", err)
	}
	if after := f.files(t); len(after) != len(before) {
		t.Errorf("Shred changed the inner store: %d files, then %d; want the ciphertext kept", len(before), len(after))
	}
	if _, err := f.enc.Stat(ctx, keep); err != nil {
		t.Errorf("Stat of another blob after Shred = %v", err)
	}

	if err := f.enc.Delete(ctx, key); err != nil {
		t.Fatalf("Delete after Shred = %v", err)
	}
	if _, err := f.enc.Get(ctx, key); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("Get after Shred and Delete error = %v, want errs.ErrNotFound", err)
	}
	if after := f.files(t); len(after) != len(before)-1 {
		t.Errorf("Delete after Shred left %d files of %d, want the shredded ciphertext removed", len(after), len(before))
	}
	if err := f.enc.Put(ctx, key, bytes.NewReader([]byte("neu"))); err != nil {
		t.Fatalf("Put after Shred = %v", err)
	}
	if info, err := f.enc.Stat(ctx, key); err != nil || info.Size != 3 {
		t.Errorf("Stat after new Put = %+v, %v; want size 3", info, err)
	}
}

func TestDestroyTenant(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	by := blob.Key{Tenant: "DE-BY", Name: "akte"}
	nw := blob.Key{Tenant: "DE-NW", Name: "akte"}
	for _, k := range []blob.Key{by, nw} {
		if err := f.enc.Put(ctx, k, bytes.NewReader([]byte(k.String()))); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.kr.DestroyTenant(ctx, "DE-BY"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.enc.Get(ctx, by); !errors.Is(err, errs.ErrGone) {
		t.Errorf("Get(%s) after DestroyTenant error = %v, want errs.ErrGone", by, err)
	}
	if rc, err := f.enc.Get(ctx, nw); err != nil {
		t.Errorf("Get(%s) of another tenant = %v", nw, err)
	} else {
		rc.Close()
	}
	if err := f.enc.Delete(ctx, by); err != nil {
		t.Errorf("Delete(%s) after DestroyTenant = %v, want nil", by, err)
	}
	if files := f.files(t); len(files) != 1 || !strings.Contains(files[0], "DE-NW") {
		t.Errorf("inner store after Delete(%s) holds %q, want only the ciphertext of %s", by, files, nw)
	}
}

// failingDataKeys fails PutDataKey, to check that Put then removes the ciphertext.
type failingDataKeys struct{ *memDataKeys }

var errDataKeys = errors.New("data key store down")

func (failingDataKeys) PutDataKey(context.Context, tenancy.ID, string, keys.Wrapped) error {
	return errDataKeys
}

func TestPutDataKeyFails(t *testing.T) {
	f := newFixture(t)
	inner, err := fsblob.Open(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	enc := blob.Encrypt(inner, f.kr, failingDataKeys{f.dk})
	key := blob.Key{Tenant: "DE-BB", Name: "doc"}
	if err := enc.Put(context.Background(), key, bytes.NewReader(recognisable(200_000))); !errors.Is(err, errDataKeys) {
		t.Fatalf("Put error = %v, want %v", err, errDataKeys)
	}
	for _, path := range f.files(t) {
		t.Errorf("file %s left after Put failed to store the data key", path)
	}
}
