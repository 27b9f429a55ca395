// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren

import (
	"errors"
	"testing"
	"time"

	"justizcloud/errs"
)

// TestEventTime: an event recorded after the fact (Command.At) lies
// neither in the future nor before the last event.
func TestEventTime(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	history := []Event{{Seq: 1, Name: "eintragung", At: now.Add(-time.Hour)}}
	for _, tc := range []struct {
		name string
		at   time.Time
		want time.Time
		err  error
	}{
		{"zero is now", time.Time{}, now, nil},
		{"service an hour ago, after the last event", now.Add(-30 * time.Minute), now.Add(-30 * time.Minute), nil},
		{"at the last event", now.Add(-time.Hour), now.Add(-time.Hour), nil},
		{"before the last event", now.Add(-2 * time.Hour), time.Time{}, errs.ErrInvalid},
		{"in the future", now.Add(time.Second), time.Time{}, errs.ErrInvalid},
	} {
		got, err := eventTime(Command{Event: "zustellung", At: tc.at}, history, now)
		if !errors.Is(err, tc.err) || !got.Equal(tc.want) {
			t.Errorf("%s: eventTime = %v, %v; want %v, %v", tc.name, got, err, tc.want, tc.err)
		}
	}
}
