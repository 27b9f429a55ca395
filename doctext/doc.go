// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package doctext reads the text of documents: plain UTF-8 text, the text
// layer of PDFs (through poppler's pdftotext, run as a subprocess on its
// standard input) and the body of DOCX files (in Go, from the archive's
// word/document.xml). Every reader has limits: text beyond Limits.MaxText is
// cut, archives and subprocess output are read only up to a bound, and a
// PDF's subprocess ends with the context or after Limits.Timeout.
//
// A PDF's text is built from pdftotext's word boxes (-bbox-layout): words
// joined by a space, lines by a newline, blocks and pages by a blank line.
// Every word keeps its byte range in the text and its box on its page, so a
// byte range of the text (a name found in it) can be mapped back to the
// places on the pages where it is printed; package anon/redact does that.
//
// Input the readers refuse wraps errs.ErrInvalid (malformed, encrypted,
// without a text layer, not a DOCX) or errs.ErrTooLarge.
package doctext
