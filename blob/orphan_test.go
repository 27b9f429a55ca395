// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package blob_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"justizcloud/blob"
	"justizcloud/blob/fsblob"
	"justizcloud/blob/s3blob"
	"justizcloud/blob/s3blob/s3test"
	"justizcloud/errs"
	"justizcloud/keys"
	"justizcloud/tenancy"
)

// errKilled is the panic with which killedDataKeys stops a Put, as SIGKILL
// would: after the ciphertext is written and before the data key is stored,
// with no deferred cleanup running in Put.
var errKilled = errors.New("process killed")

type killedDataKeys struct{ *memDataKeys }

func (killedDataKeys) PutDataKey(context.Context, tenancy.ID, string, keys.Wrapped) error {
	panic(errKilled)
}

// putKilled runs a Put of key over inner that is killed before its commit.
func putKilled(tb testing.TB, inner blob.ListingStore, kr keys.Keyring, dk *memDataKeys, key blob.Key, data []byte) {
	tb.Helper()
	enc := blob.Encrypt(inner, kr, killedDataKeys{dk})
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r != errKilled {
					panic(r)
				}
				err = errKilled
			}
		}()
		return enc.Put(context.Background(), key, bytes.NewReader(data))
	}()
	if err != errKilled {
		tb.Fatalf("Put(%s) = %v, want it killed while storing the data key", key, err)
	}
}

// orphanStore is an encrypted store whose inner store can be inspected.
type orphanStore struct {
	inner blob.ListingStore
	kr    *keys.FileKeyring
	dk    *memDataKeys
	enc   *blob.Encrypted
	// objects lists every object of the inner store below tenant, as
	// "<tenant>/<name>", by other means than the decorator.
	objects func(t *testing.T, tenant tenancy.ID) []string
}

// orphanStores returns a fresh encrypted store over fsblob and over S3.
func orphanStores(t *testing.T) map[string]func(t *testing.T) *orphanStore {
	newStore := func(t *testing.T, inner blob.ListingStore, objects func(*testing.T, tenancy.ID) []string) *orphanStore {
		kr, err := keys.OpenFileKeyring(filepath.Join(t.TempDir(), "keyring.json"))
		if err != nil {
			t.Fatal(err)
		}
		dk := newMemDataKeys()
		return &orphanStore{inner: inner, kr: kr, dk: dk, enc: blob.Encrypt(inner, kr, dk), objects: objects}
	}
	return map[string]func(t *testing.T) *orphanStore{
		"fs": func(t *testing.T) *orphanStore {
			dir := t.TempDir()
			inner, err := fsblob.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			// Walk the directory itself rather than trust fsblob's List.
			return newStore(t, inner, func(t *testing.T, tenant tenancy.ID) []string {
				var out []string
				for _, path := range (&fixture{dir: dir}).files(t) {
					rel, err := filepath.Rel(filepath.Join(dir, "objects"), path)
					if err != nil {
						t.Fatal(err)
					}
					parts := strings.Split(rel, string(filepath.Separator))
					if len(parts) == 3 && parts[0] == string(tenant) {
						out = append(out, parts[0]+"/"+parts[2])
					}
				}
				slices.Sort(out)
				return out
			})
		},
		"s3": func(t *testing.T) *orphanStore {
			cfg := s3test.Start(t)
			inner, err := s3blob.Open(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			return newStore(t, inner, func(t *testing.T, tenant tenancy.ID) []string {
				var out []string
				for obj := range rawS3(t, cfg).ListObjects(context.Background(), cfg.Bucket, minio.ListObjectsOptions{Prefix: string(tenant) + "/", Recursive: true}) {
					if obj.Err != nil {
						t.Fatal(obj.Err)
					}
					out = append(out, obj.Key)
				}
				return out
			})
		},
	}
}

// rawS3 talks to the S3 server behind the driver's back.
func rawS3(t *testing.T, cfg s3blob.Config) *minio.Client {
	t.Helper()
	c, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Region: cfg.Region,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var versionName = regexp.MustCompile(`^[A-Z-]+/(.+)_[0-9a-f]{16}$`)

// names maps inner objects "<tenant>/<name>_<version>" to their names.
func names(t *testing.T, objects []string) []string {
	t.Helper()
	var out []string
	for _, o := range objects {
		m := versionName.FindStringSubmatch(o)
		if m == nil {
			t.Fatalf("inner object %q is not named <tenant>/<name>_<16 hex digits>", o)
		}
		out = append(out, m[1])
	}
	return out
}

// TestDeleteAfterKilledPut is the kill -9 case of the upload sweeper: a Put
// dies after writing its ciphertext and before storing the data key, and
// Delete must still remove the ciphertext.
func TestDeleteAfterKilledPut(t *testing.T) {
	for name, open := range orphanStores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			ctx := context.Background()
			key := blob.Key{Tenant: "DE-BY", Name: "0195f3e2-7c41-7d0a-9b1e-upload"}
			putKilled(t, s.inner, s.kr, s.dk, key, recognisable(100_000))
			if got := names(t, s.objects(t, key.Tenant)); !slices.Equal(got, []string{key.Name}) {
				t.Fatalf("inner store after killed Put holds versions of %q, want one of %s", got, key.Name)
			}
			if _, err := s.dk.DataKey(ctx, key.Tenant, key.Name); !errors.Is(err, errs.ErrNotFound) {
				t.Fatalf("DataKey after killed Put = %v, want errs.ErrNotFound", err)
			}
			if _, err := s.enc.Get(ctx, key); !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("Get after killed Put = %v, want errs.ErrNotFound", err)
			}
			if got, err := s.enc.List(ctx, key.Tenant, ""); err != nil || !slices.Equal(got, []string{key.Name}) {
				t.Errorf("List after killed Put = %q, %v; want the leftover listed under its name", got, err)
			}

			if err := s.enc.Delete(ctx, key); err != nil {
				t.Fatalf("Delete after killed Put = %v", err)
			}
			if got := s.objects(t, key.Tenant); len(got) != 0 {
				t.Errorf("inner store after Delete holds %q, want nothing", got)
			}
			if got, err := s.enc.List(ctx, key.Tenant, ""); err != nil || len(got) != 0 {
				t.Errorf("List after Delete = %q, %v; want nothing", got, err)
			}
		})
	}
}

