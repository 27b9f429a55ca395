// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"justizcloud/akte"
	"justizcloud/errs"
)

func testParticipants(t *testing.T, newDSN func(t *testing.T) string) {
	ctx := context.Background()
	db := mustDB(t, newDSN)
	c := mustCreateCase(t, db, newCase("DE-BY", "D2601", "C", 2026))
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	kl := akte.Participant{ID: "p1", Tenant: "DE-BY", Case: c.ID, Role: "klaeger", Name: "Erika Mustermann", Address: "Musterstraße 1, 80331 München", CreatedAt: at}
	pb := akte.Participant{ID: "p2", Tenant: "DE-BY", Case: c.ID, Role: "prozessbevollmaechtigter", Name: "RAin Dr. Beispiel", Represents: "p1", CreatedAt: at.Add(time.Second)}
	for _, p := range []akte.Participant{kl, pb} {
		if err := db.AddParticipant(ctx, p); err != nil {
			t.Fatalf("AddParticipant(%s) = %v", p.ID, err)
		}
	}
	wantIs(t, "AddParticipant with a taken id", db.AddParticipant(ctx, kl), errs.ErrConflict)
	wantIs(t, "AddParticipant to an unknown case", db.AddParticipant(ctx, akte.Participant{ID: "p9", Tenant: "DE-BY", Case: "nope", Role: "zeuge", Name: "x", CreatedAt: at}), errs.ErrInvalid)
	got, err := db.Participants(ctx, "DE-BY", c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]akte.Participant{kl, pb}, got); diff != "" {
		t.Errorf("Participants mismatch (-want +got):\n%s", diff)
	}
	kl.Address = "Neue Straße 5, 80331 München"
	if err := db.UpdateParticipant(ctx, kl); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Participants(ctx, "DE-BY", c.ID); got[0].Address != kl.Address {
		t.Errorf("address after update = %q", got[0].Address)
	}
	other := kl
	other.Tenant = "DE-NW"
	wantIs(t, "UpdateParticipant of another tenant", db.UpdateParticipant(ctx, other), errs.ErrNotFound)
	wantIs(t, "RemoveParticipant of another tenant", db.RemoveParticipant(ctx, "DE-NW", c.ID, "p1"), errs.ErrNotFound)
	if got, _ := db.Participants(ctx, "DE-NW", c.ID); len(got) != 0 {
		t.Errorf("another tenant lists %v", got)
	}
	if err := db.RemoveParticipant(ctx, "DE-BY", c.ID, "p2"); err != nil {
		t.Fatal(err)
	}
	wantIs(t, "RemoveParticipant twice", db.RemoveParticipant(ctx, "DE-BY", c.ID, "p2"), errs.ErrNotFound)
}
