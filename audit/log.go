// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package audit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"justizcloud/errs"
	"justizcloud/tenancy"
)

// Store keeps the logs of all tenants. Implementations are safe for
// concurrent use and offer no way to change or remove an entry.
type Store interface {
	// AppendAudit appends es, in order, to their tenants' logs in one
	// transaction: each entry gets its tenant's next sequence number (0, 1,
	// 2, … with no gaps, also under concurrent callers), and Encode(e), its
	// leaf hash and the hashes of the complete subtrees the leaf completes
	// (see CompletedBy) are stored. It returns es with Seq set; on error
	// nothing is stored.
	AppendAudit(ctx context.Context, es []Entry) ([]Entry, error)
	// AuditSize returns the number of entries of tenant t.
	AuditSize(ctx context.Context, t tenancy.ID) (uint64, error)
	// AuditNodes returns the hashes of complete subtrees of t's tree, in the
	// order of ids. A node that does not exist is errs.ErrNotFound.
	AuditNodes(ctx context.Context, t tenancy.ID, ids []NodeID) ([]Hash, error)
	// AuditEntry returns the stored encoding of entry seq; missing: errs.ErrNotFound.
	AuditEntry(ctx context.Context, t tenancy.ID, seq uint64) ([]byte, error)
	// AuditEntries calls fn for every entry of t in sequence order with the
	// stored sequence number, leaf hash and encoding, stopping at fn's first error.
	AuditEntries(ctx context.Context, t tenancy.ID, fn func(seq uint64, leaf Hash, data []byte) error) error
	// AddCheckpoint stores c; a checkpoint of the same tenant and size that
	// is already stored is kept and c is dropped.
	AddCheckpoint(ctx context.Context, c Checkpoint) error
	// Checkpoints returns the checkpoints of t by ascending size.
	Checkpoints(ctx context.Context, t tenancy.ID) ([]Checkpoint, error)
	// LatestCheckpoint returns t's checkpoint of the largest size; none: errs.ErrNotFound.
	LatestCheckpoint(ctx context.Context, t tenancy.ID) (Checkpoint, error)
	// AuditRefs returns the entries of t that q selects, with their stored
	// encodings, in the order q asks for; none is an empty list. An entry
	// names a case when its case is the case or it names a document of the
	// case (resolved when the entry is appended); entries that name no case
	// that way are not found.
	AuditRefs(ctx context.Context, t tenancy.ID, q RefQuery) ([]Stored, error)
}

// RefQuery selects the entries about one case, or about one document.
type RefQuery struct {
	Case        string // entries about this case or any of its documents
	Document    string // only entries about this document (of Case, or of its case when Case is empty)
	AllowedOnly bool   // only entries with outcome Allowed
	Before      uint64 // only entries with a smaller sequence number; 0: no bound
	Oldest      bool   // oldest first; default newest first
	Limit       int
}

// Stored is an entry as stored: its sequence number and exact encoding.
type Stored struct {
	Seq  uint64
	Data []byte
}

// Appender records entries. httpapi depends on this, not on Log.
type Appender interface {
	Append(ctx context.Context, e Entry) (Entry, error)
}

// Log is the audit log service over a Store. It is safe for concurrent use.
type Log struct {
	store  Store
	signer Signer
	now    func() time.Time

	// Group commit: appends that arrive while a batch is being written
	// wait and go into the next batch, one transaction for all of them.
	mu      sync.Mutex
	queue   []*pending
	writing bool
}

type pending struct {
	e    Entry
	err  error
	done chan struct{}
}

// maxBatch bounds the entries of one transaction.
const maxBatch = 256

var _ Appender = (*Log)(nil)

// NewLog returns a log that stores into st and signs checkpoints with s.
func NewLog(st Store, s Signer, now func() time.Time) *Log {
	if now == nil {
		now = time.Now
	}
	return &Log{store: st, signer: s, now: now}
}

// Append adds e to its tenant's log and returns it with Seq and Time set,
// once it is committed. Concurrent appends are batched: while one batch is
// written, later entries queue and are written together in the next
// transaction, so that under load the log costs one commit per batch, not
// per request. The write does not stop when ctx ends: an entry that was
// queued is stored.
func (l *Log) Append(ctx context.Context, e Entry) (Entry, error) {
	if e.Time.IsZero() {
		e.Time = l.now()
	}
	e.Time = e.Time.UTC().Truncate(time.Microsecond)
	if _, err := Encode(e); err != nil {
		return Entry{}, err
	}
	p := &pending{e: e, done: make(chan struct{})}
	l.mu.Lock()
	l.queue = append(l.queue, p)
	if !l.writing {
		l.writing = true
		go l.writeBatches(context.WithoutCancel(ctx))
	}
	l.mu.Unlock()
	<-p.done
	if p.err != nil {
		return Entry{}, p.err
	}
	return p.e, nil
}

// writeBatches writes queued entries until the queue is empty.
func (l *Log) writeBatches(ctx context.Context) {
	for {
		l.mu.Lock()
		n := min(len(l.queue), maxBatch)
		if n == 0 {
			l.writing = false
			l.mu.Unlock()
			return
		}
		batch := l.queue[:n:n]
		l.queue = l.queue[n:]
		l.mu.Unlock()
		es := make([]Entry, len(batch))
		for i, p := range batch {
			es[i] = p.e
		}
		wctx, cancel := context.WithTimeout(ctx, time.Minute)
		out, err := l.store.AppendAudit(wctx, es)
		cancel()
		for i, p := range batch {
			if err != nil {
				p.err = fmt.Errorf("audit: append: %w", err)
			} else {
				p.e = out[i]
			}
			close(p.done)
		}
	}
}

