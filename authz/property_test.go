// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package authz_test

import (
	"context"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	mrand "math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

var (
	seedFlag   = flag.Uint64("authz.seed", 0, "seed of the random worlds of the property tests (0: from the clock)")
	worldsFlag = flag.Int("authz.worlds", 40, "random worlds per property test")
)

// seed returns the seed of this run and prints it when the test fails, so
// that a failure can be replayed with -authz.seed.
func seed(t *testing.T) uint64 {
	t.Helper()
	s := *seedFlag
	if s == 0 {
		s = uint64(time.Now().UnixNano())
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("replay with: go test ./authz/ -run '^%s$' -authz.seed %d", t.Name(), s)
		}
	})
	return s
}

// world is a random arrangement of tenants, courts, people, proceedings,
// documents and relation tuples, for the pure property tests.
type world struct {
	now      time.Time
	tenants  []tenancy.ID
	courts   map[tenancy.ID][]tenancy.CourtID
	users    []string // user IDs, shared by staff and outside subjects
	orgs     []string
	cases    []wcase
	tuples   []authz.Tuple
	subjects []authz.Subject
}

type wcase struct {
	id     string
	tenant tenancy.ID
	court  tenancy.CourtID
	docs   []wdoc
}

type wdoc struct {
	id         string
	restricted bool
}

// pickN returns n distinct random elements of s (fewer if s is shorter).
func pickN[T any](r *mrand.Rand, s []T, n int) []T {
	p := r.Perm(len(s))
	out := make([]T, 0, n)
	for _, i := range p[:min(n, len(s))] {
		out = append(out, s[i])
	}
	return out
}

func pick[T any](r *mrand.Rand, s []T) T { return s[r.IntN(len(s))] }

// catalogCourts are the real courts by tenant, loaded once.
var catalogCourts = sync.OnceValues(func() (map[tenancy.ID][]tenancy.CourtID, error) {
	cat, err := tenancy.LoadCatalog()
	if err != nil {
		return nil, err
	}
	m := map[tenancy.ID][]tenancy.CourtID{}
	for _, c := range cat.Courts() {
		m[c.Tenant] = append(m[c.Tenant], c.ID)
	}
	return m, nil
})

// newWorld builds a world: 2–4 tenants of the real catalog with 1–4 of their
// courts, 4–12 cases with 0–4 documents, tuples of every relation with
// holders of every kind (people of other tenants, unknown people, courts of
// other tenants), tuples naming the wrong tenant, expired, expiring exactly
// now, and revoked ones.
func newWorld(t *testing.T, r *mrand.Rand) *world {
	t.Helper()
	all, err := catalogCourts()
	if err != nil {
		t.Fatal(err)
	}
	var ids []tenancy.ID
	for _, tn := range tenancy.Tenants() {
		ids = append(ids, tn.ID)
	}
	w := &world{now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC), courts: map[tenancy.ID][]tenancy.CourtID{}}
	for _, tn := range pickN(r, ids, 2+r.IntN(3)) {
		w.tenants = append(w.tenants, tn)
		w.courts[tn] = pickN(r, all[tn], 1+r.IntN(4))
	}
	for i := range 3 + r.IntN(6) {
		w.users = append(w.users, fmt.Sprintf("u%d", i))
	}
	for i := range 1 + r.IntN(3) {
		w.orgs = append(w.orgs, fmt.Sprintf("kanzlei%d", i))
	}
	doc := 0
	for i := range 4 + r.IntN(9) {
		tn := pick(r, w.tenants)
		c := wcase{id: fmt.Sprintf("case%d", i), tenant: tn, court: pick(r, w.courts[tn])}
		for range r.IntN(5) {
			c.docs = append(c.docs, wdoc{id: fmt.Sprintf("doc%d", doc), restricted: r.IntN(3) == 0})
			doc++
		}
		w.cases = append(w.cases, c)
	}
	for i := range len(w.cases) * (1 + r.IntN(4)) {
		w.tuples = append(w.tuples, w.randomTuple(r, fmt.Sprintf("t%d", i)))
	}
	for range 12 + r.IntN(12) {
		w.subjects = append(w.subjects, w.randomSubject(r))
	}
	return w
}

