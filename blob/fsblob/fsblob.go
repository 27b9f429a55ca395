// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package fsblob stores blobs as files below one local directory:
//
//	<dir>/objects/<tenant>/<first two characters of the name>/<name>
//	<dir>/tmp/put-*   (overwrites in progress, uploads on file systems without
//	                   O_TMPFILE, or what a killed process left of them)
//
// A Put writes an unnamed file (O_TMPFILE) in the blob's directory, fsyncs
// it, links it into place and fsyncs the directory, so a blob is either
// wholly there or not at all, also after a crash, and a killed process
// leaves nothing behind. The directory must be on a local POSIX file system
// with atomic rename (not NFS with close-to-open caching, not a
// case-insensitive file system). Named temporary files of a killed process
// are removed by CleanTemp.
package fsblob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"justizcloud/blob"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

var (
	_ blob.Store       = (*Store)(nil)
	_ blob.RangeGetter = (*Store)(nil)
	_ blob.Lister      = (*Store)(nil)
)

// Store is a blob.Store on a local directory. It is safe for concurrent use,
// also by several processes sharing the directory.
type Store struct {
	tmp     string // <dir>/tmp
	objects string // <dir>/objects
	bufs    *bufferPool
	// unsynced skips the fsyncs of Put (see Unsynced).
	unsynced bool
}

// Open prepares dir (creating it and its tmp and objects subdirectories with
// mode 0700 if needed) and returns a store on it.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, fmt.Errorf("fsblob open: %w: empty directory", errs.ErrInvalid)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("fsblob open %s: %w", dir, err)
	}
	s := &Store{tmp: filepath.Join(abs, "tmp"), objects: filepath.Join(abs, "objects"), bufs: newBufferPool()}
	for _, d := range []string{abs, s.tmp, s.objects} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("fsblob open: %w", err)
		}
	}
	if err := syncDir(abs); err != nil {
		return nil, fmt.Errorf("fsblob open: %w", err)
	}
	return s, nil
}

// Unsynced returns a store on the same directory whose Put does not fsync
// the file and its directory. It is for bulk loads (seeding a benchmark
// dataset, a migration from another system): the loader writes many blobs
// quickly and then calls SyncFS once. A crash before SyncFS may lose or
// truncate blobs written since the last SyncFS.
func (s *Store) Unsynced() *Store {
	u := *s
	u.unsynced = true
	return &u
}

// SyncFS commits everything written to the file system holding the store
// (syncfs(2)), the durability point of an Unsynced bulk load.
func (s *Store) SyncFS() error {
	d, err := os.Open(s.objects)
	if err != nil {
		return fmt.Errorf("fsblob syncfs: %w", err)
	}
	defer d.Close()
	if err := unix.Syncfs(int(d.Fd())); err != nil {
		return fmt.Errorf("fsblob syncfs: %w", err)
	}
	return nil
}

// shardLen is the length of a shard directory's name.
const shardLen = 2

// shard is the directory level below the tenant that keeps directories
// small (two characters: 256 directories per tenant for hex names, created
// once, so a Put rarely pays for a mkdir). Names are at least one character long; "_" cannot start a name, so
// the padding never collides with a real prefix of another
// name in a way that matters (they only share a directory).
func shard(name string) string {
	if len(name) < shardLen {
		return name + "_"
	}
	return name[:shardLen]
}

// path returns the directory and the file name of a validated key.
func (s *Store) path(key blob.Key) (dir, file string) {
	dir = filepath.Join(s.objects, string(key.Tenant), shard(key.Name))
	return dir, filepath.Join(dir, key.Name)
}

