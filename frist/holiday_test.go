// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package frist

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/de"

	"justizcloud/errs"
	"justizcloud/tenancy"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func mustCatalog(tb testing.TB) *tenancy.Catalog {
	tb.Helper()
	cat, err := tenancy.LoadCatalog()
	if err != nil {
		tb.Fatalf("LoadCatalog: %v", err)
	}
	return cat
}

func mustCalendar(tb testing.TB) *Calendar {
	tb.Helper()
	return NewCalendar(mustCatalog(tb))
}

// landCourts names one court per Land without local holidays at its seat.
func landCourts() map[tenancy.ID]tenancy.CourtID {
	return map[tenancy.ID]tenancy.CourtID{
		bw: "B2609", // AG Stuttgart
		by: "D3310", // AG Nürnberg (no Mariä Himmelfahrt)
		be: "F1101", // AG Tiergarten
		bb: "G1312", // AG Potsdam
		hb: "H1101", // AG Bremen
		hh: "K1101", // AG Hamburg
		he: "M1201", // AG Frankfurt
		mv: "N1308", // AG Schwerin
		ni: "P2305", // AG Hannover
		nw: "R3306", // AG Köln
		rp: "T2304", // AG Mainz
		sl: "V1109", // AG Saarbrücken
		sn: "U1308", // AG Leipzig
		st: "W1209", // AG Magdeburg
		sh: "X1517", // AG Kiel
		th: "Y1106", // AG Erfurt
	}
}

// TestHolidaysPerLand checks the complete list of every Land for 2025 to
// 2027 against dates taken from the official holiday calendars, written out
// by hand rather than computed.
func TestHolidaysPerLand(t *testing.T) {
	nationwide := map[int][]string{
		2025: {"01.01.", "18.04.", "21.04.", "01.05.", "29.05.", "09.06.", "03.10.", "25.12.", "26.12."},
		2026: {"01.01.", "03.04.", "06.04.", "01.05.", "14.05.", "25.05.", "03.10.", "25.12.", "26.12."},
		2027: {"01.01.", "26.03.", "29.03.", "01.05.", "06.05.", "17.05.", "03.10.", "25.12.", "26.12."},
	}
	fronleichnam := map[int]string{2025: "19.06.", 2026: "04.06.", 2027: "27.05."}
	bussUndBettag := map[int]string{2025: "19.11.", 2026: "18.11.", 2027: "17.11."}
	extra := func(l tenancy.ID, y int) []string {
		switch l {
		case bw, by:
			return []string{"06.01.", fronleichnam[y], "01.11."}
		case be:
			if y == 2025 {
				return []string{"08.03.", "08.05."}
			}
			return []string{"08.03."}
		case bb, hb, hh, ni, sh:
			return []string{"31.10."}
		case he:
			return []string{fronleichnam[y]}
		case mv:
			return []string{"08.03.", "31.10."}
		case nw, rp:
			return []string{fronleichnam[y], "01.11."}
		case sl:
			return []string{fronleichnam[y], "15.08.", "01.11."}
		case sn:
			return []string{"31.10.", bussUndBettag[y]}
		case st:
			return []string{"06.01.", "31.10."}
		case th:
			return []string{"20.09.", "31.10."}
		}
		return nil
	}
	c := mustCalendar(t)
	for l, court := range landCourts() {
		for y := 2025; y <= 2027; y++ {
			t.Run(fmt.Sprintf("%s %d", l, y), func(t *testing.T) {
				want := append(slices.Clone(nationwide[y]), extra(l, y)...)
				slices.SortFunc(want, func(a, b string) int { return strings.Compare(a[3:5]+a[:2], b[3:5]+b[:2]) })
				hs, err := c.Holidays(court, y)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, h := range hs {
					got = append(got, h.Date.Format("02.01."))
					if h.Date.Year() != y {
						t.Errorf("%s in year %d", h.Date.Format(time.DateOnly), y)
					}
				}
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("Holidays(%s, %d) mismatch (-want +got):\n%s", court, y, d)
				}
			})
		}
	}
}

