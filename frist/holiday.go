// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package frist

import (
	"time"

	"github.com/rickar/cal/v2"

	"justizcloud/tenancy"
)

// Holiday is a gesetzlicher Feiertag at the seat of one court.
type Holiday struct {
	Date time.Time // civil date, midnight UTC
	Name string    // German name, e.g. "Buß- und Bettag"
	// Land is the Land whose holiday law makes the day a holiday, or "DE"
	// for the holidays that every Land (or federal law) observes.
	Land tenancy.ID
	// Place is the municipality for a holiday that holds only in parts of a
	// Land (Augsburger Friedensfest, Mariä Himmelfahrt in Bayern); empty for
	// holidays of the whole Land.
	Place string
}

// ruleKind says how a holiday's date is found in a given year.
type ruleKind uint8

const (
	fixedDate     ruleKind = iota + 1 // the same day every year
	easterOffset                      // days after Easter Sunday (negative: before)
	bussUndBettag                     // the Wednesday before 23 November
)

type rule struct {
	kind   ruleKind
	month  time.Month
	day    int
	offset int
}

func fixed(m time.Month, d int) rule { return rule{kind: fixedDate, month: m, day: d} }
func easter(offset int) rule         { return rule{kind: easterOffset, offset: offset} }

// in returns the holiday's date in year y as a civil date.
func (r rule) in(y int) time.Time {
	switch r.kind {
	case easterOffset:
		// rickar/cal's Meeus/Jones/Butcher computus; only the calendar date of
		// its result is used, so cal.DefaultLoc does not matter.
		return civil(cal.CalcEasterOffset(&cal.Holiday{Offset: r.offset}, y))
	case bussUndBettag:
		d := time.Date(y, time.November, 22, 0, 0, 0, 0, time.UTC)
		return d.AddDate(0, 0, -((int(d.Weekday()) - int(time.Wednesday) + 7) % 7))
	default:
		return time.Date(y, r.month, r.day, 0, 0, 0, 0, time.UTC)
	}
}

// holiday is one row of the holiday tables: a day that is a holiday in some
// Länder (all when lands is empty) from year from to year to (0: open).
type holiday struct {
	name     string
	rule     rule
	lands    []tenancy.ID
	from, to int
}

func (h holiday) validIn(y int) bool {
	return (h.from == 0 || y >= h.from) && (h.to == 0 || y <= h.to)
}

func (h holiday) appliesTo(land tenancy.ID) bool {
	if len(h.lands) == 0 {
		return true
	}
	for _, l := range h.lands {
		if l == land {
			return true
		}
	}
	return false
}

// Short names for the Länder in the tables below.
const (
	bw tenancy.ID = "DE-BW"
	by tenancy.ID = "DE-BY"
	be tenancy.ID = "DE-BE"
	bb tenancy.ID = "DE-BB"
	hb tenancy.ID = "DE-HB"
	hh tenancy.ID = "DE-HH"
	he tenancy.ID = "DE-HE"
	mv tenancy.ID = "DE-MV"
	ni tenancy.ID = "DE-NI"
	nw tenancy.ID = "DE-NW"
	rp tenancy.ID = "DE-RP"
	sl tenancy.ID = "DE-SL"
	sn tenancy.ID = "DE-SN"
	st tenancy.ID = "DE-ST"
	sh tenancy.ID = "DE-SH"
	th tenancy.ID = "DE-TH"
)

func lands(ids ...tenancy.ID) []tenancy.ID { return ids }

// MinYear and MaxYear bound the years the holiday tables describe. Before
// 1991 the Länder of the former GDR had no holiday laws and the Tag der
// Deutschen Einheit was 17 June in the West; the upper bound only keeps
// dates sane. Compute rejects start dates outside these years.
const (
	MinYear = 1991
	MaxYear = 2199
)

