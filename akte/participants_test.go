// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package akte_test

import (
	"context"
	"errors"
	"testing"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
)

func TestParticipants(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	c := f.mustCase(t)
	add := func(in akte.NewParticipant) (akte.Participant, error) {
		return f.svc.AddParticipant(ctx, f.sub, c.ID, in)
	}

	kl, err := add(akte.NewParticipant{Role: "klaeger", Name: "Erika Mustermann", Address: "Musterstraße 1, 80331 München"})
	if err != nil {
		t.Fatal(err)
	}
	bk, err := add(akte.NewParticipant{Role: "beklagter", Name: "Max Beispiel"})
	if err != nil {
		t.Fatal(err)
	}
	zeuge, err := add(akte.NewParticipant{Role: "zeuge", Name: "Hans Hinz"})
	if err != nil {
		t.Fatal(err)
	}
	pb, err := add(akte.NewParticipant{Role: "prozessbevollmaechtigter", Name: "RAin Dr. Klug", Represents: kl.ID})
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		in   akte.NewParticipant
		want error
	}{
		{"unknown role", akte.NewParticipant{Role: "richter", Name: "x"}, errs.ErrInvalid},
		{"role in German spelling is not a key", akte.NewParticipant{Role: "Kläger", Name: "x"}, errs.ErrInvalid},
		{"name required", akte.NewParticipant{Role: "zeuge", Name: "  "}, errs.ErrInvalid},
		{"control characters in the name", akte.NewParticipant{Role: "zeuge", Name: "a\x00b"}, errs.ErrInvalid},
		{"counsel must represent someone", akte.NewParticipant{Role: "prozessbevollmaechtigter", Name: "RA X"}, errs.ErrInvalid},
		{"counsel of a witness", akte.NewParticipant{Role: "prozessbevollmaechtigter", Name: "RA X", Represents: zeuge.ID}, errs.ErrInvalid},
		{"counsel of nobody in this case", akte.NewParticipant{Role: "prozessbevollmaechtigter", Name: "RA X", Represents: "nope"}, errs.ErrInvalid},
		{"only counsel represents", akte.NewParticipant{Role: "zeuge", Name: "x", Represents: kl.ID}, errs.ErrInvalid},
	}
	for _, tt := range tests {
		if _, err := add(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("%s: AddParticipant = %v, want %v", tt.name, err, tt.want)
		}
	}

	if err := f.svc.RemoveParticipant(ctx, f.sub, c.ID, kl.ID); !errors.Is(err, errs.ErrConflict) {
		t.Errorf("removing a represented party = %v, want ErrConflict", err)
	}
	if _, err := f.svc.UpdateParticipant(ctx, f.sub, c.ID, kl.ID, akte.NewParticipant{Role: "zeuge", Name: "Erika Mustermann"}); !errors.Is(err, errs.ErrConflict) {
		t.Errorf("turning a represented party into a witness = %v, want ErrConflict", err)
	}
	moved, err := f.svc.UpdateParticipant(ctx, f.sub, c.ID, bk.ID, akte.NewParticipant{Role: "beklagter", Name: "Max Beispiel", Address: "Beispielweg 2, 80333 München"})
	if err != nil || moved.Address != "Beispielweg 2, 80333 München" {
		t.Errorf("UpdateParticipant = %+v, %v", moved, err)
	}
	if err := f.svc.RemoveParticipant(ctx, f.sub, c.ID, pb.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RemoveParticipant(ctx, f.sub, c.ID, kl.ID); err != nil {
		t.Errorf("removing a party without counsel = %v", err)
	}
	ps, err := f.svc.Participants(ctx, f.sub, c.ID)
	if err != nil || len(ps) != 2 || ps[0].ID != bk.ID || ps[1].ID != zeuge.ID {
		t.Errorf("Participants = %+v, %v; want Beklagter and Zeuge in order", ps, err)
	}

	// Other Länder see nothing; a reader may look but not change.
	nw := authz.Subject{ID: "nw", Tenant: "DE-NW", Role: authz.Landesadmin}
	if _, err := f.svc.Participants(ctx, nw, c.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("another Land lists participants: %v", err)
	}
	leser := authz.Subject{ID: "l", Tenant: "DE-BY", Role: authz.Leser}
	if _, err := f.svc.Participants(ctx, leser, c.ID); err != nil {
		t.Errorf("reader lists participants: %v", err)
	}
	if _, err := f.svc.AddParticipant(ctx, leser, c.ID, akte.NewParticipant{Role: "zeuge", Name: "x"}); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("reader adds a participant: %v, want ErrForbidden", err)
	}
}