func TestHolidayNames(t *testing.T) {
	c := mustCalendar(t)
	for _, tc := range []struct {
		court     tenancy.CourtID
		day       time.Time
		name      string
		land      tenancy.ID
		place     string
		isHoliday bool
	}{
		{"U1308", date(2026, 11, 18), "Buß- und Bettag", sn, "", true},
		{"D2601", date(2026, 11, 18), "", "", "", false},
		{"R3306", date(2026, 6, 4), "Fronleichnam", nw, "", true},
		{"P2305", date(2026, 6, 4), "", "", "", false},
		{"U1308", date(2026, 10, 31), "Reformationstag", sn, "", true},
		{"B2609", date(2017, 10, 31), "Reformationstag", "DE", "", true},
		{"G1312", date(2017, 10, 31), "Reformationstag", bb, "", true},
		{"K1101", date(2017, 10, 31), "Reformationstag", "DE", "", true},
		{"K1101", date(2016, 10, 31), "", "", "", false},
		{"F1101", date(2018, 3, 8), "", "", "", false},
		{"F1101", date(2019, 3, 8), "Internationaler Frauentag", be, "", true},
		{"N1308", date(2022, 3, 8), "", "", "", false},
		{"N1308", date(2023, 3, 8), "Internationaler Frauentag", mv, "", true},
		{"F1101", date(2020, 5, 8), "Tag der Befreiung", be, "", true},
		{"F1101", date(2025, 5, 8), "Tag der Befreiung", be, "", true},
		{"F1101", date(2026, 5, 8), "", "", "", false},
		{"Y1106", date(2018, 9, 20), "", "", "", false},
		{"Y1106", date(2019, 9, 20), "Weltkindertag", th, "", true},
		{"D2601", date(1994, 11, 16), "Buß- und Bettag", "DE", "", true},
		{"D2601", date(1995, 11, 22), "", "", "", false},
		{"U1308", date(1995, 11, 22), "Buß- und Bettag", sn, "", true},
		{"D2102", date(2028, 8, 8), "Augsburger Hohes Friedensfest", by, "Augsburg", true},
		{"D2102", date(2028, 8, 15), "Mariä Himmelfahrt", by, "Augsburg", true},
		{"D3310", date(2028, 8, 15), "", "", "", false},
		{"V1109", date(2028, 8, 15), "Mariä Himmelfahrt", sl, "", true},
		{"Y1109", date(2026, 6, 4), "Fronleichnam", th, "Heiligenstadt", true},
		{"Y1106", date(2026, 6, 4), "", "", "", false},
		{"A1000", date(2026, 6, 4), "Fronleichnam", "DE-BW", "", true}, // BGH: Land DE in the catalog, seat Karlsruhe
		{"A1000", date(2026, 12, 25), "1. Weihnachtstag", "DE", "", true},
		{"D6263", date(2026, 6, 4), "Fronleichnam", by, "", true}, // BFH sits in München
		{"D6263", date(2025, 8, 15), "Mariä Himmelfahrt", by, "München", true},
		{"U1308", date(2026, 12, 24), "", "", "", false}, // Heiligabend is no holiday
		{"U1308", date(2026, 12, 31), "", "", "", false}, // nor Silvester
	} {
		t.Run(fmt.Sprintf("%s %s", tc.court, tc.day.Format("02.01.2006")), func(t *testing.T) {
			s, err := c.seat(tc.court)
			if err != nil {
				t.Fatal(err)
			}
			h, ok := c.holidayOn(s, tc.day)
			if ok != tc.isHoliday {
				t.Fatalf("holiday = %v (%+v), want %v", ok, h, tc.isHoliday)
			}
			if ok && (h.Name != tc.name || h.Land != tc.land || h.Place != tc.place || !h.Date.Equal(tc.day)) {
				t.Errorf("holiday = %+v, want %s / %s / %q", h, tc.name, tc.land, tc.place)
			}
		})
	}
}

