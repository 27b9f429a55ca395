// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

// Kind tells a document hit from a case hit.
type Kind string

// Kinds of index entries.
const (
	KindDocument Kind = "document"
	KindCase     Kind = "case"
)

// Limits of a result page.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// maxStoredText is how much text a case entry keeps, and how much of a
// document's text is read for its snippet.
const maxStoredText = 64 << 10

// Entry is one indexed object: a document, or the metadata of a case.
type Entry struct {
	Tenant       tenancy.ID
	Court        tenancy.CourtID
	Case         akte.CaseID
	Document     akte.DocumentID // empty for a case entry
	Kind         Kind
	Aktenzeichen string
	Title        string    // filename or case subject
	Text         string    // case entries: the metadata text, for snippets; documents: empty
	Tokens       []string  // analyzed tokens (Analyze)
	Date         time.Time // filing or registration time
}

// Filter selects entries in Store.SearchEntries.
type Filter struct {
	Terms [][]string // all must match; any alternative of a term matches
	Court tenancy.CourtID
	// Cases: only entries of these proceedings; empty does not filter.
	Cases []akte.CaseID
	Class string // Dokumentklasse: only documents of this class; empty does not filter
	// State: only entries of proceedings in this state; InitialIn names the
	// procedure types whose proceedings without events are in it.
	State     string
	InitialIn []string
	From, To  time.Time // on Entry.Date: From ≤ Date < To; zero does not filter
	After     int64     // keyset pagination: only entries with Seq < After; 0: from the start
	Limit     int
}

// Hit is a stored entry with its position in the result order.
type Hit struct {
	Entry
	Seq int64 // newest entries have the highest Seq; results are ordered by Seq descending
	// Of a document hit: where its content is, so that the snippet is cut
	// without another lookup.
	Blob, ContentType string
}

// Pending names an object that has no index entry yet.
type Pending struct {
	Tenant   tenancy.ID
	Case     akte.CaseID
	Document akte.DocumentID // empty for a case
}

// Store keeps the index. Implementations are safe for concurrent use.
type Store interface {
	// PutSearchEntries stores the entries in one transaction, each replacing
	// the entry of the same tenant, case and document. Every case must exist
	// (otherwise errs.ErrNotFound, and nothing is stored).
	PutSearchEntries(ctx context.Context, es []Entry) error
	// SearchEntries lists the tenant's entries that match f, ordered by Seq descending.
	SearchEntries(ctx context.Context, t tenancy.ID, f Filter) ([]Hit, error)
	// Unindexed lists, across tenants, up to limit cases and documents
	// created at or after since (the zero time: ever) without an entry.
	Unindexed(ctx context.Context, since time.Time, limit int) ([]Pending, error)
	// ClearSearchIndex removes every entry and the scan mark.
	ClearSearchIndex(ctx context.Context) error
	// ScanMark is the time from which the indexer must look for unindexed
	// objects: everything created before it was found indexed. The zero
	// time when unknown.
	ScanMark(ctx context.Context) (time.Time, error)
	// SetScanMark records a scan mark.
	SetScanMark(ctx context.Context, t time.Time) error
}

// Query is the input of Search.
type Query struct {
	Q         string
	Court     tenancy.CourtID
	Class     string    // Dokumentklasse
	State     string    // proceeding state
	InitialIn []string  // procedure types whose initial state is State
	From, To  time.Time // civil dates; To is inclusive
	Limit     int
	After     string // the Next cursor of the previous page
}

// Result is one search hit as shown to a subject.
type Result struct {
	Kind         Kind
	Case         akte.CaseID
	Document     akte.DocumentID
	Aktenzeichen string
	Title        string
	Snippet      string // matched words are marked with « and »
	Date         time.Time
}

// Page is one page of results.
type Page struct {
	Items []Result
	Next  string // empty on the last page
}

// DocumentText returns the searchable text of a stored document, read and
// decrypted from the blob store (see Indexer.DocumentText).
type DocumentText func(ctx context.Context, d akte.Document) (string, error)

// Search runs queries for subjects.
type Search struct {
	store Store
	text  DocumentText
	z     *authz.Authorizer
	doc   DocumentLookup
}

