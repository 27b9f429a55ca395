// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package audit

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestEncodeDecode(t *testing.T) {
	e := Entry{Seq: 7, Time: time.Date(2026, 11, 27, 13, 55, 1, 123456789, time.FixedZone("CET", 3600)),
		Tenant: "DE-BY", Subject: "tok_1", Role: "richter", Court: "D2601", Action: "document.read",
		Route: "GET /api/v1/documents/{id}", Case: "c1", Document: "d<1>",
		SHA256:  "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		Outcome: Allowed, Status: 200, RequestID: "r1"}
	got, err := Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"action":"document.read","case":"c1","court":"D2601","document":"d\u003c1\u003e",` +
		`"document_sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",` +
		`"outcome":"allowed","request_id":"r1","role":"richter","route":"GET /api/v1/documents/{id}",` +
		`"seq":7,"status":200,"subject":"tok_1","tenant":"DE-BY","time":"2026-11-27T12:55:01.123456Z","v":1}`
	if string(got) != want {
		t.Fatalf("Encode =\n%s\nwant\n%s", got, want)
	}
	back, err := Decode(got)
	if err != nil {
		t.Fatal(err)
	}
	e.Time = time.Date(2026, 11, 27, 12, 55, 1, 123456000, time.UTC)
	if diff := cmp.Diff(e, back); diff != "" {
		t.Errorf("Decode mismatch (-want +got):\n%s", diff)
	}
	for _, bad := range []string{
		want[:len(want)-1] + `,"x":1}`,           // unknown key
		" " + want,                               // whitespace
		`{"v":1}`,                                // missing keys
		want[:len(want)-6] + `"v":2}`,            // other format
		`{"case":"c1","action":"document.read"}`, // unsorted
	} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%q) succeeded", bad)
		}
	}
	for _, bad := range []Entry{{}, {Tenant: "DE-BY", Action: "x", Time: e.Time}, {Tenant: "DE-BY", Action: "x", Time: e.Time, Outcome: Allowed, SHA256: "ABC"}} {
		if _, err := Encode(bad); err == nil {
			t.Errorf("Encode(%+v) succeeded", bad)
		}
	}
}

// TestEncodeVersions: an entry that names a person is version 2 with the
// keys name and user; one without stays version 1, byte for byte as entries
// were stored before version 2, so that old logs still decode and verify.
func TestEncodeVersions(t *testing.T) {
	at := time.Date(2026, 11, 27, 12, 55, 1, 123456000, time.UTC)
	staff := Entry{Seq: 3, Time: at, Tenant: "DE-BY", Subject: "tok_1", Role: "richter", Court: "D2601",
		Action: "case.read", Route: "GET /api/v1/cases/{id}", Case: "c1", Outcome: Allowed, Status: 200}
	v1 := `{"action":"case.read","case":"c1","court":"D2601","document":"","document_sha256":"","outcome":"allowed",` +
		`"request_id":"","role":"richter","route":"GET /api/v1/cases/{id}","seq":3,"status":200,"subject":"tok_1",` +
		`"tenant":"DE-BY","time":"2026-11-27T12:55:01.123456Z","v":1}`
	person := staff
	person.Role, person.Court, person.User, person.Name = "rechtsanwalt", "", "u-42", "Dr. Anna Müller"
	v2 := `{"action":"case.read","case":"c1","court":"","document":"","document_sha256":"","name":"Dr. Anna Müller",` +
		`"outcome":"allowed","request_id":"","role":"rechtsanwalt","route":"GET /api/v1/cases/{id}","seq":3,"status":200,` +
		`"subject":"tok_1","tenant":"DE-BY","time":"2026-11-27T12:55:01.123456Z","user":"u-42","v":2}`
	userOnly := staff
	userOnly.User = "u-7"
	for _, tt := range []struct {
		e    Entry
		want string
	}{{staff, v1}, {person, v2}, {userOnly, ""}} {
		got, err := Encode(tt.e)
		if err != nil {
			t.Fatal(err)
		}
		if tt.want != "" && string(got) != tt.want {
			t.Errorf("Encode =\n%s\nwant\n%s", got, tt.want)
		}
		back, err := Decode(got)
		if err != nil {
			t.Fatalf("Decode(%s) = %v", got, err)
		}
		if diff := cmp.Diff(tt.e, back); diff != "" {
			t.Errorf("Decode mismatch (-want +got):\n%s", diff)
		}
	}
	for _, bad := range []string{
		v1[:len(v1)-6] + `"user":"","v":2}`,                     // version 2 without a person: not canonical
		v1[:len(v1)-6] + `"user":"u","v":1}`,                    // user in version 1
		v2[:len(v2)-6] + `"v":1}`,                               // version 1 with a person
		strings.Replace(v2, `"name":"Dr. Anna Müller",`, "", 1), // version 2 without name
	} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%s) succeeded", bad)
		}
	}
}

func TestOutcomeOf(t *testing.T) {
	for status, want := range map[int]Outcome{200: Allowed, 201: Allowed, 206: Allowed, 304: Allowed, 400: Failed, 401: Denied, 403: Denied, 404: Denied, 409: Failed, 500: Failed} {
		if got := OutcomeOf(status); got != want {
			t.Errorf("OutcomeOf(%d) = %s, want %s", status, got, want)
		}
	}
}

func TestCheckpointSignature(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "audit-key.pem")
	s, err := OpenFileSigner(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v, %v; want 0600", fi.Mode(), err)
	}
	again, err := OpenFileSigner(path)
	if err != nil || !again.Public().Equal(s.Public()) {
		t.Fatalf("reopened key differs: %v", err)
	}
	if pub, err := ReadPublicKey(path); err != nil || !pub.Equal(s.Public()) {
		t.Fatalf("ReadPublicKey = %v", err)
	}
	c, err := Sign(ctx, s, Checkpoint{Tenant: "DE-BY", Size: 42, Root: HashLeaf([]byte("x")), Time: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyCheckpoint(c, s.Public()); err != nil {
		t.Fatalf("VerifyCheckpoint = %v", err)
	}
	for name, mut := range map[string]func(*Checkpoint){
		"size":      func(c *Checkpoint) { c.Size++ },
		"tenant":    func(c *Checkpoint) { c.Tenant = "DE-NW" },
		"root":      func(c *Checkpoint) { c.Root[3] ^= 1 },
		"time":      func(c *Checkpoint) { c.Time = c.Time.Add(time.Microsecond) },
		"signature": func(c *Checkpoint) { c.Signature = append([]byte(nil), c.Signature...); c.Signature[0] ^= 0x80 },
	} {
		bad := c
		mut(&bad)
		if err := VerifyCheckpoint(bad, s.Public()); err == nil {
			t.Errorf("checkpoint with changed %s verified", name)
		}
	}
	other, _ := OpenFileSigner(filepath.Join(t.TempDir(), "other.pem"))
	if err := VerifyCheckpoint(c, other.Public()); err == nil {
		t.Error("checkpoint verified with another key")
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenFileSigner(path); err == nil {
		t.Error("OpenFileSigner accepted a key file readable by others")
	}
}
