// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package notify_test

import (
	"io"
	"mime/quotedprintable"
)

func quotedPrintable(r io.Reader) io.Reader { return quotedprintable.NewReader(r) }