func (w *world) randomHolder(r *mrand.Rand) string {
	switch r.IntN(7) {
	case 0, 1, 2:
		return authz.UserRef(pick(r, w.users))
	case 3:
		return authz.OrgRef(pick(r, w.orgs))
	case 4:
		tn := pick(r, w.tenants)
		return authz.CourtRef(pick(r, w.courts[tn]))
	case 5:
		return authz.UserRef("stranger") // nobody in this world
	}
	return authz.OrgRef(pick(r, w.users)) // an org that shares a user's name
}

// randomTuple returns a tuple of a random case. Most are valid tuples as
// Validate admits them; some are not (a judge that is an organisation),
// since Decide must still apply the rules to whatever it is given.
func (w *world) randomTuple(r *mrand.Rand, id string) authz.Tuple {
	c := pick(r, w.cases)
	rel := pick(r, []authz.Relation{authz.JudgeOf, authz.PartyOf, authz.Inspects, authz.SharedWith})
	t := authz.Tuple{ID: id, Tenant: c.tenant, Case: c.id, Relation: rel, CreatedAt: w.now.Add(-48 * time.Hour), CreatedBy: "test"}
	switch {
	case r.IntN(10) == 0:
		t.Holder = w.randomHolder(r)
	case rel == authz.SharedWith:
		tn := pick(r, w.tenants)
		t.Holder = authz.CourtRef(pick(r, w.courts[tn]))
	case rel == authz.JudgeOf:
		t.Holder = authz.UserRef(pick(r, w.users))
	default:
		t.Holder = w.randomHolder(r)
		if strings.HasPrefix(t.Holder, "court:") {
			t.Holder = authz.UserRef(pick(r, w.users))
		}
	}
	if rel == authz.Inspects && r.IntN(2) == 0 {
		var docs []string
		for _, d := range c.docs {
			if r.IntN(2) == 0 {
				docs = append(docs, d.id)
			}
		}
		if r.IntN(4) == 0 { // a document of another case
			if o := pick(r, w.cases); len(o.docs) > 0 {
				docs = append(docs, pick(r, o.docs).id)
			}
		}
		t.Documents = docs
	}
	if r.IntN(12) == 0 { // names another tenant than the case's
		t.Tenant = pick(r, w.tenants)
	}
	switch r.IntN(8) {
	case 0:
		t.ExpiresAt = w.now.Add(-time.Hour)
	case 1:
		t.ExpiresAt = w.now.Add(time.Hour)
	case 2:
		t.ExpiresAt = w.now // expires at this very instant: no longer in force
	case 3:
		t.ExpiresAt = w.now.Add(time.Nanosecond)
	}
	switch r.IntN(8) {
	case 0:
		t.RevokedAt = w.now.Add(-time.Minute)
	case 1:
		t.RevokedAt = w.now.Add(time.Minute) // a revocation stamped later still counts
	}
	return t
}

func (w *world) randomSubject(r *mrand.Rand) authz.Subject {
	roles := authz.Roles()
	var s authz.Subject
	switch r.IntN(20) {
	case 0:
		s.Role = "" // no role
	case 1:
		s.Role = "hausmeister" // not a known role: it counts as an outside one
	default:
		s.Role = pick(r, roles)
	}
	s.ID = fmt.Sprintf("s%d", r.IntN(1000))
	if s.Role.Staff() {
		switch r.IntN(12) {
		case 0: // a staff role without a tenant
		case 1:
			s.Tenant = "DE-XX" // a tenant no case is in
		default:
			s.Tenant = pick(r, w.tenants)
		}
		switch r.IntN(4) {
		case 0, 1:
			if len(w.courts[s.Tenant]) > 0 {
				s.Court = pick(r, w.courts[s.Tenant])
			}
		case 2: // a court of some tenant, possibly not their own
			tn := pick(r, w.tenants)
			s.Court = pick(r, w.courts[tn])
		}
	} else if r.IntN(6) == 0 {
		// Outside roles have no tenant or court; one that claims them
		// must gain nothing by it.
		s.Tenant = pick(r, w.tenants)
		s.Court = pick(r, w.courts[s.Tenant])
	}
	if r.IntN(4) != 0 {
		s.User = pick(r, w.users)
	}
	if r.IntN(3) == 0 {
		s.Org = pick(r, w.orgs)
	}
	return s
}

