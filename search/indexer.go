// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"justizcloud/akte"
	"justizcloud/blob"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

// Indexer keeps the index up to date. Notify queues work; Run does it in the
// background. Which documents and cases still need an entry is read from the
// store (an object without an entry is pending), so a crash loses nothing:
// the next Run picks them up.
type Indexer struct {
	store Store
	akte  akte.Store
	blobs blob.Store
	cat   *tenancy.Catalog
	log   *slog.Logger

	poke  chan struct{}
	mu    sync.Mutex
	dirty map[Pending]bool // cases and documents reported by Notify

	amu      sync.Mutex // guards analyzer
	analyzer Analyzer
}

// NewIndexer returns an indexer that reads cases and documents from cases,
// document content from blobs (the decrypting store) and court names from cat.
func NewIndexer(st Store, cases akte.Store, blobs blob.Store, cat *tenancy.Catalog, log *slog.Logger) *Indexer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Indexer{store: st, akte: cases, blobs: blobs, cat: cat, log: log,
		poke: make(chan struct{}, 1), dirty: map[Pending]bool{}}
}

// Notify tells the indexer that a case (d empty) or document changed. It
// never blocks.
func (x *Indexer) Notify(t tenancy.ID, c akte.CaseID, d akte.DocumentID) {
	x.mu.Lock()
	x.dirty[Pending{Tenant: t, Case: c, Document: d}] = true
	x.mu.Unlock()
	select {
	case x.poke <- struct{}{}:
	default:
	}
}

