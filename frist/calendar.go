// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package frist

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"justizcloud/errs"
	"justizcloud/tenancy"
)

// Calendar computes Fristen for the courts of a tenancy.Catalog. It holds
// only read-only data after NewCalendar and is safe for concurrent use.
type Calendar struct {
	cat      *tenancy.Catalog
	land     []holiday
	local    []localHoliday
	branches map[tenancy.CourtID]string
	names    map[tenancy.ID]string // Land names for the reasoning texts
}

// NewCalendar returns a Calendar for the courts of cat. With a nil catalog
// every court is unknown.
func NewCalendar(cat *tenancy.Catalog) *Calendar {
	names := make(map[tenancy.ID]string)
	for _, t := range tenancy.Tenants() {
		names[t.ID] = t.Name
	}
	return &Calendar{cat: cat, land: landHolidays(), local: localHolidays(), branches: branchSeats(), names: names}
}

// seat is what the holiday rules need to know about a court.
type seat struct {
	land  tenancy.ID // "DE" for federal bodies without a Land: only nationwide holidays
	place string     // municipality, for local holidays
}

func (c *Calendar) seat(id tenancy.CourtID) (seat, error) {
	if c.cat == nil {
		return seat{}, fmt.Errorf("%w: court %q: no court catalog", errs.ErrInvalid, id)
	}
	ct, err := c.cat.Court(id)
	if err != nil {
		// Deliberately not wrapping the catalog's ErrNotFound: for a
		// computation the court is an input, and a bad input is ErrInvalid.
		return seat{}, fmt.Errorf("%w: court %q: not in the court catalog", errs.ErrInvalid, id)
	}
	s := seat{land: ct.Tenant, place: ct.City}
	if s.land == "DE" {
		// Federal bodies without a Land letter still sit in a Land, and its
		// holidays close them: the BGH and the Generalbundesanwalt in
		// Karlsruhe, the Bundesamt für Justiz in Bonn.
		switch ct.City {
		case "Karlsruhe":
			s.land = "DE-BW"
		case "Bonn":
			s.land = "DE-NW"
		}
	}
	if p, ok := c.branches[id]; ok {
		s.place = p
	}
	return s, nil
}

// holidayOn returns the holiday on day d at seat s, if any.
func (c *Calendar) holidayOn(s seat, d time.Time) (Holiday, bool) {
	y := d.Year()
	for _, h := range c.land {
		if h.validIn(y) && h.appliesTo(s.land) && h.rule.in(y).Equal(d) {
			l := s.land
			if len(h.lands) == 0 {
				l = "DE"
			}
			return Holiday{Date: d, Name: h.name, Land: l}, true
		}
	}
	for _, h := range c.local {
		if h.land == s.land && h.validIn(y) && slices.ContainsFunc(h.places, func(p string) bool { return strings.EqualFold(p, s.place) }) &&
			h.rule.in(y).Equal(d) {
			return Holiday{Date: d, Name: h.name, Land: h.land, Place: s.place}, true
		}
	}
	return Holiday{}, false
}

// Holidays returns the holidays of year y at the seat of court, ordered by
// date. A day that two rules make a holiday is listed once. An unknown
// court or a year outside MinYear…MaxYear gives an error wrapping
// errs.ErrInvalid.
func (c *Calendar) Holidays(court tenancy.CourtID, y int) ([]Holiday, error) {
	s, err := c.seat(court)
	if err != nil {
		return nil, err
	}
	if y < MinYear || y > MaxYear {
		return nil, fmt.Errorf("%w: year %d: outside %d to %d", errs.ErrInvalid, y, MinYear, MaxYear)
	}
	var days []time.Time
	for _, h := range c.land {
		if h.validIn(y) && h.appliesTo(s.land) {
			days = append(days, h.rule.in(y))
		}
	}
	for _, h := range c.local {
		if h.land == s.land && h.validIn(y) {
			days = append(days, h.rule.in(y))
		}
	}
	slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	days = slices.Compact(days)
	var out []Holiday
	for _, d := range days {
		if h, ok := c.holidayOn(s, d); ok { // also filters local holidays of other places
			out = append(out, h)
		}
	}
	return out, nil
}

// Result is a computed Frist with the reasoning that led to it. All dates
// are civil dates: midnight UTC of the calendar day. A Frist ends at the end
// (24:00, local time at the court) of End.
type Result struct {
	Court  tenancy.CourtID
	Start  time.Time // the event day, e.g. the day of the Zustellung
	Period Period
	RawEnd time.Time // the end by §§ 187, 188 BGB, before § 222 Abs. 2 ZPO
	End    time.Time // the last day of the Frist
	Steps  []Step
}

// Step is one step of the reasoning, in order.
type Step struct {
	Rule string    // the provision applied, e.g. "§ 222 Abs. 2 ZPO"
	Text string    // German explanation without the provision
	Date time.Time // the day the step is about
}

// Explain returns the reasoning as German lines, one per step, each ending
// with the provision in parentheses, e.g.
// "Fristende fällt auf Samstag, 31.10.2026 → nächster Werktag (§ 222 Abs. 2 ZPO)".
func (r Result) Explain() []string {
	out := make([]string, len(r.Steps))
	for i, s := range r.Steps {
		out[i] = s.Text + " (" + s.Rule + ")"
	}
	return out
}