// DocumentLookup returns a document's metadata if the subject may read it
// (akte.Service.Document): the authoritative check of a document hit whose
// restriction matters to the decision.
type DocumentLookup func(ctx context.Context, sub authz.Subject, id akte.DocumentID) (akte.Document, error)

// New returns a Search over st. Snippets of documents are cut from their
// text as text(…) returns it at query time: the index keeps only analyzed
// tokens of a document, never its plaintext.
func New(st Store, text DocumentText, z *authz.Authorizer, doc DocumentLookup) *Search {
	return &Search{store: st, text: text, z: z, doc: doc}
}

// Search finds what matches q among the entries the subject may read. Words
// are ANDed; every other character only separates words.
func (s *Search) Search(ctx context.Context, sub authz.Subject, q Query) (Page, error) {
	switch {
	case !utf8.ValidString(q.Q):
		return Page{}, fmt.Errorf("search: %w: parameter \"q\" is not valid UTF-8", errs.ErrInvalid)
	case len(q.Q) > MaxQueryBytes:
		return Page{}, fmt.Errorf("search: %w: parameter \"q\" is longer than %d bytes", errs.ErrInvalid, MaxQueryBytes)
	case !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From):
		return Page{}, fmt.Errorf("search: %w: parameter \"to\" is before \"from\"", errs.ErrInvalid)
	}
	terms := Terms(q.Q)
	if len(terms) == 0 {
		return Page{}, fmt.Errorf("search: %w: parameter \"q\" must contain a word (letters or digits)", errs.ErrInvalid)
	}
	f := Filter{Terms: terms, Court: q.Court, Class: q.Class, State: q.State, InitialIn: q.InitialIn, From: q.From, Limit: q.Limit}
	if !q.To.IsZero() {
		f.To = q.To.AddDate(0, 0, 1)
	}
	if f.Limit <= 0 {
		f.Limit = DefaultLimit
	}
	f.Limit = min(f.Limit, MaxLimit)
	if q.After != "" {
		n, err := strconv.ParseInt(q.After, 10, 64)
		if err != nil || n <= 0 {
			return Page{}, fmt.Errorf("search: %w: parameter \"after\" is not a cursor of this search", errs.ErrInvalid)
		}
		f.After = n
	}
	want := f.Limit
	f.Limit++
	hits, err := s.hits(ctx, sub, f)
	if err != nil {
		return Page{}, fmt.Errorf("search: %w", err)
	}
	page := Page{Items: []Result{}}
	if len(hits) > want {
		hits = hits[:want]
		page.Next = strconv.FormatInt(hits[want-1].Seq, 10)
	}
	var an Analyzer // the hits share much of their vocabulary
	for _, h := range hits {
		if ok, err := s.may(ctx, sub, h); err != nil {
			return Page{}, fmt.Errorf("search: %w", err)
		} else if !ok {
			continue
		}
		text := h.Text
		if h.Kind == KindDocument {
			// The hit passed authz above; the text comes decrypted from the
			// blob store, since the index holds no document plaintext.
			d := akte.Document{ID: h.Document, Tenant: h.Tenant, Case: h.Case, Blob: h.Blob, ContentType: h.ContentType}
			if t, err := s.text(ctx, d); err == nil {
				text = t
			} else if ctx.Err() != nil {
				return Page{}, fmt.Errorf("search: %w", ctx.Err())
			}
		}
		if text == "" {
			text = h.Title
		}
		page.Items = append(page.Items, Result{Kind: h.Kind, Case: h.Case, Document: h.Document,
			Aktenzeichen: h.Aktenzeichen, Title: h.Title, Snippet: an.Snippet(text, terms), Date: h.Date})
	}
	return page, nil
}

