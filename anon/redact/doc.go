// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package redact makes a redacted copy of a PDF: every page is rendered to
// an image with poppler's pdftoppm, the words to redact are painted over in
// opaque black in the image's pixels (their replacement printed in white on
// top, where it fits), and the images become the pages of a new PDF at the
// original page size. Since the pages are pictures, nothing of the
// original's text layer, fonts, metadata, annotations or attachments
// reaches the copy: what was painted over is gone, not hidden.
package redact
