// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package fluggast

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"justizcloud/errs"
)

func mustAirport(tb testing.TB, code string) Airport {
	tb.Helper()
	a, err := Lookup(code)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func TestAirportList(t *testing.T) {
	as := Airports()
	if len(as) < 250 {
		t.Fatalf("len(Airports()) = %d, want at least 250", len(as))
	}
	europe := 0
	for _, a := range as {
		if a.Lat > 27 && a.Lat < 72 && a.Lon > -28 && a.Lon < 50 && a.Country != "MA" && a.Country != "TN" && a.Country != "DZ" &&
			a.Country != "EG" && a.Country != "IL" && a.Country != "JO" && a.Country != "LB" && a.Country != "SA" {
			europe++
		}
	}
	if europe < 150 {
		t.Errorf("European airports = %d, want at least 150", europe)
	}
	// Outermost regions are part of the Union (Art. 349, 355(1) TFEU); the
	// United Kingdom is not since 2021; Switzerland, Norway and Iceland apply
	// the Regulation.
	for code, want := range map[string]bool{"LPA": true, "FNC": true, "PDL": true, "RUN": true, "PTP": true,
		"LHR": false, "GIB": false, "IST": false, "ZRH": true, "OSL": true, "KEF": true, "BSL": true, "JFK": false} {
		if got := mustAirport(t, code).EU; got != want {
			t.Errorf("%s.EU = %v, want %v", code, got, want)
		}
	}
	if _, err := Lookup("XXX"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("Lookup(XXX) error = %v, want ErrNotFound", err)
	}
	if a, err := Lookup(" fra "); err != nil || a.IATA != "FRA" {
		t.Errorf("Lookup(\" fra \") = %v, %v", a.IATA, err)
	}
}

func TestHaversine(t *testing.T) {
	// On the sphere of 6371.0 km: a quarter meridian is π/2·R, half the
	// equator π·R.
	tests := []struct {
		lat1, lon1, lat2, lon2, want float64
	}{
		{0, 0, 0, 0, 0},
		{0, 0, 90, 0, math.Pi / 2 * 6371.0},
		{0, 0, 0, 180, math.Pi * 6371.0},
		{0, 179.5, 0, -179.5, math.Pi / 180 * 6371.0}, // across the date line: 1°
	}
	for _, tt := range tests {
		if got := Haversine(tt.lat1, tt.lon1, tt.lat2, tt.lon2); math.Abs(got-tt.want) > 1e-6 {
			t.Errorf("Haversine(%v, %v, %v, %v) = %.6f, want %.6f", tt.lat1, tt.lon1, tt.lat2, tt.lon2, got, tt.want)
		}
	}
}

// Distances computed from the listed coordinates with R = 6371.0 km, and
// compared with published great-circle distances (within 0.5 %).
func TestDistance(t *testing.T) {
	tests := []struct {
		from, to string
		km       float64
	}{
		{"FRA", "JFK", 6189},
		{"LHR", "JFK", 5540},
		{"MUC", "BER", 462},
		{"HAM", "MUC", 600},
		{"FRA", "LPA", 3185},
		{"CDG", "RUN", 9369},
		{"FRA", "LHR", 654},
	}
	for _, tt := range tests {
		got := Distance(mustAirport(t, tt.from), mustAirport(t, tt.to))
		if math.Abs(got-tt.km) > 1 {
			t.Errorf("Distance(%s, %s) = %.1f km, want %.0f km", tt.from, tt.to, got, tt.km)
		}
		if back := Distance(mustAirport(t, tt.to), mustAirport(t, tt.from)); math.Abs(back-got) > 1e-9 {
			t.Errorf("Distance is not symmetric for %s–%s", tt.from, tt.to)
		}
	}
}

func TestBandFor(t *testing.T) {
	tests := []struct {
		km    float64
		intra bool
		want  Band
	}{
		{0, true, BandA},
		{1500, false, BandA},   // Art. 7(1)(a): "1500 kilometres or less"
		{1500.1, true, BandB},  // Art. 7(1)(b): intra-Community, more than 1500 km
		{1500.1, false, BandB}, // Art. 7(1)(b): other flights between 1500 and 3500 km
		{3500, false, BandB},   // "between 1500 and 3500", read inclusively
		{3500.1, false, BandC}, // Art. 7(1)(c)
		{3500.1, true, BandB},  // intra-Community flights stay in (b) at any distance
		{9369, true, BandB},    // Paris–Réunion
		{6189, false, BandC},   // Frankfurt–New York
	}
	for _, tt := range tests {
		if got := BandFor(tt.km, tt.intra); got != tt.want {
			t.Errorf("BandFor(%v, %v) = %v, want %v", tt.km, tt.intra, got, tt.want)
		}
	}
}

func TestCompensate(t *testing.T) {
	h := time.Hour
	tests := []struct {
		name    string
		from    string
		to      string
		claim   Claim
		owed    bool
		amount  int
		reduced bool
		cite    string // must appear in Reason
	}{
		// Art. 7(1)(a): 462 km.
		{"short haul cancellation", "MUC", "BER", Claim{Incident: Cancellation}, true, 250, false, "Art. 7 Abs. 1 Buchst. a"},
		// Art. 7(1)(c): 6189 km, not intra-Community.
		{"long haul delay 5h", "FRA", "JFK", Claim{Incident: Delay, ArrivalDelay: 5 * h}, true, 600, false, "Buchst. c"},
		// Sturgeon with Art. 7(2)(c): band C, 3 to 4 hours late: halved.
		{"long haul delay 3.5h", "FRA", "JFK", Claim{Incident: Delay, ArrivalDelay: 3*h + 30*time.Minute}, true, 300, true, "Abs. 2 Buchst. c"},
		// Sturgeon: under 3 hours, nothing.
		{"delay under 3h", "FRA", "JFK", Claim{Incident: Delay, ArrivalDelay: 2*h + 59*time.Minute}, false, 0, false, "Sturgeon"},
		// Art. 7(1)(b), intra-Community over 1500 km: Frankfurt–Gran Canaria
		// (3185 km; the Canary Islands are an outermost region, Art. 349 TFEU).
		{"intra-EU long", "FRA", "LPA", Claim{Incident: Delay, ArrivalDelay: 4 * h}, true, 400, false, "Buchst. b"},
		// Art. 7(1)(b) for an intra-Community flight over 3500 km: Berlin–Tenerife
		// South (3669 km) and Paris–Réunion (9369 km) stay at 400 €.
		{"intra-EU over 3500 km", "BER", "TFS", Claim{Incident: Cancellation}, true, 400, false, "Buchst. b"},
		{"outermost region", "CDG", "RUN", Claim{Incident: DeniedBoarding}, true, 400, false, "Art. 4 Abs. 3"},
		// Art. 7(1)(b), non-Community flight between 1500 and 3500 km: Frankfurt–Tel Aviv (2953 km).
		{"third country 1500-3500", "FRA", "TLV", Claim{Incident: Cancellation}, true, 400, false, "Buchst. b"},
		// Art. 7(2)(a): rerouted, arrival at most 2 hours late: halved.
		{"rerouted within 2h", "HAM", "MUC", Claim{Incident: DeniedBoarding, Rerouted: true, ArrivalDelay: 2 * h}, true, 125, true, "Art. 7 Abs. 2"},
		{"rerouted beyond 2h", "HAM", "MUC", Claim{Incident: DeniedBoarding, Rerouted: true, ArrivalDelay: 2*h + time.Minute}, true, 250, false, "Buchst. a"},
		// Art. 7(2)(b): 3 hours for band B.
		{"rerouted band B within 3h", "FRA", "LIS", Claim{Incident: Cancellation, Rerouted: true, ArrivalDelay: 3 * h}, true, 200, true, "Art. 7 Abs. 2"},
		// Art. 7(2)(c): 4 hours for band C.
		{"rerouted band C within 4h", "FRA", "DXB", Claim{Incident: Cancellation, Rerouted: true, ArrivalDelay: 4 * h}, true, 300, true, "Art. 7 Abs. 2"},
		// Art. 5(1)(c)(i): told two weeks ahead.
		{"cancellation 14 days", "FRA", "JFK", Claim{Incident: Cancellation, Notice: Notice14DaysOrMore}, false, 0, false, "Ziff. i"},
		// Art. 5(1)(c)(ii): 7–14 days, rerouting ≤ 2h earlier, < 4h later.
		{"cancellation 7-14 days, good rerouting", "FRA", "JFK", Claim{Incident: Cancellation, Notice: Notice7To14Days, Rerouted: true, EarlierDeparture: 2 * h, ArrivalDelay: 3 * h}, false, 0, false, "Ziff. ii"},
		{"cancellation 7-14 days, late rerouting", "FRA", "JFK", Claim{Incident: Cancellation, Notice: Notice7To14Days, Rerouted: true, ArrivalDelay: 4 * h}, true, 300, true, "Art. 7 Abs. 2"},
		// Art. 5(1)(c)(iii): under 7 days, rerouting ≤ 1h earlier, < 2h later.
		{"cancellation short notice, good rerouting", "MUC", "BER", Claim{Incident: Cancellation, Rerouted: true, EarlierDeparture: time.Hour, ArrivalDelay: time.Hour}, false, 0, false, "Ziff. iii"},
		// Art. 3(1)(b): into the EU only with a Community carrier.
		{"inbound non-EU carrier", "JFK", "FRA", Claim{Incident: Delay, ArrivalDelay: 5 * h}, false, 0, false, "Art. 3 Abs. 1 Buchst. b"},
		{"inbound EU carrier", "JFK", "FRA", Claim{Incident: Delay, ArrivalDelay: 5 * h, CommunityCarrier: true}, true, 600, false, "Buchst. c"},
		// Art. 3(1): outside the Union entirely (London–New York since 2021).
		{"outside scope", "LHR", "JFK", Claim{Incident: Cancellation, CommunityCarrier: true}, false, 0, false, "Art. 3 Abs. 1"},
		// Art. 3(1)(a): departing from the EU, any carrier.
		{"outbound non-EU carrier", "FRA", "IST", Claim{Incident: Cancellation}, true, 400, false, "Buchst. b"},
		// 1471.8 km, just under 1500 km.
		{"near the 1500 km line", "FRA", "TUN", Claim{Incident: Cancellation}, true, 250, false, "Buchst. a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.claim
			c.From, c.To = mustAirport(t, tt.from), mustAirport(t, tt.to)
			r, err := Compensate(c)
			if err != nil {
				t.Fatal(err)
			}
			if r.Owed != tt.owed || r.Amount != tt.amount || r.Reduced != tt.reduced {
				t.Errorf("Compensate = owed %v, %d €, reduced %v; want %v, %d €, %v (%s)", r.Owed, r.Amount, r.Reduced, tt.owed, tt.amount, tt.reduced, r.Reason)
			}
			if !strings.Contains(r.Reason, tt.cite) {
				t.Errorf("Reason = %q, want it to cite %q", r.Reason, tt.cite)
			}
		})
	}
}

func TestCompensateInvalid(t *testing.T) {
	fra, jfk := mustAirport(t, "FRA"), mustAirport(t, "JFK")
	for _, c := range []Claim{
		{From: fra, To: jfk},
		{From: fra, To: jfk, Incident: Delay, ArrivalDelay: -time.Hour},
	} {
		if _, err := Compensate(c); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("Compensate(%+v) error = %v, want ErrInvalid", c, err)
		}
	}
}