// TestPutAfterKilledPut: a committed version, then a Put that is killed,
// then a Put that succeeds. The last Put removes both older versions.
func TestPutAfterKilledPut(t *testing.T) {
	for name, open := range orphanStores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			ctx := context.Background()
			key := blob.Key{Tenant: "DE-NW", Name: "overwritten"}
			if err := s.enc.Put(ctx, key, bytes.NewReader([]byte("first"))); err != nil {
				t.Fatal(err)
			}
			putKilled(t, s.inner, s.kr, s.dk, key, []byte("killed"))
			if got := s.objects(t, key.Tenant); len(got) != 2 {
				t.Fatalf("inner store holds %q, want the committed and the killed version", got)
			}
			if got, err := readAll(s.enc.Get(ctx, key)); err != nil || string(got) != "first" {
				t.Errorf("Get after killed overwrite = %q, %v; want the committed version", got, err)
			}
			if err := s.enc.Put(ctx, key, bytes.NewReader([]byte("third"))); err != nil {
				t.Fatal(err)
			}
			if got := s.objects(t, key.Tenant); len(got) != 1 {
				t.Errorf("inner store after a successful Put holds %q, want one version", got)
			}
			if got, err := readAll(s.enc.Get(ctx, key)); err != nil || string(got) != "third" {
				t.Errorf("Get = %q, %v; want %q", got, err, "third")
			}
		})
	}
}

// TestDeleteAfterShred: the data key is destroyed, and Delete removes the
// ciphertext all the same.
func TestDeleteAfterShred(t *testing.T) {
	for name, open := range orphanStores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			ctx := context.Background()
			key := blob.Key{Tenant: "DE-SH", Name: "geschwaerzt"}
			keep := blob.Key{Tenant: "DE-SH", Name: "geschwaerzt-nicht"}
			for _, k := range []blob.Key{key, keep} {
				if err := s.enc.Put(ctx, k, bytes.NewReader(recognisable(70_000))); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.enc.Shred(ctx, key); err != nil {
				t.Fatal(err)
			}
			if got := names(t, s.objects(t, key.Tenant)); !slices.Equal(got, []string{keep.Name, key.Name}) {
				t.Fatalf("inner store after Shred holds versions of %q, want %s and %s", got, keep.Name, key.Name)
			}
			if err := s.enc.Delete(ctx, key); err != nil {
				t.Fatalf("Delete after Shred = %v", err)
			}
			if got := names(t, s.objects(t, key.Tenant)); !slices.Equal(got, []string{keep.Name}) {
				t.Errorf("inner store after Shred and Delete holds versions of %q, want only %s", got, keep.Name)
			}
			if _, err := s.enc.Get(ctx, key); !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("Get after Shred and Delete = %v, want errs.ErrNotFound", err)
			}
			if _, err := s.enc.Stat(ctx, keep); err != nil {
				t.Errorf("Stat(%s) = %v", keep, err)
			}
		})
	}
}

