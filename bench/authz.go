// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/bits"
	mrand "math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

// AuthzOptions configure the authorization benchmark.
type AuthzOptions struct {
	Cases         int    // proceedings of the seeded world (10,000)
	TuplesPerCase int    // relation tuples per proceeding (3): judge, participant, Akteneinsicht, …
	Users         int    // people the tuples name (1,000); a tenth as many organisations
	Seed          uint64 // the world and the checks are a function of the options and the seed
	Duration      time.Duration
	Progress      io.Writer // one line per step; nil for none
}

func (o AuthzOptions) logf(format string, args ...any) {
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, format+"\n", args...)
	}
}

// AuthzStore is what the benchmark seeds its world into and reads tuples
// from: *sqlstore.DB on either dialect.
type AuthzStore interface {
	authz.Store
	CreateCase(ctx context.Context, c akte.Case) (akte.Case, error)
	Case(ctx context.Context, t tenancy.ID, id akte.CaseID) (akte.Case, error)
}

// AuthzWorld is the seeded world and the checks run against it.
type AuthzWorld struct {
	o      AuthzOptions
	prefix string
	cases  []akte.Case
	tuples []authz.Tuple
	checks []authzCheck
}

type authzCheck struct {
	sub authz.Subject
	a   authz.Action
	r   authz.Resource
}

// NewAuthzWorld generates the world of o: proceedings at the Amtsgerichte
// of the court list, each with o.TuplesPerCase tuples (an assigned judge,
// a participant's lawyer, an Akteneinsicht grant to a person or a law firm,
// …), and 64Ki checks of which half ask for a tuple's holder (mostly
// allowed) and half for a random person (mostly not found). Every check
// needs the case's tuples: the subjects are outside the case's court, so
// their office never decides alone.
func NewAuthzWorld(cat *tenancy.Catalog, o AuthzOptions) (*AuthzWorld, error) {
	if o.Cases < 1 || o.TuplesPerCase < 1 || o.Users < 1 {
		return nil, errors.New("authz benchmark: cases, tuples per case and users must be at least 1")
	}
	var courts []tenancy.Court
	for _, c := range cat.Courts() {
		if c.Active && c.Unit == "" && c.Category == "gericht" && c.Type == "Amtsgericht" {
			courts = append(courts, c)
		}
	}
	if len(courts) < 2 {
		return nil, errors.New("authz benchmark: the court list has no Amtsgerichte")
	}
	r := mrand.New(mrand.NewPCG(o.Seed, uint64(o.Cases)<<32|uint64(o.TuplesPerCase)<<16|uint64(o.Users)))
	w := &AuthzWorld{o: o, prefix: fmt.Sprintf("bench-authz-%d-%d-%d-%d", o.Seed, o.Cases, o.TuplesPerCase, o.Users)}
	user := func() string { return authz.UserRef(fmt.Sprintf("bench-u%04d", r.IntN(o.Users))) }
	org := func() string { return authz.OrgRef(fmt.Sprintf("bench-o%03d", r.IntN(max(1, o.Users/10)))) }
	created := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for i := range o.Cases {
		court := pick(r, courts)
		c := akte.Case{ID: akte.CaseID(fmt.Sprintf("%s-c%06d", w.prefix, i)), Tenant: court.Tenant, Court: court.ID,
			Aktenzeichen: akte.Aktenzeichen{Department: "1", Register: "C", Year: 2026},
			Subject:      "Benchmark der Berechtigungsprüfung", CreatedAt: created, CreatedBy: "bench authz"}
		w.cases = append(w.cases, c)
		for k := range o.TuplesPerCase {
			t := authz.Tuple{ID: fmt.Sprintf("%s-t%06d-%d", w.prefix, i, k), Tenant: c.Tenant, Case: string(c.ID),
				CreatedAt: created, CreatedBy: "bench authz"}
			switch k % 3 {
			case 0:
				t.Relation, t.Holder = authz.JudgeOf, user()
			case 1:
				t.Relation, t.Holder = authz.PartyOf, user()
			default:
				t.Relation, t.ExpiresAt = authz.Inspects, created.AddDate(50, 0, 0)
				if t.Holder = user(); r.IntN(3) == 0 {
					t.Holder = org()
				}
			}
			w.tuples = append(w.tuples, t)
		}
	}
	for range 1 << 16 {
		i := r.IntN(o.Cases)
		c := w.cases[i]
		res := akte.CaseResource(c)
		a := authz.ReadCase
		switch r.IntN(5) {
		case 0, 1:
			a, res.Document, res.Restricted = authz.ReadDocument, fmt.Sprintf("%s-d%06d", w.prefix, i), r.IntN(5) == 0
		case 2:
			a = authz.AddDocument
		}
		var sub authz.Subject
		if r.IntN(2) == 0 {
			t := w.tuples[i*o.TuplesPerCase+r.IntN(o.TuplesPerCase)]
			sub = holderSubject(t, r, courts)
		} else {
			sub = authz.Subject{ID: "bench", Role: authz.Rechtsanwalt, User: user()[len("user:"):]}
		}
		w.checks = append(w.checks, authzCheck{sub: sub, a: a, r: res})
	}
	return w, nil
}

