// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"justizcloud/anon"
	"justizcloud/anon/ner"
	"justizcloud/errs"
	"justizcloud/sqlstore"
	"justizcloud/tenancy"
)

func mustStore(t *testing.T) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "db.sqlite"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

func mustBase(t *testing.T) *anon.Pseudonymizer {
	t.Helper()
	m, err := ner.Default()
	if err != nil {
		t.Fatal(err)
	}
	base, err := anon.New(m, anon.Options{Policy: anon.DefaultPolicy()})
	if err != nil {
		t.Fatal(err)
	}
	return base
}

// TestServicePoliciesAndUsage: each tenant's policy applies to its texts,
// and successful calls are counted per tenant in the store, so the counts
// outlive the service (a restarted server).
func TestServicePoliciesAndUsage(t *testing.T) {
	ctx := context.Background()
	db, base := mustStore(t), mustBase(t)
	newService := func() *anon.Service {
		s, err := anon.NewService(base, db, db)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := newService()
	if _, err := s.SetPolicy(ctx, "DE-HB", anon.Policy{Replace: []anon.Kind{anon.Email}}, "admin-hb"); !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("a policy that keeps persons: err = %v, want ErrInvalid", err)
	}
	if _, err := s.SetPolicy(ctx, "DE-HB", anon.Policy{Replace: []anon.Kind{anon.Person}}, "admin-hb"); err != nil {
		t.Fatal(err)
	}
	text := "Herr Müller schrieb an mueller@example.org."
	by, err := s.Pseudonymize(ctx, "DE-BY", text)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Herr A. schrieb an [E-Mail 1]."; by.Text != want {
		t.Errorf("default policy: %q, want %q", by.Text, want)
	}
	hb, err := s.Pseudonymize(ctx, "DE-HB", text)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Herr A. schrieb an mueller@example.org."; hb.Text != want {
		t.Errorf("tenant policy: %q, want %q", hb.Text, want)
	}
	if _, err := s.Pseudonymize(ctx, "DE-BY", ""); err == nil {
		t.Error("empty text succeeded")
	}
	if _, err := newService().Pseudonymize(ctx, "DE-BY", text); err != nil { // another instance, same store
		t.Fatal(err)
	}
	u, err := s.Usage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if u["DE-BY"] != (anon.Usage{Requests: 2, Bytes: 2 * int64(len(text))}) || u["DE-HB"].Requests != 1 || len(u) != 2 {
		t.Errorf("Usage = %+v", u)
	}
}

// TestServiceSetPolicy: a policy is validated, stored once per kind in a
// fixed order, applies at once in this process, and a reset brings back the
// default.
func TestServiceSetPolicy(t *testing.T) {
	ctx := context.Background()
	db, base := mustStore(t), mustBase(t)
	s, err := anon.NewService(base, db, db)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	anon.SetNow(s, func() time.Time { return at })
	p, err := s.Policy(ctx, "DE-BY")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Default || !slices.Equal(p.Policy.Replace, anon.DefaultPolicy().Replace) || p.UpdatedBy != "" {
		t.Errorf("Policy before any change = %+v, want the default", p)
	}
	text := "Richter am Amtsgericht Dr. Hofmann hörte Herrn Müller an."
	before, err := s.Pseudonymize(ctx, "DE-BY", text) // fills the cache
	if err != nil {
		t.Fatal(err)
	}
	if !containsSpan(before.Spans, anon.Judge, "") {
		t.Fatalf("the judge is not kept under the default policy: %+v", before.Spans)
	}
	for _, bad := range [][]anon.Kind{{"X"}, {anon.Person, "per"}} {
		if _, err := s.SetPolicy(ctx, "DE-BY", anon.Policy{Replace: bad}, "admin"); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("SetPolicy(%v): err = %v, want ErrInvalid", bad, err)
		}
	}
	set, err := s.SetPolicy(ctx, "DE-BY", anon.Policy{Replace: []anon.Kind{anon.Judge, anon.Person, anon.Judge}}, "admin")
	if err != nil {
		t.Fatal(err)
	}
	if want := []anon.Kind{anon.Person, anon.Judge}; !slices.Equal(set.Policy.Replace, want) || set.Default || set.UpdatedBy != "admin" || !set.UpdatedAt.Equal(at) {
		t.Errorf("SetPolicy = %+v, want %v by admin at %v", set, want, at)
	}
	after, err := s.Pseudonymize(ctx, "DE-BY", text)
	if err != nil {
		t.Fatal(err)
	}
	if !containsSpan(after.Spans, anon.Judge, "A.") && !containsSpan(after.Spans, anon.Judge, "B.") {
		t.Errorf("the judge is kept after the change: %q %+v", after.Text, after.Spans)
	}
	got, err := s.Policy(ctx, "DE-BY")
	if err != nil || got.Default || !slices.Equal(got.Policy.Replace, set.Policy.Replace) {
		t.Errorf("Policy after SetPolicy = %+v, %v", got, err)
	}
	got.Policy.Replace[0] = anon.Court // the caller's copy, not the cache
	if again, _ := s.Policy(ctx, "DE-BY"); again.Policy.Replace[0] != anon.Person {
		t.Errorf("changing a returned policy changed the cache: %v", again.Policy.Replace)
	}
	if err := s.ResetPolicy(ctx, "DE-BY"); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Policy(ctx, "DE-BY"); err != nil || !p.Default {
		t.Errorf("Policy after reset = %+v, %v; want the default", p, err)
	}
}

