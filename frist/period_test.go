// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package frist

import (
	"errors"
	"strings"
	"testing"
	"time"

	"justizcloud/errs"
)

func TestParsePeriod(t *testing.T) {
	valid := []struct {
		in   string
		want Period
	}{
		{"1d", Period{1, Days}},
		{"3d", Period{3, Days}},
		{"14d", Period{14, Days}},
		{"3650d", Period{MaxDays, Days}},
		{"1w", Period{1, Weeks}},
		{"2w", Period{2, Weeks}},
		{"520w", Period{MaxWeeks, Weeks}},
		{"1m", Period{1, Months}},
		{"6m", Period{6, Months}},
		{"120m", Period{MaxMonths, Months}},
		{"1y", Period{1, Years}},
		{"10y", Period{MaxYears, Years}},
	}
	for _, tc := range valid {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParsePeriod(tc.in)
			if err != nil {
				t.Fatalf("ParsePeriod(%q) error = %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("ParsePeriod(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
			if s := got.String(); s != tc.in {
				t.Errorf("String() = %q, want %q", s, tc.in)
			}
		})
	}

	invalid := []struct{ in, msg string }{
		{"", "want a positive number"},
		{"d", "want a positive number"},
		{"2", "want a positive number"},
		{"0d", "positive"},
		{"03d", "leading zeros"},
		{"-1d", "want a positive number"},
		{"+1d", "want a positive number"},
		{"1x", "want a positive number"},
		{"1D", "want a positive number"},
		{"2W", "want a positive number"},
		{"1 d", "want a positive number"},
		{" 1d", "want a positive number"},
		{"1d ", "want a positive number"},
		{"1.5m", "want a positive number"},
		{"1e3d", "want a positive number"},
		{"1dd", "want a positive number"},
		{"\uff11d", "want a positive number"}, // fullwidth digit one
		{"2t", "want a positive number"},      // German "Tage" is not accepted
		{"3651d", "at most 3650 days"},
		{"521w", "at most 520 weeks"},
		{"121m", "at most 120 months"},
		{"11y", "at most 10 years"},
		{"9999999y", "at most 10 years"},
		{"99999999d", "want a positive number"}, // longer than any valid period
	}
	for _, tc := range invalid {
		t.Run("invalid "+tc.in, func(t *testing.T) {
			_, err := ParsePeriod(tc.in)
			if !errors.Is(err, errs.ErrInvalid) {
				t.Fatalf("ParsePeriod(%q) error = %v, want errs.ErrInvalid", tc.in, err)
			}
			if !strings.Contains(err.Error(), "period") || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("ParsePeriod(%q) error = %q, want it to name the field and contain %q", tc.in, err, tc.msg)
			}
		})
	}
}

func TestPeriodValidate(t *testing.T) {
	for _, p := range []Period{{}, {0, Days}, {-1, Weeks}, {1, 0}, {1, Years + 1}, {MaxMonths + 1, Months}} {
		if err := p.Validate(); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("Period%+v.Validate() = %v, want errs.ErrInvalid", p, err)
		}
	}
	if s := (Period{1, 0}).String(); s != "1?" {
		t.Errorf("String() of an invalid unit = %q, want %q", s, "1?")
	}
}

func TestAddMonths(t *testing.T) {
	for _, tc := range []struct {
		name      string
		from      time.Time
		months    int
		want      time.Time
		lastOfMon bool
	}{
		{"31.01. + 1 → 28.02. (§ 188 Abs. 3 BGB)", date(2026, 1, 31), 1, date(2026, 2, 28), true},
		{"31.01. + 1 in a leap year → 29.02.", date(2028, 1, 31), 1, date(2028, 2, 29), true},
		{"30.01. + 1 → 28.02.", date(2026, 1, 30), 1, date(2026, 2, 28), true},
		{"28.02. + 1 → 28.03., not the last of March", date(2026, 2, 28), 1, date(2026, 3, 28), false},
		{"31.03. + 1 → 30.04.", date(2026, 3, 31), 1, date(2026, 4, 30), true},
		{"31.08. + 1 → 30.09.", date(2026, 8, 31), 1, date(2026, 9, 30), true},
		{"31.10. + 4 → 28.02. across the year", date(2026, 10, 31), 4, date(2027, 2, 28), true},
		{"15.11. + 3 → 15.02. across the year", date(2026, 11, 15), 3, date(2027, 2, 15), false},
		{"29.02. + 12 → 28.02.", date(2024, 2, 29), 12, date(2025, 2, 28), true},
		{"29.02. + 48 → 29.02.", date(2024, 2, 29), 48, date(2028, 2, 29), false},
		{"31.12. + 120", date(2026, 12, 31), 120, date(2036, 12, 31), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, last := addMonths(tc.from, tc.months)
			if !got.Equal(tc.want) || last != tc.lastOfMon {
				t.Errorf("addMonths = %s, %v, want %s, %v", got.Format(time.DateOnly), last, tc.want.Format(time.DateOnly), tc.lastOfMon)
			}
		})
	}
}

// FuzzParsePeriod checks that the parser never panics, that every error
// wraps errs.ErrInvalid, that every accepted period prints back to its input,
// and that every accepted period can be computed.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"3d", "2w", "1m", "6m", "1y", "10y", "3650d", "0d", "03w", "-1m", "1", "y", "", "1.5m", "١d", "18446744073709551617d"} {
		f.Add(s)
	}
	c := mustCalendar(f)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			if !errors.Is(err, errs.ErrInvalid) {
				t.Fatalf("ParsePeriod(%q) error = %v, want errs.ErrInvalid", s, err)
			}
			return
		}
		if p.String() != s {
			t.Fatalf("ParsePeriod(%q).String() = %q", s, p.String())
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("ParsePeriod(%q) = %+v, which does not validate: %v", s, p, err)
		}
		r, err := c.Compute("U1308", date(2026, 1, 31), p)
		if err != nil {
			t.Fatalf("Compute(%s) error = %v", s, err)
		}
		if !r.RawEnd.After(r.Start) || r.End.Before(r.RawEnd) {
			t.Fatalf("Compute(%s): Start %s, RawEnd %s, End %s out of order", s, r.Start, r.RawEnd, r.End)
		}
	})
}
