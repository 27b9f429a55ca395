// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package portal is the web interface for citizens, lawyers and courts:
// server-rendered German HTML in the KERN-UX design system, usable without
// JavaScript. This file serves its static assets from the binary.
package portal

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

//go:embed assets
var embedded embed.FS

// Assets serves the embedded stylesheets and fonts under /assets/<version>/,
// where the version is a hash over all of them: URLs change with the content,
// so browsers may cache every asset for a year, and relative references
// between assets (fonts.css → fonts/…) keep working.
type Assets struct {
	version string
	files   map[string]asset
}

type asset struct {
	body, gz []byte // gz is nil when compressing does not pay
	ctype    string
	etag     string
}

// NewAssets reads and compresses the embedded assets once.
func NewAssets() (*Assets, error) {
	a := &Assets{files: map[string]asset{}}
	all := sha256.New()
	err := fs.WalkDir(embedded, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), "LICENSE") {
			return err
		}
		body, err := embedded.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		all.Write(sum[:])
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		f := asset{body: body, ctype: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		if strings.HasPrefix(ct, "text/") {
			var b bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
			zw.Write(body)
			if err := zw.Close(); err != nil {
				return err
			}
			if b.Len() < len(body)*9/10 {
				f.gz = b.Bytes()
			}
		}
		a.files[strings.TrimPrefix(p, "assets/")] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("portal assets: %w", err)
	}
	a.version = hex.EncodeToString(all.Sum(nil)[:6])
	return a, nil
}

// Path is the URL of the asset name (e.g. "kern.min.css").
func (a *Assets) Path(name string) string { return "/assets/" + a.version + "/" + name }

// ServeHTTP answers GET /assets/<version>/<name>. A stale version is still
// served, but not cached, so a page rendered before a deployment keeps its
// look.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	version, name, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/assets/"), "/")
	f, found := a.files[name]
	if !ok || !found || r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("ETag", f.etag)
	h.Set("Vary", "Accept-Encoding")
	if version == a.version {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.body
	if f.gz != nil && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = f.gz
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip
// (RFC 9110 section 12.5.3: a q-value of 0 refuses it).
func acceptsGzip(ae string) bool {
	for part := range strings.SplitSeq(ae, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.TrimSpace(coding)
		if !strings.EqualFold(coding, "gzip") && coding != "*" {
			continue
		}
		q := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.EqualFold(strings.TrimSpace(k), "q") {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				q = f
			}
		}
		return q > 0
	}
	return false
}
