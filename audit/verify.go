// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package audit

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	"justizcloud/errs"
	"justizcloud/tenancy"
)

// Problem is one finding of Verify.
type Problem struct {
	Seq      uint64 // the entry concerned; for checkpoints, the checkpoint's size
	Document string // the document concerned, for findings about a document named by entry Seq
	Detail   string
}

// Report is the result of Verify.
type Report struct {
	Tenant      tenancy.ID
	Entries     uint64
	Root        Hash   // recomputed from the stored entries
	Checkpoints int    // checkpoints checked
	Signed      uint64 // size of the largest checkpoint: entries beyond it are not yet covered by a signature
	Documents   int    // documents named by entries and cross-checked (0 without VerifyOptions.Documents)
	Destroyed   int    // of those, destroyed under the retention rules (nothing left to compare)
	Problems    []Problem
}

// OK reports whether nothing was found.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// DocumentState is what the stores hold of a document that entries name.
type DocumentState struct {
	// Destroyed: the document was destroyed under the retention rules (a
	// tombstone records it); there is no row and no content to compare.
	Destroyed bool
	// Recorded is the SHA-256 in the document's metadata row.
	Recorded Hash
	// Content is the SHA-256 of the stored content, read back (and
	// decrypted) in full; ContentErr is set instead when it could not be
	// read: removed, truncated, or failing authentication.
	Content    Hash
	ContentErr error
}

// DocumentLookup returns the state of document id of tenant t; a document
// with neither a row nor a tombstone is errs.ErrNotFound. Any other error
// stops the verification.
type DocumentLookup func(ctx context.Context, t tenancy.ID, id string) (DocumentState, error)

// VerifyOptions extend Verify.
type VerifyOptions struct {
	// Documents, if set, cross-checks every document that an entry names
	// with its SHA-256: the hash the entries record, the hash in the
	// document's row, and the hash of its stored content must agree.
	Documents DocumentLookup
}

// Verify recomputes t's tree from the stored entries (not from the stored
// leaf hashes or nodes) and checks: that sequence numbers run 0, 1, 2, …;
// that every entry decodes canonically, names t and its own sequence
// number, and matches its stored leaf hash; that every stored complete
// subtree hash matches the recomputed one; and that every checkpoint is
// signed by pub and has the recomputed root at its size. Findings go into
// the report; an error means the check could not run.
func Verify(ctx context.Context, st Store, t tenancy.ID, pub []byte) (Report, error) {
	return VerifyWith(ctx, st, t, pub, VerifyOptions{})
}

// docRef is the first entry that named a document with a hash.
type docRef struct {
	seq uint64
	sha string
}