func check(ctx context.Context, op string, key blob.Key) error {
	if err := key.Validate(); err != nil {
		return fmt.Errorf("fsblob %s: %w", op, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("fsblob %s %s: %w", op, key, err)
	}
	return nil
}

// Put stores r under key atomically. Errors of the file system are wrapped,
// so errors.Is(err, syscall.ENOSPC) reports a full disk. If Put fails after
// the rename (fsync of the directory), the blob is visible but possibly not
// durable, and the error is returned all the same.
func (s *Store) Put(ctx context.Context, key blob.Key, r io.Reader) (err error) {
	if err := check(ctx, "put", key); err != nil {
		return err
	}
	dir, file := s.path(key)
	if err := s.mkdirs(key); err != nil {
		return fmt.Errorf("fsblob put %s: %w", key, err)
	}
	if s.unsynced {
		if err := s.putNew(ctx, file, r); !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	f, named, err := s.createTemp(dir)
	if err != nil {
		return fmt.Errorf("fsblob put %s: %w", key, err)
	}
	committed := false
	defer func() {
		f.Close()
		if !committed && named {
			os.Remove(f.Name())
		}
	}()
	cw := newChunkWriter(f, s.bufs)
	defer cw.Close()
	if _, err := copyContext(ctx, cw, r); err != nil {
		return fmt.Errorf("fsblob put %s: %w", key, err)
	}
	if err := cw.Finish(); err != nil {
		return fmt.Errorf("fsblob put %s: %w", key, err)
	}
	if !s.unsynced {
		if err := f.Sync(); err != nil {
			return fmt.Errorf("fsblob put %s: %w", key, err)
		}
	}
	// The last moment at which a cancellation can still leave nothing behind.
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("fsblob put %s: %w", key, err)
	}
	if err := s.publish(f, named, file); err != nil {
		return fmt.Errorf("fsblob put %s: %w", key, err)
	}
	committed = true
	if s.unsynced {
		return nil
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("fsblob put %s: %w", key, err)
	}
	return nil
}

// putNew is Put of an Unsynced store: it writes a blob that does not exist
// yet straight under its name, without a temp file and a link (so a reader
// could see it incomplete while it is written; bulk loaders publish it only
// afterwards). An existing blob yields fs.ErrExist and is left alone.
func (s *Store) putNew(ctx context.Context, file string, r io.Reader) error {
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = copyContext(ctx, f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(file)
		return fmt.Errorf("fsblob put %s: %w", file, err)
	}
	return nil
}

// createTemp returns the file a Put writes. Where the file system supports
// it (ext4, xfs, btrfs, tmpfs), that is an unnamed O_TMPFILE in the blob's
// own directory: creating it touches no shared directory (a single temp
// directory was the hottest lock of small uploads), and a killed process
// leaves nothing behind. Elsewhere it is a named temp file in tmp/.
func (s *Store) createTemp(dir string) (f *os.File, named bool, err error) {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, 0o600)
	if err == nil {
		return os.NewFile(uintptr(fd), filepath.Join(dir, "(unnamed)")), false, nil
	}
	if !errors.Is(err, unix.EOPNOTSUPP) && !errors.Is(err, unix.EISDIR) && !errors.Is(err, unix.EINVAL) {
		return nil, false, &fs.PathError{Op: "open O_TMPFILE", Path: dir, Err: err}
	}
	f, err = os.CreateTemp(s.tmp, "put-*")
	return f, true, err
}