// TestAgainstRickarCal compares the Land tables with rickar/cal v2.1.13 for
// 2000–2040. Every difference must be one of the library's known defects
// (DEPENDENCIES.md 2.13); a new difference means that one of the two is wrong.
func TestAgainstRickarCal(t *testing.T) {
	lib := map[tenancy.ID][]*cal.Holiday{
		bw: de.HolidaysBW, by: de.HolidaysBY, be: de.HolidaysBE, bb: de.HolidaysBB,
		hb: de.HolidaysHB, hh: de.HolidaysHH, he: de.HolidaysHE, mv: de.HolidaysMV,
		ni: de.HolidaysNI, nw: de.HolidaysNW, rp: de.HolidaysRP, sl: de.HolidaysSL,
		sn: de.HolidaysSN, st: de.HolidaysST, sh: de.HolidaysSH, th: de.HolidaysTH,
	}
	// known returns "+" for a day only we have, "-" for one only the library has.
	known := func(l tenancy.ID, d time.Time) string {
		y, m, day := d.Date()
		switch {
		case l == mv && m == time.March && day == 8 && y >= 2023:
			return "+" // MV Frauentag missing in the library
		case l == be && m == time.May && day == 8 && (y == 2020 || y == 2025):
			return "+" // one-off Berlin holidays missing
		case y == 2017 && m == time.October && day == 31 && slices.Contains([]tenancy.ID{bw, by, be, he, nw, rp, sl}, l):
			return "+" // Reformationstag 2017 nationwide missing
		case l == be && m == time.March && day == 8 && y < 2019:
			return "-" // Frauentag without StartYear
		case slices.Contains([]tenancy.ID{hb, hh, ni, sh}, l) && m == time.October && day == 31 && y < 2017:
			return "-" // Reformationstag without StartYear
		}
		return ""
	}
	c := mustCalendar(t)
	for l, court := range landCourts() {
		s, err := c.seat(court)
		if err != nil {
			t.Fatal(err)
		}
		for y := 2000; y <= 2040; y++ {
			ours := map[time.Time]bool{}
			for _, h := range c.land {
				if h.validIn(y) && h.appliesTo(s.land) {
					ours[h.rule.in(y)] = true
				}
			}
			theirs := map[time.Time]bool{}
			for _, h := range lib[l] {
				if d, _ := h.Calc(y); !d.IsZero() {
					theirs[civil(d)] = true
				}
			}
			for d := range ours {
				if !theirs[d] && known(l, d) != "+" {
					t.Errorf("%s: %s is a holiday here but not in rickar/cal", l, d.Format(time.DateOnly))
				}
			}
			for d := range theirs {
				if !ours[d] && known(l, d) != "-" {
					t.Errorf("%s: %s is a holiday in rickar/cal but not here", l, d.Format(time.DateOnly))
				}
			}
		}
	}
}