// holderSubject returns a subject who holds t: a judge of the case's Land
// at another court for a judge tuple, otherwise a lawyer acting as the
// person or for the firm named.
func holderSubject(t authz.Tuple, r *mrand.Rand, courts []tenancy.Court) authz.Subject {
	sub := authz.Subject{ID: "bench", Role: authz.Rechtsanwalt}
	kind, id, _ := cutRef(t.Holder)
	if kind == "org" {
		sub.Org = id
		sub.User = "bench-member"
		return sub
	}
	sub.User = id
	if t.Relation == authz.JudgeOf {
		sub.Role, sub.Tenant = authz.Richter, t.Tenant
		for sub.Court == "" {
			if c := pick(r, courts); c.Tenant != t.Tenant {
				sub.Court = c.ID // bound to a court whose office does not reach the case
			}
		}
	}
	return sub
}

func cutRef(ref string) (kind, id string, ok bool) {
	for i := range len(ref) {
		if ref[i] == ':' {
			return ref[:i], ref[i+1:], true
		}
	}
	return "", ref, false
}

// Seed stores the world in st unless it is there already (a marker case
// written last says so). It is idempotent: what a previous, interrupted
// run stored is kept. It returns whether it wrote anything.
func (w *AuthzWorld) Seed(ctx context.Context, st AuthzStore, workers int) (bool, error) {
	marker := w.cases[0]
	marker.ID = akte.CaseID(w.prefix + "-complete")
	if _, err := st.Case(ctx, marker.Tenant, marker.ID); err == nil {
		return false, nil
	} else if !errors.Is(err, errs.ErrNotFound) {
		return false, fmt.Errorf("authz benchmark: %w", err)
	}
	var next atomic.Int64
	var done atomic.Int64
	errc := make(chan error, workers)
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(w.cases) || ctx.Err() != nil {
					return
				}
				if _, err := st.CreateCase(ctx, w.cases[i]); err != nil && !errors.Is(err, errs.ErrConflict) {
					errc <- err
					return
				}
				for _, t := range w.tuples[i*w.o.TuplesPerCase : (i+1)*w.o.TuplesPerCase] {
					if err := st.AddRelation(ctx, t); err != nil && !errors.Is(err, errs.ErrConflict) {
						errc <- err
						return
					}
				}
				if n := done.Add(1); n%2000 == 0 {
					w.o.logf("seeded %d/%d cases with their tuples (%v)", n, len(w.cases), time.Since(start).Round(time.Millisecond))
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return true, fmt.Errorf("authz benchmark: seed: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return true, err
	}
	if _, err := st.CreateCase(ctx, marker); err != nil && !errors.Is(err, errs.ErrConflict) {
		return true, fmt.Errorf("authz benchmark: seed: %w", err)
	}
	return true, nil
}

// AuthzResult is the figure of one kind of decision.
type AuthzResult struct {
	Name       string
	Goroutines int
	Checks     int
	PerSecond  float64
	// PerCPUSecond is checks per second of CPU time this process used
	// meanwhile (user and system, garbage collection included): the
	// throughput of one core, whatever else the machine runs. It leaves out
	// the CPU time of a database server.
	PerCPUSecond float64
	P50, P99     time.Duration // wall-clock latency of a check
	// CPUP50 and CPUP99 are quantiles of the CPU time of the thread that ran
	// a check; zero when not measured (see Lookups).
	CPUP50, CPUP99 time.Duration
	Allowed        float64 // share of checks that were allowed
	Errors         int     // checks that failed with anything but a decision
}

// Cached measures May with the tuples of every case in the Authorizer's
// cache: the cache TTL is an hour, so nothing expires while it runs, and
// every check is answered once before the clock starts.
func (w *AuthzWorld) Cached(ctx context.Context, st authz.Store, name string, goroutines int) AuthzResult {
	z := authz.NewAuthorizer(st, time.Now, time.Hour)
	for _, c := range w.checks {
		_ = z.May(ctx, c.sub, c.a, c.r)
	}
	return w.measure(ctx, name, goroutines, false, func(c authzCheck) error { return z.May(ctx, c.sub, c.a, c.r) })
}

// Lookups measures May when the case's tuples must be read from st: the
// Authorizer forgets the case before each check (Forget, as after a
// change), so every check is a cache miss and queries the store. With one
// goroutine it also measures each check's on-CPU time (CPUP50, CPUP99).
func (w *AuthzWorld) Lookups(ctx context.Context, st authz.Store, name string, goroutines int) AuthzResult {
	z := authz.NewAuthorizer(st, time.Now, 0)
	return w.measure(ctx, name, goroutines, goroutines == 1, func(c authzCheck) error {
		z.Forget(c.r.Case)
		return z.May(ctx, c.sub, c.a, c.r)
	})
}

// measure runs check over the world's checks from the given number of
// goroutines for the configured duration. With onCPU, each goroutine is
// locked to its OS thread and each check's thread CPU time is recorded
// too: on a busy machine the wall-clock latency includes the time the
// thread waited for a core, the CPU time does not (nor time waiting for a
// database server).
func (w *AuthzWorld) measure(ctx context.Context, name string, goroutines int, onCPU bool, check func(authzCheck) error) AuthzResult {
	w.o.logf("%s: %d goroutine(s) for %v", name, goroutines, w.o.Duration)
	hists := make([]latencies, goroutines)
	cpuHists := make([]latencies, goroutines)
	counts := make([][3]int, goroutines) // checks, allowed, errors
	var stop atomic.Bool
	var wg sync.WaitGroup
	start, cpu0 := time.Now(), cpuTime()
	for g := range goroutines {
		wg.Go(func() {
			h, ch, n := &hists[g], &cpuHists[g], &counts[g]
			if onCPU {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
			}
			mask := len(w.checks) - 1
			for i := g * 7919; !stop.Load(); {
				for range 64 {
					c := w.checks[i&mask]
					i++
					var c0 time.Duration
					if onCPU {
						c0 = threadCPUTime()
					}
					t0 := time.Now()
					err := check(c)
					h.add(time.Since(t0))
					if onCPU {
						ch.add(threadCPUTime() - c0)
					}
					n[0]++
					switch {
					case err == nil:
						n[1]++
					case errors.Is(err, errs.ErrNotFound) || errors.Is(err, errs.ErrForbidden):
					default:
						n[2]++
					}
				}
			}
		})
	}
	select {
	case <-time.After(w.o.Duration):
	case <-ctx.Done():
	}
	stop.Store(true)
	wg.Wait()
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	var h, ch latencies
	res := AuthzResult{Name: name, Goroutines: goroutines}
	allowed := 0
	for g := range goroutines {
		h.merge(&hists[g])
		ch.merge(&cpuHists[g])
		res.Checks += counts[g][0]
		allowed += counts[g][1]
		res.Errors += counts[g][2]
	}
	res.PerSecond = float64(res.Checks) / elapsed.Seconds()
	if cpu > 0 {
		res.PerCPUSecond = float64(res.Checks) / cpu.Seconds()
	}
	res.P50, res.P99 = h.quantile(0.50), h.quantile(0.99)
	res.CPUP50, res.CPUP99 = ch.quantile(0.50), ch.quantile(0.99)
	if res.Checks > 0 {
		res.Allowed = float64(allowed) / float64(res.Checks)
	}
	return res
}

// cpuTime is the user and system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// threadCPUTime is the CPU time of the calling OS thread so far.
func threadCPUTime() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// MedianAuthz returns the median of f over the results.
func MedianAuthz(rs []AuthzResult, f func(AuthzResult) float64) float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	slices.Sort(v)
	if len(v) == 0 {
		return 0
	}
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// latencies is a log-linear histogram of durations: 16 buckets per power
// of two, so a quantile is accurate to about 3 %, in constant memory at
// millions of samples per second.
type latencies struct {
	n      int64
	counts [1024]int64
}

func latencyBucket(d time.Duration) int {
	v := uint64(max(d, 0))
	if v < 32 {
		return int(v)
	}
	e := bits.Len64(v) - 5 // v>>e is in [16, 32)
	return 16*e + int(v>>e)
}

// bucketMid is the middle of a bucket's range.
func bucketMid(i int) time.Duration {
	if i < 32 {
		return time.Duration(i)
	}
	e := i/16 - 1
	m := uint64(i%16 + 16)
	return time.Duration(m<<e + (1<<e)/2)
}

func (h *latencies) add(d time.Duration) {
	h.counts[latencyBucket(d)]++
	h.n++
}

func (h *latencies) merge(o *latencies) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
}

func (h *latencies) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := int64(q*float64(h.n-1)) + 1
	var seen int64
	for i, c := range h.counts {
		if seen += c; seen >= rank {
			return bucketMid(i)
		}
	}
	return 0
}
