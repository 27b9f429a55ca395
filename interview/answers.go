// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package interview

import (
	"maps"
	"slices"
	"time"
)

// Answers are the answers given so far, by field ID, in canonical form
// (see Type). They are plain data: encoding/json round-trips them, and the
// portal stores them encrypted for save and resume. Answers of fields that
// are not shown (a condition turned false after a correction) may stay in
// the map; the engine ignores them and Output never files them.
type Answers map[string]Answer

// Answer is the answer to one field.
type Answer struct {
	Value string   // canonical value; empty for file fields
	Files []Upload // file fields only
}

// Upload is a file given in a file field. The portal stores the content
// (encrypted, like any document) and passes the reference and the facts
// the engine checks.
type Upload struct {
	Ref  string // the portal's reference to the stored content
	Name string // the file name as uploaded, without directories
	// ContentType must be sniffed from the content by the portal (e.g.
	// http.DetectContentType), not taken from the browser's header.
	ContentType string
	Size        int64
	SHA256      string // hex, for the receipt
}

// Clone returns a deep copy of a.
func (a Answers) Clone() Answers {
	out := maps.Clone(a)
	if out == nil {
		out = Answers{}
	}
	for k, v := range out {
		v.Files = slices.Clone(v.Files)
		out[k] = v
	}
	return out
}

// RemoveFile returns a copy of a without the upload ref of the file field
// id (the portal's "remove" button next to an uploaded file).
func (a Answers) RemoveFile(id, ref string) Answers {
	out := a.Clone()
	ans, ok := out[id]
	if !ok {
		return out
	}
	ans.Files = slices.DeleteFunc(ans.Files, func(u Upload) bool { return u.Ref == ref })
	if len(ans.Files) == 0 {
		delete(out, id)
	} else {
		out[id] = ans
	}
	return out
}

// Form is one posted page.
type Form struct {
	// Values are the posted values by field ID (url.Values fits); the
	// first value counts.
	Values map[string][]string
	// Files are the new uploads by file field ID. They are added to the
	// files already given; RemoveFile removes one.
	Files map[string][]Upload
	// Now is the time of the request; "today" for date rules is its date
	// in Europe/Berlin. Zero: time.Now().
	Now time.Time
}

// FieldError is a problem with one field, in German, for the message next
// to the field and the error summary at the top of the page.
type FieldError struct {
	Page    string // the page of the field
	Field   string // the field ID: the anchor the summary links to
	Label   string
	Message string
	// Entered is the input as posted, to show it again (text inputs).
	Entered string
}
