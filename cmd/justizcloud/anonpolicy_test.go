// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"slices"
	"strings"
	"testing"
)

type anonPolicyResp struct {
	Tenant    string
	Replace   []string
	Default   bool
	UpdatedAt string `json:"updated_at"`
	UpdatedBy string `json:"updated_by"`
	Kinds     []struct{ Kind, Label string }
}

var defaultKinds = []string{"PER", "AN", "ST", "STR", "EMAIL", "PHONE", "IBAN", "BIRTHDATE", "PLATE", "TAXID", "SOCIALSECURITY", "ADDRESS"}

// judgeReplaced pseudonymizes a text naming a judge with c's token and
// reports whether the judge's name was replaced.
func judgeReplaced(t *testing.T, c client) bool {
	t.Helper()
	var out struct {
		Text  string
		Spans []struct{ Kind, Text, Replacement string }
	}
	c.expect(200, "POST", "/api/v1/services/anonymize", strings.NewReader("Richter am Amtsgericht Dr. Hofmann hörte Herrn Müller an."),
		map[string]string{"Content-Type": "text/plain; charset=utf-8"}, &out)
	judges := 0
	for _, s := range out.Spans {
		if s.Kind == "RR" {
			judges++
			if s.Replacement != "" {
				return true
			}
		}
	}
	if judges == 0 {
		t.Fatalf("no judge found in %q: %+v", out.Text, out.Spans)
	}
	return false
}

// TestAnonPolicyEndpoint: a Landesadmin of DE-BY chooses a policy that
// also replaces judges; DE-BY's texts lose the judge's name at once, DE-BE's
// keep it; staff may read the policy but not change it; unknown kinds are
// refused; a reset brings back the default.
func TestAnonPolicyEndpoint(t *testing.T) {
	data := t.TempDir()
	srv := startServe(t, data)
	byAdmin := client{t: t, base: srv.url, token: mustToken(t, data, "DE-BY", "landesadmin")}
	byClerk := client{t: t, base: srv.url, token: mustToken(t, data, "DE-BY", "geschaeftsstelle")}
	beJudge := client{t: t, base: srv.url, token: mustToken(t, data, "DE-BE", "richter")}
	const path = "/api/v1/services/anonymize/policy"

	var p anonPolicyResp
	byClerk.expect(200, "GET", path, nil, nil, &p)
	if !p.Default || p.Tenant != "DE-BY" || !slices.Equal(p.Replace, defaultKinds) || p.UpdatedBy != "" || len(p.Kinds) != 27 {
		t.Errorf("GET before any change = %+v, want the default of DE-BY with 27 kinds", p)
	}
	for _, k := range p.Kinds {
		if k.Kind == "RR" && k.Label != "Richterinnen und Richter" {
			t.Errorf("label of RR = %q", k.Label)
		}
	}
	if judgeReplaced(t, byClerk) {
		t.Error("the default policy replaced the judge")
	}

	withJudges := append([]string{"RR"}, defaultKinds...)
	byClerk.expect(403, "PUT", path, jsonBody(map[string]any{"replace": withJudges}), jsonHdr, nil)
	byClerk.expect(403, "DELETE", path, nil, nil, nil)
	for _, body := range []string{`{"replace":["PER","XX"]}`, `{"replace":["per"]}`, `{"replace":"PER"}`, `{}`, `{"replace":[],"x":1}`, `{"replace":["RR","EMAIL"]}`, `{"replace":[]}`} {
		byAdmin.expect(400, "PUT", path, strings.NewReader(body), jsonHdr, nil)
	}
	byAdmin.expect(400, "PUT", path, strings.NewReader(`{"replace":["PER"]}`), map[string]string{"Content-Type": "text/plain"}, nil)

	byAdmin.expect(200, "PUT", path, jsonBody(map[string]any{"replace": append(withJudges, "RR")}), jsonHdr, &p)
	want := slices.Insert(slices.Clone(defaultKinds), 1, "RR") // in the order of the kinds
	if p.Default || !slices.Equal(p.Replace, want) || p.UpdatedBy == "" || p.UpdatedAt == "" {
		t.Errorf("PUT = %+v, want %v, not the default, with author and time", p, want)
	}
	if !judgeReplaced(t, byClerk) {
		t.Error("DE-BY's policy does not replace the judge")
	}
	if judgeReplaced(t, beJudge) {
		t.Error("DE-BY's policy applied to DE-BE")
	}
	byClerk.expect(200, "GET", path, nil, nil, &p)
	if p.Default || !slices.Equal(p.Replace, want) {
		t.Errorf("GET after PUT = %+v", p)
	}
	beJudge.expect(200, "GET", path, nil, nil, &p)
	if !p.Default || p.Tenant != "DE-BE" {
		t.Errorf("DE-BE's policy = %+v, want the default", p)
	}

	byAdmin.expect(204, "DELETE", path, nil, nil, nil)
	byAdmin.expect(204, "DELETE", path, nil, nil, nil)
	byClerk.expect(200, "GET", path, nil, nil, &p)
	if !p.Default || !slices.Equal(p.Replace, defaultKinds) {
		t.Errorf("GET after DELETE = %+v, want the default", p)
	}
	if judgeReplaced(t, byClerk) {
		t.Error("the judge is still replaced after the reset")
	}

	// Every PUT and DELETE is in DE-BY's audit log, refused ones too: 2
	// refused for the clerk, 8 invalid, 1 set, 2 resets.
	var cp checkpointResp
	byAdmin.expect(200, "GET", "/api/v1/audit/checkpoint", nil, nil, &cp)
	if cp.Tenant != "DE-BY" || cp.Size != 13 {
		t.Errorf("checkpoint = %+v, want DE-BY with 13 entries", cp)
	}
	anonymous := client{t: t, base: srv.url}
	anonymous.expect(401, "GET", path, nil, nil, nil)
}

