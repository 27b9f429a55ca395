// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package frist

import (
	"fmt"
	"strconv"
	"time"

	"justizcloud/errs"
)

// Unit is the unit of a Period. The unit decides which paragraph of § 188
// BGB fixes the end: days use Abs. 1, weeks, months and years Abs. 2 and 3.
type Unit uint8

// The units of a Period. The zero Unit is invalid.
const (
	Days Unit = iota + 1
	Weeks
	Months
	Years
)

// Upper bounds of Period.N per unit, about ten years each. Procedural
// deadlines are days to months long; anything longer is a typing error.
const (
	MaxDays   = 3650
	MaxWeeks  = 520
	MaxMonths = 120
	MaxYears  = 10
)

// Period is the length of a Frist, e.g. two weeks. The zero Period is
// invalid; build one with ParsePeriod or as a literal Period{N: 2, Unit: Weeks}.
type Period struct {
	N    int // positive, at most the bound of the unit (MaxDays …)
	Unit Unit
}

// unitInfo holds the spelling and the bound of one unit.
type unitInfo struct {
	letter        byte
	max           int
	one, dative   string // "Woche", "Wochen": "Frist von 1 Woche", "Frist von 2 Wochen"
	englishPlural string
}

func (u Unit) info() (unitInfo, bool) {
	switch u {
	case Days:
		return unitInfo{'d', MaxDays, "Tag", "Tagen", "days"}, true
	case Weeks:
		return unitInfo{'w', MaxWeeks, "Woche", "Wochen", "weeks"}, true
	case Months:
		return unitInfo{'m', MaxMonths, "Monat", "Monaten", "months"}, true
	case Years:
		return unitInfo{'y', MaxYears, "Jahr", "Jahren", "years"}, true
	}
	return unitInfo{}, false
}

// ParsePeriod parses the compact form used by the API and the command line:
// a positive decimal number without sign or leading zeros, followed by one
// of d (days), w (weeks), m (months) or y (years): "3d", "2w", "1m", "6m",
// "1y". Anything else, and numbers above the bound of the unit, give an error
// wrapping errs.ErrInvalid that names the field "period".
func ParsePeriod(s string) (Period, error) {
	if len(s) < 2 || len(s) > 8 {
		return Period{}, invalidPeriod(s)
	}
	var u Unit
	switch s[len(s)-1] {
	case 'd':
		u = Days
	case 'w':
		u = Weeks
	case 'm':
		u = Months
	case 'y':
		u = Years
	default:
		return Period{}, invalidPeriod(s)
	}
	digits := s[:len(s)-1]
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return Period{}, invalidPeriod(s)
		}
	}
	if digits[0] == '0' {
		return Period{}, fmt.Errorf("%w: period %q: the number must be positive and have no leading zeros", errs.ErrInvalid, s)
	}
	n, err := strconv.Atoi(digits)
	if err != nil { // cannot happen for at most 7 digits; kept so that a change of the length check stays safe
		return Period{}, invalidPeriod(s)
	}
	p := Period{N: n, Unit: u}
	if err := p.Validate(); err != nil {
		return Period{}, fmt.Errorf("%w: period %q: at most %d %s", errs.ErrInvalid, s, p.max(), p.englishPlural())
	}
	return p, nil
}

func invalidPeriod(s string) error {
	return fmt.Errorf("%w: period %q: want a positive number followed by d, w, m or y, e.g. \"14d\", \"2w\", \"1m\", \"1y\"", errs.ErrInvalid, s)
}

// Validate reports whether p has a known unit and an N between 1 and the
// bound of its unit; the error wraps errs.ErrInvalid.
func (p Period) Validate() error {
	in, ok := p.Unit.info()
	if !ok {
		return fmt.Errorf("%w: period: unknown unit %d", errs.ErrInvalid, p.Unit)
	}
	if p.N < 1 || p.N > in.max {
		return fmt.Errorf("%w: period: %d %s is outside 1 to %d", errs.ErrInvalid, p.N, in.englishPlural, in.max)
	}
	return nil
}

func (p Period) max() int {
	in, _ := p.Unit.info()
	return in.max
}

func (p Period) englishPlural() string {
	in, _ := p.Unit.info()
	return in.englishPlural
}

// String returns the compact form that ParsePeriod reads, e.g. "2w". An
// invalid unit is shown as "?".
func (p Period) String() string {
	in, ok := p.Unit.info()
	if !ok {
		return strconv.Itoa(p.N) + "?"
	}
	return strconv.Itoa(p.N) + string(in.letter)
}

// german returns the period in the dative as used in "Frist von 2 Wochen".
func (p Period) german() string {
	in, _ := p.Unit.info()
	if p.N == 1 {
		return "1 " + in.one
	}
	return strconv.Itoa(p.N) + " " + in.dative
}

// months returns the period in months for Months and Years, 0 otherwise.
func (p Period) months() int {
	switch p.Unit {
	case Months:
		return p.N
	case Years:
		return 12 * p.N
	}
	return 0
}

// addMonths returns the day in the month n months after d that has the same
// number as d (§ 188 Abs. 2 BGB) and whether that day had to be replaced by
// the last day of the month because the month is too short (§ 188 Abs. 3 BGB).
func addMonths(d time.Time, n int) (time.Time, bool) {
	y, m, day := d.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC) // normalises the month overflow
	last := daysIn(first.Year(), first.Month())
	if day > last {
		return time.Date(first.Year(), first.Month(), last, 0, 0, 0, 0, time.UTC), true
	}
	return time.Date(first.Year(), first.Month(), day, 0, 0, 0, 0, time.UTC), false
}

// daysIn returns the number of days of a month.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
