// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"crypto/sha256"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"justizcloud/errs"
	"justizcloud/login"
	"justizcloud/sqlstore/pgtest"
)

func TestSessionsSQLite(t *testing.T) {
	testSessions(t, func(t *testing.T) string { return filepath.Join(t.TempDir(), "data", "justizcloud.db") })
}

func TestSessionsPostgres(t *testing.T) {
	pgtest.DSN(t) // skips (or fails under CI) when PostgreSQL is unreachable
	testSessions(t, func(t *testing.T) string { return pgtest.DSN(t) })
}

// testSessions: sessions round-trip, are touched, deleted and swept;
// pending logins are taken exactly once, even by concurrent callbacks.
func testSessions(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	s := login.Session{Hash: sha256.Sum256([]byte("secret-1")), User: "usr_a", Provider: "by", CSRF: "csrf-1",
		CreatedAt: t0, LastSeen: t0, Expires: t0.Add(12 * time.Hour)}
	if err := db.CreateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSession(ctx, s); !errors.Is(err, errs.ErrConflict) {
		t.Errorf("CreateSession twice = %v, want ErrConflict", err)
	}
	got, err := db.SessionByHash(ctx, s.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s, got); diff != "" {
		t.Errorf("SessionByHash (-want +got):\n%s", diff)
	}
	if err := db.TouchSession(ctx, s.Hash, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.SessionByHash(ctx, s.Hash); !got.LastSeen.Equal(t0.Add(time.Minute)) {
		t.Errorf("LastSeen = %v, want %v", got.LastSeen, t0.Add(time.Minute))
	}
	if _, err := db.SessionByHash(ctx, sha256.Sum256([]byte("other"))); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("SessionByHash(unknown) = %v, want ErrNotFound", err)
	}
	// Sweep: idle (last seen before the cut) and absolute ends go, a live session stays.
	idle := login.Session{Hash: sha256.Sum256([]byte("idle")), User: "usr_b", CSRF: "c", CreatedAt: t0, LastSeen: t0.Add(-time.Hour), Expires: t0.Add(time.Hour)}
	ended := login.Session{Hash: sha256.Sum256([]byte("ended")), User: "usr_c", CSRF: "c", CreatedAt: t0, LastSeen: t0, Expires: t0}
	for _, x := range []login.Session{idle, ended} {
		if err := db.CreateSession(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	p := login.Pending{StateHash: sha256.Sum256([]byte("state")), Provider: "by", Nonce: "n", Verifier: "v", Return: "/x", CreatedAt: t0, Expires: t0.Add(10 * time.Minute)}
	old := p
	old.StateHash, old.Expires = sha256.Sum256([]byte("old state")), t0
	for _, x := range []login.Pending{p, old} {
		if err := db.CreatePending(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	n, err := db.SweepSessions(ctx, t0, t0.Add(-30*time.Minute))
	if err != nil || n != 3 {
		t.Errorf("SweepSessions = %d, %v; want 3 rows (idle, ended, old pending)", n, err)
	}
	if _, err := db.SessionByHash(ctx, s.Hash); err != nil {
		t.Errorf("live session swept: %v", err)
	}
	// Two callbacks with the same state: exactly one gets the pending login.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var took []login.Pending
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got, err := db.TakePending(ctx, p.StateHash); err == nil {
				mu.Lock()
				took = append(took, got)
				mu.Unlock()
			} else if !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("TakePending = %v", err)
			}
		}()
	}
	wg.Wait()
	if len(took) != 1 {
		t.Fatalf("TakePending succeeded %d times, want 1", len(took))
	}
	if diff := cmp.Diff(p, took[0]); diff != "" {
		t.Errorf("TakePending (-want +got):\n%s", diff)
	}
	if err := db.DeleteSession(ctx, s.Hash); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteSession(ctx, s.Hash); err != nil {
		t.Errorf("DeleteSession of a deleted session = %v, want nil", err)
	}
	if _, err := db.SessionByHash(ctx, s.Hash); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("SessionByHash after delete = %v, want ErrNotFound", err)
	}
}