// TestLocalHolidays checks the local holidays against the court catalog, so
// that a changed City spelling or a new branch entry shows up here.
func TestLocalHolidays(t *testing.T) {
	cat := mustCatalog(t)
	c := NewCalendar(cat)
	has := func(t *testing.T, id tenancy.CourtID, d time.Time) bool {
		t.Helper()
		hs, err := c.Holidays(id, d.Year())
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(hs, func(h Holiday) bool { return h.Date.Equal(d) })
	}

	t.Run("Friedensfest at every court in Augsburg but the branches elsewhere", func(t *testing.T) {
		courts := cat.Find(tenancy.CourtFilter{Tenant: by, City: "Augsburg", IncludeInactive: true})
		if len(courts) < 10 {
			t.Fatalf("Find(Augsburg) = %d courts, want at least 10", len(courts))
		}
		for _, ct := range courts {
			_, elsewhere := c.branches[ct.ID]
			if got := has(t, ct.ID, date(2028, 8, 8)); got == elsewhere {
				t.Errorf("%s %s: Friedensfest = %v, want %v", ct.ID, ct.Name, got, !elsewhere)
			}
		}
	})
	for _, tc := range []struct {
		name  string
		court tenancy.CourtID
		day   time.Time
		want  bool
	}{
		{"Friedensfest not at AG München", "D2601", date(2028, 8, 8), false},
		{"Friedensfest not at JVA Augsburg-Gablingen (own municipality)", "D9372", date(2028, 8, 8), false},
		{"Friedensfest not at LG Augsburg, StVK Nördlingen", "D2130", date(2028, 8, 8), false},
		{"Friedensfest not at ArbG Augsburg, Kammer Neu-Ulm", "D9395", date(2028, 8, 8), false},
		{"Mariä Himmelfahrt at AG München", "D2601", date(2028, 8, 15), true},
		{"Mariä Himmelfahrt at LG Regensburg", "D3400", date(2028, 8, 15), true},
		{"Mariä Himmelfahrt at AG Passau", "D2803", date(2028, 8, 15), true},
		{"Mariä Himmelfahrt at AG Würzburg", "D4708", date(2028, 8, 15), true},
		{"Mariä Himmelfahrt at AG Ingolstadt", "D5701", date(2028, 8, 15), true},
		{"Mariä Himmelfahrt at ArbG München, Kammer Ingolstadt", "D9398", date(2028, 8, 15), true},
		{"Mariä Himmelfahrt not at AG Nürnberg (Protestant majority)", "D3310", date(2028, 8, 15), false},
		{"Mariä Himmelfahrt not at LG Augsburg, StVK Nördlingen (Protestant majority)", "D2130", date(2028, 8, 15), false},
		{"Mariä Himmelfahrt not at ArbG Würzburg, Kammer Schweinfurt (not verified)", "D9405", date(2028, 8, 15), false},
		{"Mariä Himmelfahrt not in Hessen", "M1201", date(2028, 8, 15), false},
		{"Fronleichnam at AG Heiligenstadt (Eichsfeld)", "Y1109", date(2027, 5, 27), true},
		{"Fronleichnam at Grundbuchamt Heilbad Heiligenstadt", "Y1109G", date(2027, 5, 27), true},
		{"Fronleichnam not at AG Erfurt", "Y1106", date(2027, 5, 27), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := has(t, tc.court, tc.day); got != tc.want {
				t.Errorf("holiday on %s at %s = %v, want %v", tc.day.Format(time.DateOnly), tc.court, got, tc.want)
			}
		})
	}
}

func TestLocalTablesMatchCatalog(t *testing.T) {
	cat := mustCatalog(t)
	for _, h := range localHolidays() {
		for _, p := range h.places {
			if len(cat.Find(tenancy.CourtFilter{Tenant: h.land, City: p, IncludeInactive: true})) == 0 {
				t.Errorf("%s: no court in %s %q; spelling differs from the catalog?", h.name, h.land, p)
			}
		}
	}
	for id, place := range branchSeats() {
		ct, err := cat.Court(id)
		if err != nil {
			t.Errorf("branch %s: %v", id, err)
			continue
		}
		if ct.City == place || !strings.Contains(ct.Name, place) {
			t.Errorf("branch %s %q: City %q, override %q: override stale or wrong", id, ct.Name, ct.City, place)
		}
	}
}

func TestHolidaysErrors(t *testing.T) {
	c := mustCalendar(t)
	for _, tc := range []struct {
		court tenancy.CourtID
		year  int
		msg   string
	}{
		{"X9999", 2026, `court "X9999"`},
		{"", 2026, `court ""`},
		{"U1308", MinYear - 1, "year 1990"},
		{"U1308", MaxYear + 1, "year 2200"},
	} {
		_, err := c.Holidays(tc.court, tc.year)
		if !errors.Is(err, errs.ErrInvalid) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("Holidays(%q, %d) error = %v, want errs.ErrInvalid naming %s", tc.court, tc.year, err, tc.msg)
		}
		if errors.Is(err, errs.ErrNotFound) {
			t.Errorf("Holidays(%q, %d) error = %v also wraps ErrNotFound", tc.court, tc.year, err)
		}
	}
	if _, err := NewCalendar(nil).Holidays("U1308", 2026); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("nil catalog: error = %v, want errs.ErrInvalid", err)
	}
}
