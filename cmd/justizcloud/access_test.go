// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

type idResp struct{ ID string }

type listResp struct{ Items []idResp }

func (l listResp) ids() []string {
	out := []string{}
	for _, it := range l.Items {
		out = append(out, it.ID)
	}
	return out
}

// TestAccessByRelation walks the relationship rules through the real server:
// participants' accounts, an organisation's counsel, restricted documents,
// Akteneinsicht grants with revocation, judge assignment, a share with
// another Land's court and a disabled account.
func TestAccessByRelation(t *testing.T) {
	data := t.TempDir()
	srv := startServe(t, data, "--demo=false")
	admin := client{t, srv.url, mustToken(t, data, "DE-BY", "landesadmin")}
	gs := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle", "--court", "D2601")}

	newUser := func(body map[string]string) string {
		var u idResp
		admin.expect(201, "POST", "/api/v1/users", jsonBody(body), jsonHdr, &u)
		return u.ID
	}
	judge := newUser(map[string]string{"role": "richter", "tenant": "DE-BY", "court": "D2601", "name": "Dr. Recht"})
	erika := newUser(map[string]string{"role": "buerger", "name": "Erika Mustermann", "email": "erika@example.org"})
	anwalt := newUser(map[string]string{"role": "rechtsanwalt", "name": "RAin Klug", "org": "kanzlei-klug"})
	max := newUser(map[string]string{"role": "buerger", "name": "Max Muster"})
	admin.expect(409, "POST", "/api/v1/users", jsonBody(map[string]string{"role": "buerger", "name": "E2", "email": "Erika@example.org"}), jsonHdr, nil)
	admin.expect(400, "POST", "/api/v1/users", jsonBody(map[string]string{"role": "richter", "tenant": "DE-BY", "name": "no court"}), jsonHdr, nil)
	userClient := func(id string) client {
		return client{t, srv.url, mustToken(t, data, "", "", "--user", id)}
	}

	caseA, caseB := createCase(t, gs), createCase(t, gs)
	var doc1, doc2 idResp
	gs.expect(201, "POST", "/api/v1/cases/"+caseA+"/documents", strings.NewReader("%PDF-1.7 Klage"), docHdr("klage.pdf", nil), &doc1)
	gs.expect(201, "POST", "/api/v1/cases/"+caseA+"/documents?restricted=true", strings.NewReader("%PDF-1.7 Sonderheft"), docHdr("sonderheft.pdf", nil), &doc2)
	var kl idResp
	gs.expect(201, "POST", "/api/v1/cases/"+caseA+"/participants", jsonBody(map[string]string{"role": "klaeger", "name": "Erika Mustermann", "account": "user:" + erika}), jsonHdr, &kl)
	gs.expect(201, "POST", "/api/v1/cases/"+caseA+"/participants", jsonBody(map[string]string{"role": "prozessbevollmaechtigter", "name": "RAin Klug", "represents": kl.ID, "account": "org:kanzlei-klug"}), jsonHdr, nil)
	gs.expect(400, "POST", "/api/v1/cases/"+caseA+"/participants", jsonBody(map[string]string{"role": "zeuge", "name": "x", "account": "root"}), jsonHdr, nil)

	// The party and her counsel's firm see exactly proceeding A, without the restricted document.
	for name, c := range map[string]client{"party": userClient(erika), "counsel": userClient(anwalt)} {
		var cases, docs listResp
		c.expect(200, "GET", "/api/v1/cases", nil, nil, &cases)
		if !slices.Equal(cases.ids(), []string{caseA}) {
			t.Errorf("%s lists cases %v, want only %s", name, cases.ids(), caseA)
		}
		c.expect(200, "GET", "/api/v1/cases/"+caseA+"/documents", nil, nil, &docs)
		if !slices.Equal(docs.ids(), []string{doc1.ID}) {
			t.Errorf("%s lists documents %v, want only the unrestricted %s", name, docs.ids(), doc1.ID)
		}
		c.expect(200, "GET", "/api/v1/documents/"+doc1.ID+"/content", nil, nil, nil)
		c.expect(404, "GET", "/api/v1/documents/"+doc2.ID, nil, nil, nil)
		c.expect(404, "GET", "/api/v1/cases/"+caseB, nil, nil, nil)
		c.expect(403, "PUT", "/api/v1/cases/"+caseA+"/hold", jsonBody(map[string]string{"reason": "x"}), jsonHdr, nil)
		c.expect(403, "POST", "/api/v1/cases/"+caseA+"/documents?restricted=true", strings.NewReader("%PDF-1.7"), docHdr("x.pdf", nil), nil)
	}
	party := userClient(erika)
	party.expect(201, "POST", "/api/v1/cases/"+caseA+"/documents", strings.NewReader("%PDF-1.7 Replik"), docHdr("replik.pdf", nil), nil)
	var me struct{ User, Role string }
	party.expect(200, "GET", "/api/v1/me", nil, nil, &me)
	if me.User != erika || me.Role != "buerger" {
		t.Errorf("/me = %+v", me)
	}

	// A stranger sees nothing until granted Akteneinsicht in one document; revocation counts at once.
	stranger := userClient(max)
	var none listResp
	stranger.expect(200, "GET", "/api/v1/cases", nil, nil, &none)
	if len(none.Items) != 0 {
		t.Errorf("stranger lists %v", none.ids())
	}
	stranger.expect(404, "GET", "/api/v1/cases/"+caseA, nil, nil, nil)
	in1h := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	gs.expect(400, "POST", "/api/v1/cases/"+caseA+"/access", jsonBody(map[string]any{"relation": "einsicht", "holder": "user:" + max}), jsonHdr, nil)
	gs.expect(400, "POST", "/api/v1/cases/"+caseA+"/access", jsonBody(map[string]any{"relation": "einsicht", "holder": "user:nobody", "expires_at": in1h}), jsonHdr, nil)
	var grant idResp
	gs.expect(201, "POST", "/api/v1/cases/"+caseA+"/access", jsonBody(map[string]any{"relation": "einsicht", "holder": "user:" + max,
		"documents": []string{doc1.ID}, "expires_at": in1h, "note": "Akteneinsicht § 299 Abs. 2 ZPO"}), jsonHdr, &grant)
	var docs listResp
	stranger.expect(200, "GET", "/api/v1/cases/"+caseA+"/documents", nil, nil, &docs)
	if !slices.Equal(docs.ids(), []string{doc1.ID}) {
		t.Errorf("inspector lists documents %v, want %s", docs.ids(), doc1.ID)
	}
	stranger.expect(403, "POST", "/api/v1/cases/"+caseA+"/documents", strings.NewReader("%PDF-1.7"), docHdr("x.pdf", nil), nil)
	party.expect(403, "DELETE", "/api/v1/cases/"+caseA+"/access/"+grant.ID, nil, nil, nil)
	gs.expect(200, "DELETE", "/api/v1/cases/"+caseA+"/access/"+grant.ID, nil, nil, nil)
	gs.expect(409, "DELETE", "/api/v1/cases/"+caseA+"/access/"+grant.ID, nil, nil, nil)
	stranger.expect(404, "GET", "/api/v1/cases/"+caseA, nil, nil, nil)
	gs.expect(409, "DELETE", "/api/v1/cases/"+caseA+"/access/participant:"+kl.ID, nil, nil, nil)

	// The judge: only a richter of the tenant can be assigned.
	gs.expect(400, "PUT", "/api/v1/cases/"+caseA+"/judge", jsonBody(map[string]string{"user": erika}), jsonHdr, nil)
	gs.expect(200, "PUT", "/api/v1/cases/"+caseA+"/judge", jsonBody(map[string]string{"user": judge}), jsonHdr, nil)
	party.expect(403, "PUT", "/api/v1/cases/"+caseA+"/judge", jsonBody(map[string]string{"user": judge}), jsonHdr, nil)

	// Shared with a court of North Rhine-Westphalia: its staff read the whole file.
	nwCourt := client{t, srv.url, mustToken(t, data, "DE-NW", "geschaeftsstelle", "--court", "R3306")}
	nwCourt.expect(404, "GET", "/api/v1/cases/"+caseA, nil, nil, nil)
	gs.expect(201, "POST", "/api/v1/cases/"+caseA+"/access", jsonBody(map[string]any{"relation": "geteilt", "court": "R3306", "note": "Rechtshilfe"}), jsonHdr, nil)
	nwCourt.expect(200, "GET", "/api/v1/cases/"+caseA, nil, nil, nil)
	nwCourt.expect(200, "GET", "/api/v1/documents/"+doc2.ID, nil, nil, nil)
	nwCourt.expect(403, "POST", "/api/v1/cases/"+caseA+"/documents", strings.NewReader("%PDF-1.7"), docHdr("x.pdf", nil), nil)
	nwCourt.expect(404, "GET", "/api/v1/cases/"+caseB, nil, nil, nil)
	// The Land whose file it is sees in its own audit log who of the other Land read it.
	var alog struct {
		Items []struct{ Role, Court, Action string }
	}
	gs.expect(200, "GET", "/api/v1/cases/"+caseA+"/access-log", nil, nil, &alog)
	if !slices.ContainsFunc(alog.Items, func(it struct{ Role, Court, Action string }) bool {
		return it.Court == "R3306" && it.Action == "document.read"
	}) {
		t.Errorf("the Bavarian access log lacks the read by the court in North Rhine-Westphalia: %+v", alog.Items)
	}
	var rels struct {
		Items []struct{ Relation, Holder string }
	}
	gs.expect(200, "GET", "/api/v1/cases/"+caseA+"/access", nil, nil, &rels)
	var got []string
	for _, r := range rels.Items {
		got = append(got, r.Relation+" "+r.Holder)
	}
	for _, want := range []string{"beteiligt user:" + erika, "beteiligt org:kanzlei-klug", "einsicht user:" + max, "richter user:" + judge, "geteilt court:R3306"} {
		if !slices.Contains(got, want) {
			t.Errorf("access list %v lacks %q", got, want)
		}
	}

	// A disabled account's token stops at once.
	admin.expect(200, "PATCH", "/api/v1/users/"+erika, jsonBody(map[string]bool{"disabled": true}), jsonHdr, nil)
	party.expect(401, "GET", "/api/v1/cases", nil, nil, nil)
	gs.expect(403, "PATCH", "/api/v1/users/"+erika, jsonBody(map[string]bool{"disabled": false}), jsonHdr, nil)
}