// Compute returns the Frist of length p that starts with the event on day
// start (e.g. the Zustellung) at the court with the given ID. Only the
// calendar date of start (in its own location) is used.
//
// The rules are § 222 Abs. 1 ZPO with §§ 187 Abs. 1, 188 BGB, then § 222
// Abs. 2 ZPO: an end on a Saturday, Sunday or a holiday at the court's seat
// moves to the next working day. Unknown courts, invalid periods and start
// dates outside MinYear…MaxYear give an error wrapping errs.ErrInvalid.
func (c *Calendar) Compute(court tenancy.CourtID, start time.Time, p Period) (Result, error) {
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	s, err := c.seat(court)
	if err != nil {
		return Result{}, err
	}
	if start.IsZero() {
		return Result{}, fmt.Errorf("%w: start: missing", errs.ErrInvalid)
	}
	day := civil(start)
	if day.Year() < MinYear || day.Year() > MaxYear {
		return Result{}, fmt.Errorf("%w: start %s: year outside %d to %d", errs.ErrInvalid, day.Format(time.DateOnly), MinYear, MaxYear)
	}

	r := Result{Court: court, Start: day, Period: p}
	r.Steps = append(r.Steps, Step{Rule: "§ 187 Abs. 1 BGB", Date: day,
		Text: fmt.Sprintf("Ereignistag (z. B. Zustellung) %s wird nicht mitgerechnet; die Frist beginnt am %s", long(day), long(day.AddDate(0, 0, 1)))})

	endRule := "§ 188 Abs. 2 BGB"
	switch p.Unit {
	case Days:
		endRule = "§ 188 Abs. 1 BGB"
		r.RawEnd = day.AddDate(0, 0, p.N)
		r.Steps = append(r.Steps, Step{Rule: endRule, Date: r.RawEnd,
			Text: fmt.Sprintf("Frist von %s endet mit dem Ablauf ihres letzten Tages: %s", p.german(), long(r.RawEnd))})
	case Weeks:
		r.RawEnd = day.AddDate(0, 0, 7*p.N)
		r.Steps = append(r.Steps, Step{Rule: endRule, Date: r.RawEnd,
			Text: fmt.Sprintf("Frist von %s endet mit dem Ablauf des Tages der letzten Woche, der durch seine Benennung dem Ereignistag entspricht (%s): %s",
				p.german(), weekday(day.Weekday()), long(r.RawEnd))})
	default: // Months, Years
		end, short := addMonths(day, p.months())
		r.RawEnd = end
		text := fmt.Sprintf("Frist von %s endet mit dem Ablauf des Tages des letzten Monats, der durch seine Zahl dem Ereignistag entspricht (%d.): ", p.german(), day.Day())
		if !short {
			r.Steps = append(r.Steps, Step{Rule: endRule, Date: end, Text: text + long(end)})
			break
		}
		r.Steps = append(r.Steps, Step{Rule: endRule, Date: end, Text: text + monthYear(end)})
		endRule = "§ 188 Abs. 3 BGB"
		r.Steps = append(r.Steps, Step{Rule: endRule, Date: end,
			Text: fmt.Sprintf("Der %s hat keinen %d. Tag → Fristende ist der letzte Tag des Monats: %s", monthYear(end), day.Day(), long(end))})
	}

	r.End = r.RawEnd
	for first := true; ; first = false {
		why, closed := c.closed(s, r.End)
		if !closed {
			break
		}
		text := "Fristende fällt auf " + why + " → nächster Werktag"
		if !first {
			text = why + " ist ebenfalls kein Werktag → nächster Werktag"
		}
		r.Steps = append(r.Steps, Step{Rule: "§ 222 Abs. 2 ZPO", Date: r.End, Text: text})
		endRule = "§ 222 Abs. 2 ZPO"
		r.End = r.End.AddDate(0, 0, 1)
	}
	r.Steps = append(r.Steps, Step{Rule: endRule, Date: r.End, Text: "Die Frist endet mit dem Ablauf von " + long(r.End)})
	return r, nil
}

// closed reports whether d is a Saturday, Sunday or holiday at seat s, and
// describes the day for the reasoning.
func (c *Calendar) closed(s seat, d time.Time) (string, bool) {
	h, holiday := c.holidayOn(s, d)
	wd := d.Weekday()
	if !holiday && wd != time.Saturday && wd != time.Sunday {
		return "", false
	}
	why := long(d)
	if holiday {
		switch {
		case h.Place != "":
			why += fmt.Sprintf(", %s (gesetzlicher Feiertag am Gerichtsort %s)", h.Name, h.Place)
		case h.Land == "DE":
			why += fmt.Sprintf(", %s (gesetzlicher Feiertag)", h.Name)
		default:
			why += fmt.Sprintf(", %s (gesetzlicher Feiertag in %s)", h.Name, c.names[h.Land])
		}
	}
	return why, true
}

// weekday returns the German name of a weekday.
func weekday(w time.Weekday) string {
	return [...]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"}[w]
}

// long formats a civil date as "Freitag, 30.10.2026".
func long(d time.Time) string {
	return fmt.Sprintf("%s, %02d.%02d.%04d", weekday(d.Weekday()), d.Day(), int(d.Month()), d.Year())
}

// monthYear formats a civil date as "Februar 2026".
func monthYear(d time.Time) string {
	m := [...]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"}
	return fmt.Sprintf("%s %d", m[d.Month()-1], d.Year())
}
