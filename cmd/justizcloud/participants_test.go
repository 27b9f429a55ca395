// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestParticipantsAPI adds, changes and removes Beteiligte through the API.
func TestParticipantsAPI(t *testing.T) {
	data := t.TempDir()
	srv := startServe(t, data, "--demo=false")
	c := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle")}
	caseID := createCase(t, c)
	base := "/api/v1/cases/" + caseID + "/participants"

	type participant struct {
		ID, Role, Name, Address string
		RoleCode                string `json:"role_code"`
		Represents              *string
	}
	var kl, pb participant
	c.expect(201, "POST", base, jsonBody(map[string]string{"role": "klaeger", "name": "Erika Mustermann", "address": "Musterstraße 1, 80331 München"}), jsonHdr, &kl)
	if kl.RoleCode != "101" {
		t.Errorf("Kläger role_code = %q, want 101 (GDS.Rollenbezeichnung)", kl.RoleCode)
	}
	c.expect(201, "POST", base, jsonBody(map[string]string{"role": "prozessbevollmaechtigter", "name": "RAin Dr. Klug", "represents": kl.ID}), jsonHdr, &pb)
	var pr problemResp
	c.expect(400, "POST", base, jsonBody(map[string]string{"role": "richterin", "name": "x"}), jsonHdr, &pr)
	if !strings.Contains(pr.Detail, `"role"`) {
		t.Errorf("unknown role: detail %q does not name the field", pr.Detail)
	}
	c.expect(409, "DELETE", base+"/"+kl.ID, nil, nil, nil)
	var moved participant
	c.expect(200, "PUT", base+"/"+kl.ID, jsonBody(map[string]string{"role": "klaeger", "name": "Erika Mustermann", "address": "Neue Straße 5"}), jsonHdr, &moved)
	if moved.Address != "Neue Straße 5" {
		t.Errorf("address after PUT = %q", moved.Address)
	}
	var list struct{ Items []participant }
	c.expect(200, "GET", base, nil, nil, &list)
	if len(list.Items) != 2 || list.Items[1].Represents == nil || *list.Items[1].Represents != kl.ID {
		t.Errorf("participants = %+v", list.Items)
	}
	c.expect(204, "DELETE", base+"/"+pb.ID, nil, nil, nil)
	c.expect(204, "DELETE", base+"/"+kl.ID, nil, nil, nil)
	c.expect(404, "DELETE", base+"/"+kl.ID, nil, nil, nil)

	nw := client{t, srv.url, mustToken(t, data, "DE-NW", "landesadmin")}
	nw.expect(404, "GET", base, nil, nil, nil)
	nw.expect(404, "POST", base, jsonBody(map[string]string{"role": "zeuge", "name": "x"}), jsonHdr, nil)
}

// TestFristen computes a Frist through the CLI and the API: both agree.
func TestFristen(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"frist", "--court", "U1308", "--start", "2026-11-04", "--period", "2w"}, func(string) string { return "" }, nil, &out, &out); err != nil {
		t.Fatalf("frist: %v\n%s", err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if lines[0] != "2026-11-19" || !strings.Contains(out.String(), "Buß- und Bettag") {
		t.Errorf("frist at AG Leipzig from 04.11.2026 + 2w printed:\n%s\nwant 2026-11-19 first (18.11. is Buß- und Bettag in Sachsen)", out.String())
	}
	data := t.TempDir()
	srv := startServe(t, data, "--demo=false")
	c := client{t, srv.url, mustToken(t, data, "DE-NW", "leser")}
	var f struct {
		End    string
		RawEnd string `json:"raw_end"`
		Steps  []struct{ Rule string }
	}
	c.expect(200, "GET", "/api/v1/fristen?court=U1308&start=2026-11-04&period=2w", nil, nil, &f)
	if f.End != "2026-11-19" || f.RawEnd != "2026-11-18" || len(f.Steps) < 3 {
		t.Errorf("API Frist = %+v; want raw end 2026-11-18 moved to 2026-11-19 with the reasoning", f)
	}
	for _, q := range []string{"court=XXXX&start=2026-11-04&period=2w", "court=U1308&start=04.11.2026&period=2w", "court=U1308&start=2026-11-04&period=2x", "court=U1308&start=2026-11-04"} {
		var pr problemResp
		c.expect(400, "GET", "/api/v1/fristen?"+q, nil, nil, &pr)
		if pr.Detail == "" {
			t.Errorf("%s: no detail", q)
		}
	}
}
