// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package frist computes procedural deadlines (Fristen) under § 222 ZPO and
// §§ 187–193 BGB, with the holidays of the court's seat. It is a pure
// package: no I/O, no clock, no global state; the court catalog and the
// event day are passed in.
//
//	c := frist.NewCalendar(catalog)
//	p, err := frist.ParsePeriod("2w")
//	r, err := c.Compute("U1308", zustellung, p)
//	// r.End is the last day; r.Explain() gives the reasoning in German.
//
// # Rules
//
// A Frist is computed in three steps, each recorded as a Step with the
// provision it applies:
//
//  1. § 187 Abs. 1 BGB (via § 222 Abs. 1 ZPO): the day of the event that
//     starts the Frist, e.g. the Zustellung, is not counted.
//  2. § 188 BGB: a Frist in days ends with the end of its last day (Abs. 1).
//     A Frist in weeks ends with the end of the day of the last week that
//     has the weekday of the event; one in months or years with the end of
//     the day of the last month that has the event's day number (Abs. 2).
//     If that month is too short, the Frist ends on its last day (Abs. 3):
//     31.01. + 1 Monat = 28.02. (29.02. in leap years). Years count as 12
//     months, so 29.02.2024 + 1 Jahr = 28.02.2025. The result is Result.RawEnd.
//  3. § 222 Abs. 2 ZPO (the procedural counterpart of § 193 BGB): if the end
//     falls on a Saturday, a Sunday or a gesetzlicher Feiertag at the court's
//     seat, the Frist ends with the next working day; this repeats through
//     chains such as Karfreitag to Ostermontag. The result is Result.End.
//
// Only the end moves: an event on a weekend or holiday changes nothing.
// Heiligabend (24.12.) and Silvester (31.12.) are working days. There are
// no substitute days when a holiday falls on a weekend.
//
// Not covered: § 187 Abs. 2 BGB (the first day counts, e.g. ages), half
// months (§ 189 BGB), extensions (§ 190 BGB, § 224 ZPO) and Fristen counted
// backwards from a date (e.g. § 132 ZPO); the callers of this package do
// not need them yet.
//
// # Dates
//
// All dates are civil dates, represented as time.Time at midnight UTC, so
// that they compare with Equal and print with time.DateOnly without a zone
// surprise. Compute uses only the calendar date of its start argument in
// that value's own location. A Frist ends at 24:00 local time at the court
// on Result.End.
//
// # Courts and their holidays
//
// The Land of a court is tenancy.Court.Tenant from the court catalog. The
// catalog gives federal courts the Land of their seat where the XJustiz ID
// has a Land letter (BFH and BPatG: Bayern; BVerwG: Sachsen; BAG:
// Thüringen; BSG: Hessen; BVerfG: Baden-Württemberg). Entries with the
// Land "DE" get the holidays of their seat's Land where the seat is known:
// Karlsruhe (BGH, Generalbundesanwalt) → Baden-Württemberg, Bonn (Bundesamt
// für Justiz) → Nordrhein-Westfalen; the others (EPPO) only the holidays
// common to all Länder.
//
// The holidays of the whole Länder are a table in holiday.go with first and
// last years: the nine common holidays (Neujahr, Karfreitag, Ostermontag,
// 1. Mai, Christi Himmelfahrt, Pfingstmontag, 3. Oktober, 1. and 2.
// Weihnachtstag) and Heilige Drei Könige (BW, BY, ST), Internationaler
// Frauentag (BE since 2019, MV since 2023), Tag der Befreiung (BE, only
// 08.05.2020 and 08.05.2025), Fronleichnam (BW, BY, HE, NW, RP, SL), Mariä
// Himmelfahrt (SL), Weltkindertag (TH since 2019), Reformationstag (BB, MV,
// SN, ST, TH; HB, HH, NI, SH since 2018; all Länder in 2017 only),
// Allerheiligen (BW, BY, NW, RP, SL) and Buß- und Bettag (all Länder until
// 1994, SN from 1995). Holidays that always fall on a Sunday (Ostersonntag,
// Pfingstsonntag) are left out: a Sunday moves the end anyway. The table
// covers the years MinYear to MaxYear (1991–2199); before 1991 the Länder
// of the former GDR had no holiday laws of their own.
//
// Sources: the holiday laws of the Länder (e.g. BayFTG, ThürFGtG), as
// summarised and checked in
// ../shared/DEPENDENCIES.md section 2.13. Easter is computed with
// github.com/rickar/cal/v2 (v2.1.13). The library's German holiday lists
// are not used because of the defects recorded there: no Frauentag in MV,
// no start years for the Berlin Frauentag and the Reformationstag in HB, HH,
// NI and SH, no one-off holidays (2017, Berlin 2020 and 2025) and no local
// holidays. A test compares both tables for 2000–2040 and allows exactly
// these differences.
//
// # Local holidays
//
// Some holidays hold only in some municipalities. The package knows:
//
//   - Augsburger Hohes Friedensfest, 8 August, in the Stadtgebiet of
//     Augsburg (Art. 1 Abs. 2 BayFTG).
//   - Mariä Himmelfahrt, 15 August, in Bavarian municipalities with a
//     predominantly Catholic population (Art. 1 Abs. 1 Nr. 2 BayFTG; the
//     authoritative list is published by the Bayerisches Landesamt für
//     Statistik from the census). The package lists only places confirmed by
//     sources: München, Augsburg, Würzburg, Regensburg and Ingolstadt (KNA
//     2013 on the census results: a holiday there, not in Nürnberg, Fürth
//     and Erlangen) and Passau (Niederbayern). Most of Altbayern, Schwaben
//     and Unterfranken is missing on purpose.
//   - Fronleichnam in the Landkreis Eichsfeld (§ 2 Abs. 2 ThürFGtG and its
//     Verordnung): the courts in Heilbad Heiligenstadt and Leinefelde-Worbis.
//     The Sorbian Catholic municipalities in Sachsen have no court.
//
// The lists are conservative on purpose. A missing local holiday makes a
// Frist end one working day early, which a party can still meet; a wrong
// one makes it end too late, which can cost a party its remedy.
//
// A court belongs to a place by tenancy.Court.City. The catalog derives City
// from the court's name and files some branch entries under the main court,
// e.g. "Landgericht Augsburg Strafvollstreckungskammer Nördlingen" under
// Augsburg and "Arbeitsgericht Augsburg Kammer Neu-Ulm" likewise. A small
// override table (branchSeats in holiday.go) gives those entries their real
// place; a test checks that every override still differs from the catalog
// and is named in the court's name.
package frist
