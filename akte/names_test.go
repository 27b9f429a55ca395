// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package akte

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitizeFilename(t *testing.T) {
	tests := []struct{ in, want string }{
		{"klage.pdf", "klage.pdf"},
		{"../../etc/passwd", "passwd"},
		{`C:\Users\x\Klageschrift.docx`, "Klageschrift.docx"},
		{"..", "dokument"},
		{"", "dokument"},
		{"  .hidden ", "hidden"},
		{"a\x00b\nc\x7f.txt", "abc.txt"},
		{"evil\u202egnp.exe", "evilgnp.exe"},
		{"Schriftsatz \xff.pdf", "Schriftsatz \uFFFD.pdf"},
		{"Äußerung über Größe.pdf", "Äußerung über Größe.pdf"},
		{"dir/", "dokument"},
	}
	for _, tt := range tests {
		if got := SanitizeFilename(tt.in); got != tt.want {
			t.Errorf("SanitizeFilename(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := strings.Repeat("ä", 300)
	got := SanitizeFilename(long)
	if len(got) > maxFilenameBytes || !utf8.ValidString(got) {
		t.Errorf("SanitizeFilename(300×ä) = %d bytes, valid UTF-8 %v; want ≤ %d bytes and valid", len(got), utf8.ValidString(got), maxFilenameBytes)
	}
}

func FuzzSanitizeFilename(f *testing.F) {
	for _, s := range []string{"a.pdf", "../x", "\xff\xfe", "a\\b/c", "\u202e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := SanitizeFilename(in)
		if out == "" || len(out) > maxFilenameBytes || !utf8.ValidString(out) || strings.ContainsAny(out, "/\\\x00") || out == "." || out == ".." {
			t.Fatalf("SanitizeFilename(%q) = %q: unsafe", in, out)
		}
	})
}

func TestNormalizeContentType(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", "application/octet-stream", true},
		{"application/PDF", "application/pdf", true},
		{"text/plain; charset=utf-8", "text/plain; charset=utf-8", true},
		{"nonsense", "", false},
		{"text/plain; charset", "", false},
	}
	for _, tt := range tests {
		got, err := NormalizeContentType(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("NormalizeContentType(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