// TestServicePolicyTTL: a change made through another replica (another
// Service on the same store) applies here once PolicyTTL has passed.
func TestServicePolicyTTL(t *testing.T) {
	ctx := context.Background()
	db, base := mustStore(t), mustBase(t)
	var mu sync.Mutex
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	here, err := anon.NewService(base, db, db)
	if err != nil {
		t.Fatal(err)
	}
	anon.SetNow(here, clock)
	there, err := anon.NewService(base, db, db)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := here.Policy(ctx, "DE-SL"); err != nil || !p.Default {
		t.Fatalf("Policy = %+v, %v", p, err)
	}
	if _, err := there.SetPolicy(ctx, "DE-SL", anon.Policy{Replace: []anon.Kind{anon.Person, anon.Email}}, "admin"); err != nil {
		t.Fatal(err)
	}
	if p, _ := here.Policy(ctx, "DE-SL"); !p.Default {
		t.Errorf("the change applied before the TTL ran out: %+v", p)
	}
	mu.Lock()
	now = now.Add(anon.PolicyTTL)
	mu.Unlock()
	if p, _ := here.Policy(ctx, "DE-SL"); p.Default || !slices.Equal(p.Policy.Replace, []anon.Kind{anon.Person, anon.Email}) {
		t.Errorf("Policy after the TTL = %+v, want [EMAIL]", p)
	}
}

// TestServiceConcurrentPolicies: calls and changes of several tenants at
// once (run with -race); each tenant ends with its last policy.
func TestServiceConcurrentPolicies(t *testing.T) {
	ctx := context.Background()
	db, base := mustStore(t), mustBase(t)
	s, err := anon.NewService(base, db, db)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, tn := range []string{"DE-BY", "DE-BE", "DE-HH"} {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range 5 {
				kinds := []anon.Kind{anon.Person}
				if i%2 == 0 {
					kinds = append(kinds, anon.Judge)
				}
				if _, err := s.SetPolicy(ctx, tenancy.ID(tn), anon.Policy{Replace: kinds}, "admin"); err != nil {
					t.Error(err)
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range 5 {
				if _, err := s.Pseudonymize(ctx, tenancy.ID(tn), "Herr Müller klagt."); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	for _, tn := range []string{"DE-BY", "DE-BE", "DE-HH"} {
		if p, err := s.Policy(ctx, tenancy.ID(tn)); err != nil || !slices.Equal(p.Policy.Replace, []anon.Kind{anon.Person, anon.Judge}) {
			t.Errorf("%s: Policy = %+v, %v; want the last one, [PER RR]", tn, p, err)
		}
	}
}

// TestServiceWithoutPolicyStore: without a store every tenant has the base
// policy and cannot change it.
func TestServiceWithoutPolicyStore(t *testing.T) {
	ctx := context.Background()
	db, base := mustStore(t), mustBase(t)
	s, err := anon.NewService(base, nil, db)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := s.Policy(ctx, "DE-BY"); err != nil || !p.Default {
		t.Errorf("Policy = %+v, %v", p, err)
	}
	if _, err := s.SetPolicy(ctx, "DE-BY", anon.DefaultPolicy(), "admin"); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("SetPolicy without a store: err = %v, want ErrInvalid", err)
	}
	if _, err := anon.NewService(nil, nil, db); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("NewService without a pseudonymizer: err = %v", err)
	}
}

func containsSpan(spans []anon.Span, k anon.Kind, replacement string) bool {
	return slices.ContainsFunc(spans, func(s anon.Span) bool { return s.Kind == k && s.Replacement == replacement })
}
