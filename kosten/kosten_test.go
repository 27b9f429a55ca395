// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package kosten

import (
	"errors"
	"testing"

	"justizcloud/errs"
)

// The expected 1,0 fees are the rows of Anlage 2 GKG as amended by the
// KostBRÄG 2025 (BGBl. 2025 I Nr. 109), in force since 1 June 2025, as
// published in "Gerichtsgebührentabelle ab 01.06.2025" (anwaltonline.com,
// Stand 21.05.2025); the values between rows follow § 34 Abs. 1 Satz 2 GKG
// ("für jeden angefangenen Betrag").
func TestFee2025(t *testing.T) {
	tests := []struct {
		value Cents
		want  Cents
	}{
		{1, 4000},
		{Euro(300), 4000},
		{Euro(500), 4000},
		{Euro(500) + 1, 6100}, // a started 500 € counts in full
		{Euro(1000), 6100},
		{Euro(1500), 8200},
		{Euro(2000), 10300},
		{Euro(2000) + 1, 12550},
		{Euro(3000), 12550},
		{Euro(4000), 14800},
		{Euro(5000), 17050},
		{Euro(6000), 19300},
		{Euro(9000), 26050},
		{Euro(10000), 28300},
		{Euro(13000), 31350},
		{Euro(16000), 34400},
		{Euro(25000), 43550},
		{Euro(30000), 47600},
		{Euro(45000), 59750},
		{Euro(50000), 63800},
		{Euro(65000), 77800},
		{Euro(200000), 203800},
		{Euro(230000), 224800},
		{Euro(470000), 392800},
		{Euro(500000), 413800},
	}
	for _, tt := range tests {
		got, err := Table2025.Fee(tt.value)
		if err != nil {
			t.Errorf("Fee(%s): %v", tt.value, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Fee(%s) = %s, want %s", tt.value, got, tt.want)
		}
	}
}

// The 3,0 fee of KV Nr. 1210 GKG, which the claimant pays in advance, for
// the amounts the Online-Verfahren sees (up to 10.000 €, § 23 Nr. 1 GVG).
func TestVerfahrensgebuehr(t *testing.T) {
	tests := []struct {
		value Cents
		want  Cents
	}{
		{Euro(500), Euro(120)},   // 3 × 40,00
		{Euro(1000), Euro(183)},  // 3 × 61,00
		{Euro(5000), 51150},      // 3 × 170,50
		{Euro(10000), Euro(849)}, // 3 × 283,00
		{Euro(2500), 3 * 12550},  // 3 × 125,50
		{123456, Euro(246)},      // 1.234,56 € is in the row up to 1.500 €: 3 × 82,00
	}
	for _, tt := range tests {
		got, err := Verfahrensgebuehr(tt.value)
		if err != nil {
			t.Errorf("Verfahrensgebuehr(%s): %v", tt.value, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Verfahrensgebuehr(%s) = %s, want %s", tt.value, got, tt.want)
		}
	}
}

func TestFeeAtRounding(t *testing.T) {
	// 0,5 × 170,50 € = 85,25 €; 1,5 × 125,50 € = 188,25 €; 0,3 × 125,50 € = 37,65 €.
	tests := []struct {
		value Cents
		rate  Rate
		want  Cents
	}{
		{Euro(5000), 5, 8525},
		{Euro(3000), 15, 18825},
		{Euro(3000), 3, 3765},
		{Euro(500), 1, Euro(15)}, // 4,00 € raised to the minimum of § 34 Abs. 2 GKG
	}
	for _, tt := range tests {
		got, err := Table2025.FeeAt(tt.value, tt.rate)
		if err != nil || got != tt.want {
			t.Errorf("FeeAt(%s, %s) = %s, %v; want %s", tt.value, tt.rate, got, err, tt.want)
		}
	}
}

func TestFeeRefuses(t *testing.T) {
	for _, v := range []Cents{0, -1, Euro(500000) + 1} {
		if _, err := Table2025.Fee(v); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("Fee(%s) error = %v, want ErrInvalid", v, err)
		}
	}
	if _, err := Table2025.FeeAt(Euro(100), 0); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("FeeAt(rate 0) error = %v, want ErrInvalid", err)
	}
}

func TestCentsString(t *testing.T) {
	tests := map[Cents]string{
		0: "0,00 €", 5: "0,05 €", 100: "1,00 €", 123456: "1.234,56 €", Euro(10000): "10.000,00 €",
		Euro(1234567): "1.234.567,00 €", -150: "-1,50 €",
	}
	for c, want := range tests {
		if got := c.String(); got != want {
			t.Errorf("Cents(%d).String() = %q, want %q", int64(c), got, want)
		}
	}
	if got := VerfahrenImAllgemeinen.String(); got != "3,0" {
		t.Errorf("Rate.String() = %q, want 3,0", got)
	}
}
