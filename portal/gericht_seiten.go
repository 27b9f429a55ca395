// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package portal

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"sync"

	"justizcloud/akte"
	"justizcloud/authz"
)

// Page counts of PDFs for the eAkte: a bounded scan of the document for
// page objects ("/Type /Page", not "/Pages"), streamed through the
// decrypting store in 64 KB chunks, never held whole. No PDF library: the
// count is a hint for the reader, and pdfcpu is not a dependency. A PDF
// whose page objects sit in compressed object streams (PDF 1.5) shows
// no count ("–"), and so does one larger than maxCountBytes. Documents
// are immutable, so a count is cached per document ID.

const (
	maxCountBytes = 64 << 20
	maxCounted    = 100_000 // cache entries before the cache starts over
)

var pageObjRE = regexp.MustCompile(`/Type\s*/Page(?:[^A-Za-z0-9]|$)`)

type pageCounter struct {
	mu sync.Mutex
	n  map[akte.DocumentID]int
}

func newPageCounter() *pageCounter { return &pageCounter{n: map[akte.DocumentID]int{}} }

// count returns the number of pages of PDF document d, or 0 when unknown.
func (pc *pageCounter) count(ctx context.Context, svc *akte.Service, sub authz.Subject, d akte.Document) int {
	pc.mu.Lock()
	n, ok := pc.n[d.ID]
	pc.mu.Unlock()
	if ok {
		return n
	}
	if d.Size <= maxCountBytes {
		if _, rc, err := svc.Content(ctx, sub, d.ID); err == nil {
			n, _ = countPages(rc)
			rc.Close()
		}
	}
	pc.mu.Lock()
	if len(pc.n) >= maxCounted {
		clear(pc.n)
	}
	pc.n[d.ID] = n
	pc.mu.Unlock()
	return n
}

// countPages counts page objects in a PDF stream, reading at most
// maxCountBytes.
func countPages(r io.Reader) (int, error) {
	const overlap = 32 // longer than any match, so a match across chunks is seen once
	r = io.LimitReader(r, maxCountBytes)
	buf := make([]byte, 0, 64<<10+overlap)
	chunk := make([]byte, 64<<10)
	n := 0
	for {
		k, err := r.Read(chunk)
		buf = append(buf, chunk[:k]...)
		eof := errors.Is(err, io.EOF)
		if err != nil && !eof {
			return 0, err
		}
		if eof {
			n += len(pageObjRE.FindAllIndex(buf, -1))
			return n, nil
		}
		if len(buf) <= overlap {
			continue
		}
		cut := len(buf) - overlap
		for _, m := range pageObjRE.FindAllIndex(buf, -1) {
			if m[0] < cut {
				n++
			}
		}
		// Keep the tail from the cut: a match starting there is counted next time.
		tail := bytes.Clone(buf[cut:])
		buf = append(buf[:0], tail...)
	}
}
