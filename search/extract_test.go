// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package search

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// minimalPDF builds a one-page PDF whose content stream is content, with a
// correct cross-reference table, so that pdftotext reads it without repairs.
func minimalPDF(content string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// TestExtractPDF: the text layer of a PDF is extracted with its umlauts; a
// page without text is reported as needing OCR; a broken file is an error.
func TestExtractPDF(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext (poppler-utils) is required in CI; scripts/deps.sh installs it")
		}
		t.Skip("pdftotext (poppler-utils) is not installed; scripts/deps.sh installs it")
	}
	ctx := context.Background()
	// "Berufungsbegründung" and "München" in WinAnsi: ü = \374.
	pdf := minimalPDF("BT /F1 12 Tf 72 720 Td (Berufungsbegr\\374ndung des Beklagten in M\\374nchen) Tj ET")
	got, err := Extract(ctx, "application/pdf", bytes.NewReader(pdf))
	if err != nil || !strings.Contains(got, "Berufungsbegründung des Beklagten in München") {
		t.Fatalf("Extract(pdf) = %q, %v", got, err)
	}
	if tokens := Analyze(got); !containsAll(tokens, Terms("Berufungsbegründung München")) {
		t.Errorf("tokens %v miss the query's", tokens)
	}
	if _, err := Extract(ctx, "application/pdf", bytes.NewReader(minimalPDF(""))); !errors.Is(err, ErrNoTextLayer) {
		t.Errorf("Extract(page without text) = %v, want ErrNoTextLayer", err)
	}
	if _, err := Extract(ctx, "application/pdf", strings.NewReader("%PDF-1.4 kaputt")); err == nil {
		t.Error("Extract(broken PDF) succeeded")
	}
	if !Extractable("application/pdf") || cheap("application/pdf") || !cheap("text/plain; charset=utf-8") {
		t.Error("PDFs are indexed but not read again for snippets")
	}
}

func containsAll(tokens []string, terms [][]string) bool {
	for _, alts := range terms {
		found := false
		for _, a := range alts {
			for _, t := range tokens {
				found = found || t == a
			}
		}
		if !found {
			return false
		}
	}
	return true
}
