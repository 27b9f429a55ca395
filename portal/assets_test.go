// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package portal

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAssets(t *testing.T) {
	a, err := NewAssets()
	if err != nil {
		t.Fatal(err)
	}
	get := func(p string, hdr map[string]string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", p, nil)
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		a.ServeHTTP(w, r)
		return w
	}
	css := get(a.Path("kern.min.css"), map[string]string{"Accept-Encoding": "br, gzip"})
	if css.Code != 200 || css.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(css.Header().Get("Cache-Control"), "immutable") {
		t.Fatalf("kern.min.css: %d %v", css.Code, css.Header())
	}
	zr, err := gzip.NewReader(bytes.NewReader(css.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if !bytes.Contains(plain, []byte(".kern-")) || css.Body.Len() > 40<<10 {
		t.Errorf("stylesheet: %d bytes compressed, KERN classes present: %v", css.Body.Len(), bytes.Contains(plain, []byte(".kern-")))
	}
	if w := get(a.Path("kern.min.css"), map[string]string{"Accept-Encoding": "gzip;q=0"}); w.Header().Get("Content-Encoding") != "" {
		t.Error("gzip sent although refused with q=0")
	}
	font := get(a.Path("fonts/FiraSans-Regular-subset.woff2"), nil)
	if font.Code != 200 || font.Header().Get("Content-Type") != "font/woff2" || font.Body.Len() > 30<<10 {
		t.Errorf("font: %d %q %d bytes", font.Code, font.Header().Get("Content-Type"), font.Body.Len())
	}
	if w := get(a.Path("kern.min.css"), map[string]string{"If-None-Match": css.Header().Get("ETag")}); w.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", w.Code)
	}
	if w := get("/assets/0000/kern.min.css", nil); w.Code != 200 || w.Header().Get("Cache-Control") != "no-cache" {
		t.Errorf("stale version: %d %q", w.Code, w.Header().Get("Cache-Control"))
	}
	for _, p := range []string{"/assets/" + a.version + "/../assets.go", "/assets/" + a.version + "/LICENSE-KERN-UX.md", "/assets/x", "/assets/" + a.version + "/nope.css"} {
		if w := get(p, nil); w.Code != 404 {
			t.Errorf("%s: %d, want 404", p, w.Code)
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	for ae, want := range map[string]bool{"": false, "gzip": true, "GZIP": true, "br, gzip;q=0.5": true, "gzip;q=0": false, "gzip; q=0.0": false, "*": true, "identity": false, "deflate, br": false} {
		if got := acceptsGzip(ae); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", ae, got, want)
		}
	}
}
