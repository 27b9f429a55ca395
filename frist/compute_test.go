// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package frist

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"justizcloud/errs"
	"justizcloud/tenancy"
)

type fristCase struct {
	name   string
	court  tenancy.CourtID
	start  time.Time
	period string
	raw    time.Time // end by §§ 187, 188 BGB
	end    time.Time // end after § 222 Abs. 2 ZPO
	rules  []string  // if set, the rules of all steps in order
}

// Courts used below: D2601 AG München, D2102 AG Augsburg, D3310 AG Nürnberg,
// U1308 AG Leipzig; the others are listed in landCourts.
func fristCases() []fristCase {
	return []fristCase{
		// §§ 187 Abs. 1, 188 Abs. 2 BGB: weeks end on the weekday of the event.
		{name: "Zustellung Fr 30.10.2026 + 2w = Fr 13.11.2026", court: "D2601", start: date(2026, 10, 30), period: "2w",
			raw: date(2026, 11, 13), end: date(2026, 11, 13),
			rules: []string{"§ 187 Abs. 1 BGB", "§ 188 Abs. 2 BGB", "§ 188 Abs. 2 BGB"}},
		{name: "Zustellung Mo 02.11.2026 + 1w = Mo 09.11.2026", court: "U1308", start: date(2026, 11, 2), period: "1w",
			raw: date(2026, 11, 9), end: date(2026, 11, 9)},
		// § 188 Abs. 1 BGB: days end at the end of the last day.
		{name: "Zustellung Mo 02.11.2026 + 14d = Mo 16.11.2026 (§ 188 Abs. 1 BGB)", court: "D2601", start: date(2026, 11, 2), period: "14d",
			raw: date(2026, 11, 16), end: date(2026, 11, 16),
			rules: []string{"§ 187 Abs. 1 BGB", "§ 188 Abs. 1 BGB", "§ 188 Abs. 1 BGB"}},
		{name: "Mi 04.11.2026 + 3d = Sa 07.11.2026 → Mo 09.11.2026", court: "D2601", start: date(2026, 11, 4), period: "3d",
			raw: date(2026, 11, 7), end: date(2026, 11, 9),
			rules: []string{"§ 187 Abs. 1 BGB", "§ 188 Abs. 1 BGB", "§ 222 Abs. 2 ZPO", "§ 222 Abs. 2 ZPO", "§ 222 Abs. 2 ZPO"}},
		{name: "1d: Zustellung Do 30.04.2026 + 1d = Fr 01.05.2026 (Tag der Arbeit) → Mo 04.05.2026", court: "R3306", start: date(2026, 4, 30), period: "1d",
			raw: date(2026, 5, 1), end: date(2026, 5, 4)},
		{name: "22.12.2026 + 10d = Fr 01.01.2027 (Neujahr) → Mo 04.01.2027", court: "P2305", start: date(2026, 12, 22), period: "10d",
			raw: date(2027, 1, 1), end: date(2027, 1, 4)},

		// § 188 Abs. 2 and 3 BGB: months and years.
		{name: "31.01.2025 + 1m → Fr 28.02.2025 (§ 188 Abs. 3 BGB)", court: "D2601", start: date(2025, 1, 31), period: "1m",
			raw: date(2025, 2, 28), end: date(2025, 2, 28),
			rules: []string{"§ 187 Abs. 1 BGB", "§ 188 Abs. 2 BGB", "§ 188 Abs. 3 BGB", "§ 188 Abs. 3 BGB"}},
		{name: "31.01.2026 + 1m → 28.02.2026 (§ 188 Abs. 3 BGB), a Saturday → Mo 02.03.2026", court: "D2601", start: date(2026, 1, 31), period: "1m",
			raw: date(2026, 2, 28), end: date(2026, 3, 2),
			rules: []string{"§ 187 Abs. 1 BGB", "§ 188 Abs. 2 BGB", "§ 188 Abs. 3 BGB", "§ 222 Abs. 2 ZPO", "§ 222 Abs. 2 ZPO", "§ 222 Abs. 2 ZPO"}},
		{name: "leap year: 31.01.2028 + 1m → Di 29.02.2028 (§ 188 Abs. 3 BGB)", court: "U1308", start: date(2028, 1, 31), period: "1m",
			raw: date(2028, 2, 29), end: date(2028, 2, 29)},
		{name: "leap year: 29.02.2024 + 1y → Fr 28.02.2025 (§ 188 Abs. 3 BGB)", court: "U1308", start: date(2024, 2, 29), period: "1y",
			raw: date(2025, 2, 28), end: date(2025, 2, 28),
			rules: []string{"§ 187 Abs. 1 BGB", "§ 188 Abs. 2 BGB", "§ 188 Abs. 3 BGB", "§ 188 Abs. 3 BGB"}},
		{name: "leap year: 29.02.2024 + 4y → Di 29.02.2028", court: "U1308", start: date(2024, 2, 29), period: "4y",
			raw: date(2028, 2, 29), end: date(2028, 2, 29)},
		{name: "no leap year: 29.01.2026 + 1m → Sa 28.02.2026 (no 29.02.) → Mo 02.03.2026", court: "K1101", start: date(2026, 1, 29), period: "1m",
			raw: date(2026, 2, 28), end: date(2026, 3, 2)},
		{name: "month end: 31.08.2026 + 1m = Mi 30.09.2026 (§ 188 Abs. 3 BGB)", court: "D2601", start: date(2026, 8, 31), period: "1m",
			raw: date(2026, 9, 30), end: date(2026, 9, 30)},
		{name: "30.09.2026 + 1m = Fr 30.10.2026, not the last day of October", court: "D2601", start: date(2026, 9, 30), period: "1m",
			raw: date(2026, 10, 30), end: date(2026, 10, 30)},
		{name: "28.02.2026 + 1m = Sa 28.03.2026, not 31.03. → Mo 30.03.2026", court: "D2601", start: date(2026, 2, 28), period: "1m",
			raw: date(2026, 3, 28), end: date(2026, 3, 30)},
		{name: "31.10.2026 + 4m across the year → So 28.02.2027 (§ 188 Abs. 3 BGB) → Mo 01.03.2027", court: "D2601", start: date(2026, 10, 31), period: "4m",
			raw: date(2027, 2, 28), end: date(2027, 3, 1)},
		{name: "30.04.2026 + 6m = Fr 30.10.2026", court: "R3306", start: date(2026, 4, 30), period: "6m",
			raw: date(2026, 10, 30), end: date(2026, 10, 30)},
		{name: "15.03.2026 + 1y = Mo 15.03.2027", court: "B2609", start: date(2026, 3, 15), period: "1y",
			raw: date(2027, 3, 15), end: date(2027, 3, 15)},
		{name: "31.10.2025 + 1y = Sa 31.10.2026, Reformationstag in SN → Mo 02.11.2026", court: "U1308", start: date(2025, 10, 31), period: "1y",
			raw: date(2026, 10, 31), end: date(2026, 11, 2)},
		{name: "longest period: 15.06.2026 + 10y = So 15.06.2036 → Mo 16.06.2036", court: "U1308", start: date(2026, 6, 15), period: "10y",
			raw: date(2036, 6, 15), end: date(2036, 6, 16)},

		// § 222 Abs. 2 ZPO: Saturday, Sunday, holiday at the court's seat.
		{name: "end on Sat 31.10.2026 → Mon 02.11.2026 (§ 222 Abs. 2 ZPO), at AG München no Reformationstag", court: "D2601", start: date(2026, 10, 17), period: "2w",
			raw: date(2026, 10, 31), end: date(2026, 11, 2)},
		{name: "end on Sun 15.11.2026 → Mon 16.11.2026", court: "D2601", start: date(2026, 11, 8), period: "1w",
			raw: date(2026, 11, 15), end: date(2026, 11, 16)},
		{name: "Zustellung on a Saturday does not matter: Sa 07.11.2026 + 1w = Sa 14.11.2026 → Mo 16.11.2026", court: "U1308", start: date(2026, 11, 7), period: "1w",
			raw: date(2026, 11, 14), end: date(2026, 11, 16)},
		{name: "end on Buß- und Bettag Mi 18.11.2026 at AG Leipzig (SN, U1308) moves to Do 19.11.2026", court: "U1308", start: date(2026, 11, 4), period: "2w",
			raw: date(2026, 11, 18), end: date(2026, 11, 19)},
		{name: "end on Buß- und Bettag 18.11.2026 at AG München (D2601) does not move", court: "D2601", start: date(2026, 11, 4), period: "2w",
			raw: date(2026, 11, 18), end: date(2026, 11, 18)},
		{name: "Buß- und Bettag 16.11.1994, still nationwide, moves at AG München", court: "D2601", start: date(1994, 11, 2), period: "2w",
			raw: date(1994, 11, 16), end: date(1994, 11, 17)},
		{name: "Fronleichnam Do 04.06.2026 in NW (AG Köln) → Fr 05.06.2026", court: "R3306", start: date(2026, 5, 21), period: "2w",
			raw: date(2026, 6, 4), end: date(2026, 6, 5)},
		{name: "Fronleichnam 04.06.2026 is no holiday in NI (AG Hannover)", court: "P2305", start: date(2026, 5, 21), period: "2w",
			raw: date(2026, 6, 4), end: date(2026, 6, 4)},
		{name: "Fronleichnam Do 27.05.2027 in HE (AG Frankfurt) → Fr 28.05.2027", court: "M1201", start: date(2027, 5, 13), period: "2w",
			raw: date(2027, 5, 27), end: date(2027, 5, 28)},
		{name: "Fronleichnam 27.05.2027 in RP (AG Mainz) → 28.05.2027", court: "T2304", start: date(2027, 5, 13), period: "2w",
			raw: date(2027, 5, 27), end: date(2027, 5, 28)},
		{name: "Fronleichnam 04.06.2026 at AG Heiligenstadt (Eichsfeld, TH) → 05.06.2026", court: "Y1109", start: date(2026, 5, 21), period: "2w",
			raw: date(2026, 6, 4), end: date(2026, 6, 5)},
		{name: "Fronleichnam 04.06.2026 not at AG Erfurt (TH)", court: "Y1106", start: date(2026, 5, 21), period: "2w",
			raw: date(2026, 6, 4), end: date(2026, 6, 4)},
		{name: "Reformationstag Fr 31.10.2025 in SN (AG Leipzig) → Mo 03.11.2025", court: "U1308", start: date(2025, 10, 17), period: "2w",
			raw: date(2025, 10, 31), end: date(2025, 11, 3)},
		{name: "Reformationstag 31.10.2025 in ST (AG Magdeburg) → 03.11.2025", court: "W1209", start: date(2025, 10, 17), period: "2w",
			raw: date(2025, 10, 31), end: date(2025, 11, 3)},
		{name: "Reformationstag 31.10.2025 in MV (AG Schwerin) → 03.11.2025", court: "N1308", start: date(2025, 10, 17), period: "2w",
			raw: date(2025, 10, 31), end: date(2025, 11, 3)},
		{name: "Reformationstag 31.10.2025 not in BY (AG München)", court: "D2601", start: date(2025, 10, 17), period: "2w",
			raw: date(2025, 10, 31), end: date(2025, 10, 31)},
		{name: "Reformationstag Mo 31.10.2016 in BB (AG Potsdam) → Di 01.11.2016", court: "G1312", start: date(2016, 10, 17), period: "2w",
			raw: date(2016, 10, 31), end: date(2016, 11, 1)},
		{name: "Reformationstag 31.10.2016 not yet in SH (AG Kiel), only since 2018", court: "X1517", start: date(2016, 10, 17), period: "2w",
			raw: date(2016, 10, 31), end: date(2016, 10, 31)},
		{name: "Reformationstag Do 31.10.2019 in HB (AG Bremen) → Fr 01.11.2019", court: "H1101", start: date(2019, 10, 17), period: "2w",
			raw: date(2019, 10, 31), end: date(2019, 11, 1)},
		{name: "Reformationstag 31.10.2019 in HH (AG Hamburg) → 01.11.2019", court: "K1101", start: date(2019, 10, 17), period: "2w",
			raw: date(2019, 10, 31), end: date(2019, 11, 1)},
		{name: "Reformationstag 31.10.2019 in NI (AG Hannover) → 01.11.2019", court: "P2305", start: date(2019, 10, 17), period: "2w",
			raw: date(2019, 10, 31), end: date(2019, 11, 1)},
		{name: "Reformationstag 31.10.2019 in SH (AG Kiel) → 01.11.2019", court: "X1517", start: date(2019, 10, 17), period: "2w",
			raw: date(2019, 10, 31), end: date(2019, 11, 1)},
		{name: "Reformationstag Di 31.10.2017 once nationwide, then Allerheiligen in BY → Do 02.11.2017", court: "D2601", start: date(2017, 10, 17), period: "2w",
			raw: date(2017, 10, 31), end: date(2017, 11, 2)},
		{name: "Reformationstag 31.10.2017 once nationwide, in HE (no Allerheiligen) → Mi 01.11.2017", court: "M1201", start: date(2017, 10, 17), period: "2w",
			raw: date(2017, 10, 31), end: date(2017, 11, 1)},
		{name: "Allerheiligen Mo 01.11.2027 in NW (AG Köln) → Di 02.11.2027", court: "R3306", start: date(2027, 10, 18), period: "2w",
			raw: date(2027, 11, 1), end: date(2027, 11, 2)},
		{name: "Allerheiligen 01.11.2027 in SL (AG Saarbrücken) → 02.11.2027", court: "V1109", start: date(2027, 10, 18), period: "2w",
			raw: date(2027, 11, 1), end: date(2027, 11, 2)},
		{name: "Allerheiligen 01.11.2027 not in HE (AG Frankfurt)", court: "M1201", start: date(2027, 10, 18), period: "2w",
			raw: date(2027, 11, 1), end: date(2027, 11, 1)},
		{name: "Frauentag Mo 08.03.2027 in BE (AG Tiergarten) → Di 09.03.2027", court: "F1101", start: date(2027, 2, 22), period: "2w",
			raw: date(2027, 3, 8), end: date(2027, 3, 9)},
		{name: "Frauentag 08.03.2027 in MV (AG Schwerin) → 09.03.2027", court: "N1308", start: date(2027, 2, 22), period: "2w",
			raw: date(2027, 3, 8), end: date(2027, 3, 9)},
		{name: "Frauentag Di 08.03.2022 not yet in MV (since 2023)", court: "N1308", start: date(2022, 2, 22), period: "2w",
			raw: date(2022, 3, 8), end: date(2022, 3, 8)},
		{name: "Frauentag Do 08.03.2018 not yet in BE (since 2019)", court: "F1101", start: date(2018, 2, 22), period: "2w",
			raw: date(2018, 3, 8), end: date(2018, 3, 8)},
		{name: "Frauentag 08.03.2027 not in BB (AG Potsdam)", court: "G1312", start: date(2027, 2, 22), period: "2w",
			raw: date(2027, 3, 8), end: date(2027, 3, 8)},
		{name: "Tag der Befreiung Do 08.05.2025, one-off in BE → Fr 09.05.2025", court: "F1101", start: date(2025, 4, 24), period: "2w",
			raw: date(2025, 5, 8), end: date(2025, 5, 9)},
		{name: "08.05.2026 is no holiday in BE", court: "F1101", start: date(2026, 4, 24), period: "2w",
			raw: date(2026, 5, 8), end: date(2026, 5, 8)},
		{name: "Weltkindertag Mo 20.09.2027 in TH (AG Erfurt) → Di 21.09.2027", court: "Y1106", start: date(2027, 9, 6), period: "2w",
			raw: date(2027, 9, 20), end: date(2027, 9, 21)},
		{name: "Weltkindertag 20.09.2027 not in SN (AG Leipzig)", court: "U1308", start: date(2027, 9, 6), period: "2w",
			raw: date(2027, 9, 20), end: date(2027, 9, 20)},
		{name: "Weltkindertag Do 20.09.2018 not yet in TH (since 2019)", court: "Y1106", start: date(2018, 9, 6), period: "2w",
			raw: date(2018, 9, 20), end: date(2018, 9, 20)},
		{name: "Mariä Himmelfahrt Fr 15.08.2025 in SL (AG Saarbrücken) → Mo 18.08.2025", court: "V1109", start: date(2025, 8, 1), period: "2w",
			raw: date(2025, 8, 15), end: date(2025, 8, 18)},
		{name: "Mariä Himmelfahrt 15.08.2025 not in RP (AG Mainz)", court: "T2304", start: date(2025, 8, 1), period: "2w",
			raw: date(2025, 8, 15), end: date(2025, 8, 15)},
		{name: "Mariä Himmelfahrt 15.08.2025 at AG München (Catholic majority) → 18.08.2025", court: "D2601", start: date(2025, 8, 1), period: "2w",
			raw: date(2025, 8, 15), end: date(2025, 8, 18)},
		{name: "Mariä Himmelfahrt 15.08.2025 not at AG Nürnberg", court: "D3310", start: date(2025, 8, 1), period: "2w",
			raw: date(2025, 8, 15), end: date(2025, 8, 15)},
		{name: "Augsburger Friedensfest Di 08.08.2028 at AG Augsburg (D2102) → Mi 09.08.2028", court: "D2102", start: date(2028, 7, 25), period: "2w",
			raw: date(2028, 8, 8), end: date(2028, 8, 9)},
		{name: "Augsburger Friedensfest 08.08.2028 at LG Augsburg (D2100) → 09.08.2028", court: "D2100", start: date(2028, 7, 25), period: "2w",
			raw: date(2028, 8, 8), end: date(2028, 8, 9)},
		{name: "Augsburger Friedensfest 08.08.2028 not at AG München (D2601)", court: "D2601", start: date(2028, 7, 25), period: "2w",
			raw: date(2028, 8, 8), end: date(2028, 8, 8)},
		{name: "Mariä Himmelfahrt Di 15.08.2028 at AG Augsburg → Mi 16.08.2028", court: "D2102", start: date(2028, 8, 1), period: "2w",
			raw: date(2028, 8, 15), end: date(2028, 8, 16)},
		{name: "Heilige Drei Könige Di 06.01.2026 in BW (AG Stuttgart) → Mi 07.01.2026", court: "B2609", start: date(2025, 12, 23), period: "2w",
			raw: date(2026, 1, 6), end: date(2026, 1, 7)},
		{name: "Heilige Drei Könige 06.01.2026 in ST (AG Magdeburg) → 07.01.2026", court: "W1209", start: date(2025, 12, 23), period: "2w",
			raw: date(2026, 1, 6), end: date(2026, 1, 7)},
		{name: "Heilige Drei Könige 06.01.2026 in BY (AG Nürnberg) → 07.01.2026", court: "D3310", start: date(2025, 12, 23), period: "2w",
			raw: date(2026, 1, 6), end: date(2026, 1, 7)},
		{name: "Heilige Drei Könige 06.01.2026 not in NI (AG Hannover)", court: "P2305", start: date(2025, 12, 23), period: "2w",
			raw: date(2026, 1, 6), end: date(2026, 1, 6)},

		// Chains of non-working days.
		{name: "end on Heiligabend Do 24.12.2026 is no holiday: stays", court: "U1308", start: date(2026, 12, 10), period: "2w",
			raw: date(2026, 12, 24), end: date(2026, 12, 24)},
		{name: "end on Silvester Do 31.12.2026 is no holiday: stays", court: "U1308", start: date(2026, 12, 17), period: "2w",
			raw: date(2026, 12, 31), end: date(2026, 12, 31)},
		{name: "Christmas chain: Fr 25.12., Sa 26.12., So 27.12.2026 → Mo 28.12.2026", court: "D2601", start: date(2026, 12, 11), period: "2w",
			raw: date(2026, 12, 25), end: date(2026, 12, 28),
			rules: []string{"§ 187 Abs. 1 BGB", "§ 188 Abs. 2 BGB", "§ 222 Abs. 2 ZPO", "§ 222 Abs. 2 ZPO", "§ 222 Abs. 2 ZPO", "§ 222 Abs. 2 ZPO"}},
		{name: "Christmas on a weekend: Sa 25.12.2027, So 26.12.2027 → Mo 27.12.2027 (no substitute day)", court: "D2601", start: date(2027, 12, 11), period: "2w",
			raw: date(2027, 12, 25), end: date(2027, 12, 27)},
		{name: "26.11.2026 + 1m = Sa 26.12.2026 → Mo 28.12.2026", court: "H1101", start: date(2026, 11, 26), period: "1m",
			raw: date(2026, 12, 26), end: date(2026, 12, 28)},
		{name: "New Year chain: Fr 01.01.2027, Sa, So → Mo 04.01.2027", court: "X1517", start: date(2026, 12, 18), period: "2w",
			raw: date(2027, 1, 1), end: date(2027, 1, 4)},
		{name: "Easter chain: Karfreitag 03.04.2026 → Sa, So, Ostermontag → Di 07.04.2026", court: "U1308", start: date(2026, 3, 20), period: "2w",
			raw: date(2026, 4, 3), end: date(2026, 4, 7)},
		{name: "Christi Himmelfahrt Do 14.05.2026 → Fr 15.05.2026", court: "F1101", start: date(2026, 4, 30), period: "2w",
			raw: date(2026, 5, 14), end: date(2026, 5, 15)},
		{name: "Pfingstmontag 25.05.2026 → Di 26.05.2026", court: "G1312", start: date(2026, 5, 11), period: "2w",
			raw: date(2026, 5, 25), end: date(2026, 5, 26)},
		{name: "Tag der Arbeit Sa 01.05.2027 → Mo 03.05.2027", court: "K1101", start: date(2027, 4, 17), period: "2w",
			raw: date(2027, 5, 1), end: date(2027, 5, 3)},
		{name: "Tag der Deutschen Einheit Fr 03.10.2025 → Mo 06.10.2025", court: "T2304", start: date(2025, 9, 19), period: "2w",
			raw: date(2025, 10, 3), end: date(2025, 10, 6)},

		// Federal courts: the Land of the seat as the catalog gives it.
		{name: "BGH (A1000, Land DE, seat Karlsruhe): Fronleichnam 04.06.2026 is a holiday in BW, moves to Fr 05.06.2026", court: "A1000", start: date(2026, 5, 21), period: "2w",
			raw: date(2026, 6, 4), end: date(2026, 6, 5)},
		{name: "Bundesamt für Justiz (A2000R, seat Bonn): Fronleichnam 04.06.2026 is a holiday in NW, moves to Fr 05.06.2026", court: "A2000R", start: date(2026, 5, 21), period: "2w",
			raw: date(2026, 6, 4), end: date(2026, 6, 5)},
		{name: "EPPO (C6087, no seat in a Land): Fronleichnam 04.06.2026 does not move", court: "C6087", start: date(2026, 5, 21), period: "2w",
			raw: date(2026, 6, 4), end: date(2026, 6, 4)},
		{name: "BGH: Christmas 25.12.2026 moves to 28.12.2026", court: "A1000", start: date(2026, 12, 11), period: "2w",
			raw: date(2026, 12, 25), end: date(2026, 12, 28)},
		{name: "BFH (D6263, München): Fronleichnam 04.06.2026 → 05.06.2026", court: "D6263", start: date(2026, 5, 21), period: "2w",
			raw: date(2026, 6, 4), end: date(2026, 6, 5)},
		{name: "BVerwG (U8572, Leipzig): Buß- und Bettag 18.11.2026 → 19.11.2026", court: "U8572", start: date(2026, 11, 4), period: "2w",
			raw: date(2026, 11, 18), end: date(2026, 11, 19)},
		{name: "BAG (Y6010, Erfurt): Weltkindertag 20.09.2027 → 21.09.2027", court: "Y6010", start: date(2027, 9, 6), period: "2w",
			raw: date(2027, 9, 20), end: date(2027, 9, 21)},
	}
}

