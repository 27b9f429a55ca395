// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package portal

import (
	"bytes"
	"strings"
	"testing"
	"testing/iotest"

	"justizcloud/pdfdoc"
)

func TestCountPages(t *testing.T) {
	long := strings.Repeat("Ein Absatz, der die Seite füllt. ", 400)
	three, err := pdfdoc.Bytes(pdfdoc.Document{Title: "Drei Seiten", Blocks: []pdfdoc.Block{{Paragraph: long}}})
	if err != nil {
		t.Fatal(err)
	}
	// A page object right at a chunk boundary of 64 KB (+ the 32-byte overlap).
	edge := func(at int) string {
		return strings.Repeat(" ", at) + "/Type /Page " + strings.Repeat(" ", 70_000) + "/Type/Page>>"
	}
	for _, tc := range []struct {
		name string
		in   string
		want int
	}{
		{"empty", "", 0},
		{"pages tree only", "<< /Type /Pages /Count 3 >>", 0},
		{"one", "<< /Type /Page /Parent 2 0 R >>", 1},
		{"no space, end of input", "<</Type/Page", 1},
		{"not a page", "/Type /PageLabel /Type /Pages", 0},
		{"generated PDF", string(three), 0}, // replaced below
		{"before the boundary", edge(65_536 - 40), 2},
		{"across the boundary", edge(65_536 - 5), 2},
		{"in the overlap", edge(65_536 - 20), 2},
		{"after the boundary", edge(65_536 + 3), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			if tc.name == "generated PDF" {
				want = bytes.Count(three, []byte("/Type /Page\n")) + bytes.Count(three, []byte("/Type /Page ")) +
					bytes.Count(three, []byte("/Type /Page/")) + bytes.Count(three, []byte("/Type /Page>"))
				if want < 2 {
					t.Fatalf("the generated PDF has %d page objects by a plain count, want several", want)
				}
			}
			for _, r := range []struct {
				name string
				f    func(string) int
			}{
				{"whole", func(s string) int { n, _ := countPages(strings.NewReader(s)); return n }},
				{"byte by byte", func(s string) int { n, _ := countPages(iotest.OneByteReader(strings.NewReader(s))); return n }},
			} {
				if tc.name != "generated PDF" && len(tc.in) > 1000 && r.name == "byte by byte" {
					continue
				}
				if got := r.f(tc.in); got != want {
					t.Errorf("%s: countPages = %d, want %d", r.name, got, want)
				}
			}
		})
	}
}