// PublicKey returns the key that verifies this log's checkpoints.
func (l *Log) PublicKey() []byte { return l.signer.Public() }

func (l *Log) reader(ctx context.Context, t tenancy.ID) NodeReader {
	return func(ids []NodeID) ([]Hash, error) { return l.store.AuditNodes(ctx, t, ids) }
}

// Checkpoint returns a signed checkpoint of t's tree at its current size:
// the stored one when there is one of that size, otherwise a new one,
// which is stored.
func (l *Log) Checkpoint(ctx context.Context, t tenancy.ID) (Checkpoint, error) {
	size, err := l.store.AuditSize(ctx, t)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("audit: checkpoint: %w", err)
	}
	latest, err := l.store.LatestCheckpoint(ctx, t)
	switch {
	case err == nil && latest.Size == size:
		return latest, nil
	case err != nil && !errors.Is(err, errs.ErrNotFound):
		return Checkpoint{}, fmt.Errorf("audit: checkpoint: %w", err)
	}
	root, err := RootAt(size, l.reader(ctx, t))
	if err != nil {
		return Checkpoint{}, fmt.Errorf("audit: checkpoint: %w", err)
	}
	c, err := Sign(ctx, l.signer, Checkpoint{Tenant: t, Size: size, Root: root, Time: l.now()})
	if err != nil {
		return Checkpoint{}, err
	}
	if err := l.store.AddCheckpoint(ctx, c); err != nil {
		return Checkpoint{}, fmt.Errorf("audit: checkpoint: %w", err)
	}
	// Another caller may have stored one of the same size first; answer the
	// stored one then. Either is validly signed.
	if latest, err := l.store.LatestCheckpoint(ctx, t); err == nil && latest.Size == size {
		return latest, nil
	}
	return c, nil
}

// Inclusion is an inclusion proof of one entry.
type Inclusion struct {
	Seq   uint64
	Size  uint64
	Entry []byte // the stored encoding; its leaf hash is HashLeaf(Entry)
	Proof []Hash
	Root  Hash // root of the tree of Size, computed by the server: compare it with a checkpoint
}

// Verify checks the proof against root (take it from a verified checkpoint).
func (in Inclusion) Verify(root Hash) error {
	return VerifyInclusion(in.Seq, in.Size, HashLeaf(in.Entry), in.Proof, root)
}

// InclusionProof proves that entry seq is in t's tree of the given size.
func (l *Log) InclusionProof(ctx context.Context, t tenancy.ID, seq, size uint64) (Inclusion, error) {
	if err := l.checkSize(ctx, t, size); err != nil {
		return Inclusion{}, err
	}
	if seq >= size {
		return Inclusion{}, fmt.Errorf("audit: inclusion proof: %w: entry %d is not in a tree of size %d", errs.ErrInvalid, seq, size)
	}
	data, err := l.store.AuditEntry(ctx, t, seq)
	if err != nil {
		return Inclusion{}, fmt.Errorf("audit: inclusion proof: %w", err)
	}
	proof, root, err := InclusionProofAndRoot(seq, size, l.reader(ctx, t))
	if err != nil {
		return Inclusion{}, err
	}
	return Inclusion{Seq: seq, Size: size, Entry: data, Proof: proof, Root: root}, nil
}

// Consistency is a consistency proof between two tree sizes.
type Consistency struct {
	From, To         uint64
	FromRoot, ToRoot Hash
	Proof            []Hash
}

// ConsistencyProof proves that t's tree of size from is a prefix of its tree of size to.
func (l *Log) ConsistencyProof(ctx context.Context, t tenancy.ID, from, to uint64) (Consistency, error) {
	if err := l.checkSize(ctx, t, to); err != nil {
		return Consistency{}, err
	}
	if from > to {
		return Consistency{}, fmt.Errorf("audit: consistency proof: %w: from %d is larger than to %d", errs.ErrInvalid, from, to)
	}
	proof, r1, r2, err := ConsistencyProofAndRoots(from, to, l.reader(ctx, t))
	if err != nil {
		return Consistency{}, err
	}
	return Consistency{From: from, To: to, FromRoot: r1, ToRoot: r2, Proof: proof}, nil
}

func (l *Log) checkSize(ctx context.Context, t tenancy.ID, size uint64) error {
	n, err := l.store.AuditSize(ctx, t)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	if size > n {
		return fmt.Errorf("audit: %w: tree size %d is larger than the log (%d entries)", errs.ErrInvalid, size, n)
	}
	return nil
}

// About returns the entries of t that q selects, decoded. An entry that
// does not decode is an error: the log was altered (audit verify names it).
func (l *Log) About(ctx context.Context, t tenancy.ID, q RefQuery) ([]Entry, error) {
	recs, err := l.store.AuditRefs(ctx, t, q)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	out := make([]Entry, len(recs))
	for i, r := range recs {
		if out[i], err = Decode(r.Data); err != nil {
			// Not ErrInvalid: the request was fine, the store is not.
			return nil, fmt.Errorf("audit: stored entry %s/%d does not decode (run audit verify): %s", t, r.Seq, err.Error())
		}
	}
	return out, nil
}
