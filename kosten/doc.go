// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package kosten computes court fees (Gerichtskosten) under the
// Gerichtskostengesetz (GKG): the simple fee by the value in dispute
// (Streitwert) per § 34 GKG and its Anlage 2, multiplied by the fee rate
// of the Kostenverzeichnis (Anlage 1), e.g. 3.0 for the civil procedure in
// general at first instance (KV Nr. 1210).
//
// Amounts are euro cents (Cents), so that the half-euro steps of the fee
// table and the fee rates in tenths compute exactly.
//
// # Version and sources
//
// The fee table is § 34 Abs. 1 GKG as amended by Art. 5 of the Kosten- und
// Betreuervergütungsrechtsänderungsgesetz 2025 (KostBRÄG 2025) of
// 7 April 2025 (BGBl. 2025 I Nr. 109, promulgated 10 April 2025), Art. 5
// in force since 1 June 2025, for proceedings that become pending from
// that day (transitional rule § 71 Abs. 1 GKG). See Table2025
// for the figures and how they were checked. Earlier versions (KostRÄG
// 2021: 38 € for up to 500 €) are not implemented: every fee this package
// computes is for a filing made today.
package kosten
