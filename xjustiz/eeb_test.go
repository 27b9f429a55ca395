// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"justizcloud/errs"
)

func mustEEB(t *testing.T, v *Validator, doc []byte) (*EEB, error) {
	t.Helper()
	rep, err := v.Validate(doc)
	if err != nil {
		t.Fatal(err)
	}
	return ParseEEB(doc, rep)
}

// TestParseEEBSamples reads every eEB of the shared samples, in 2.4.0 and
// 3.2.1: which message is acknowledged, when, by whom.
func TestParseEEBSamples(t *testing.T) {
	v := mustValidator(t)
	no := false
	day := time.Date(2019, 5, 28, 0, 0, 0, 0, time.UTC)
	base := EEB{
		MessageID: "55d426ec-ff16-48ac-837e-a2f8ba79a061", Acknowledges: "5558aeab-4b75-44db-80e5-7219da4751a2",
		Created: "2019-05-28T14:09:07.417", SenderAktenzeichen: "Testaktenzeichen Empfaenger",
		RecipientAktenzeichen: "12345BG1234567 987654321", Received: day, RecipientDiffers: &no,
	}
	with := func(version string, sender, recipient Party) EEB {
		e := base
		e.Version, e.Sender, e.Recipient = version, sender, recipient
		return e
	}
	court := Party{Court: "A1001S"}
	other := Party{Name: "Testempfaenger-Sonstige"}
	tests := []struct {
		file string
		want EEB
	}{
		{"eeb1_v2_4.xml", with("2.4.0", other, court)},
		{"eeb1_v3_2.xml", with("3.2.1", other, court)},
		{"eeb2_v2_4.xml", with("2.4.0", court, other)},
		{"eeb2_v3_2.xml", with("3.2.1", court, other)},
		{"eeb4_v2_4.xml", with("2.4.0", court, Party{Name: "RV-Traeger: 15"})},
		{"eeb4_v3_2.xml", with("3.2.1", court, Party{Name: "rvTraeger 15"})},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc, err := os.ReadFile(filepath.Join("testdata/samples/valid", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := mustEEB(t, v, doc)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, *got); diff != "" {
				t.Errorf("ParseEEB mismatch (-want +got):\n%s", diff)
			}
		})
	}
	// A GDS message is no eEB.
	doc, err := os.ReadFile("testdata/samples/synthetic/minimal_uebermittlungSchriftgutobjekte_3.6.2.xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mustEEB(t, v, doc); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("ParseEEB of a GDS message = %v, want ErrInvalid", err)
	}
}

// TestMarshalEEB writes 3.6.2 eEBs (a confirmation and a Störungsmeldung),
// validates them and reads them back unchanged.
func TestMarshalEEB(t *testing.T) {
	v := mustValidator(t)
	yes := true
	created := time.Date(2026, 5, 4, 7, 15, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   EEB
	}{
		{"received", EEB{
			MessageID: "0a1b2c3d-0000-4000-8000-000000000001", Acknowledges: "3f1c2a9e-6b7d-4c1e-9a55-0d2e8b7f4c11",
			Sender: Party{Name: "Kanzlei Beispiel Rechtsanwälte"}, Recipient: Party{Court: "R3306"},
			SenderAktenzeichen: "KB-2026-0042", RecipientAktenzeichen: "12 C 2/26",
			Received: time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC), RecipientDiffers: &yes,
		}},
		{"refused", EEB{
			MessageID: "0a1b2c3d-0000-4000-8000-000000000002", Acknowledges: "3f1c2a9e-6b7d-4c1e-9a55-0d2e8b7f4c11",
			Sender: Party{Name: "Kanzlei Beispiel Rechtsanwälte"}, Recipient: Party{Court: "R3306"},
			Refusal: &EEBRefusal{Code: "2", Reason: "Anlage K3 fehlt <leer> & unlesbar"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := MarshalEEB(tt.in, created)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := v.Validate(doc)
			if err != nil || !rep.Valid() {
				t.Fatalf("the eEB does not validate: %v %+v\n%s", err, rep, doc)
			}
			if rep.Version != "3.6.2" || rep.Root != "nachricht.eeb.zuruecklaufend.2200007" {
				t.Errorf("report = %s %s", rep.Version, rep.Root)
			}
			got, err := ParseEEB(doc, rep)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.in
			want.Version, want.Created = "3.6.2", "2026-05-04T07:15:00Z"
			if diff := cmp.Diff(want, *got); diff != "" {
				t.Errorf("ParseEEB(MarshalEEB(e)) mismatch (-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []EEB{
		{Received: created}, // no message acknowledged
		{Acknowledges: "x"}, // neither day nor fault
		{Acknowledges: "x", Received: created, Refusal: &EEBRefusal{Code: "1"}}, // both
	} {
		if _, err := MarshalEEB(bad, created); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("MarshalEEB(%+v) = %v, want ErrInvalid", bad, err)
		}
	}
	// A code the list does not have does not validate.
	doc, _ := MarshalEEB(EEB{Acknowledges: "3f1c2a9e-6b7d-4c1e-9a55-0d2e8b7f4c11", Refusal: &EEBRefusal{Code: "9"}}, created)
	if rep, err := v.Validate(doc); err != nil || rep.Valid() {
		t.Errorf("eEB with Störungs-ID 9 validated: %v", err)
	}
}