// landHolidays returns the holidays that hold in whole Länder, from the
// holiday laws of the Länder (and, for 3 October, the Einigungsvertrag).
// It returns a new slice on every call so that no table is shared mutable
// state. See doc.go for the sources and how this differs from rickar/cal.
func landHolidays() []holiday {
	return []holiday{
		{name: "Neujahr", rule: fixed(time.January, 1)},
		{name: "Heilige Drei Könige", rule: fixed(time.January, 6), lands: lands(bw, by, st)},
		{name: "Internationaler Frauentag", rule: fixed(time.March, 8), lands: lands(be), from: 2019},
		{name: "Internationaler Frauentag", rule: fixed(time.March, 8), lands: lands(mv), from: 2023},
		{name: "Karfreitag", rule: easter(-2)},
		{name: "Ostermontag", rule: easter(1)},
		{name: "Tag der Arbeit", rule: fixed(time.May, 1)},
		// One-off holidays in Berlin: 75th and 80th anniversary of the end of
		// the Second World War in Europe.
		{name: "Tag der Befreiung", rule: fixed(time.May, 8), lands: lands(be), from: 2020, to: 2020},
		{name: "Tag der Befreiung", rule: fixed(time.May, 8), lands: lands(be), from: 2025, to: 2025},
		{name: "Christi Himmelfahrt", rule: easter(39)},
		{name: "Pfingstmontag", rule: easter(50)},
		{name: "Fronleichnam", rule: easter(60), lands: lands(bw, by, he, nw, rp, sl)},
		{name: "Mariä Himmelfahrt", rule: fixed(time.August, 15), lands: lands(sl)},
		{name: "Weltkindertag", rule: fixed(time.September, 20), lands: lands(th), from: 2019},
		{name: "Tag der Deutschen Einheit", rule: fixed(time.October, 3)},
		{name: "Reformationstag", rule: fixed(time.October, 31), lands: lands(bb, mv, sn, st, th)},
		{name: "Reformationstag", rule: fixed(time.October, 31), lands: lands(hb, hh, ni, sh), from: 2018},
		// 500 years of the Reformation: a one-off holiday in every Land.
		{name: "Reformationstag", rule: fixed(time.October, 31), from: 2017, to: 2017},
		{name: "Allerheiligen", rule: fixed(time.November, 1), lands: lands(bw, by, nw, rp, sl)},
		// Abolished everywhere but Sachsen from 1995 to fund the Pflegeversicherung.
		{name: "Buß- und Bettag", rule: rule{kind: bussUndBettag}, to: 1994},
		{name: "Buß- und Bettag", rule: rule{kind: bussUndBettag}, lands: lands(sn), from: 1995},
		{name: "1. Weihnachtstag", rule: fixed(time.December, 25)},
		{name: "2. Weihnachtstag", rule: fixed(time.December, 26)},
	}
}

// localHoliday is a holiday of only some municipalities of a Land.
type localHoliday struct {
	holiday
	land   tenancy.ID
	places []string // municipalities, spelled as tenancy.Court.City
}

// localHolidays returns the holidays that hold only in some municipalities.
// The place lists are deliberately short (see doc.go): a missing place makes
// a deadline one day shorter than it may be, a wrong one makes it too long.
func localHolidays() []localHoliday {
	return []localHoliday{
		{ // Art. 1 Abs. 2 BayFTG: only in the Stadtgebiet of Augsburg.
			holiday: holiday{name: "Augsburger Hohes Friedensfest", rule: fixed(time.August, 8), from: 1950},
			land:    by, places: []string{"Augsburg"},
		},
		{ // Art. 1 Abs. 1 Nr. 2 BayFTG: in Gemeinden mit überwiegend katholischer Bevölkerung.
			holiday: holiday{name: "Mariä Himmelfahrt", rule: fixed(time.August, 15)},
			land:    by, places: []string{"Augsburg", "Ingolstadt", "München", "Passau", "Regensburg", "Würzburg"},
		},
		{ // § 2 Abs. 2 ThürFGtG with its Verordnung: the Landkreis Eichsfeld.
			holiday: holiday{name: "Fronleichnam", rule: easter(60)},
			land:    th, places: []string{"Heiligenstadt", "Heilbad Heiligenstadt", "Leinefelde-Worbis"},
		},
	}
}

// branchSeats returns, for catalog entries whose City names the main court
// although the entry sits elsewhere, the place where it actually sits. The
// catalog derives City from the name and files e.g. "Landgericht Augsburg
// Strafvollstreckungskammer Nördlingen" under Augsburg. Only local holidays
// use this; the Land is the same.
func branchSeats() map[tenancy.CourtID]string {
	return map[tenancy.CourtID]string{
		"D2130": "Nördlingen",             // LG Augsburg, Strafvollstreckungskammer
		"D2720": "Garmisch-Partenkirchen", // LG München II, auswärtige Strafvollstreckungskammer
		"D9395": "Neu-Ulm",                // ArbG Augsburg, Kammer
		"D9398": "Ingolstadt",             // ArbG München, Kammer
		"D9399": "Weilheim",               // ArbG München, Kammer
		"D9400": "Deggendorf",             // ArbG Passau, Kammer
		"D9401": "Landshut",               // ArbG Regensburg, Kammer
		"D9404": "Aschaffenburg",          // ArbG Würzburg, Kammer
		"D9405": "Schweinfurt",            // ArbG Würzburg, Kammer
	}
}

// civil returns the calendar date of t (in t's own location) as midnight UTC.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