func TestCompute(t *testing.T) {
	c := mustCalendar(t)
	for _, tc := range fristCases() {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParsePeriod(tc.period)
			if err != nil {
				t.Fatal(err)
			}
			r, err := c.Compute(tc.court, tc.start, p)
			if err != nil {
				t.Fatalf("Compute error = %v", err)
			}
			if !r.RawEnd.Equal(tc.raw) {
				t.Errorf("RawEnd = %s, want %s", r.RawEnd.Format(time.DateOnly), tc.raw.Format(time.DateOnly))
			}
			if !r.End.Equal(tc.end) {
				t.Errorf("End = %s, want %s\n%s", r.End.Format(time.DateOnly), tc.end.Format(time.DateOnly), strings.Join(r.Explain(), "\n"))
			}
			if tc.rules != nil {
				var rules []string
				for _, s := range r.Steps {
					rules = append(rules, s.Rule)
				}
				if d := cmp.Diff(tc.rules, rules); d != "" {
					t.Errorf("rules mismatch (-want +got):\n%s", d)
				}
			}
			checkResult(t, c, r)
		})
	}
}

// checkResult checks what holds for every Result: the fields, the order of
// the steps, and that End is the first working day from RawEnd on.
func checkResult(t *testing.T, c *Calendar, r Result) {
	t.Helper()
	for _, d := range []time.Time{r.Start, r.RawEnd, r.End} {
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Errorf("date %v is not midnight UTC", d)
		}
	}
	if len(r.Steps) < 3 {
		t.Fatalf("Steps = %d, want at least 3", len(r.Steps))
	}
	if first := r.Steps[0]; first.Rule != "§ 187 Abs. 1 BGB" || !first.Date.Equal(r.Start) {
		t.Errorf("first step = %+v, want § 187 Abs. 1 BGB on the start day", first)
	}
	if last := r.Steps[len(r.Steps)-1]; !last.Date.Equal(r.End) || !strings.HasPrefix(last.Text, "Die Frist endet mit dem Ablauf von") {
		t.Errorf("last step = %+v, want the end on %s", last, r.End.Format(time.DateOnly))
	}
	for i := 2; i < len(r.Steps); i++ {
		if r.Steps[i].Date.Before(r.Steps[i-1].Date) {
			t.Errorf("step %d (%s) before step %d (%s)", i, r.Steps[i].Date.Format(time.DateOnly), i-1, r.Steps[i-1].Date.Format(time.DateOnly))
		}
	}
	if lines := r.Explain(); len(lines) != len(r.Steps) {
		t.Errorf("Explain = %d lines, want %d", len(lines), len(r.Steps))
	}
	hs, err := c.Holidays(r.Court, r.End.Year())
	if err != nil {
		t.Fatal(err)
	}
	prev, err := c.Holidays(r.Court, r.RawEnd.Year())
	if err != nil {
		t.Fatal(err)
	}
	isClosed := func(d time.Time) bool {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			return true
		}
		for _, h := range append(prev, hs...) {
			if h.Date.Equal(d) {
				return true
			}
		}
		return false
	}
	for d := r.RawEnd; d.Before(r.End); d = d.AddDate(0, 0, 1) {
		if !isClosed(d) {
			t.Errorf("%s is a working day before End %s", d.Format(time.DateOnly), r.End.Format(time.DateOnly))
		}
	}
	if isClosed(r.End) {
		t.Errorf("End %s is not a working day", r.End.Format(time.DateOnly))
	}
}

