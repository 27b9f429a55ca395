// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package frist

import (
	"fmt"
	"time"
)

// Germany is the time zone in which courts count days: the year of an
// Aktenzeichen, the event day of a Frist, the end of an Aufbewahrungsfrist.
// It is read-only; main imports time/tzdata so it loads on any host.
var Germany = mustLoadGermany()

func mustLoadGermany() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(fmt.Sprintf("frist: time zone Europe/Berlin: %v", err))
	}
	return loc
}

// Day returns the calendar day of the instant t in Germany as a civil date
// (midnight UTC, the convention of this package).
func Day(t time.Time) time.Time {
	return civil(t.In(Germany))
}