// Run indexes what is pending, then whatever Notify reports, until ctx ends.
// Every minute it looks again for pending objects created since shortly
// before its previous look, which covers other replicas' writes without
// reading the whole store each time. The start of each successful look is
// kept as the store's scan mark, so a restart looks only from there; after
// "reindex" (no mark) the first look covers everything.
func (x *Indexer) Run(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	scan := true
	since, err := x.store.ScanMark(ctx) // of the next look: zero for everything
	if err != nil {
		x.log.Warn("search: scan mark", "err", err)
	}
	for {
		x.mu.Lock()
		dirty := x.dirty
		x.dirty = map[Pending]bool{}
		x.mu.Unlock()
		ps := make([]Pending, 0, len(dirty))
		for p := range dirty {
			ps = append(ps, p)
		}
		if err := x.indexBatch(ctx, ps); err != nil && ctx.Err() == nil {
			x.log.Warn("search: index", "err", err)
		}
		if scan {
			started := time.Now()
			if _, err := x.indexPendingSince(ctx, since, nil); err != nil && ctx.Err() == nil {
				x.log.Warn("search: index pending", "err", err)
			} else if err == nil {
				// Another replica's transaction may commit rows created a
				// little before this look began.
				since = started.Add(-rescanOverlap)
				if err := x.store.SetScanMark(ctx, since); err != nil && ctx.Err() == nil {
					x.log.Warn("search: scan mark", "err", err)
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-x.poke:
			scan = false
		case <-t.C:
			scan = true
		}
	}
}

// IndexPending indexes every case and document without an entry and returns
// how many it indexed. progress, if not nil, is called after each batch.
func (x *Indexer) IndexPending(ctx context.Context, progress func(done int)) (int, error) {
	return x.indexPendingSince(ctx, time.Time{}, progress)
}

// rescanOverlap is how far before its previous look the indexer looks again.
const rescanOverlap = 5 * time.Minute

func (x *Indexer) indexPendingSince(ctx context.Context, since time.Time, progress func(done int)) (int, error) {
	done := 0
	for {
		ps, err := x.store.Unindexed(ctx, since, 100)
		if err != nil {
			return done, fmt.Errorf("index pending: %w", err)
		}
		if len(ps) == 0 {
			return done, nil
		}
		if err := x.indexBatch(ctx, ps); err != nil {
			return done, fmt.Errorf("index pending: %w", err)
		}
		done += len(ps)
		if progress != nil {
			progress(done)
		}
	}
}

// Reindex drops the index and rebuilds it.
func (x *Indexer) Reindex(ctx context.Context, progress func(done int)) (int, error) {
	if err := x.store.ClearSearchIndex(ctx); err != nil {
		return 0, fmt.Errorf("reindex: %w", err)
	}
	return x.IndexPending(ctx, progress)
}

// IndexCase (re)indexes the metadata of a case: Aktenzeichen, subject, court
// name and participant names.
func (x *Indexer) IndexCase(ctx context.Context, t tenancy.ID, id akte.CaseID) error {
	return x.indexBatch(ctx, []Pending{{Tenant: t, Case: id}})
}

// IndexDocument indexes a document's filename and, for text/plain,
// text/html and PDF, its text. A document whose content cannot be read
// (shredded, damaged) and a restricted one are indexed by their filename
// only: the index must not hold the text of a Sonderheft or of a letter
// carrying an access code.
func (x *Indexer) IndexDocument(ctx context.Context, t tenancy.ID, id akte.DocumentID) error {
	return x.indexBatch(ctx, []Pending{{Tenant: t, Document: id}})
}

// indexBatch builds the entries of ps and stores them in one transaction;
// if that fails (an object was deleted meanwhile), it stores them one by one.
func (x *Indexer) indexBatch(ctx context.Context, ps []Pending) error {
	var es []Entry
	for _, p := range ps {
		var e Entry
		var err error
		if p.Document == "" {
			e, err = x.caseEntry(ctx, p.Tenant, p.Case)
		} else {
			e, err = x.documentEntry(ctx, p.Tenant, p.Document)
		}
		if errors.Is(err, errs.ErrNotFound) {
			continue // deleted meanwhile
		}
		if err != nil {
			return err
		}
		es = append(es, e)
	}
	if len(es) == 0 || x.store.PutSearchEntries(ctx, es) == nil {
		return nil
	}
	for _, e := range es {
		if err := x.put(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

func (x *Indexer) caseEntry(ctx context.Context, t tenancy.ID, id akte.CaseID) (Entry, error) {
	c, err := x.akte.Case(ctx, t, id)
	if err != nil {
		return Entry{}, fmt.Errorf("index case %s: %w", id, err)
	}
	ps, err := x.akte.Participants(ctx, t, id)
	if err != nil {
		return Entry{}, fmt.Errorf("index case %s: %w", id, err)
	}
	return CaseEntry(x.cat, c, ps), nil
}

func (x *Indexer) documentEntry(ctx context.Context, t tenancy.ID, id akte.DocumentID) (Entry, error) {
	d, err := x.akte.Document(ctx, t, id)
	if err != nil {
		return Entry{}, fmt.Errorf("index document %s: %w", id, err)
	}
	c, err := x.akte.Case(ctx, t, d.Case)
	if err != nil {
		return Entry{}, fmt.Errorf("index document %s: %w", id, err)
	}
	text := ""
	if Extractable(d.ContentType) && !d.Restricted {
		text, err = x.readText(ctx, d)
		if err != nil {
			if ctx.Err() != nil {
				return Entry{}, ctx.Err()
			}
			x.log.Warn("search: document text not indexed", "document", id, "err", err)
		}
	}
	x.amu.Lock()
	defer x.amu.Unlock()
	return x.analyzer.DocumentEntry(c, d, text), nil
}

// DocumentText reads a document's searchable text (the first part, enough
// for snippets) from the encrypted blob store; for a PDF it returns nothing,
// since running pdftotext for each hit of each query would cost too much. It does not check
// authorization: callers pass only documents the subject may read.
func (x *Indexer) DocumentText(ctx context.Context, d akte.Document) (string, error) {
	if !cheap(d.ContentType) { // a PDF's snippet is its title
		return "", nil
	}
	text, err := x.readText(ctx, d)
	if err != nil {
		return "", fmt.Errorf("document text %s: %w", d.ID, err)
	}
	return truncate(text, maxStoredText), nil
}

func (x *Indexer) readText(ctx context.Context, d akte.Document) (string, error) {
	rc, err := x.blobs.Get(ctx, blob.Key{Tenant: d.Tenant, Name: d.Blob})
	if err != nil {
		return "", err
	}
	defer rc.Close()
	return Extract(ctx, d.ContentType, rc)
}

func (x *Indexer) put(ctx context.Context, e Entry) error {
	if err := x.store.PutSearchEntries(ctx, []Entry{e}); err != nil {
		if errors.Is(err, errs.ErrNotFound) {
			return nil // deleted meanwhile
		}
		return fmt.Errorf("index %s %s: %w", e.Kind, e.Case, err)
	}
	return nil
}