func TestExplain(t *testing.T) {
	c := mustCalendar(t)
	for _, tc := range []struct {
		name   string
		court  tenancy.CourtID
		start  time.Time
		period Period
		want   []string
	}{
		{"Zustellung Fr 30.10.2026 + 2w at AG München", "D2601", date(2026, 10, 30), Period{2, Weeks}, []string{
			"Ereignistag (z. B. Zustellung) Freitag, 30.10.2026 wird nicht mitgerechnet; die Frist beginnt am Samstag, 31.10.2026 (§ 187 Abs. 1 BGB)",
			"Frist von 2 Wochen endet mit dem Ablauf des Tages der letzten Woche, der durch seine Benennung dem Ereignistag entspricht (Freitag): Freitag, 13.11.2026 (§ 188 Abs. 2 BGB)",
			"Die Frist endet mit dem Ablauf von Freitag, 13.11.2026 (§ 188 Abs. 2 BGB)",
		}},
		{"end on Sat 31.10.2026 at AG München", "D2601", date(2026, 10, 17), Period{2, Weeks}, []string{
			"Ereignistag (z. B. Zustellung) Samstag, 17.10.2026 wird nicht mitgerechnet; die Frist beginnt am Sonntag, 18.10.2026 (§ 187 Abs. 1 BGB)",
			"Frist von 2 Wochen endet mit dem Ablauf des Tages der letzten Woche, der durch seine Benennung dem Ereignistag entspricht (Samstag): Samstag, 31.10.2026 (§ 188 Abs. 2 BGB)",
			"Fristende fällt auf Samstag, 31.10.2026 → nächster Werktag (§ 222 Abs. 2 ZPO)",
			"Sonntag, 01.11.2026, Allerheiligen (gesetzlicher Feiertag in Bayern) ist ebenfalls kein Werktag → nächster Werktag (§ 222 Abs. 2 ZPO)",
			"Die Frist endet mit dem Ablauf von Montag, 02.11.2026 (§ 222 Abs. 2 ZPO)",
		}},
		{"31.01.2026 + 1m at AG Leipzig", "U1308", date(2026, 1, 31), Period{1, Months}, []string{
			"Ereignistag (z. B. Zustellung) Samstag, 31.01.2026 wird nicht mitgerechnet; die Frist beginnt am Sonntag, 01.02.2026 (§ 187 Abs. 1 BGB)",
			"Frist von 1 Monat endet mit dem Ablauf des Tages des letzten Monats, der durch seine Zahl dem Ereignistag entspricht (31.): Februar 2026 (§ 188 Abs. 2 BGB)",
			"Der Februar 2026 hat keinen 31. Tag → Fristende ist der letzte Tag des Monats: Samstag, 28.02.2026 (§ 188 Abs. 3 BGB)",
			"Fristende fällt auf Samstag, 28.02.2026 → nächster Werktag (§ 222 Abs. 2 ZPO)",
			"Sonntag, 01.03.2026 ist ebenfalls kein Werktag → nächster Werktag (§ 222 Abs. 2 ZPO)",
			"Die Frist endet mit dem Ablauf von Montag, 02.03.2026 (§ 222 Abs. 2 ZPO)",
		}},
		{"3 Tage, end on Buß- und Bettag at AG Leipzig", "U1308", date(2026, 11, 15), Period{3, Days}, []string{
			"Ereignistag (z. B. Zustellung) Sonntag, 15.11.2026 wird nicht mitgerechnet; die Frist beginnt am Montag, 16.11.2026 (§ 187 Abs. 1 BGB)",
			"Frist von 3 Tagen endet mit dem Ablauf ihres letzten Tages: Mittwoch, 18.11.2026 (§ 188 Abs. 1 BGB)",
			"Fristende fällt auf Mittwoch, 18.11.2026, Buß- und Bettag (gesetzlicher Feiertag in Sachsen) → nächster Werktag (§ 222 Abs. 2 ZPO)",
			"Die Frist endet mit dem Ablauf von Donnerstag, 19.11.2026 (§ 222 Abs. 2 ZPO)",
		}},
		{"1 Jahr, end on the Friedensfest at AG Augsburg", "D2102", date(2027, 8, 8), Period{1, Years}, []string{
			"Ereignistag (z. B. Zustellung) Sonntag, 08.08.2027 wird nicht mitgerechnet; die Frist beginnt am Montag, 09.08.2027 (§ 187 Abs. 1 BGB)",
			"Frist von 1 Jahr endet mit dem Ablauf des Tages des letzten Monats, der durch seine Zahl dem Ereignistag entspricht (8.): Dienstag, 08.08.2028 (§ 188 Abs. 2 BGB)",
			"Fristende fällt auf Dienstag, 08.08.2028, Augsburger Hohes Friedensfest (gesetzlicher Feiertag am Gerichtsort Augsburg) → nächster Werktag (§ 222 Abs. 2 ZPO)",
			"Die Frist endet mit dem Ablauf von Mittwoch, 09.08.2028 (§ 222 Abs. 2 ZPO)",
		}},
		{"Christmas at the BGH", "A1000", date(2026, 12, 11), Period{2, Weeks}, []string{
			"Ereignistag (z. B. Zustellung) Freitag, 11.12.2026 wird nicht mitgerechnet; die Frist beginnt am Samstag, 12.12.2026 (§ 187 Abs. 1 BGB)",
			"Frist von 2 Wochen endet mit dem Ablauf des Tages der letzten Woche, der durch seine Benennung dem Ereignistag entspricht (Freitag): Freitag, 25.12.2026 (§ 188 Abs. 2 BGB)",
			"Fristende fällt auf Freitag, 25.12.2026, 1. Weihnachtstag (gesetzlicher Feiertag) → nächster Werktag (§ 222 Abs. 2 ZPO)",
			"Samstag, 26.12.2026, 2. Weihnachtstag (gesetzlicher Feiertag) ist ebenfalls kein Werktag → nächster Werktag (§ 222 Abs. 2 ZPO)",
			"Sonntag, 27.12.2026 ist ebenfalls kein Werktag → nächster Werktag (§ 222 Abs. 2 ZPO)",
			"Die Frist endet mit dem Ablauf von Montag, 28.12.2026 (§ 222 Abs. 2 ZPO)",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := c.Compute(tc.court, tc.start, tc.period)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, r.Explain()); d != "" {
				t.Errorf("Explain mismatch (-want +got):\n%s", d)
			}
		})
	}
}

