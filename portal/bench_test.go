// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package portal

import (
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"justizcloud/akte"
	"justizcloud/blob"
	"justizcloud/interview"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
)

// benchPortal is a portal whose rendering works without storage.
func benchPortal(b *testing.B) *Portal {
	b.Helper()
	cat, err := tenancy.LoadCatalog()
	if err != nil {
		b.Fatal(err)
	}
	procs, err := verfahren.NewRegistry()
	if err != nil {
		b.Fatal(err)
	}
	reg, err := interview.NewRegistry(procs, cat)
	if err != nil {
		b.Fatal(err)
	}
	a, err := NewAssets()
	if err != nil {
		b.Fatal(err)
	}
	p, err := New(Deps{Akte: &akte.Service{}, Verfahren: &verfahren.Service{}, Interviews: reg, Catalog: cat,
		Drafts: struct{ DraftStore }{}, Blobs: struct{ blob.Store }{}, Assets: a})
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkRenderPage renders interview pages from answers: the engine
// (shown fields, computed values, court proposals), the template and gzip;
// without the draft's load from storage (TestPortalBudget in
// cmd/justizcloud measures that through the server). It reports the p99 of
// the single renders.
func BenchmarkRenderPage(b *testing.B) {
	p := benchPortal(b)
	answers := interview.Answers{"hinweise_gelesen": {Value: "true"}, "klaeger_vorname": {Value: "Erika"}, "beklagter_ort": {Value: "Frankfurt am Main"},
		"forderung": {Value: "123456"}, "forderung_grund": {Value: "werklohn"}}
	for _, tc := range []struct{ name, page string }{
		{"geld-einklagen", "klaeger"}, {"geld-einklagen", "gericht"}, {"geld-einklagen", "kosten"}, {"fluggastrechte", "flug"},
	} {
		b.Run(tc.name+"/"+tc.page, func(b *testing.B) {
			d, err := p.d.Interviews.Get(tc.name)
			if err != nil {
				b.Fatal(err)
			}
			pg, _ := d.Page(tc.page)
			times := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			for b.Loop() {
				start := time.Now()
				r := httptest.NewRequest("GET", "/antrag/"+tc.name+"/seite/"+tc.page, nil)
				r.Header.Set("Accept-Encoding", "gzip")
				w := httptest.NewRecorder()
				p.renderPage(w, r, 200, d, pg, answers, nil, false)
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
