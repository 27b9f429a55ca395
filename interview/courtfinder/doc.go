// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package courtfinder proposes the Amtsgericht for a place: the active
// Amtsgerichte of the court catalog (tenancy) whose seat is the city the
// citizen names, by the defendant's or applicant's city.
//
// It is a name match, not a court finder in the legal sense. Local
// jurisdiction (§§ 12, 13 ZPO: the defendant's residence; § 4 Abs. 1 BerHG:
// the applicant's allgemeiner Gerichtsstand) follows the Gerichtsbezirke,
// which the Länder define by municipality and, in cities with several
// Amtsgerichte, by street. The catalog has neither (only the XJustiz code
// list GDS.Gerichte with a city derived from the court's name); the
// official data is the "Orts- und Gerichtsverzeichnis" of the Länder,
// which is not available here as open data. So:
//
//   - a place that is itself the seat of an Amtsgericht is found (about 640
//     of the some 10,800 municipalities);
//   - a place without an Amtsgericht is not found, and the citizen must
//     choose from the list (Courts, Search);
//   - a city with several Amtsgerichte (Berlin, Hamburg, Duisburg, Essen, …)
//     and a name that several cities share ("Frankfurt", "Neustadt",
//     "Halle") give several candidates, and the citizen chooses;
//   - branch offices (Zweigstellen) are not proposed; they belong to their
//     main court.
//
// Matching is exact on a normalized key: case, diacritics (ä = ae = a),
// ß = ss, punctuation and the filler words of place names ("am", "an der",
// "a. d.", "i.", "bei") are ignored, and "St." is "Sankt". "Frankfurt am
// Main" is then "frankfurt main", "Frankfurt (Oder)" and the catalog's
// "Frankfurt/Oder" are both "frankfurt oder".
package courtfinder
