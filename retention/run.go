// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package retention

import (
	"context"
	"errors"
	"fmt"
	"time"

	"justizcloud/akte"
	"justizcloud/blob"
	"justizcloud/errs"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
)

// Tombstone records that a document was destroyed: what, when, by which rule.
type Tombstone struct {
	Tenant      tenancy.ID
	Document    akte.DocumentID
	Case        akte.CaseID
	Rule        string
	DestroyedAt time.Time
	DestroyedBy string
}

// Store is what Run reads and writes. Implementations scope every call by
// tenant and are safe for concurrent use.
type Store interface {
	// Cases lists cases ordered by ID (keyset pagination with f.After).
	Cases(ctx context.Context, t tenancy.ID, f akte.CaseFilter) ([]akte.Case, error)
	// Events returns a case's history in order.
	Events(ctx context.Context, t tenancy.ID, c akte.CaseID) ([]verfahren.Event, error)
	// Documents lists a case's documents.
	Documents(ctx context.Context, t tenancy.ID, c akte.CaseID) ([]akte.Document, error)
	// Hold returns a case's legal hold; none is errs.ErrNotFound.
	Hold(ctx context.Context, t tenancy.ID, c akte.CaseID) (akte.Hold, error)
	// Tombstones lists the tombstones of a case.
	Tombstones(ctx context.Context, t tenancy.ID, c akte.CaseID) ([]Tombstone, error)
	// AddTombstone records a destroyed document; a second one for the same document is errs.ErrConflict.
	AddTombstone(ctx context.Context, ts Tombstone) error
}

// Shredder destroys a blob's data key, so its ciphertext can never be read
// again (blob.Encrypted.Shred). Shredding twice is not an error.
type Shredder interface {
	Shred(ctx context.Context, key blob.Key) error
}

// Options configure Run.
type Options struct {
	Rules      []Rule
	Procedures *verfahren.Registry
	Tenants    []tenancy.ID
	Now        time.Time // the time the periods are measured against
	DryRun     bool      // decide and report, change nothing
	By         string    // recorded as destroyed_by
	// Clock gives the time recorded as destroyed_at (the real time, unlike
	// Now, which may lie in the future in tests); nil means time.Now.
	Clock func() time.Time
}

// Item is one document that was (or, in a dry run, would be) destroyed.
type Item struct {
	Tenant       tenancy.ID
	Case         akte.CaseID
	Aktenzeichen string
	Document     akte.DocumentID
	Class        string
	Rule         string
	DueAt        time.Time
}

// Report is the outcome of Run. The counts are of documents.
type Report struct {
	Items            []Item
	Destroyed        int // destroyed now (in a dry run: would be)
	Held             int // due, but the case is under a legal hold
	HeldCases        int
	NotYetDue        int // a rule covers them, its period has not run out
	AlreadyDestroyed int // tombstoned by an earlier run
	NoRule           int // in a finished case, but no rule covers them: kept
}

// Run destroys what is due: for every finished case (its procedure
// definition says the history ended in a terminal state) of every tenant, it
// decides with Due; skips cases under a legal hold; and for each due
// document without a tombstone shreds the blob and then records the
// tombstone. Shredding first makes an interrupted run safe to repeat: the
// next run shreds again (a no-op) and writes the missing tombstone.
func Run(ctx context.Context, st Store, sh Shredder, o Options) (Report, error) {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	var rep Report
	for _, t := range o.Tenants {
		after := akte.CaseID("")
		for {
			cs, err := st.Cases(ctx, t, akte.CaseFilter{After: after, Limit: 500})
			if err != nil {
				return rep, fmt.Errorf("retention: %w", err)
			}
			if len(cs) == 0 {
				break
			}
			for _, c := range cs {
				if err := runCase(ctx, st, sh, o, c, &rep); err != nil {
					return rep, fmt.Errorf("retention: case %s (%s): %w", c.ID, c.Aktenzeichen, err)
				}
			}
			after = cs[len(cs)-1].ID
		}
	}
	return rep, nil
}

func runCase(ctx context.Context, st Store, sh Shredder, o Options, c akte.Case, rep *Report) error {
	if c.Procedure == "" {
		return nil // a plain case file never ends by itself
	}
	def, err := o.Procedures.Get(c.Procedure)
	if err != nil {
		return nil // a type this binary does not know: keep everything
	}
	history, err := st.Events(ctx, c.Tenant, c.ID)
	if err != nil || len(history) == 0 {
		return err
	}
	state, err := def.Fold(history)
	if err != nil {
		return err
	}
	if !def.Terminal(state) {
		return nil
	}
	docs, err := st.Documents(ctx, c.Tenant, c.ID)
	if err != nil {
		return err
	}
	facts := Facts{Procedure: c.Procedure, Outcome: string(state), Ended: history[len(history)-1].At}
	for _, d := range docs {
		facts.Documents = append(facts.Documents, Doc{ID: string(d.ID), Class: d.Class})
	}
	decisions := Due(o.Rules, facts, o.Now)
	rep.NoRule += len(docs) - len(decisions)
	tombs, err := st.Tombstones(ctx, c.Tenant, c.ID)
	if err != nil {
		return err
	}
	gone := map[string]bool{}
	for _, ts := range tombs {
		gone[string(ts.Document)] = true
	}
	_, err = st.Hold(ctx, c.Tenant, c.ID)
	held := err == nil
	if err != nil && !errors.Is(err, errs.ErrNotFound) {
		return err
	}
	if held {
		rep.HeldCases++
	}
	byID := map[string]akte.Document{}
	for _, d := range docs {
		byID[string(d.ID)] = d
	}
	for _, dec := range decisions {
		switch {
		case gone[dec.Document]:
			rep.AlreadyDestroyed++
			continue
		case !dec.Due:
			rep.NotYetDue++
			continue
		case held:
			rep.Held++
			continue
		}
		d := byID[dec.Document]
		if !o.DryRun {
			if err := sh.Shred(ctx, blob.Key{Tenant: d.Tenant, Name: d.Blob}); err != nil {
				return fmt.Errorf("shred document %s: %w", d.ID, err)
			}
			ts := Tombstone{Tenant: d.Tenant, Document: d.ID, Case: c.ID, Rule: dec.Rule.Name, DestroyedAt: o.Clock().UTC(), DestroyedBy: o.By}
			if err := st.AddTombstone(ctx, ts); err != nil {
				return fmt.Errorf("document %s: %w", d.ID, err)
			}
		}
		rep.Destroyed++
		rep.Items = append(rep.Items, Item{Tenant: c.Tenant, Case: c.ID, Aktenzeichen: c.Aktenzeichen.String(),
			Document: d.ID, Class: dec.Class, Rule: dec.Rule.Name, DueAt: dec.DueAt})
	}
	return nil
}
