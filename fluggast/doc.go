// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package fluggast computes air passenger compensation under Regulation (EC)
// No 261/2004 of the European Parliament and of the Council of 11 February
// 2004 (OJ L 46, 17.2.2004, p. 1), "Fluggastrechte-Verordnung":
//
//   - the great-circle distance between two airports (Art. 7(1) last
//     sentence: "the great circle route method"), by the haversine formula
//     on a sphere of the mean Earth radius 6371.0 km (the IUGG mean radius
//     R1, which compensation calculators and courts commonly use; an
//     ellipsoidal distance differs by up to about 0.5 %, which matters only
//     within a few kilometres of 1500 km and 3500 km);
//   - the amount of Art. 7(1): 250 € up to 1500 km, 400 € for flights
//     within the Community of more than 1500 km and for all other flights
//     of 1500 to 3500 km, 600 € otherwise;
//   - the reduction by 50 % of Art. 7(2) when the passenger was rerouted
//     under Art. 8 and arrived no more than 2, 3 or 4 hours late;
//   - the scope of Art. 3(1) and the exclusions of Art. 5(1)(c) for a
//     cancellation announced early enough;
//   - delays of three hours or more at the final destination, which the
//     Court of Justice treats like a cancellation (judgment of 19 November
//     2009, Sturgeon, C-402/07 and C-432/07, EU:C:2009:716; confirmed by
//     Nelson, C-581/10 and C-629/10, EU:C:2012:657).
//
// Whether extraordinary circumstances excuse the carrier (Art. 5(3)) is for
// the court to decide; this package only computes what is owed if they do
// not.
//
// The airport list (airports.csv, embedded) has IATA code, German name,
// city, ISO 3166-1 country code, latitude and longitude in decimal degrees
// (WGS 84, aerodrome reference point rounded to 4 decimals, about 10 m) and
// the flag eu. Coordinates are facts; they were written for this project
// from the public-domain OurAirports data set (ourairports.com/data) and
// checked against published great-circle distances (e.g. FRA–JFK about
// 6190 km, LHR–JFK about 5540 km). eu is true where the Regulation applies
// as in a Member State: the EU Member States including their outermost
// regions (Art. 349, Art. 355(1) TFEU: Canary Islands, Azores, Madeira,
// Guadeloupe, French Guiana, Martinique, Réunion, Mayotte), and Iceland and
// Norway (EEA Agreement, Annex XIII) and Switzerland (Agreement between
// the EC and the Swiss Confederation on Air Transport, Annex), which apply
// the Regulation. It is false for the United Kingdom since 1 January 2021
// and for every other country. The list holds about 195 European airports
// (the busiest ones) and about 95 hubs and holiday destinations elsewhere;
// Airports and Lookup give access.
package fluggast
