// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren

import (
	"errors"
	"testing"

	"justizcloud/errs"
)

// TestCheckHistory: a receiver of a transferred proceeding replays the
// history it is given before storing it.
func TestCheckHistory(t *testing.T) {
	r, err := NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	ev := func(seq int, name string) Event {
		return Event{Seq: seq, Name: name, At: day0, Role: "geschaeftsstelle"}
	}
	for _, tc := range []struct {
		name, procedure string
		history         []Event
		want            State // "" with wantErr
		wantErr         bool
	}{
		{"empty history: the initial state", "zivil-online", nil, "eingereicht", false},
		{"valid", "zivil-online", []Event{ev(1, "eintragung"), ev(2, "zustellung")}, "zugestellt", false},
		{"unknown procedure", "strafbefehl", []Event{ev(1, "eintragung")}, "", true},
		{"gap in the sequence", "zivil-online", []Event{ev(1, "eintragung"), ev(3, "zustellung")}, "", true},
		{"starts at 0", "zivil-online", []Event{ev(0, "eintragung")}, "", true},
		{"event not allowed in its state", "zivil-online", []Event{ev(1, "zustellung")}, "", true},
		{"unknown event", "zivil-online", []Event{ev(1, "eintragung"), ev(2, "kochen")}, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.CheckHistory(tc.procedure, tc.history)
			if tc.wantErr {
				if !errors.Is(err, errs.ErrInvalid) {
					t.Errorf("CheckHistory = %q, %v, want errs.ErrInvalid", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("CheckHistory = %q, %v, want %q", got, err, tc.want)
			}
		})
	}
}
