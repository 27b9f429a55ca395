// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon

import "time"

// SetNow sets the clock of s, for the tests of package anon_test.
func SetNow(s *Service, now func() time.Time) { s.now = now }