// TestDeleteKeepsLookalikes: names that extend a name, even by something
// that looks like a version suffix, are not versions of it.
func TestDeleteKeepsLookalikes(t *testing.T) {
	for name, open := range orphanStores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			ctx := context.Background()
			tenant := tenancy.ID("DE-HE")
			abc := blob.Key{Tenant: tenant, Name: "abc"}
			others := []blob.Key{
				{Tenant: tenant, Name: "abc_def"},
				{Tenant: tenant, Name: "abc_0123456789abcdef"},
				{Tenant: tenant, Name: "abc-0123456789abcdef"},
				{Tenant: tenant, Name: "abcd"},
				{Tenant: "DE-BY", Name: "abc"},
			}
			for _, k := range append([]blob.Key{abc}, others...) {
				if err := s.enc.Put(ctx, k, bytes.NewReader([]byte(k.String()))); err != nil {
					t.Fatal(err)
				}
			}
			// An overwrite of abc removes its old version and nothing else.
			if err := s.enc.Put(ctx, abc, bytes.NewReader([]byte("neu"))); err != nil {
				t.Fatal(err)
			}
			if got, want := len(s.objects(t, tenant)), 5; got != want {
				t.Errorf("inner store of %s after overwrite holds %d objects, want %d", tenant, got, want)
			}
			if got, err := s.enc.List(ctx, tenant, "abc"); err != nil || !slices.Equal(got, []string{"abc", "abc-0123456789abcdef", "abc_0123456789abcdef", "abc_def", "abcd"}) {
				t.Errorf("List(%s, abc) = %q, %v", tenant, got, err)
			}
			if got, err := s.enc.List(ctx, tenant, "abc_"); err != nil || !slices.Equal(got, []string{"abc_0123456789abcdef", "abc_def"}) {
				t.Errorf("List(%s, abc_) = %q, %v", tenant, got, err)
			}

			if err := s.enc.Delete(ctx, abc); err != nil {
				t.Fatal(err)
			}
			if _, err := s.enc.Stat(ctx, abc); !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("Stat(%s) after Delete = %v, want errs.ErrNotFound", abc, err)
			}
			for _, k := range others {
				if got, err := readAll(s.enc.Get(ctx, k)); err != nil || string(got) != k.String() {
					t.Errorf("Get(%s) after Delete(%s) = %q, %v; want it intact", k, abc, got, err)
				}
			}
			if got, want := len(s.objects(t, tenant)), 4; got != want {
				t.Errorf("inner store of %s after Delete holds %d objects, want %d", tenant, got, want)
			}
		})
	}
}

// TestEncryptedNameLength: the version suffix takes 17 of Key's 160
// characters, so Encrypted accepts names of up to 143.
func TestEncryptedNameLength(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	longest := blob.Key{Tenant: "DE-BE", Name: strings.Repeat("n", 143)}
	if err := f.enc.Put(ctx, longest, bytes.NewReader([]byte("x"))); err != nil {
		t.Fatalf("Put of a 143-character name = %v", err)
	}
	if got, err := f.enc.List(ctx, longest.Tenant, longest.Name); err != nil || !slices.Equal(got, []string{longest.Name}) {
		t.Errorf("List(143 characters) = %q, %v", got, err)
	}
	if err := f.enc.Delete(ctx, longest); err != nil {
		t.Fatalf("Delete of a 143-character name = %v", err)
	}
	if files := f.files(t); len(files) != 0 {
		t.Errorf("files after Delete = %q, want none", files)
	}

	tooLong := blob.Key{Tenant: "DE-BE", Name: strings.Repeat("n", 144)}
	if err := tooLong.Validate(); err != nil {
		t.Fatalf("Key.Validate(144 characters) = %v, want nil", err)
	}
	checks := map[string]error{
		"Put":    f.enc.Put(ctx, tooLong, bytes.NewReader([]byte("x"))),
		"Delete": f.enc.Delete(ctx, tooLong),
		"Shred":  f.enc.Shred(ctx, tooLong),
	}
	_, checks["Get"] = f.enc.Get(ctx, tooLong)
	_, checks["GetRange"] = f.enc.GetRange(ctx, tooLong, 0, 1)
	_, checks["Stat"] = f.enc.Stat(ctx, tooLong)
	_, checks["List"] = f.enc.List(ctx, tooLong.Tenant, tooLong.Name)
	for op, err := range checks {
		if !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("%s(144 characters) = %v, want errs.ErrInvalid", op, err)
		}
	}
}