// TestAnonPolicyCLI: anon policy set, show and reset against the store.
func TestAnonPolicyCLI(t *testing.T) {
	data := t.TempDir()
	out, _, err := runAnonArgs(t, "", "policy", "show", "--data", data)
	if err != nil || !strings.Contains(out, "every tenant has the default policy") {
		t.Errorf("show with no policies = %q, %v", out, err)
	}
	out, _, err = runAnonArgs(t, "", "policy", "set", "--data", data, "--tenant", "DE-BY", "--replace", "rr, PER,RR")
	if err != nil || !strings.Contains(out, "DE-BY  PER,RR  set by cli at ") {
		t.Errorf("set = %q, %v", out, err)
	}
	out, _, err = runAnonArgs(t, "", "policy", "show", "--data", data, "--tenant", "DE-BY")
	if err != nil || !strings.Contains(out, "DE-BY  PER,RR  set by cli") {
		t.Errorf("show --tenant DE-BY = %q, %v", out, err)
	}
	if out, _, err = runAnonArgs(t, "", "policy", "show", "--data", data); err != nil || !strings.Contains(out, "DE-BY  PER,RR") {
		t.Errorf("show = %q, %v", out, err)
	}
	for _, args := range [][]string{
		{"set", "--data", data, "--tenant", "DE-HB", "--replace", "none"}, // persons are always replaced
		{"set", "--data", data, "--tenant", "DE-HB", "--replace", "RR,EMAIL"},
		{"set", "--data", data, "--tenant", "DE-BY", "--replace", "PER,XX"},
		{"set", "--data", data, "--tenant", "DE-BY"},
		{"set", "--data", data, "--tenant", "DE-XX", "--replace", "PER"},
		{"reset", "--data", data},
		{"frobnicate"},
	} {
		if _, _, err := runAnonArgs(t, "", append([]string{"policy"}, args...)...); err == nil {
			t.Errorf("anon policy %v succeeded", args)
		}
	}
	if out, _, err = runAnonArgs(t, "", "policy", "reset", "--data", data, "--tenant", "DE-BY"); err != nil || out != "DE-BY: default policy\n" {
		t.Errorf("reset = %q, %v", out, err)
	}
	out, _, err = runAnonArgs(t, "", "policy", "show", "--data", data, "--tenant", "DE-BY")
	if err != nil || !strings.Contains(out, "DE-BY  "+strings.Join(defaultKinds, ",")+"  default") {
		t.Errorf("show after reset = %q, %v", out, err)
	}
	if out, _, err := runAnonArgs(t, "", "policy", "--help"); err != nil || !strings.Contains(out, "Richterinnen und Richter") {
		t.Errorf("policy --help = %q, %v", out, err)
	}
}

// FuzzParseKinds: parseKinds never panics; what it accepts is a valid
// policy that reads back the same from its own printed form.
func FuzzParseKinds(f *testing.F) {
	for _, s := range []string{"PER,RR", " rr , per ", "none", "", ",", "PER,,RR", "X", "EMAIL,ADDRESS,SOCIALSECURITY", "ß,PER"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseKinds(s)
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("parseKinds(%q) = %v, invalid: %v", s, p.Replace, err)
		}
		parts := make([]string, len(p.Replace))
		for i, k := range p.Replace {
			parts[i] = string(k)
		}
		printed := strings.Join(parts, ",")
		again, err := parseKinds(printed)
		if err != nil || !slices.Equal(again.Replace, p.Replace) {
			t.Fatalf("parseKinds(%q) = %v, but its printed form %q reads %v, %v", s, p.Replace, printed, again.Replace, err)
		}
	})
}