// VerifyWith is Verify with options. With o.Documents it keeps one small
// record per document named with a hash (the first entry naming it), so
// its memory grows with the number of documents, not of entries.
func VerifyWith(ctx context.Context, st Store, t tenancy.ID, pub []byte, o VerifyOptions) (Report, error) {
	rep := Report{Tenant: t}
	cps, err := st.Checkpoints(ctx, t)
	if err != nil {
		return rep, fmt.Errorf("audit: verify: %w", err)
	}
	roots := map[uint64]Hash{0: EmptyRoot}
	want := map[uint64]bool{}
	for _, c := range cps {
		want[c.Size] = true
	}
	var b Builder
	const batch = 4096
	var ids []NodeID
	var hashes []Hash
	flush := func() error {
		if len(ids) == 0 {
			return nil
		}
		got, err := st.AuditNodes(ctx, t, ids)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return err
		}
		for i, id := range ids {
			if err != nil || got[i] != hashes[i] {
				rep.Problems = append(rep.Problems, Problem{Seq: (id.Index+1)<<id.Level - 1,
					Detail: fmt.Sprintf("stored subtree hash %s does not match the entries", id)})
			}
		}
		ids, hashes = ids[:0], hashes[:0]
		return nil
	}
	docs := map[string]docRef{}
	var order []string  // documents in the order of their first entry
	stored := uint64(0) // entries read
	gap := false        // an entry is missing: the tree cannot be recomputed past it
	err = st.AuditEntries(ctx, t, func(seq uint64, leaf Hash, data []byte) error {
		stored++
		if !gap && seq != b.Size() {
			detail := fmt.Sprintf("missing or reordered: found sequence number %d", seq)
			if seq > b.Size() {
				detail = fmt.Sprintf("missing (removed): the next stored entry is %d", seq)
				if seq > b.Size()+1 {
					detail = fmt.Sprintf("missing (removed), and %d more after it: the next stored entry is %d", seq-b.Size()-1, seq)
				}
			}
			rep.Problems = append(rep.Problems, Problem{Seq: b.Size(), Detail: detail})
			gap = true
		}
		e, err := Decode(data)
		switch {
		case err != nil:
			rep.Problems = append(rep.Problems, Problem{Seq: seq, Detail: err.Error()})
		case e.Tenant != t:
			rep.Problems = append(rep.Problems, Problem{Seq: seq, Detail: fmt.Sprintf("entry names tenant %s, sequence %d", e.Tenant, e.Seq)})
		case e.Seq != seq:
			rep.Problems = append(rep.Problems, Problem{Seq: seq, Detail: fmt.Sprintf("stored as entry %d but names sequence %d (reordered or moved)", seq, e.Seq)})
		}
		h := HashLeaf(data)
		if h != leaf {
			rep.Problems = append(rep.Problems, Problem{Seq: seq, Detail: "entry does not match its stored leaf hash (altered)"})
		}
		if err == nil && o.Documents != nil && e.Document != "" && e.SHA256 != "" {
			if first, ok := docs[e.Document]; !ok {
				docs[e.Document] = docRef{seq: seq, sha: e.SHA256}
				order = append(order, e.Document)
			} else if first.sha != e.SHA256 {
				rep.Problems = append(rep.Problems, Problem{Seq: seq, Document: e.Document,
					Detail: fmt.Sprintf("names SHA-256 %s, but entry %d named %s", e.SHA256, first.seq, first.sha)})
			}
		}
		if gap {
			return nil
		}
		// The largest subtree the leaf completes covers the smaller ones.
		if done := b.Add(h); len(done) > 0 {
			top := done[len(done)-1]
			ids = append(ids, top.ID)
			hashes = append(hashes, top.Hash)
		}
		if len(ids) >= batch {
			if err := flush(); err != nil {
				return err
			}
		}
		if want[b.Size()] {
			roots[b.Size()] = b.Root()
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("audit: verify: %w", err)
	}
	if err := flush(); err != nil {
		return rep, fmt.Errorf("audit: verify: %w", err)
	}
	rep.Entries, rep.Root = stored, b.Root()
	for _, c := range cps {
		rep.Checkpoints++
		rep.Signed = max(rep.Signed, c.Size)
		if err := VerifyCheckpoint(c, pub); err != nil {
			rep.Problems = append(rep.Problems, Problem{Seq: c.Size, Detail: err.Error()})
			continue
		}
		if c.Tenant != t {
			rep.Problems = append(rep.Problems, Problem{Seq: c.Size, Detail: fmt.Sprintf("checkpoint of size %d names tenant %s", c.Size, c.Tenant)})
			continue
		}
		r, ok := roots[c.Size]
		switch {
		case !ok && gap:
			rep.Problems = append(rep.Problems, Problem{Seq: c.Size, Detail: fmt.Sprintf("checkpoint of size %d cannot be recomputed: entry %d is missing (entries removed)", c.Size, b.Size())})
		case !ok:
			rep.Problems = append(rep.Problems, Problem{Seq: c.Size, Detail: fmt.Sprintf("checkpoint of size %d, but only %d entries are stored (entries removed)", c.Size, b.Size())})
		case r != c.Root:
			rep.Problems = append(rep.Problems, Problem{Seq: c.Size, Detail: fmt.Sprintf("checkpoint of size %d: signed root differs from the root recomputed from the entries", c.Size)})
		}
	}
	for _, id := range order {
		ref := docs[id]
		ps, destroyed, err := checkDocument(ctx, o.Documents, t, id, ref)
		if err != nil {
			return rep, fmt.Errorf("audit: verify: document %s: %w", id, err)
		}
		rep.Documents++
		if destroyed {
			rep.Destroyed++
		}
		rep.Problems = append(rep.Problems, ps...)
	}
	return rep, nil
}

// checkDocument compares the hash the log recorded for a document with its
// row and its stored content.
func checkDocument(ctx context.Context, lookup DocumentLookup, t tenancy.ID, id string, ref docRef) ([]Problem, bool, error) {
	st, err := lookup(ctx, t, id)
	if errors.Is(err, errs.ErrNotFound) {
		return []Problem{{Seq: ref.seq, Document: id, Detail: "is missing from the database, and no tombstone records its destruction (document row removed)"}}, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if st.Destroyed {
		return nil, true, nil
	}
	var ps []Problem
	logged := ref.sha
	recorded, content := hex.EncodeToString(st.Recorded[:]), hex.EncodeToString(st.Content[:])
	if recorded != logged {
		ps = append(ps, Problem{Seq: ref.seq, Document: id,
			Detail: fmt.Sprintf("the database records SHA-256 %s, the log recorded %s (document row altered)", recorded, logged)})
	}
	switch {
	case st.ContentErr != nil:
		ps = append(ps, Problem{Seq: ref.seq, Document: id,
			Detail: fmt.Sprintf("stored content cannot be read back (content altered, truncated or removed): %s", st.ContentErr.Error())})
	case content != logged:
		ps = append(ps, Problem{Seq: ref.seq, Document: id,
			Detail: fmt.Sprintf("stored content has SHA-256 %s, the log recorded %s (content replaced)", content, logged)})
	}
	return ps, false, nil
}
