// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package fsblob

import (
	"fmt"
	"os"
	"sync"
	"syscall"
	"unsafe"
)

const (
	// directAlign is the alignment O_DIRECT requires of buffers, file
	// offsets and lengths (the largest logical block size in use).
	directAlign = 4096
	// chunkSize is the unit in which a Put writes.
	chunkSize = 1 << 20
)

// bufferPool hands out chunk buffers aligned for O_DIRECT.
type bufferPool struct{ p sync.Pool }

func newBufferPool() *bufferPool {
	bp := &bufferPool{}
	bp.p.New = func() any {
		b := make([]byte, chunkSize+directAlign)
		skip := (directAlign - int(uintptr(unsafe.Pointer(&b[0]))%directAlign)) % directAlign
		b = b[skip : skip+chunkSize : skip+chunkSize]
		return &b
	}
	return bp
}

func (bp *bufferPool) get() []byte  { return *bp.p.Get().(*[]byte) }
func (bp *bufferPool) put(b []byte) { bp.p.Put(&b) }

// chunkWriter writes a Put's file in 1 MiB chunks. A blob that fits in one
// chunk is written with a single buffered write. A larger one switches the
// file to O_DIRECT and hands full chunks to a writer goroutine, so the disk
// writes run while the next chunk is encrypted, and the data goes to the
// device without a copy into the page cache or writeback work for the kernel
// — CPU that encryption and hashing need. File systems without O_DIRECT get
// buffered chunk writes with early writeback (sync_file_range). At most
// three chunks are in memory per Put.
type chunkWriter struct {
	f    *os.File
	fd   int
	pool *bufferPool
	cur  []byte
	n    int

	started bool // more than one chunk: direct or early writeback mode
	direct  bool
	queue   chan []byte
	done    chan error
	werr    error // first error of the writer goroutine, once done
	closed  bool
}

func newChunkWriter(f *os.File, pool *bufferPool) *chunkWriter {
	return &chunkWriter{f: f, fd: int(f.Fd()), pool: pool, cur: pool.get()}
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		c := copy(w.cur[w.n:], p)
		w.n += c
		p = p[c:]
		written += c
		if w.n == len(w.cur) {
			if err := w.flushChunk(); err != nil {
				return written, err
			}
		}
	}
	return written, nil
}

// flushChunk passes the full current chunk on and starts a new one.
func (w *chunkWriter) flushChunk() error {
	if !w.started {
		w.started = true
		w.direct = setDirect(w.fd, true) == nil
		w.queue, w.done = make(chan []byte, 1), make(chan error, 1)
		go w.writeChunks()
	}
	select {
	case w.queue <- w.cur:
	case err := <-w.done: // the writer failed and stopped
		w.werr, w.closed = err, true
		return err
	}
	w.cur, w.n = w.pool.get(), 0
	return nil
}

// writeChunks writes queued chunks in order until the queue closes or a write fails.
func (w *chunkWriter) writeChunks() {
	var err error
	var off int64
	for b := range w.queue {
		if err == nil {
			var n int
			n, err = w.f.Write(b)
			if err == nil && !w.direct {
				// Only a hint: errors surface at the fsync that follows.
				_ = syscall.SyncFileRange(w.fd, off, int64(n), syncFileRangeWrite)
			}
			off += int64(n)
		}
		w.pool.put(b)
	}
	w.done <- err
}

// stop ends the writer goroutine and returns its first error.
func (w *chunkWriter) stop() error {
	if !w.started || w.closed {
		return w.werr
	}
	w.closed = true
	close(w.queue)
	w.werr = <-w.done
	return w.werr
}

// Finish writes what is left. The unaligned tail of a direct-mode file is
// written after O_DIRECT is switched off again.
func (w *chunkWriter) Finish() error {
	if err := w.stop(); err != nil {
		return err
	}
	tail := w.cur[:w.n]
	if w.direct {
		if aligned := w.n &^ (directAlign - 1); aligned > 0 {
			if _, err := w.f.Write(tail[:aligned]); err != nil {
				return err
			}
			tail = tail[aligned:]
		}
		if err := setDirect(w.fd, false); err != nil {
			return fmt.Errorf("leave direct I/O: %w", err)
		}
	}
	if len(tail) > 0 {
		if _, err := w.f.Write(tail); err != nil {
			return err
		}
	}
	return nil
}

// Close releases the buffers; after a failure it also stops the writer. Idempotent.
func (w *chunkWriter) Close() {
	_ = w.stop()
	if w.cur != nil {
		w.pool.put(w.cur)
		w.cur = nil
	}
}

// setDirect turns O_DIRECT on or off for fd. File systems without direct
// I/O refuse it with EINVAL.
func setDirect(fd int, on bool) error {
	flags, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETFL, 0)
	if errno != 0 {
		return errno
	}
	if on {
		flags |= syscall.O_DIRECT
	} else {
		flags &^= syscall.O_DIRECT
	}
	if _, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_SETFL, flags); errno != 0 {
		return errno
	}
	return nil
}

// syncFileRangeWrite is SYNC_FILE_RANGE_WRITE of sync_file_range(2).
const syncFileRangeWrite = 0x2
