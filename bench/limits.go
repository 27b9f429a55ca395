// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package bench measures the platform through its real interfaces and sets
// every figure beside a limit of the same machine measured in the same run,
// so that results from noisy shared machines can be compared as ratios.
package bench

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"
	"unsafe"
)

// segment is the plaintext segment size of the blob encryption.
const segment = 64 << 10

// CryptoLimit measures AES-256-GCM sealing plus SHA-256 hashing of the same
// bytes on one core, in bytes per second: the work the server must do per byte.
func CryptoLimit(d time.Duration) (float64, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return 0, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return 0, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return 0, err
	}
	buf := make([]byte, 8<<20)
	if _, err := rand.Read(buf); err != nil {
		return 0, err
	}
	out := make([]byte, 0, segment+gcm.Overhead())
	nonce := make([]byte, gcm.NonceSize())
	var n int64
	start := time.Now()
	for time.Since(start) < d {
		h := sha256.New()
		for off := 0; off < len(buf); off += segment {
			seg := buf[off : off+segment]
			h.Write(seg)
			nonce[0]++
			out = gcm.Seal(out[:0], nonce, seg, nil)
		}
		_ = h.Sum(nil)
		n += int64(len(buf))
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// DiskLimit measures fsync'ed sequential writes in dir: files of fileSize
// bytes, each written in 1 MiB chunks and fsync'ed, as the server writes
// documents — with O_DIRECT where the file system allows it, as the server
// does for blobs larger than one chunk, so the figure is the device's and not
// the page cache's. It returns bytes per second and leaves its files in a new
// folder below dir for the caller to remove.
func DiskLimit(dir string, fileSize int64, files int) (float64, error) {
	raw := make([]byte, 1<<20+4096)
	skip := (4096 - int(uintptr(unsafe.Pointer(&raw[0]))%4096)) % 4096
	buf := raw[skip : skip+1<<20]
	if _, err := rand.Read(buf); err != nil {
		return 0, err
	}
	tmp, err := os.MkdirTemp(dir, "disklimit-")
	if err != nil {
		return 0, err
	}
	start := time.Now()
	for i := range files {
		if err := writeFileSynced(filepath.Join(tmp, fmt.Sprint(i)), buf, fileSize); err != nil {
			return 0, err
		}
	}
	return float64(fileSize) * float64(files) / time.Since(start).Seconds(), nil
}

// writeFileSynced writes size bytes from the aligned chunk buf to name and
// fsyncs it; direct I/O is used for whole chunks when available.
func writeFileSynced(name string, buf []byte, size int64) error {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC|syscall.O_DIRECT, 0o600)
	if err != nil {
		if f, err = os.Create(name); err != nil {
			return err
		}
	}
	defer func() { f.Close() }()
	for w := int64(0); w < size; w += int64(len(buf)) {
		n := min(int64(len(buf)), size-w)
		if n%4096 != 0 { // an unaligned tail goes through the page cache
			f.Close()
			if f, err = os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0o600); err != nil {
				return err
			}
		}
		if _, err := f.Write(buf[:n]); err != nil {
			return err
		}
	}
	return f.Sync()
}
