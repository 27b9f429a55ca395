// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package akte

import (
	"fmt"
	"mime"
	"strings"
	"unicode"
	"unicode/utf8"

	"justizcloud/errs"
)

// maxFilenameBytes keeps stored file names within what every file system accepts.
const maxFilenameBytes = 255

// SanitizeFilename turns a client-supplied file name into one that is safe to
// store and to offer for download: only the last path element is kept (both
// "/" and "\" separate), invalid UTF-8 becomes U+FFFD, control and format
// characters (including bidi overrides) are dropped, leading dots and
// surrounding spaces go, and the result is cut to 255 bytes at a rune
// boundary. An empty result becomes "dokument".
func SanitizeFilename(name string) string {
	name = strings.ToValidUTF8(name, "\uFFFD")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimSpace(name), ".")
	name = strings.TrimSpace(name)
	if len(name) > maxFilenameBytes {
		cut := maxFilenameBytes
		for cut > 0 && !utf8.RuneStart(name[cut]) {
			cut--
		}
		name = name[:cut]
	}
	if name == "" {
		return "dokument"
	}
	return name
}

// NormalizeContentType checks a media type and returns it in canonical form
// (lowercase type, parameters kept). Empty means application/octet-stream.
func NormalizeContentType(ct string) (string, error) {
	if strings.TrimSpace(ct) == "" {
		return "application/octet-stream", nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || !strings.Contains(mt, "/") {
		return "", fmt.Errorf("%w: content type %q is not a media type", errs.ErrInvalid, ct)
	}
	return mime.FormatMediaType(mt, params), nil
}

// checkText validates a short free-text field: valid UTF-8, no control
// characters except tab, at most max runes after trimming.
func checkText(field, s string, max int, required bool) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case required && s == "":
		return "", fmt.Errorf("%w: %s is required", errs.ErrInvalid, field)
	case !utf8.ValidString(s):
		return "", fmt.Errorf("%w: %s is not valid UTF-8", errs.ErrInvalid, field)
	case utf8.RuneCountInString(s) > max:
		return "", fmt.Errorf("%w: %s is longer than %d characters", errs.ErrInvalid, field, max)
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' {
			return "", fmt.Errorf("%w: %s contains a control character", errs.ErrInvalid, field)
		}
	}
	return s, nil
}
