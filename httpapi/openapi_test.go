// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPIMatchesRoutes checks that every route of the route table is in
// the OpenAPI document and every operation of the document is a route.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	var inDoc []string
	for path, ops := range doc.Paths {
		for method := range ops {
			inDoc = append(inDoc, strings.ToUpper(method)+" "+path)
		}
	}
	var inCode []string
	for _, rt := range New(Deps{}).routes() {
		inCode = append(inCode, rt.method+" "+rt.pattern)
	}
	slices.Sort(inDoc)
	slices.Sort(inCode)
	for _, r := range inCode {
		if !slices.Contains(inDoc, r) {
			t.Errorf("route %s is missing from openapi.json", r)
		}
	}
	for _, r := range inDoc {
		if !slices.Contains(inCode, r) {
			t.Errorf("openapi.json documents %s, which is no route", r)
		}
	}
}

func TestParseReprDigest(t *testing.T) {
	const sha = "X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="
	tests := []struct {
		in      string
		wantLen int
		ok      bool
	}{
		{"", 0, true},
		{"sha-256=:" + sha + ":", 32, true},
		{"sha-512=:AAAA:, sha-256=:" + sha + ":", 32, true},
		{"sha-512=:AAAA:", 0, true},
		{"sha-256=:" + sha + ":;param=1", 32, true},
		{"sha-256=" + sha, 0, false},
		{"sha-256=:not base64!:", 0, false},
		{"sha-256=:AAAA:", 0, false},
		{"=:AAAA:", 0, false},
		{"garbage", 0, false},
	}
	for _, tt := range tests {
		got, err := parseReprDigest(tt.in)
		if (err == nil) != tt.ok || len(got) != tt.wantLen {
			t.Errorf("parseReprDigest(%q) = %d bytes, %v; want %d bytes, ok=%v", tt.in, len(got), err, tt.wantLen, tt.ok)
		}
	}
}

func FuzzParseReprDigest(f *testing.F) {
	for _, s := range []string{"sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", "a=:b:, c=:d:", ":", ",,,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := parseReprDigest(in)
		if err == nil && got != nil && len(got) != 32 {
			t.Fatalf("parseReprDigest(%q) returned %d bytes without error", in, len(got))
		}
	})
}