func TestComputeStartDate(t *testing.T) {
	c := mustCalendar(t)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	// 30.10.2026 23:30 in Berlin is 22:30 UTC the same day; 31.10. 00:30 in
	// Berlin is still 30.10. in UTC. Only the date in start's own location counts.
	for _, tc := range []struct {
		name  string
		start time.Time
		want  time.Time
	}{
		{"late evening in Berlin", time.Date(2026, 10, 30, 23, 30, 0, 0, berlin), date(2026, 10, 30)},
		{"just after midnight in Berlin", time.Date(2026, 10, 31, 0, 30, 0, 0, berlin), date(2026, 10, 31)},
		{"noon UTC", time.Date(2026, 10, 30, 12, 0, 0, 0, time.UTC), date(2026, 10, 30)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := c.Compute("D2601", tc.start, Period{1, Days})
			if err != nil {
				t.Fatal(err)
			}
			if !r.Start.Equal(tc.want) {
				t.Errorf("Start = %v, want %v", r.Start, tc.want)
			}
		})
	}
}

func TestComputeErrors(t *testing.T) {
	c := mustCalendar(t)
	for _, tc := range []struct {
		name   string
		court  tenancy.CourtID
		start  time.Time
		period Period
		msg    string
	}{
		{"unknown court", "X9999", date(2026, 10, 30), Period{2, Weeks}, `court "X9999"`},
		{"empty court", "", date(2026, 10, 30), Period{2, Weeks}, `court ""`},
		{"zero period", "D2601", date(2026, 10, 30), Period{}, "period"},
		{"negative period", "D2601", date(2026, 10, 30), Period{-2, Weeks}, "period"},
		{"period too long", "D2601", date(2026, 10, 30), Period{11, Years}, "period"},
		{"unknown unit", "D2601", date(2026, 10, 30), Period{2, 9}, "period"},
		{"missing start", "D2601", time.Time{}, Period{2, Weeks}, "start"},
		{"start before 1991", "D2601", date(1990, 12, 31), Period{2, Weeks}, "start 1990-12-31"},
		{"start after 2199", "D2601", date(2200, 1, 1), Period{2, Weeks}, "start 2200-01-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Compute(tc.court, tc.start, tc.period)
			if !errors.Is(err, errs.ErrInvalid) {
				t.Fatalf("Compute error = %v, want errs.ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("Compute error = %q, want it to contain %q", err, tc.msg)
			}
		})
	}
	if _, err := NewCalendar(nil).Compute("D2601", date(2026, 10, 30), Period{2, Weeks}); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("nil catalog: error = %v, want errs.ErrInvalid", err)
	}
}

// TestComputeEveryDay runs every start day of 2025–2028 (2025 with -short) with several periods
// at one court per Land and checks the invariants of every Result.
func TestComputeEveryDay(t *testing.T) {
	c := mustCalendar(t)
	periods := []Period{{1, Days}, {3, Days}, {2, Weeks}, {1, Months}, {1, Years}}
	courts := []tenancy.CourtID{"D2102", "A1000", "Y1109"}
	for _, id := range landCourts() {
		courts = append(courts, id)
	}
	last := 2028
	if testing.Short() {
		last = 2025
	}
	for _, id := range courts {
		for d := date(2025, 1, 1); d.Year() <= last; d = d.AddDate(0, 0, 1) {
			for _, p := range periods {
				r, err := c.Compute(id, d, p)
				if err != nil {
					t.Fatalf("Compute(%s, %s, %s): %v", id, d.Format(time.DateOnly), p, err)
				}
				checkResult(t, c, r)
				if t.Failed() {
					t.Fatalf("Compute(%s, %s, %s):\n%s", id, d.Format(time.DateOnly), p, strings.Join(r.Explain(), "\n"))
				}
			}
		}
	}
}
