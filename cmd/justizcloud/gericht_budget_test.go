// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCourtPageBudget measures the court's case page of a file with 500
// documents (small PDFs) through the real server on the embedded default:
// p50 and p99 of 5 rounds of 200 GETs of the first page of the eAkte (50
// documents with their page counts), as the clerk, and the bytes on the
// wire with the stylesheets and fonts, gzip as a browser accepts it. The
// transfer budget (< 100 KB) is always checked; the latency budget (p99 <
// 100 ms on the best round) only with JUSTIZCLOUD_PORTAL_BUDGET=1, as a
// shared machine's load makes it noisy (as TestPortalBudget). The first
// GET, which counts the pages of 50 PDFs, is reported apart.
// docs/benchmarks.md reports a run.
func TestCourtPageBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("files 500 documents and measures 1,000 requests")
	}
	srv := startServe(t, t.TempDir())
	id, _, _, _, _ := courtClaim(t, srv, "Akte mit 500 Dokumenten")
	gsAPI := client{t, srv.url, mustToken(t, srv.data, "DE-BY", "geschaeftsstelle", "--court", "D2601")}
	t0 := time.Now()
	for i := 2; i <= 500; i++ {
		body := classPDF(t, fmt.Sprintf("Anlage K%d", i), fmt.Sprintf("Anlage K%d zur Klage, Seite 1 von 1.", i))
		gsAPI.expect(201, "POST", "/api/v1/cases/"+id+"/documents?class=Anlage", bytes.NewReader(body), docHdr(fmt.Sprintf("anlage-k%03d.pdf", i), nil), nil)
	}
	t.Logf("filed 499 documents in %v", time.Since(t0).Round(time.Millisecond))
	gs := demoSession(t, srv.url, "usr_demo_gs")
	raw := &http.Client{Jar: gs.c.Jar, Transport: &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (int, string, string) {
		req, _ := http.NewRequest("GET", srv.url+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := raw.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s = %d", path, resp.StatusCode)
		}
		return len(b), resp.Header.Get("Content-Encoding"), string(b)
	}
	path := "/gericht/verfahren/" + id
	start := time.Now()
	get(path)
	cold := time.Since(start)
	_, page := gs.get(200, path)
	if !strings.Contains(page, "eAkte: Dokumente (500)") || !strings.Contains(page, "Seite 1 von 10") {
		t.Fatalf("the case page does not show 500 documents on 10 pages:\n%s", pageText(page))
	}
	if n := strings.Count(page, `<td class="kern-table__cell">1</td><td class="kern-table__cell">`); n < 49 {
		t.Errorf("%d documents with a page count of 1, want 49 (and the Klage)", n)
	}
	assets := 0
	for _, a := range regexp.MustCompile(`href="(/assets/[^"]+\.css)"`).FindAllStringSubmatch(page, -1) {
		n, _, _ := get(a[1])
		assets += n
	}
	fonts := regexp.MustCompile(`/assets/[0-9a-f]+/`).FindString(page)
	for _, f := range []string{"fonts/FiraSans-Regular-subset.woff2", "fonts/FiraSans-SemiBold-subset.woff2"} {
		n, _, _ := get(fonts + f)
		assets += n
	}
	var report strings.Builder
	for _, p := range []string{path, path + "?seite=10", "/gericht"} {
		n, enc, _ := get(p)
		var p50s, p99s []time.Duration
		for range 5 {
			var ds []time.Duration
			for range 200 {
				s := time.Now()
				get(p)
				ds = append(ds, time.Since(s))
			}
			slices.Sort(ds)
			p50s, p99s = append(p50s, ds[len(ds)/2]), append(p99s, ds[len(ds)*99/100])
		}
		slices.Sort(p50s)
		slices.Sort(p99s)
		fmt.Fprintf(&report, "%-60s p50 %6.2f ms  p99 best %6.2f ms  worst %6.2f ms  HTML %5.1f KB  total %5.1f KB %s\n",
			strings.Replace(p, id, "{id}", 1), ms(p50s[2]), ms(p99s[0]), ms(p99s[4]), float64(n)/1000, float64(n+assets)/1000, enc)
		if n+assets >= 100_000 {
			t.Errorf("%s transfers %d bytes with its assets, budget 100 KB", p, n+assets)
		}
		if os.Getenv("JUSTIZCLOUD_PORTAL_BUDGET") == "1" && p99s[0] >= 100*time.Millisecond {
			t.Errorf("%s: p99 %v on the best round, budget 100 ms", p, p99s[0])
		}
	}
	load, _ := os.ReadFile("/proc/loadavg")
	t.Logf("court case page, 500 documents (embedded default, loopback; first GET with page counting %.1f ms; load average %s):\n%s",
		ms(cold), strings.TrimSpace(string(load)), report.String())
}