// randomResource returns a resource at tenant, court, case or document
// level, with the tuples a store would return for its case: every tuple
// of that case ID, of whichever tenant, and some unrelated ones.
func (w *world) randomResource(r *mrand.Rand) (authz.Resource, []authz.Tuple) {
	tn := pick(r, append(slices.Clone(w.tenants), "DE-XX"))
	switch r.IntN(10) {
	case 0:
		return authz.Resource{Tenant: tn}, nil
	case 1:
		if len(w.courts[tn]) == 0 {
			return authz.Resource{Tenant: tn}, nil
		}
		return authz.Resource{Tenant: tn, Court: pick(r, w.courts[tn])}, nil
	}
	c := pick(r, w.cases)
	res := authz.Resource{Tenant: c.tenant, Court: c.court, Case: c.id}
	if r.IntN(20) == 0 { // the same case ID claimed in another tenant
		res.Tenant = tn
	}
	if len(c.docs) > 0 && r.IntN(5) < 3 {
		d := pick(r, c.docs)
		res.Document, res.Restricted = d.id, d.restricted
	}
	var rels []authz.Tuple
	for _, t := range w.tuples {
		if t.Case == c.id || r.IntN(10) == 0 {
			rels = append(rels, t)
		}
	}
	r.Shuffle(len(rels), func(i, j int) { rels[i], rels[j] = rels[j], rels[i] })
	return res, rels
}

// TestDecideMatchesReference checks Decide against the reference model on
// random worlds: at least 10,000 (subject, action, resource) triples, no
// disagreement.
func TestDecideMatchesReference(t *testing.T) {
	s := seed(t)
	r := mrand.New(mrand.NewPCG(s, s^0x9e3779b97f4a7c15))
	checks, seen := 0, map[class]int{}
	for wi := 0; wi < *worldsFlag || checks < 10000; wi++ {
		w := newWorld(t, r)
		for range 400 {
			sub := pick(r, w.subjects)
			res, rels := w.randomResource(r)
			v := reference(sub, res, rels, w.now)
			for _, a := range allActions {
				want := v.expect(a)
				got := classOf(authz.Decide(sub, a, res, rels, w.now))
				checks++
				seen[want]++
				if got != want {
					t.Fatalf("world %d: Decide(%+v, %s, %+v) = %s, want %s\ntuples:\n%s", wi, sub, a, res, got, want, dump(rels))
				}
			}
		}
	}
	t.Logf("%d checks, 0 disagreements; expected outcomes %v", checks, seen)
	if checks < 10000 {
		t.Errorf("%d checks, want at least 10,000", checks)
	}
	// A generator that never produced an outcome would test nothing about it.
	for _, c := range []class{allowed, notFound, forbidden, unauthenticated} {
		if seen[c] < checks/100 {
			t.Errorf("only %d of %d checks expected %q: the worlds are too one-sided", seen[c], checks, c)
		}
	}
}

func dump(ts []authz.Tuple) string {
	var b strings.Builder
	for _, t := range ts {
		fmt.Fprintf(&b, "  %s %s/%s %s %s docs=%v expires=%v revoked=%v\n", t.ID, t.Tenant, t.Case, t.Relation, t.Holder,
			t.Documents, t.ExpiresAt.Format(time.RFC3339Nano), t.RevokedAt.Format(time.RFC3339Nano))
	}
	return b.String()
}

