// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"justizcloud/akte"
	"justizcloud/blob"
	"justizcloud/errs"
	"justizcloud/frist"
	"justizcloud/keys"
	"justizcloud/search"
	"justizcloud/sqlstore"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
)

// SeedOptions size the synthetic dataset.
type SeedOptions struct {
	Cases       int
	DocsPerCase int
	DocSize     int       // bytes of German text per document (2 KiB)
	Workers     int       // goroutines that write blobs and analyze texts; 0: GOMAXPROCS
	Now         time.Time // the dataset's present: cases are filed in the two years before
	RandSeed    uint64    // the same seed gives the same dataset (except random IDs)
	Progress    func(cases, docs int)
}

// BulkLoader is the metadata store's bulk path (sqlstore.DB).
type BulkLoader interface {
	BeginBulk(ctx context.Context) error
	BulkLoad(ctx context.Context, b sqlstore.Bulk) error
	FinishBulk(ctx context.Context) error
}

// SeedResult tells what Seed wrote and how fast.
type SeedResult struct {
	Cases, Documents int
	Bytes            int64 // plaintext bytes of the documents
	Elapsed          time.Duration
}

// DocsPerSecond is the seeding throughput.
func (r SeedResult) DocsPerSecond() float64 { return float64(r.Documents) / r.Elapsed.Seconds() }

// seedBatch is the unit of work: this many cases go through the pipeline
// and into one transaction together.
const seedBatch = 1000