// hits runs the query where the subject may look: court staff in their
// tenant (and court), and everybody — staff included — in the proceedings
// they are related to (shares, judge assignments, participation, grants),
// tenant by tenant, merged in the result order.
func (s *Search) hits(ctx context.Context, sub authz.Subject, f Filter) ([]Hit, error) {
	var all []Hit
	if sub.Role.Staff() && (sub.Court == "" || f.Court == "" || f.Court == sub.Court) {
		of := f
		if sub.Court != "" {
			of.Court = sub.Court
		}
		if err := s.z.May(ctx, sub, authz.ReadCase, authz.Resource{Tenant: sub.Tenant, Court: of.Court}); err != nil {
			return nil, err
		}
		hs, err := s.store.SearchEntries(ctx, sub.Tenant, of)
		if err != nil {
			return nil, err
		}
		all = hs
	}
	reach, err := s.z.Reach(ctx, sub)
	if err != nil {
		return nil, err
	}
	byTenant := map[tenancy.ID][]akte.CaseID{}
	for _, t := range reach {
		if id := akte.CaseID(t.Case); !slices.Contains(byTenant[t.Tenant], id) {
			byTenant[t.Tenant] = append(byTenant[t.Tenant], id)
		}
	}
	for t, cases := range byTenant {
		// An authority may take part in tens of thousands of proceedings;
		// the databases take some 32,000 (SQLite) or 65,000 (PostgreSQL)
		// parameters per statement.
		for chunk := range slices.Chunk(cases, maxCasesPerQuery) {
			tf := f
			tf.Cases = chunk
			hs, err := s.store.SearchEntries(ctx, t, tf)
			if err != nil {
				return nil, err
			}
			all = append(all, hs...)
		}
	}
	slices.SortFunc(all, func(a, b Hit) int { return cmp.Compare(b.Seq, a.Seq) })
	all = slices.CompactFunc(all, func(a, b Hit) bool { return a.Seq == b.Seq })
	return all[:min(len(all), f.Limit)], nil
}

// maxCasesPerQuery bounds Filter.Cases of one store query.
const maxCasesPerQuery = 5000

// may decides whether the subject may open a hit. A document hit is first
// decided as if the document were restricted, which needs no lookup; only
// if that is refused is the document itself read, with its restriction.
func (s *Search) may(ctx context.Context, sub authz.Subject, h Hit) (bool, error) {
	r := authz.Resource{Tenant: h.Tenant, Court: h.Court, Case: string(h.Case)}
	a := authz.ReadCase
	if h.Kind == KindDocument {
		a, r.Document, r.Restricted = authz.ReadDocument, string(h.Document), true
	}
	err := s.z.May(ctx, sub, a, r)
	if err != nil && h.Kind == KindDocument && (errors.Is(err, errs.ErrNotFound) || errors.Is(err, errs.ErrForbidden)) {
		_, err = s.doc(ctx, sub, h.Document)
	}
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, errs.ErrNotFound) || errors.Is(err, errs.ErrForbidden) || errors.Is(err, errs.ErrGone):
		return false, nil
	}
	return false, err
}

// caseText is the indexed text of a case's metadata.
// CaseEntry is the index entry of a case: its Aktenzeichen, subject, court
// name and the names of its participants.
func CaseEntry(cat *tenancy.Catalog, c akte.Case, ps []akte.Participant) Entry {
	courtName := string(c.Court)
	if court, err := cat.Court(c.Court); err == nil {
		courtName = court.Name
	}
	text := caseText(c, courtName, ps)
	return Entry{Tenant: c.Tenant, Court: c.Court, Case: c.ID, Kind: KindCase,
		Aktenzeichen: c.Aktenzeichen.String(), Title: c.Subject, Text: text, Tokens: Analyze(text), Date: c.CreatedAt}
}

// DocumentEntry is the index entry of document d of case c with its
// extracted text (empty when the content type has none), analyzed by a.
func (a *Analyzer) DocumentEntry(c akte.Case, d akte.Document, text string) Entry {
	return Entry{Tenant: d.Tenant, Court: c.Court, Case: c.ID, Document: d.ID, Kind: KindDocument,
		Aktenzeichen: c.Aktenzeichen.String(), Title: d.Filename,
		Tokens: a.Analyze(d.Filename + "\n" + text), Date: d.CreatedAt}
}

func caseText(c akte.Case, courtName string, ps []akte.Participant) string {
	parts := []string{c.Aktenzeichen.String(), c.Subject, courtName}
	for _, p := range ps {
		parts = append(parts, p.Name)
	}
	return strings.Join(parts, "\n")
}
