// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"strings"
	"testing"
)

// TestAuditedRoutes: every route that touches case data is recorded, and
// auditActions names no route that does not exist.
func TestAuditedRoutes(t *testing.T) {
	prefixes := []string{"/api/v1/cases", "/api/v1/documents", "/api/v1/search", "/api/v1/inbox",
		"/api/v1/wiedervorlagen", "/api/v1/xjustiz"}
	routes := map[string]bool{}
	for _, rt := range New(Deps{}).routes() {
		key := rt.method + " " + rt.pattern
		routes[key] = true
		for _, p := range prefixes {
			if strings.HasPrefix(rt.pattern, p) {
				if _, ok := auditActions[key]; !ok {
					t.Errorf("route %s touches case data but has no audit action", key)
				}
				if !rt.auth {
					t.Errorf("route %s is recorded but not authenticated", key)
				}
			}
		}
	}
	for key := range auditActions {
		if !routes[key] {
			t.Errorf("auditActions names %s, which is no route", key)
		}
	}
}
