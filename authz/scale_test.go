// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package authz_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/search"
	"justizcloud/sqlstore"
)

// TestSearchForAnOrganisationInManyCases: an authority (a Jobcenter, a
// pension insurer) takes part in tens of thousands of proceedings of one
// Land. Its staff must still be able to search them and list them.
func TestSearchForAnOrganisationInManyCases(t *testing.T) {
	if testing.Short() {
		t.Skip("33,000 proceedings take 20–40 s to set up")
	}
	ws, db, _, cat := mustWorldServices(t, "")
	ctx := context.Background()
	const n = 33000 // just over SQLite's limit of 32,766 parameters
	now := time.Now().UTC()
	cs := make([]akte.Case, n)
	for i := range cs {
		cs[i] = akte.Case{ID: akte.CaseID(uuid.NewString()), Tenant: "DE-BE", Court: "F1100",
			Aktenzeichen: akte.Aktenzeichen{Department: "1", Register: "C", Number: i + 1, Year: 2026},
			Subject:      "Sozialsache Rente", CreatedAt: now, CreatedBy: "test"}
	}
	for i := 0; i < n; i += 1000 {
		b := sqlstore.Bulk{Cases: cs[i:min(i+1000, n)]}
		for _, c := range b.Cases {
			b.Search = append(b.Search, search.CaseEntry(cat, c, nil))
		}
		if err := db.BulkLoad(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range cs {
		if err := db.AddRelation(ctx, authz.Tuple{ID: fmt.Sprint("r", i), Tenant: c.Tenant, Case: string(c.ID),
			Relation: authz.PartyOf, Holder: authz.OrgRef("rentenversicherung"), CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	sub := authz.Subject{ID: "x", Role: authz.Behoerde, User: "sachbearbeiterin", Org: "rentenversicherung"}
	if p, err := ws.search.Search(ctx, sub, search.Query{Q: "Rente"}); err != nil || len(p.Items) != search.DefaultLimit {
		t.Errorf("Search = %d results, %v; want %d", len(p.Items), err, search.DefaultLimit)
	}
	if l, err := ws.svc.Cases(ctx, sub, akte.CaseFilter{Limit: 100}); err != nil || len(l) != 100 {
		t.Errorf("Cases = %d cases, %v; want 100", len(l), err)
	}
}