// publish gives the written file its name. An unnamed file is linked in
// where no blob of that name exists; to replace one, it is linked under a
// temp name first and renamed over it, so readers see the old or the new
// content, never none.
func (s *Store) publish(f *os.File, named bool, file string) error {
	if named {
		return os.Rename(f.Name(), file)
	}
	proc := fmt.Sprintf("/proc/self/fd/%d", f.Fd())
	err := unix.Linkat(unix.AT_FDCWD, proc, unix.AT_FDCWD, file, unix.AT_SYMLINK_FOLLOW)
	if !errors.Is(err, unix.EEXIST) {
		if err != nil {
			return &fs.PathError{Op: "link", Path: file, Err: err}
		}
		return nil
	}
	tmp := filepath.Join(s.tmp, fmt.Sprintf("put-%d-%d", os.Getpid(), time.Now().UnixNano()))
	if err := unix.Linkat(unix.AT_FDCWD, proc, unix.AT_FDCWD, tmp, unix.AT_SYMLINK_FOLLOW); err != nil {
		return &fs.PathError{Op: "link", Path: tmp, Err: err}
	}
	if err := os.Rename(tmp, file); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// mkdirs creates the tenant and shard directories of key and fsyncs the
// parent of every directory it created, so that the entry survives a crash.
func (s *Store) mkdirs(key blob.Key) error {
	parent := s.objects
	for _, part := range []string{string(key.Tenant), shard(key.Name)} {
		d := filepath.Join(parent, part)
		switch err := os.Mkdir(d, 0o700); {
		case err == nil:
			if err := syncDir(parent); err != nil {
				return err
			}
		case errors.Is(err, fs.ErrExist):
		default:
			return err
		}
		parent = d
	}
	return nil
}

// Get opens the blob; the reader is an *os.File.
func (s *Store) Get(ctx context.Context, key blob.Key) (io.ReadCloser, error) {
	if err := check(ctx, "get", key); err != nil {
		return nil, err
	}
	_, file := s.path(key)
	f, err := os.Open(file)
	if err != nil {
		return nil, mapErr("get", key, err)
	}
	return f, nil
}

// GetRange implements blob.RangeGetter with an io.SectionReader on the file.
func (s *Store) GetRange(ctx context.Context, key blob.Key, offset, length int64) (io.ReadCloser, error) {
	if err := check(ctx, "get range", key); err != nil {
		return nil, err
	}
	if offset < 0 {
		return nil, fmt.Errorf("fsblob get range %s: %w: negative offset %d", key, errs.ErrInvalid, offset)
	}
	_, file := s.path(key)
	f, err := os.Open(file)
	if err != nil {
		return nil, mapErr("get range", key, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("fsblob get range %s: %w", key, err)
	}
	size := fi.Size()
	if offset > size {
		f.Close()
		return nil, fmt.Errorf("fsblob get range %s: %w: offset %d beyond size %d", key, errs.ErrInvalid, offset, size)
	}
	n := size - offset
	if length >= 0 && length < n {
		n = length
	}
	return &section{SectionReader: io.NewSectionReader(f, offset, n), f: f}, nil
}

type section struct {
	*io.SectionReader
	f *os.File
}

func (s *section) Close() error { return s.f.Close() }

// Stat reports the size of the file.
func (s *Store) Stat(ctx context.Context, key blob.Key) (blob.Info, error) {
	if err := check(ctx, "stat", key); err != nil {
		return blob.Info{}, err
	}
	_, file := s.path(key)
	fi, err := os.Stat(file)
	if err != nil {
		return blob.Info{}, mapErr("stat", key, err)
	}
	return blob.Info{Size: fi.Size()}, nil
}

// Delete removes the file and fsyncs its directory. Empty directories stay.
func (s *Store) Delete(ctx context.Context, key blob.Key) error {
	if err := check(ctx, "delete", key); err != nil {
		return err
	}
	dir, file := s.path(key)
	if err := os.Remove(file); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("fsblob delete %s: %w", key, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("fsblob delete %s: %w", key, err)
	}
	return nil
}

// List implements blob.Lister. A prefix of at least two characters names
// the one shard directory that can hold matches, so only that directory is
// read (all names of the shard, as the file system offers no prefix search);
// a shorter prefix reads every shard of the tenant that starts with it.
// Uploads in progress live in the tmp directory and are not listed.
func (s *Store) List(ctx context.Context, t tenancy.ID, prefix string) ([]string, error) {
	if err := blob.ValidatePrefix(t, prefix); err != nil {
		return nil, fmt.Errorf("fsblob list: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("fsblob list %s/%s*: %w", t, prefix, err)
	}
	tenantDir := filepath.Join(s.objects, string(t))
	var shards []string
	if len(prefix) >= shardLen {
		shards = []string{prefix[:shardLen]}
	} else {
		all, err := readNames(tenantDir)
		if err != nil {
			return nil, fmt.Errorf("fsblob list %s/%s*: %w", t, prefix, err)
		}
		for _, sh := range all {
			if strings.HasPrefix(sh, prefix) {
				shards = append(shards, sh)
			}
		}
	}
	names := []string{}
	for _, sh := range shards {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("fsblob list %s/%s*: %w", t, prefix, err)
		}
		entries, err := readNames(filepath.Join(tenantDir, sh))
		if err != nil {
			return nil, fmt.Errorf("fsblob list %s/%s*: %w", t, prefix, err)
		}
		for _, name := range entries {
			// Skip what Put cannot have written (a file misplaced by hand).
			if strings.HasPrefix(name, prefix) && shard(name) == sh && (blob.Key{Tenant: t, Name: name}).Validate() == nil {
				names = append(names, name)
			}
		}
	}
	// Shard order is not name order: "x" lives in "x_", after "x-".
	slices.Sort(names)
	return names, nil
}

// readNames returns the entry names of dir, none if it does not exist.
// Unlike os.ReadDir it neither stats nor sorts the entries.
func readNames(dir string) ([]string, error) {
	d, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	names, err := d.Readdirnames(-1)
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return names, err
}

// CleanTemp removes temporary files older than olderThan, which a process
// killed during a Put leaves behind, and reports how many it removed.
// olderThan 0 removes all of them, including those of Puts in progress (which
// then fail): use it only when no other process uses the directory, e.g. at
// startup.
func (s *Store) CleanTemp(olderThan time.Duration) (int, error) {
	entries, err := os.ReadDir(s.tmp)
	if err != nil {
		return 0, fmt.Errorf("fsblob clean temp: %w", err)
	}
	cutoff := time.Now().Add(-olderThan)
	removed := 0
	var errList []error
	for _, e := range entries {
		if olderThan > 0 {
			fi, err := e.Info()
			if errors.Is(err, fs.ErrNotExist) {
				continue // finished meanwhile
			}
			if err != nil {
				errList = append(errList, err)
				continue
			}
			if !fi.ModTime().Before(cutoff) {
				continue
			}
		}
		switch err := os.Remove(filepath.Join(s.tmp, e.Name())); {
		case err == nil:
			removed++
		case errors.Is(err, fs.ErrNotExist):
		default:
			errList = append(errList, err)
		}
	}
	if err := errors.Join(errList...); err != nil {
		return removed, fmt.Errorf("fsblob clean temp: %w", err)
	}
	return removed, nil
}

func mapErr(op string, key blob.Key, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("fsblob %s %s: %w", op, key, errs.ErrNotFound)
	}
	return fmt.Errorf("fsblob %s %s: %w", op, key, err)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil {
		d.Close()
		return err
	}
	return d.Close()
}

// copyContext copies r to w and stops at the first write after ctx ended.
// A reader that implements io.WriterTo (such as the encrypting decorator's,
// which writes whole sealed segments) keeps its fast path.
func copyContext(ctx context.Context, w io.Writer, r io.Reader) (int64, error) {
	cw := &ctxWriter{ctx: ctx, w: w}
	if wt, ok := r.(io.WriterTo); ok {
		return wt.WriteTo(cw)
	}
	return io.CopyBuffer(cw, onlyReader{r}, make([]byte, 128<<10))
}

type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c *ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// onlyReader hides other methods of a reader from io.CopyBuffer.
type onlyReader struct{ io.Reader }
