// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"encoding/hex"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"justizcloud/akte"
	"justizcloud/errs"
)

// addDocument streams the request body into the case file. The body is the
// document itself; its name comes from Content-Disposition, its type from
// Content-Type, and an optional Repr-Digest is checked before it is committed.
func (s *Server) addDocument(w http.ResponseWriter, r *http.Request) {
	max := s.deps.Akte.MaxUpload()
	if r.ContentLength > max {
		writeError(w, r, s.log, fmt.Errorf("%w: document of %d bytes exceeds the limit of %d bytes", errs.ErrTooLarge, r.ContentLength, max))
		return
	}
	digest, err := parseReprDigest(r.Header.Get("Repr-Digest"))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	filename := ""
	if cd := r.Header.Get("Content-Disposition"); cd != "" {
		_, params, err := mime.ParseMediaType(cd)
		if err != nil {
			writeError(w, r, s.log, fmt.Errorf("%w: malformed Content-Disposition", errs.ErrInvalid))
			return
		}
		filename = params["filename"] // mime decodes filename* (RFC 2231/8187) into this key too
	}
	restricted, err := boolParam(r.URL.Query().Get("restricted"))
	if err != nil {
		writeError(w, r, s.log, fmt.Errorf("parameter \"restricted\": %w", err))
		return
	}
	d, err := s.deps.Akte.AddDocument(r.Context(), subject(r), akte.NewDocument{
		Case:        akte.CaseID(r.PathValue("id")),
		Filename:    filename,
		ContentType: r.Header.Get("Content-Type"),
		Body:        r.Body,
		SHA256:      digest,
		Predecessor: akte.DocumentID(r.URL.Query().Get("predecessor")),
		Class:       r.URL.Query().Get("class"),
		Restricted:  restricted,
	})
	if err != nil {
		if statusOf(err) == http.StatusRequestEntityTooLarge {
			w.Header().Set("Connection", "close") // don't read the rest of a huge body
		}
		writeError(w, r, s.log, err)
		return
	}
	w.Header().Set("Location", "/api/v1/documents/"+string(d.ID))
	w.Header().Set("Repr-Digest", formatReprDigest(d.SHA256))
	writeJSON(w, http.StatusCreated, toDocument(d))
}

func (s *Server) listDocuments(w http.ResponseWriter, r *http.Request) {
	ds, err := s.deps.Akte.Documents(r.Context(), subject(r), akte.CaseID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, list[documentDTO]{Items: mapSlice(ds, toDocument)})
}

func (s *Server) getDocument(w http.ResponseWriter, r *http.Request) {
	d, err := s.deps.Akte.Document(r.Context(), subject(r), akte.DocumentID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, toDocument(d))
}

// getContent streams a document's bytes, with Range, If-Range and
// If-None-Match support; the ETag is the document's SHA-256.
func (s *Server) getContent(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		s.headContent(w, r)
		return
	}
	d, content, err := s.deps.Akte.Content(r.Context(), subject(r), akte.DocumentID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	defer content.Close()
	contentHeaders(w, d)
	// ServeContent reads only the requested ranges and never buffers the document.
	http.ServeContent(w, r, url.PathEscape(d.Filename), d.CreatedAt, content)
}

// headContent answers HEAD on a document's content from its metadata: a
// HEAD reads no content, so it is not an access (service by access counts
// only a download as the moment of service).
func (s *Server) headContent(w http.ResponseWriter, r *http.Request) {
	d, err := s.deps.Akte.Document(r.Context(), subject(r), akte.DocumentID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	contentHeaders(w, d)
	h := w.Header()
	h.Set("Accept-Ranges", "bytes")
	h.Set("Content-Length", strconv.FormatInt(d.Size, 10))
	h.Set("Last-Modified", d.CreatedAt.UTC().Format(http.TimeFormat))
	w.WriteHeader(http.StatusOK)
}

// contentHeaders are the headers of a document's content, GET and HEAD alike.
func contentHeaders(w http.ResponseWriter, d akte.Document) {
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("ETag", `"`+hex.EncodeToString(d.SHA256[:])+`"`)
	h.Set("Repr-Digest", formatReprDigest(d.SHA256))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.Filename}))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-cache")
}