// memStore is an in-memory authz.Store. Revoked and expired tuples stay,
// as in the SQL store.
type memStore struct {
	mu     sync.Mutex
	tuples []authz.Tuple
	loads  int // CaseRelations calls
}

func (m *memStore) CaseRelations(_ context.Context, caseID string) ([]authz.Tuple, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.loads++
	var out []authz.Tuple
	for _, t := range m.tuples {
		if t.Case == caseID {
			out = append(out, t)
		}
	}
	return out, nil
}

func (m *memStore) HeldRelations(_ context.Context, refs []string) ([]authz.Tuple, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []authz.Tuple
	for _, t := range m.tuples {
		if slices.Contains(refs, t.Holder) {
			out = append(out, t)
		}
	}
	return out, nil
}

func (m *memStore) AddRelation(_ context.Context, t authz.Tuple) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tuples = append(m.tuples, t)
	return nil
}

func (m *memStore) RevokeRelation(_ context.Context, tenant tenancy.ID, id string, at time.Time) (authz.Tuple, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, t := range m.tuples {
		if t.Tenant == tenant && t.ID == id && t.RevokedAt.IsZero() {
			m.tuples[i].RevokedAt = at
			return m.tuples[i], nil
		}
	}
	return authz.Tuple{}, fmt.Errorf("revoke %s: %w", id, errs.ErrNotFound)
}

func (m *memStore) all() []authz.Tuple {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.tuples)
}

// TestMayMatchesReference runs the same comparison through the Authorizer,
// with its cache, while tuples are added and revoked through it: a change
// made through the Authorizer must count at the very next check.
func TestMayMatchesReference(t *testing.T) {
	s := seed(t)
	r := mrand.New(mrand.NewPCG(s, s^0x5851f42d4c957f2d))
	ctx := context.Background()
	checks := 0
	for wi := 0; wi < *worldsFlag/2 || checks < 10000; wi++ {
		w := newWorld(t, r)
		st := &memStore{}
		z := authz.NewAuthorizer(st, func() time.Time { return w.now }, time.Hour)
		var valid []authz.Tuple
		for _, tp := range w.tuples {
			if tp.Validate() == nil && tp.RevokedAt.IsZero() {
				valid = append(valid, tp)
			}
		}
		next := 0
		for i := range 300 {
			switch {
			case i%10 == 0 && next < len(valid): // relate one more
				if err := z.Relate(ctx, valid[next]); err != nil {
					t.Fatal(err)
				}
				next++
			case i%25 == 0 && next > 0: // revoke one
				tp := valid[r.IntN(next)]
				if _, err := z.Revoke(ctx, tp.Tenant, tp.ID); err != nil && classOf(err) != notFound {
					t.Fatal(err)
				}
			}
			sub := pick(r, w.subjects)
			res, _ := w.randomResource(r)
			v := reference(sub, res, st.all(), w.now)
			for _, a := range allActions {
				want := v.expect(a)
				got := classOf(z.May(ctx, sub, a, res))
				checks++
				if got != want {
					t.Fatalf("world %d: May(%+v, %s, %+v) = %s, want %s\nstored tuples:\n%s", wi, sub, a, res, got, want, dump(st.all()))
				}
			}
		}
	}
	t.Logf("%d checks through the Authorizer, 0 disagreements", checks)
}

// TestReferenceKnowsEveryAction fails when authz gains an action that the
// reference model (allActions) does not list, so that the property tests
// never silently skip a new action.
func TestReferenceKnowsEveryAction(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "authz.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var declared []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "Action" {
				for _, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok {
						s, _ := strconv.Unquote(lit.Value)
						declared = append(declared, s)
					}
				}
			}
		}
	}
	var listed []string
	for _, a := range allActions {
		listed = append(listed, string(a))
	}
	slices.Sort(declared)
	slices.Sort(listed)
	if !slices.Equal(declared, listed) {
		t.Errorf("authz.go declares the actions %v; the reference model lists %v: update allActions, refOffice and refRelation", declared, listed)
	}
}
