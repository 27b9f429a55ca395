// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package kosten

import (
	"fmt"
	"strconv"
	"strings"

	"justizcloud/errs"
)

// Cents is an amount of money in euro cents.
type Cents int64

// Euro returns e whole euros in cents.
func Euro(e int64) Cents { return Cents(e * 100) }

// String formats c the German way with the euro sign: "1.234,50 €".
func (c Cents) String() string { return c.Format() + " €" }

// Format formats c the German way without the euro sign: "1.234,50".
func (c Cents) Format() string {
	neg := c < 0
	if neg {
		c = -c
	}
	euros := strconv.FormatInt(int64(c/100), 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range euros {
		if i > 0 && (len(euros)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	fmt.Fprintf(&b, ",%02d", int64(c%100))
	return b.String()
}

// Step is one row of the table in § 34 Abs. 1 Satz 2 GKG: up to a value of
// UpTo, the fee rises by Add for each started Per above the previous row's
// UpTo. The last row has UpTo 0 (no upper bound).
type Step struct {
	UpTo, Per, Add Cents
}

// Table is a fee table of § 34 Abs. 1 GKG: the fee for values up to First
// is Base, then Steps apply in order.
type Table struct {
	Name  string // version and source, for messages and documentation
	First Cents  // 500 €
	Base  Cents  // the fee for values up to First
	Steps []Step
	// Limit is the largest value the table is known for; 0: no limit. A
	// value above it is refused rather than computed from an unverified
	// row (see Table2025).
	Limit Cents
	// Minimum is the least amount of a fee (§ 34 Abs. 2 GKG).
	Minimum Cents
}

// Table2025 is § 34 Abs. 1 GKG as amended by Art. 5 Nr. 6 KostBRÄG 2025
// (BGBl. 2025 I Nr. 109), in force since 1 June 2025:
//
//	value up to 500 €: 40 €, then for each started
//	      500 € up to     2.000 €:  21,00 €
//	    1.000 € up to    10.000 €:  22,50 €
//	    3.000 € up to    25.000 €:  30,50 €
//	    5.000 € up to    50.000 €:  40,50 €
//	   15.000 € up to   200.000 €: 140,00 €
//	   30.000 € up to   500.000 €: 210,00 €
//
// Checked against: the first step (40 € up to 500 €) in the text of Art. 5
// Nr. 6 KostBRÄG 2025 as reproduced by buzer.de; every row of Anlage 2 up
// to 500.000 € (1,0 fee 40,00 € at 500 €, 61,00 € at 1.000 €, 170,50 € at
// 5.000 €, 283,00 € at 10.000 €, 435,50 € at 25.000 €, 638,00 € at
// 50.000 €, 2.038,00 € at 200.000 €, 4.138,00 € at 500.000 €) in the table
// "Gerichtsgebührentabelle ab 01.06.2025" of anwaltonline.com (Stand
// 21.05.2025); the increments above are the differences of those rows. The
// row for values over 500.000 € (per started 50.000 €) could not be
// verified here, so values above 500.000 € are refused (Limit) instead of
// guessed; Online-Verfahren claims end at 10.000 € (§ 1122 Abs. 2 ZPO,
// § 23 Nr. 1 GVG).
//
// The minimum of 15 € (§ 34 Abs. 2 GKG) is the pre-2025 wording and was
// not re-checked; no fee of this table at a rate of 0.5 or more reaches it.
var Table2025 = Table{
	Name:  "§ 34 GKG i. d. F. des KostBRÄG 2025 (BGBl. 2025 I Nr. 109), gültig ab 1. Juni 2025",
	First: Euro(500),
	Base:  Euro(40),
	Steps: []Step{
		{UpTo: Euro(2000), Per: Euro(500), Add: Euro(21)},
		{UpTo: Euro(10000), Per: Euro(1000), Add: 2250},
		{UpTo: Euro(25000), Per: Euro(3000), Add: 3050},
		{UpTo: Euro(50000), Per: Euro(5000), Add: 4050},
		{UpTo: Euro(200000), Per: Euro(15000), Add: Euro(140)},
		{UpTo: Euro(500000), Per: Euro(30000), Add: Euro(210)},
	},
	Limit:   Euro(500000),
	Minimum: Euro(15),
}

// Fee returns the simple (1,0) fee for a value in dispute. A value of 0 or
// less, or above t.Limit, wraps errs.ErrInvalid.
func (t Table) Fee(value Cents) (Cents, error) {
	if value <= 0 {
		return 0, fmt.Errorf("kosten: Streitwert %s: %w: must be positive", value, errs.ErrInvalid)
	}
	if t.Limit > 0 && value > t.Limit {
		return 0, fmt.Errorf("kosten: Streitwert %s: %w: above %s, for which the table (%s) is not on file", value, errs.ErrInvalid, t.Limit, t.Name)
	}
	fee, lower := t.Base, t.First
	for _, s := range t.Steps {
		if value <= lower {
			break
		}
		upper := s.UpTo
		if upper == 0 || value < upper {
			upper = value
		}
		// "für jeden angefangenen Betrag von weiteren …": round up.
		n := (upper - lower + s.Per - 1) / s.Per
		fee += n * s.Add
		lower = s.UpTo
	}
	return max(fee, t.Minimum), nil
}

// Rate is a fee rate of the Kostenverzeichnis in tenths: 30 is 3,0.
type Rate int

// String formats r the German way: "3,0".
func (r Rate) String() string { return fmt.Sprintf("%d,%d", r/10, r%10) }

// VerfahrenImAllgemeinen is the rate of KV Nr. 1210 GKG (Anlage 1): the fee
// for the civil procedure in general at first instance, 3,0. It falls due
// with the filing of the claim (§ 6 Abs. 1 Nr. 1 GKG) and the court serves
// the claim only after it is paid (§ 12 Abs. 1 GKG). It is reduced to 1,0
// in the cases of KV Nr. 1211 (e.g. withdrawal, Anerkenntnisurteil,
// Vergleich), which this package does not compute: the interview shows the
// amount to pay in advance.
const VerfahrenImAllgemeinen Rate = 30

// FeeAt returns the fee at rate r for a value in dispute under t, rounded to
// the cent (half a cent up).
func (t Table) FeeAt(value Cents, r Rate) (Cents, error) {
	if r <= 0 {
		return 0, fmt.Errorf("kosten: rate %s: %w: must be positive", r, errs.ErrInvalid)
	}
	f, err := t.Fee(value)
	if err != nil {
		return 0, err
	}
	// f in cents times r in tenths: tenths of a cent; round half up.
	return max((f*Cents(r)+5)/10, t.Minimum), nil
}

// Verfahrensgebuehr returns the court fee for a civil claim at first
// instance under the table in force: the 3,0 fee of KV Nr. 1210 GKG by the
// value in dispute.
func Verfahrensgebuehr(value Cents) (Cents, error) {
	return Table2025.FeeAt(value, VerfahrenImAllgemeinen)
}