// Seed writes a realistic proceeding dataset: zivil-online proceedings at
// the Amtsgerichte and plain case files at the Landgerichte of the real
// court list (so each Land gets cases in proportion to its courts), two
// parties each, histories from filing to service, Wiedervorlagen, and
// documents of German text, encrypted into blobs and indexed for search.
//
// It is a pipeline: one goroutine numbers the cases (Aktenzeichen without
// gaps), workers generate texts, write the encrypted blobs and analyze the
// texts, and one goroutine loads the rows batch by batch. The blobs are
// encrypted as always (blob.Encrypt over inner with the tenants' KEKs in
// kr); their data keys are loaded with the batch's rows, in the same
// transaction as the documents that refer to them. inner should not fsync
// each blob (fsblob.Store.Unsynced); the caller syncs once at the end.
func Seed(ctx context.Context, o SeedOptions, db BulkLoader, inner blob.ListingStore, kr keys.Keyring, cat *tenancy.Catalog) (SeedResult, error) {
	if o.Cases < 1 || o.DocsPerCase < 0 || o.DocSize < 1 {
		return SeedResult{}, errors.New("seed: need at least one case and a positive document size")
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	reg, err := verfahren.NewRegistry()
	if err != nil {
		return SeedResult{}, fmt.Errorf("seed: %w", err)
	}
	def, err := reg.Get("zivil-online")
	if err != nil {
		return SeedResult{}, fmt.Errorf("seed: %w", err)
	}
	hist := historian{def: def, cal: frist.NewCalendar(cat), today: frist.Day(o.Now)}
	courts := seedCourts(cat)
	if len(courts) == 0 {
		return SeedResult{}, errors.New("seed: no courts in the catalog")
	}
	start := time.Now()
	if err := db.BeginBulk(ctx); err != nil {
		return SeedResult{}, fmt.Errorf("seed: %w", err)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	skeletons := make(chan []seedCase, o.Workers)
	loaded := make(chan sqlstore.Bulk, o.Workers)
	var res SeedResult
	go func() {
		defer close(skeletons)
		numberCases(ctx, o, courts, skeletons)
	}()
	var wg sync.WaitGroup
	var bytesWritten atomic.Int64
	for w := range o.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := mrand.New(mrand.NewPCG(o.RandSeed, uint64(w)+1))
			var sb strings.Builder
			var an search.Analyzer
			dk := &bulkKeys{}
			blobs := blob.Encrypt(inner, kr, dk)
			for cs := range skeletons {
				b, n, err := buildBatch(ctx, r, &sb, &an, hist, o, cs, blobs, cat)
				b.DataKeys = dk.take()
				if err != nil {
					cancel(err)
					return
				}
				bytesWritten.Add(n)
				select {
				case loaded <- b:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(loaded) }()
	for b := range loaded {
		if err := db.BulkLoad(ctx, b); err != nil {
			cancel(err)
			break
		}
		res.Cases += len(b.Cases)
		res.Documents += len(b.Documents)
		if o.Progress != nil {
			o.Progress(res.Cases, res.Documents)
		}
	}
	for range loaded { // let the workers end after a failure
	}
	if err := context.Cause(ctx); err != nil {
		return res, fmt.Errorf("seed: %w", err)
	}
	if err := db.FinishBulk(ctx); err != nil {
		return res, fmt.Errorf("seed: %w", err)
	}
	res.Bytes = bytesWritten.Load()
	res.Elapsed = time.Since(start)
	return res, nil
}

// seedCourt is a court that gets cases, with its Registerzeichen and
// procedure type.
type seedCourt struct {
	court     tenancy.Court
	register  string
	procedure string
}

// seedCourts are the active Amtsgerichte (Registerzeichen C, zivil-online
// proceedings) and Landgerichte (O, plain case files) of the catalog, the
// former three times, so that four in five cases are at an Amtsgericht.
func seedCourts(cat *tenancy.Catalog) []seedCourt {
	var out []seedCourt
	for _, c := range cat.Courts() {
		if !c.Active || c.Unit != "" || c.Test() || c.Category != "gericht" {
			continue
		}
		switch c.Type {
		case "Amtsgericht":
			for range 3 {
				out = append(out, seedCourt{c, "C", "zivil-online"})
			}
		case "Landgericht":
			out = append(out, seedCourt{c, "O", ""})
		}
	}
	return out
}

// seedCase is a case numbered by numberCases, before its content exists.
type seedCase struct {
	akte.Case
	city string
	subj subject
}

// numberCases assigns courts, filing times and gap-free Aktenzeichen in
// filing order, in batches.
func numberCases(ctx context.Context, o SeedOptions, courts []seedCourt, out chan<- []seedCase) {
	r := mrand.New(mrand.NewPCG(o.RandSeed, 0))
	type counterKey struct {
		court    tenancy.CourtID
		register string
		year     int
	}
	counters := map[counterKey]int{}
	span := 2 * 365 * 24 * time.Hour
	first := o.Now.Add(-span)
	batch := make([]seedCase, 0, seedBatch)
	for i := range o.Cases {
		sc := pick(r, courts)
		at := first.Add(time.Duration(float64(span) * float64(i) / float64(o.Cases))).UTC()
		year := frist.Day(at).Year()
		k := counterKey{sc.court.ID, sc.register, year}
		counters[k]++
		id, err := uuid.NewV7()
		if err != nil {
			return
		}
		subj := pick(r, subjects)
		batch = append(batch, seedCase{Case: akte.Case{
			ID: akte.CaseID(id.String()), Tenant: sc.court.Tenant, Court: sc.court.ID,
			Aktenzeichen: akte.Aktenzeichen{Department: fmt.Sprint(1 + r.IntN(40)), Register: sc.register, Number: counters[k], Year: year},
			Subject:      subj.title, Procedure: sc.procedure, CreatedAt: at, CreatedBy: "seed",
		}, city: sc.court.City, subj: subj})
		if len(batch) == seedBatch || i == o.Cases-1 {
			select {
			case out <- batch:
			case <-ctx.Done():
				return
			}
			batch = make([]seedCase, 0, seedBatch)
		}
	}
}

// buildBatch writes the documents of a batch of cases into the blob store
// and returns the rows to load and the plaintext bytes written.
func buildBatch(ctx context.Context, r *mrand.Rand, sb *strings.Builder, an *search.Analyzer, hist historian, o SeedOptions, cs []seedCase, blobs blob.Store, cat *tenancy.Catalog) (sqlstore.Bulk, int64, error) {
	var b sqlstore.Bulk
	var n int64
	for _, sc := range cs {
		c := sc.Case
		b.Cases = append(b.Cases, c)
		plaintiff, defendant := personName(r), personName(r)
		ps := []akte.Participant{
			{ID: newParticipantID(), Tenant: c.Tenant, Case: c.ID, Role: "klaeger", Name: plaintiff, Address: address(r, sc.city), CreatedAt: c.CreatedAt},
			{ID: newParticipantID(), Tenant: c.Tenant, Case: c.ID, Role: "beklagter", Name: defendant, Address: address(r, sc.city), CreatedAt: c.CreatedAt},
		}
		b.Participants = append(b.Participants, ps...)
		b.Search = append(b.Search, search.CaseEntry(cat, c, ps))
		var docIDs []string
		for k := range o.DocsPerCase {
			kind := documentKinds[k%len(documentKinds)]
			text := pleading(r, sb, o.DocSize, plaintiff, defendant, sc.subj, sc.city)
			d, err := seedDocument(ctx, blobs, c, fmt.Sprintf("%s.txt", kind.name), kind.class, text, c.CreatedAt.Add(time.Duration(k)*time.Hour))
			if err != nil {
				return b, n, err
			}
			n += int64(len(text))
			docIDs = append(docIDs, string(d.ID))
			b.Documents = append(b.Documents, d)
			b.Search = append(b.Search, an.DocumentEntry(c, d, text))
		}
		if c.Procedure != "" {
			evs, wvs, derived, err := hist.history(r, c, docIDs)
			if err != nil {
				return b, n, err
			}
			b.Events = append(b.Events, evs...)
			b.Wiedervorlagen = append(b.Wiedervorlagen, wvs...)
			if len(evs) > 0 {
				b.Derived = append(b.Derived, sqlstore.BulkDerived{Case: c, Derived: derived})
			}
		}
	}
	return b, n, nil
}

func newParticipantID() akte.ParticipantID { return akte.ParticipantID(uuid.NewString()) }

// seedDocument stores text as an encrypted blob and returns its document row.
func seedDocument(ctx context.Context, blobs blob.Store, c akte.Case, name, class, text string, at time.Time) (akte.Document, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return akte.Document{}, err
	}
	key := blob.Key{Tenant: c.Tenant, Name: uuid.NewString()}
	if err := blobs.Put(ctx, key, bytes.NewReader([]byte(text))); err != nil {
		return akte.Document{}, err
	}
	return akte.Document{ID: akte.DocumentID(id.String()), Tenant: c.Tenant, Case: c.ID, Filename: name,
		ContentType: "text/plain; charset=utf-8", Size: int64(len(text)), SHA256: sha256.Sum256([]byte(text)),
		Blob: key.Name, Version: 1, Class: class, CreatedAt: at, CreatedBy: "seed"}, nil
}

// historian writes the histories of zivil-online proceedings.
type historian struct {
	def   *verfahren.Definition
	cal   *frist.Calendar
	today time.Time
}

// history gives a proceeding a history, its Wiedervorlagen, and its state and
// running Fristen: one in ten is a new filing without events; the rest are
// registered, and of those most were served (which starts the Fristen for
// the defence and, as the definition's effect, a Wiedervorlage three weeks
// later). Where that was more than two months ago, the defendant has since
// answered or the claim was withdrawn, which ends the Fristen.
func (h historian) history(r *mrand.Rand, c akte.Case, docs []string) ([]sqlstore.BulkEvent, []akte.Wiedervorlage, verfahren.Derived, error) {
	roll := r.IntN(10)
	if roll == 0 {
		return nil, nil, verfahren.Derived{}, nil
	}
	at := c.CreatedAt.Add(24 * time.Hour)
	evs := []verfahren.Event{{Seq: 1, Name: "eintragung", At: at, By: "seed", Role: "geschaeftsstelle"}}
	var wvs []akte.Wiedervorlage
	if roll >= 3 {
		served := at.Add(time.Duration(1+r.IntN(5)) * 24 * time.Hour)
		var proof []string
		if i := slices.IndexFunc(documentKinds, func(k struct{ name, class string }) bool { return k.class == "Zustellungsnachweis" }); i >= 0 && i < len(docs) {
			proof = docs[i : i+1]
		}
		evs = append(evs, verfahren.Event{Seq: 2, Name: "zustellung", At: served, By: "seed", Role: "geschaeftsstelle", Documents: proof})
		due := frist.Day(served).AddDate(0, 0, 21)
		w := akte.Wiedervorlage{ID: akte.WiedervorlageID(uuid.NewString()), Tenant: c.Tenant, Case: c.ID, Due: due,
			For: akte.ForGeschaeftsstelle, Note: "Wiedervorlage nach Zustellung", CreatedBy: "seed", CreatedAt: served}
		if frist.Day(served).Before(h.today.AddDate(0, 0, -60)) {
			w.DoneAt = due.Add(10 * time.Hour)
			next := verfahren.Event{Seq: 3, Name: "klageerwiderung", At: served.Add(20 * 24 * time.Hour), By: "seed", Role: "beklagter"}
			if r.IntN(4) == 0 {
				next.Name, next.Role = "klageruecknahme", "klaeger"
			}
			evs = append(evs, next)
		}
		wvs = append(wvs, w)
	}
	derived, err := h.def.DeriveAfter(h.cal, c, evs, h.today)
	if err != nil {
		return nil, nil, verfahren.Derived{}, fmt.Errorf("case %s: %w", c.ID, err)
	}
	out := make([]sqlstore.BulkEvent, len(evs))
	for i, e := range evs {
		out[i] = sqlstore.BulkEvent{Case: c, Event: e}
	}
	return out, wvs, derived, nil
}

// bulkKeys collects the data keys of the blobs one seeding worker writes, so
// that they are loaded with the batch's rows instead of one transaction each.
type bulkKeys struct {
	mu   sync.Mutex
	keys map[blob.Key]keys.Wrapped
}

func (k *bulkKeys) PutDataKey(_ context.Context, t tenancy.ID, name string, w keys.Wrapped) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.keys == nil {
		k.keys = map[blob.Key]keys.Wrapped{}
	}
	k.keys[blob.Key{Tenant: t, Name: name}] = w
	return nil
}

func (k *bulkKeys) DataKey(_ context.Context, t tenancy.ID, name string) (keys.Wrapped, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if w, ok := k.keys[blob.Key{Tenant: t, Name: name}]; ok {
		return w, nil
	}
	return keys.Wrapped{}, fmt.Errorf("data key %s/%s: %w", t, name, errs.ErrNotFound)
}

func (k *bulkKeys) DestroyDataKey(context.Context, tenancy.ID, string) error {
	return errors.New("bulk data keys: destroy is not supported while seeding")
}

func (k *bulkKeys) DeleteDataKey(_ context.Context, t tenancy.ID, name string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.keys, blob.Key{Tenant: t, Name: name})
	return nil
}

// take returns the collected keys and starts a new collection.
func (k *bulkKeys) take() []sqlstore.BulkDataKey {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]sqlstore.BulkDataKey, 0, len(k.keys))
	for key, w := range k.keys {
		out = append(out, sqlstore.BulkDataKey{Tenant: key.Tenant, Name: key.Name, Wrapped: w})
	}
	clear(k.keys)
	return out
}
