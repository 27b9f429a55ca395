// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package authz_test

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/blob"
	"justizcloud/search"
	"justizcloud/sqlstore"
	"justizcloud/sqlstore/pgtest"
	"justizcloud/sqlstore/storetest"
	"justizcloud/tenancy"
)

// These tests build a random world in a real store through the real
// services (cases, documents, participants with accounts, relation tuples
// related and revoked through the Authorizer, a search index) and check
// what the services show each subject against the reference model: case
// listings, a case's documents, cases and documents by ID, and search
// results. The reference is fed from what the test itself created, not
// from the store.

func TestWorldSQLite(t *testing.T) {
	testWorld(t, "")
}

func TestWorldPostgres(t *testing.T) {
	testWorld(t, pgtest.DSN(t))
}

// dbWorld is what the test created, as the reference model sees it.
type dbWorld struct {
	cases    []akte.Case
	docs     map[akte.CaseID][]akte.Document
	tuples   []authz.Tuple // related tuples, with RevokedAt set when revoked, and participants' accounts as beteiligt
	subjects []authz.Subject
}

func (w *dbWorld) caseOf(id akte.CaseID) akte.Case {
	i := slices.IndexFunc(w.cases, func(c akte.Case) bool { return c.ID == id })
	return w.cases[i]
}

// verdict is the reference verdict of sub on r, with the tuples of r's case.
func (w *dbWorld) verdict(sub authz.Subject, r authz.Resource, now time.Time) refVerdict {
	var rels []authz.Tuple
	for _, t := range w.tuples {
		if t.Case == r.Case {
			rels = append(rels, t)
		}
	}
	return reference(sub, r, rels, now)
}

func (w *dbWorld) mayReadCase(sub authz.Subject, c akte.Case) bool {
	return w.verdict(sub, akte.CaseResource(c), time.Now()).expect(authz.ReadCase) == allowed
}

func (w *dbWorld) mayReadDocument(sub authz.Subject, c akte.Case, d akte.Document) bool {
	return w.verdict(sub, akte.DocumentResource(c, d), time.Now()).expect(authz.ReadDocument) == allowed
}

type worldServices struct {
	svc    *akte.Service
	search *search.Search
	z      *authz.Authorizer
}

// mustWorldServices wires the services to the real backends on the
// database named by dsn (empty: SQLite).
func mustWorldServices(t *testing.T, dsn string) (worldServices, *sqlstore.DB, blob.Store, *tenancy.Catalog) {
	t.Helper()
	b := storetest.Open(t, dsn)
	db, blobs, cat := b.DB, b.Blobs, b.Catalog
	z := authz.NewAuthorizer(db, time.Now, 0)
	svc := akte.NewService(db, blobs, cat, akte.Options{Authorizer: z, MaxUpload: 1 << 20})
	idx := search.NewIndexer(db, db, blobs, cat, nil)
	return worldServices{svc: svc, z: z, search: search.New(db, idx.DocumentText, z, svc.Document)}, db, blobs, cat
}

func testWorld(t *testing.T, dsn string) {
	s := seed(t)
	r := mrand.New(mrand.NewPCG(s, s^0x2545f4914f6cdd1d))
	ctx := context.Background()
	ws, db, blobs, cat := mustWorldServices(t, dsn)
	start := time.Now()
	w := buildDBWorld(t, r, ws, cat)
	if _, err := search.NewIndexer(db, db, blobs, cat, nil).IndexPending(ctx, nil); err != nil {
		t.Fatal(err)
	}
	built := time.Since(start)

	checks := 0
	for _, sub := range w.subjects {
		checks += checkListing(t, ws, w, sub)
		checks += checkByID(t, ws, w, sub)
		checks += checkSearch(t, ws, w, sub)
	}
	t.Logf("%d cases, %d documents, %d tuples, %d subjects: %d checks, 0 disagreements (world built in %v, checked in %v)",
		len(w.cases), len(slices.Concat(mapValues(w.docs)...)), len(w.tuples), len(w.subjects), checks,
		built.Round(time.Millisecond), (time.Since(start) - built).Round(time.Millisecond))
	if checks < 2000 {
		t.Errorf("%d checks, want at least 2,000", checks)
	}
}

