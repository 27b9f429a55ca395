// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"justizcloud/anon"
	"justizcloud/anon/ner"
	"justizcloud/errs"
	"justizcloud/sqlstore"
	"justizcloud/tenancy"
)

// TestServicePoliciesAndUsage: each tenant's policy applies to its texts,
// and successful calls are counted per tenant in the store, so the counts
// outlive the service (a restarted server).
func TestServicePoliciesAndUsage(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "db.sqlite"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	m, err := ner.Default()
	if err != nil {
		t.Fatal(err)
	}
	base, err := anon.New(m, anon.Options{Policy: anon.DefaultPolicy()})
	if err != nil {
		t.Fatal(err)
	}
	newService := func() *anon.Service {
		s, err := anon.NewService(base, map[tenancy.ID]anon.Policy{"DE-HB": {Replace: []anon.Kind{anon.Email}}}, db)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := newService()
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
	if want := "Herr Müller schrieb an [E-Mail 1]."; hb.Text != want {
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
	if _, err := anon.NewService(base, map[tenancy.ID]anon.Policy{"DE-BE": {Replace: []anon.Kind{"X"}}}, db); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("invalid tenant policy: err = %v", err)
	}
}
