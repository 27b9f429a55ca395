// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package audit

import (
	"context"
	"fmt"
	"time"
)

// Pending is the entry of a write request that the store writes in the
// transaction of the change it records, instead of in a commit of its own
// after the change: one commit per upload instead of two on a single-writer
// database, and no window in which the change is stored but its entry is
// not. A handler gets one from Log.Pending, puts it into the request's
// context (WithPending), and a store that supports it (sqlstore.DB, for
// CommitDocument) completes the entry with what only the change knows (the
// tenant, case and document it touched, the content's SHA-256), writes it
// and marks it recorded. A Pending of another store's log is left alone, and
// the caller appends the entry itself as before.
type Pending struct {
	store    Store
	entry    Entry
	recorded bool
}

// Pending returns a pending entry of this log for e, which is checked now.
// Tenant, Case, Document and SHA256 may still be empty: the store fills
// them from the change.
func (l *Log) Pending(e Entry) (*Pending, error) {
	if e.Time.IsZero() {
		e.Time = l.now()
	}
	e.Time = e.Time.UTC().Truncate(time.Microsecond)
	probe := e // checked as the store will complete it
	probe.Tenant = "t"
	if _, err := Encode(probe); err != nil {
		return nil, fmt.Errorf("audit: pending entry: %w", err)
	}
	return &Pending{store: l.store, entry: e}, nil
}

// For reports whether p belongs to the log kept in st: only then may st
// write it.
func (p *Pending) For(st Store) bool { return p != nil && p.store == st && !p.recorded }

// Entry returns the entry as it stands.
func (p *Pending) Entry() Entry { return p.entry }

// Recorded marks p as written with e (its final form, Seq set); the store
// calls it once the transaction has committed.
func (p *Pending) Recorded(e Entry) {
	p.entry, p.recorded = e, true
}

// Done reports whether the store wrote the entry, and the entry it wrote;
// a nil Pending was not written.
func (p *Pending) Done() (Entry, bool) {
	if p == nil {
		return Entry{}, false
	}
	return p.entry, p.recorded
}

type pendingKey struct{}

// WithPending returns ctx carrying p.
func WithPending(ctx context.Context, p *Pending) context.Context {
	return context.WithValue(ctx, pendingKey{}, p)
}

// PendingIn returns the pending entry ctx carries, or nil.
func PendingIn(ctx context.Context) *Pending {
	p, _ := ctx.Value(pendingKey{}).(*Pending)
	return p
}