func mapValues[K comparable, V any](m map[K]V) []V {
	var out []V
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// buildDBWorld creates the world through the services: 3 tenants with 2
// courts each, 36 cases with up to 4 documents (a third restricted),
// participants linked to accounts (some removed again), judges, Akteneinsicht
// grants (whole file or listed documents; expired, running, without expiry;
// some revoked) and shares with courts of the same and other tenants.
func buildDBWorld(t *testing.T, r *mrand.Rand, ws worldServices, cat *tenancy.Catalog) *dbWorld {
	t.Helper()
	ctx := context.Background()
	reg, err := cat.Register("C")
	if err != nil {
		t.Fatal(err)
	}
	courts := map[tenancy.ID][]tenancy.CourtID{}
	for _, c := range cat.Courts() {
		if c.Active && !c.Test() && c.Unit == "" && reg.Allows(c.Type) {
			courts[c.Tenant] = append(courts[c.Tenant], c.ID)
		}
	}
	var tenants []tenancy.ID
	for _, tn := range tenancy.Tenants() {
		if len(courts[tn.ID]) >= 2 {
			tenants = append(tenants, tn.ID)
		}
	}
	tenants = pickN(r, tenants, 3)
	var allCourts []tenancy.CourtID
	for _, tn := range tenants {
		courts[tn] = pickN(r, courts[tn], 2)
		allCourts = append(allCourts, courts[tn]...)
	}
	users := []string{"u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7"}
	orgs := []string{"kanzlei0", "kanzlei1", "amt0"}
	holder := func() string {
		if r.IntN(3) == 0 {
			return authz.OrgRef(pick(r, orgs))
		}
		return authz.UserRef(pick(r, users))
	}

	w := &dbWorld{docs: map[akte.CaseID][]akte.Document{}}
	now := time.Now()
	type participant struct {
		id   akte.ParticipantID
		c    akte.CaseID
		acct string
	}
	var parts []participant
	for i := range 36 {
		tn := pick(r, tenants)
		admin := authz.Subject{ID: "admin-" + string(tn), Tenant: tn, Role: authz.Landesadmin}
		c, err := ws.svc.CreateCase(ctx, admin, akte.NewCase{Court: pick(r, courts[tn]), Register: "C",
			Subject: fmt.Sprintf("Schriftsatz in Sache Nummer%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		w.cases = append(w.cases, c)
		for j := range r.IntN(5) {
			d, err := ws.svc.AddDocument(ctx, admin, akte.NewDocument{Case: c.ID, Filename: fmt.Sprintf("schriftsatz-%d.txt", j),
				ContentType: "text/plain", Body: strings.NewReader(fmt.Sprintf("Schriftsatz %d zur Sache %d", j, i)),
				Restricted: r.IntN(3) == 0})
			if err != nil {
				t.Fatal(err)
			}
			w.docs[c.ID] = append(w.docs[c.ID], d)
		}
		for range r.IntN(3) {
			acct := holder()
			if r.IntN(5) == 0 {
				acct = "" // a participant without an account
			}
			p, err := ws.svc.AddParticipant(ctx, admin, c.ID, akte.NewParticipant{Role: pick(r, []string{"klaeger", "beklagter", "zeuge"}),
				Name: "Partei " + acct, Account: acct})
			if err != nil {
				t.Fatal(err)
			}
			parts = append(parts, participant{p.ID, c.ID, acct})
		}
		for k := range r.IntN(4) {
			tp := authz.Tuple{ID: fmt.Sprintf("rel-%d-%d", i, k), Tenant: c.Tenant, Case: string(c.ID), CreatedAt: now, CreatedBy: admin.ID}
			switch r.IntN(4) {
			case 0:
				tp.Relation, tp.Holder = authz.JudgeOf, authz.UserRef(pick(r, users))
			case 1:
				tp.Relation, tp.Holder = authz.SharedWith, authz.CourtRef(pick(r, allCourts))
			default:
				tp.Relation, tp.Holder = authz.Inspects, holder()
				for _, d := range w.docs[c.ID] {
					if r.IntN(3) == 0 {
						tp.Documents = append(tp.Documents, string(d.ID))
					}
				}
			}
			switch r.IntN(4) {
			case 0:
				tp.ExpiresAt = now.Add(-time.Hour)
			case 1:
				tp.ExpiresAt = now.Add(time.Hour)
			}
			if err := ws.z.Relate(ctx, tp); err != nil {
				t.Fatal(err)
			}
			if r.IntN(5) == 0 {
				rev, err := ws.z.Revoke(ctx, tp.Tenant, tp.ID)
				if err != nil {
					t.Fatal(err)
				}
				tp.RevokedAt = rev.RevokedAt
			}
			w.tuples = append(w.tuples, tp)
		}
	}
	for _, p := range parts {
		c := w.caseOf(p.c)
		if r.IntN(6) == 0 {
			admin := authz.Subject{ID: "admin", Tenant: c.Tenant, Role: authz.Landesadmin}
			if err := ws.svc.RemoveParticipant(ctx, admin, c.ID, p.id); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if p.acct != "" {
			w.tuples = append(w.tuples, authz.Tuple{ID: "participant:" + string(p.id), Tenant: c.Tenant, Case: string(c.ID),
				Relation: authz.PartyOf, Holder: p.acct})
		}
	}

	// Subjects: every staff role at each tenant, bound to a court or not,
	// some of them with the user IDs that judge tuples name; and outside
	// subjects of every role for each user and organisation.
	for _, tn := range tenants {
		for _, role := range refStaff {
			for _, court := range append([]tenancy.CourtID{""}, courts[tn]...) {
				sub := authz.Subject{ID: "staff", Tenant: tn, Role: role, Court: court}
				if r.IntN(2) == 0 {
					sub.User = pick(r, users)
				}
				w.subjects = append(w.subjects, sub)
			}
		}
	}
	for _, u := range users {
		for _, role := range []authz.Role{authz.Rechtsanwalt, authz.Behoerde, authz.Buerger} {
			sub := authz.Subject{ID: "outside", Role: role, User: u}
			if r.IntN(2) == 0 {
				sub.Org = pick(r, orgs)
			}
			w.subjects = append(w.subjects, sub)
		}
	}
	for _, o := range orgs {
		w.subjects = append(w.subjects, authz.Subject{ID: "outside", Role: authz.Behoerde, Org: o})
	}
	return w
}

// checkListing pages through Cases: it must list exactly the cases the
// reference allows, for staff those they reach beyond their office too.
func checkListing(t *testing.T, ws worldServices, w *dbWorld, sub authz.Subject) int {
	t.Helper()
	ctx := context.Background()
	var listed []akte.CaseID
	f := akte.CaseFilter{Limit: 5}
	for {
		cs, err := ws.svc.Cases(ctx, sub, f)
		if err != nil {
			t.Fatalf("Cases(%+v, %+v) = %v", sub, f, err)
		}
		for _, c := range cs {
			listed = append(listed, c.ID)
		}
		if len(cs) < f.Limit {
			break
		}
		f.After = cs[len(cs)-1].ID
	}
	checks := 0
	for _, c := range w.cases {
		checks++
		may := w.mayReadCase(sub, c)
		in := slices.Contains(listed, c.ID)
		switch {
		case in && !may:
			t.Errorf("Cases(%+v) lists case %s (%s, %s), which the reference denies", sub, c.ID, c.Tenant, c.Court)
		case !in && may:
			t.Errorf("Cases(%+v) leaves out case %s (%s, %s), which the reference allows", sub, c.ID, c.Tenant, c.Court)
		}
	}
	if n := len(listed); n != len(slicesCompact(listed)) {
		t.Errorf("Cases(%+v) lists a case twice: %v", sub, listed)
	}
	return checks
}

func slicesCompact(ids []akte.CaseID) []akte.CaseID {
	s := slices.Clone(ids)
	slices.Sort(s)
	return slices.Compact(s)
}

// checkByID reads every case, its documents and every document by ID: each
// succeeds exactly when the reference allows it.
func checkByID(t *testing.T, ws worldServices, w *dbWorld, sub authz.Subject) int {
	t.Helper()
	ctx := context.Background()
	checks := 0
	for _, c := range w.cases {
		may := w.mayReadCase(sub, c)
		_, err := ws.svc.Case(ctx, sub, c.ID)
		checks++
		if (err == nil) != may || err != nil && classOf(err) != notFound && classOf(err) != forbidden {
			t.Errorf("Case(%+v, %s) = %v; reference allows: %v", sub, c.ID, err, may)
		}
		ds, err := ws.svc.Documents(ctx, sub, c.ID)
		checks++
		if (err == nil) != may {
			t.Errorf("Documents(%+v, %s) = %v; reference allows the case: %v", sub, c.ID, err, may)
		}
		for _, d := range w.docs[c.ID] {
			mayDoc := w.mayReadDocument(sub, c, d)
			listed := slices.ContainsFunc(ds, func(x akte.Document) bool { return x.ID == d.ID })
			checks++
			if listed != (mayDoc && may) {
				t.Errorf("Documents(%+v, %s) lists document %s (restricted %v): %v; reference allows it: %v",
					sub, c.ID, d.ID, d.Restricted, listed, mayDoc)
			}
			_, err := ws.svc.Document(ctx, sub, d.ID)
			checks++
			if (err == nil) != mayDoc || err != nil && classOf(err) != notFound && classOf(err) != forbidden {
				t.Errorf("Document(%+v, %s) (restricted %v) = %v; reference allows: %v", sub, d.ID, d.Restricted, err, mayDoc)
			}
		}
	}
	return checks
}

// checkSearch pages through a search that matches every case and document:
// it must find exactly the cases and documents the reference allows.
func checkSearch(t *testing.T, ws worldServices, w *dbWorld, sub authz.Subject) int {
	t.Helper()
	ctx := context.Background()
	type key struct {
		c akte.CaseID
		d akte.DocumentID
	}
	found := map[key]bool{}
	q := search.Query{Q: "Schriftsatz", Limit: 7}
	for pages := 0; ; pages++ {
		p, err := ws.search.Search(ctx, sub, q)
		if err != nil {
			t.Fatalf("Search(%+v, %+v) = %v", sub, q, err)
		}
		for _, it := range p.Items {
			found[key{it.Case, it.Document}] = true
		}
		if p.Next == "" || pages > 100 {
			break
		}
		q.After = p.Next
	}
	checks := 0
	for _, c := range w.cases {
		want := w.mayReadCase(sub, c)
		checks++
		if got := found[key{c.ID, ""}]; got != want {
			t.Errorf("Search(%+v) finds case %s: %v; reference allows it: %v", sub, c.ID, got, want)
		}
		for _, d := range w.docs[c.ID] {
			want := w.mayReadDocument(sub, c, d)
			checks++
			if got := found[key{c.ID, d.ID}]; got != want {
				t.Errorf("Search(%+v) finds document %s (restricted %v): %v; reference allows it: %v", sub, d.ID, d.Restricted, got, want)
			}
		}
	}
	for k := range found {
		if !slices.ContainsFunc(w.cases, func(c akte.Case) bool { return c.ID == k.c }) {
			t.Errorf("Search(%+v) finds %v, which is not in this world", sub, k)
		}
	}
	return checks
}

// TestAccountChangeCountsAtOnce changes the account linked to a participant
// and removes the participant: the old account loses the file and the new
// one gains it at the next request, although the Authorizer caches tuples.
func TestAccountChangeCountsAtOnce(t *testing.T) {
	ws, _, _, _ := mustWorldServices(t, "")
	ctx := context.Background()
	clerk := authz.Subject{ID: "gs", Tenant: "DE-BY", Role: authz.Geschaeftsstelle}
	c, err := ws.svc.CreateCase(ctx, clerk, akte.NewCase{Court: "D2601", Register: "C"})
	if err != nil {
		t.Fatal(err)
	}
	a := authz.Subject{ID: "a", Role: authz.Rechtsanwalt, User: "anna"}
	b := authz.Subject{ID: "b", Role: authz.Rechtsanwalt, User: "bernd"}
	see := func(sub authz.Subject) bool {
		_, err := ws.svc.Case(ctx, sub, c.ID)
		cs, lerr := ws.svc.Cases(ctx, sub, akte.CaseFilter{})
		if lerr != nil {
			t.Fatal(lerr)
		}
		if listed := len(cs) == 1; listed != (err == nil) {
			t.Errorf("%s: Case = %v but Cases lists %d cases", sub.User, err, len(cs))
		}
		return err == nil
	}
	p, err := ws.svc.AddParticipant(ctx, clerk, c.ID, akte.NewParticipant{Role: "klaeger", Name: "K", Account: "user:anna"})
	if err != nil {
		t.Fatal(err)
	}
	if !see(a) || see(b) {
		t.Fatalf("linked to anna: anna sees %v, bernd sees %v; want true, false", see(a), see(b))
	}
	if _, err := ws.svc.UpdateParticipant(ctx, clerk, c.ID, p.ID, akte.NewParticipant{Role: "klaeger", Name: "K", Account: "user:bernd"}); err != nil {
		t.Fatal(err)
	}
	if see(a) || !see(b) {
		t.Errorf("relinked to bernd: anna sees %v, bernd sees %v; want false, true", see(a), see(b))
	}
	if err := ws.svc.RemoveParticipant(ctx, clerk, c.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	if see(a) || see(b) {
		t.Errorf("removed: anna sees %v, bernd sees %v; want false, false", see(a), see(b))
	}
}

// TestStaffFindWhatTheyReach: court staff reach a proceeding of another
// court by relation — a case shared with their court (possibly another
// Land's), a judge assigned to a case of another court — and may open it by
// ID. Such a case must also appear in their case listing and their search
// results, or they cannot find it.
func TestStaffFindWhatTheyReach(t *testing.T) {
	ws, db, blobs, cat := mustWorldServices(t, "")
	ctx := context.Background()
	clerkBY := authz.Subject{ID: "gs", Tenant: "DE-BY", Role: authz.Geschaeftsstelle}
	c, err := ws.svc.CreateCase(ctx, clerkBY, akte.NewCase{Court: "D2601", Register: "C", Subject: "Geteilte Sache"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, tp := range []authz.Tuple{
		{ID: "share", Tenant: c.Tenant, Case: string(c.ID), Relation: authz.SharedWith, Holder: authz.CourtRef("R3306"), CreatedAt: now},
		{ID: "judge", Tenant: c.Tenant, Case: string(c.ID), Relation: authz.JudgeOf, Holder: authz.UserRef("richterin"), CreatedAt: now},
	} {
		if err := ws.z.Relate(ctx, tp); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := search.NewIndexer(db, db, blobs, cat, nil).IndexPending(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []authz.Subject{
		{ID: "nw", Tenant: "DE-NW", Role: authz.Geschaeftsstelle, Court: "R3306"},          // the court the case is shared with
		{ID: "j", Tenant: "DE-BY", Role: authz.Richter, Court: "D2600", User: "richterin"}, // the judge, at another court
	} {
		if _, err := ws.svc.Case(ctx, sub, c.ID); err != nil {
			t.Fatalf("Case(%+v) = %v, want the case", sub, err)
		}
		cs, err := ws.svc.Cases(ctx, sub, akte.CaseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(cs, func(x akte.Case) bool { return x.ID == c.ID }) {
			t.Errorf("Cases(%+v) = %d cases without the case the subject may open", sub, len(cs))
		}
		p, err := ws.search.Search(ctx, sub, search.Query{Q: "Geteilte Sache"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(p.Items, func(r search.Result) bool { return r.Case == c.ID }) {
			t.Errorf("Search(%+v) = %d results without the case the subject may open", sub, len(p.Items))
		}
	}
}

// TestStaffListingPagesWithDefaultLimit pages through a court clerk's cases
// with the default page size (Limit 0) and with explicit ones: every case
// must come exactly once, also when a case the clerk reaches by a share
// sorts after a full page of office cases.
func TestStaffListingPagesWithDefaultLimit(t *testing.T) {
	ws, _, _, cat := mustWorldServices(t, "")
	ctx := context.Background()
	clerk := authz.Subject{ID: "gs", Tenant: "DE-BY", Role: authz.Geschaeftsstelle, Court: "D2601"}
	var other tenancy.CourtID // another Amtsgericht of the Land
	for _, c := range cat.Courts() {
		if c.Tenant == "DE-BY" && c.Active && c.Unit == "" && c.Type == "Amtsgericht" && c.ID != clerk.Court {
			other = c.ID
			break
		}
	}
	admin := authz.Subject{ID: "la", Tenant: "DE-BY", Role: authz.Landesadmin}
	want := map[akte.CaseID]bool{}
	for range akte.DefaultCaseLimit + 1 {
		c, err := ws.svc.CreateCase(ctx, clerk, akte.NewCase{Court: "D2601", Register: "C"})
		if err != nil {
			t.Fatal(err)
		}
		want[c.ID] = true
	}
	// Created last, so its ID (UUIDv7) sorts after every office case.
	shared, err := ws.svc.CreateCase(ctx, admin, akte.NewCase{Court: other, Register: "C"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.z.Relate(ctx, authz.Tuple{ID: "share", Tenant: shared.Tenant, Case: string(shared.ID), Relation: authz.SharedWith,
		Holder: authz.CourtRef("D2601"), CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	want[shared.ID] = true
	for _, limit := range []int{0, 5, akte.DefaultCaseLimit} {
		got := map[akte.CaseID]int{}
		f := akte.CaseFilter{Limit: limit}
		for pages := 0; pages < 100; pages++ {
			cs, err := ws.svc.Cases(ctx, clerk, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) == 0 {
				break
			}
			for _, c := range cs {
				got[c.ID]++
			}
			f.After = cs[len(cs)-1].ID
		}
		missing := 0
		for id := range want {
			if got[id] != 1 {
				missing++
			}
		}
		if missing > 0 || len(got) != len(want) {
			t.Errorf("Limit %d: paging listed %d distinct cases; %d of the %d cases not exactly once", limit, len(got), missing, len(want))
		}
	}
}
