// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package fsblob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"testing/iotest"
	"time"

	"justizcloud/blob"
	"justizcloud/blob/blobtest"
	"justizcloud/blob/fsblob"
)

func mustOpen(tb testing.TB, dir string) *fsblob.Store {
	tb.Helper()
	s, err := fsblob.Open(dir)
	if err != nil {
		tb.Fatalf("fsblob.Open(%s) = %v", dir, err)
	}
	return s
}

func TestStore(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Store {
		return mustOpen(t, t.TempDir())
	})
}

// TestUnsynced runs the contract on a bulk-loading store: everything but
// durability before SyncFS holds, including replacing an existing blob.
func TestUnsynced(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Store {
		s := mustOpen(t, t.TempDir()).Unsynced()
		t.Cleanup(func() {
			if err := s.SyncFS(); err != nil {
				t.Errorf("SyncFS: %v", err)
			}
		})
		return s
	})
}

// files lists the regular files below dir, relative to dir.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walking %s: %v", dir, err)
	}
	return out
}

func TestFailedPutLeavesNoFile(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	key := blob.Key{Tenant: "DE-HH", Name: "broken"}
	boom := errors.New("boom")
	r := io.MultiReader(bytes.NewReader(make([]byte, 300_000)), iotest.ErrReader(boom))
	if err := s.Put(context.Background(), key, r); !errors.Is(err, boom) {
		t.Fatalf("Put with failing reader = %v, want %v", err, boom)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Put(ctx, key, bytes.NewReader([]byte("x"))); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put with cancelled ctx = %v, want context.Canceled", err)
	}
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("files after failed Puts = %q, want none", got)
	}
}

func TestLayout(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	ctx := context.Background()
	for _, name := range []string{"abcdef", "x"} {
		if err := s.Put(ctx, blob.Key{Tenant: "DE-SN", Name: name}, bytes.NewReader([]byte(name))); err != nil {
			t.Fatalf("Put(%s) = %v", name, err)
		}
	}
	got := files(t, dir)
	want := []string{filepath.Join("objects", "DE-SN", "ab", "abcdef"), filepath.Join("objects", "DE-SN", "x_", "x")}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("files = %q, want %q", got, want)
	}
	fi, err := os.Stat(filepath.Join(dir, want[0]))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("blob file mode = %v, want no access for group and others", perm)
	}
}

func TestGetReturnsFile(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	key := blob.Key{Tenant: "DE", Name: "file"}
	if err := s.Put(context.Background(), key, bytes.NewReader([]byte("x"))); err != nil {
		t.Fatal(err)
	}
	rc, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, ok := rc.(*os.File); !ok {
		t.Errorf("Get returned %T, want *os.File", rc)
	}
}

func TestCleanTemp(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	tmp := filepath.Join(dir, "tmp")
	old := filepath.Join(tmp, "put-old")
	fresh := filepath.Join(tmp, "put-fresh")
	for _, p := range []string{old, fresh} {
		if err := os.WriteFile(p, []byte("partial upload"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	hourAgo := time.Now().Add(-time.Hour)
	if err := os.Chtimes(old, hourAgo, hourAgo); err != nil {
		t.Fatal(err)
	}

	n, err := s.CleanTemp(10 * time.Minute)
	if err != nil || n != 1 {
		t.Fatalf("CleanTemp(10m) = %d, %v; want 1, nil", n, err)
	}
	if _, err := os.Stat(old); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("old temp file still there: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("fresh temp file removed: %v", err)
	}
	n, err = s.CleanTemp(0)
	if err != nil || n != 1 {
		t.Fatalf("CleanTemp(0) = %d, %v; want 1, nil", n, err)
	}
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("files after CleanTemp(0) = %q, want none", got)
	}
}

func TestOpenInvalid(t *testing.T) {
	if _, err := fsblob.Open(""); err == nil {
		t.Error(`Open("") = nil error, want one`)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := fsblob.Open(file); err == nil {
		t.Errorf("Open(%s) on a regular file = nil error, want one", file)
	}
}

// TestDiskFull puts the store on a 1 MiB tmpfs: a larger Put must fail with
// an error that still says ENOSPC and leave no file behind. Mounting needs
// root; elsewhere the test is skipped (but not in CI as root).
func TestDiskFull(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		if os.Getenv("CI") != "" && os.Geteuid() == 0 {
			t.Fatalf("mount tmpfs: %v %s", err, out)
		}
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	s := mustOpen(t, dir)
	ctx := context.Background()
	key := blob.Key{Tenant: "DE-NI", Name: "toolarge"}
	if err := s.Put(ctx, key, bytes.NewReader(make([]byte, 2<<20))); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Put of 2 MiB on a 1 MiB file system = %v, want it to wrap syscall.ENOSPC", err)
	}
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("files after ENOSPC = %q, want none", got)
	}
	small := blob.Key{Tenant: "DE-NI", Name: "small"}
	if err := s.Put(ctx, small, bytes.NewReader([]byte("passt"))); err != nil {
		t.Errorf("Put after ENOSPC = %v, want the space to be free again", err)
	}
}
