// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package identity_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/identity"
	"justizcloud/sqlstore"
)

func mustStore(t *testing.T) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestTokens(t *testing.T) {
	ctx := context.Background()
	db := mustStore(t)
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	ts := identity.NewTokens(db, nil, func() time.Time { return now })
	sub := authz.Subject{Tenant: "DE-BY", Role: authz.Geschaeftsstelle, Court: "D2601"}

	secret, tok, err := ts.Issue(ctx, sub, "Geschäftsstelle 12", 0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "jc_") || len(secret) < 40 {
		t.Errorf("secret = %q, want jc_ and 32 random bytes", secret)
	}
	if strings.Contains(tok.ID, secret[3:]) {
		t.Error("token id reveals the secret")
	}
	got, err := ts.Verify(ctx, secret)
	want := sub
	want.ID = tok.ID
	if err != nil || got != want {
		t.Errorf("Verify = %+v, %v; want %+v", got, err, want)
	}

	secret2, _, err := ts.Issue(ctx, sub, "", 0)
	if err != nil || secret2 == secret {
		t.Fatalf("second token = %q, %v; want a different secret", secret2, err)
	}

	for _, bad := range []string{"", "jc_", "jc_" + strings.Repeat("A", 43), secret[:len(secret)-1], "Bearer " + secret, strings.Repeat("x", 500)} {
		if _, err := ts.Verify(ctx, bad); !errors.Is(err, errs.ErrUnauthenticated) {
			t.Errorf("Verify(%.20q…) = %v, want ErrUnauthenticated", bad, err)
		}
	}

	short, _, err := ts.Issue(ctx, sub, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Verify(ctx, short); err != nil {
		t.Errorf("Verify(fresh token) = %v", err)
	}
	now = now.Add(time.Hour)
	if _, err := ts.Verify(ctx, short); !errors.Is(err, errs.ErrUnauthenticated) {
		t.Errorf("Verify(expired token) = %v, want ErrUnauthenticated", err)
	}
	if _, err := ts.Verify(ctx, secret); err != nil {
		t.Errorf("Verify(token without expiry) = %v", err)
	}
}