// TestPartyFiresEvents: a defendant logged in with their own account answers
// in their own role, which the procedure definition checks; the claimant may
// not fire the defendant's events; a stranger sees nothing.
func TestPartyFiresEvents(t *testing.T) {
	data := t.TempDir()
	srv := startServe(t, data, "--demo=false")
	admin := client{t, srv.url, mustToken(t, data, "DE-BY", "landesadmin")}
	gs := client{t, srv.url, mustToken(t, data, "DE-BY", "geschaeftsstelle", "--court", "D2601")}
	var erika, bernd idResp
	admin.expect(201, "POST", "/api/v1/users", jsonBody(map[string]string{"role": "buerger", "name": "Erika Mustermann"}), jsonHdr, &erika)
	admin.expect(201, "POST", "/api/v1/users", jsonBody(map[string]string{"role": "buerger", "name": "Bernd Beispiel"}), jsonHdr, &bernd)
	var c idResp
	gs.expect(201, "POST", "/api/v1/cases", jsonBody(map[string]string{"court": "D2601", "register": "C", "procedure": "zivil-online", "subject": "Kaufpreis"}), jsonHdr, &c)
	base := "/api/v1/cases/" + c.ID
	gs.expect(201, "POST", base+"/participants", jsonBody(map[string]string{"role": "klaeger", "name": "Erika Mustermann", "account": "user:" + erika.ID}), jsonHdr, nil)
	gs.expect(201, "POST", base+"/participants", jsonBody(map[string]string{"role": "beklagter", "name": "Bernd Beispiel", "account": "user:" + bernd.ID}), jsonHdr, nil)
	gs.expect(200, "POST", base+"/events", jsonBody(map[string]any{"event": "eintragung"}), jsonHdr, nil)
	var zn idResp
	gs.expect(201, "POST", base+"/documents?class=Zustellungsnachweis", strings.NewReader("%PDF-1.7 ZN"), docHdr("zn.pdf", nil), &zn)
	gs.expect(200, "POST", base+"/events", jsonBody(map[string]any{"event": "zustellung", "documents": []string{zn.ID}}), jsonHdr, nil)

	claimant := client{t, srv.url, mustToken(t, data, "", "", "--user", erika.ID)}
	defendant := client{t, srv.url, mustToken(t, data, "", "", "--user", bernd.ID)}
	var st struct {
		Role    string
		Allowed []struct{ Name string }
	}
	defendant.expect(200, "GET", base+"/history", nil, nil, &st)
	if st.Role != "beklagter" || len(st.Allowed) == 0 {
		t.Errorf("defendant's status: role %q, allowed %v", st.Role, st.Allowed)
	}
	var sz idResp
	defendant.expect(201, "POST", base+"/documents?class=Schriftsatz", strings.NewReader("%PDF-1.7 Verteidigungsanzeige"), docHdr("anzeige.pdf", nil), &sz)
	claimant.expect(403, "POST", base+"/events", jsonBody(map[string]any{"event": "verteidigungsanzeige", "documents": []string{sz.ID}}), jsonHdr, nil)
	defendant.expect(200, "POST", base+"/events", jsonBody(map[string]any{"event": "verteidigungsanzeige", "documents": []string{sz.ID}}), jsonHdr, nil)
	defendant.expect(403, "POST", base+"/events", jsonBody(map[string]any{"event": "urteil"}), jsonHdr, nil)
	var hist struct{ Events []struct{ Name, Role string } }
	gs.expect(200, "GET", base+"/history", nil, nil, &hist)
	if n := len(hist.Events); n != 3 || hist.Events[2].Role != "beklagter" {
		t.Errorf("history = %+v, want the third event fired as beklagter", hist.Events)
	}
}
