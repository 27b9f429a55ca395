// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package fluggast

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"justizcloud/errs"
)

// EarthRadiusKm is the mean Earth radius used for great-circle distances.
const EarthRadiusKm = 6371.0

// Airport is one row of the embedded airport list.
type Airport struct {
	IATA    string // three letters, upper case
	Name    string // German name
	City    string
	Country string  // ISO 3166-1 alpha-2
	Lat     float64 // degrees north
	Lon     float64 // degrees east
	// EU reports whether the Regulation applies at the airport as in a
	// Member State (see the package documentation).
	EU bool
}

//go:embed airports.csv
var airportsCSV []byte

var (
	loadOnce sync.Once
	airports []Airport
	byIATA   map[string]int
	loadErr  error
)

func load() {
	airports, loadErr = parseAirports(airportsCSV)
	byIATA = make(map[string]int, len(airports))
	for i, a := range airports {
		byIATA[a.IATA] = i
	}
}

func parseAirports(data []byte) ([]Airport, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = 7
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("fluggast: airports.csv: %w", err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], []string{"iata", "name", "city", "country", "lat", "lon", "eu"}) {
		return nil, fmt.Errorf("fluggast: airports.csv: unexpected header")
	}
	out := make([]Airport, 0, len(rows)-1)
	seen := make(map[string]bool, len(rows))
	for i, row := range rows[1:] {
		line := i + 2
		a := Airport{IATA: row[0], Name: row[1], City: row[2], Country: row[3]}
		if len(a.IATA) != 3 || strings.ToUpper(a.IATA) != a.IATA || seen[a.IATA] {
			return nil, fmt.Errorf("fluggast: airports.csv:%d: bad or duplicate IATA code %q", line, a.IATA)
		}
		seen[a.IATA] = true
		if a.Lat, err = strconv.ParseFloat(row[4], 64); err != nil || a.Lat < -90 || a.Lat > 90 {
			return nil, fmt.Errorf("fluggast: airports.csv:%d: bad latitude %q", line, row[4])
		}
		if a.Lon, err = strconv.ParseFloat(row[5], 64); err != nil || a.Lon < -180 || a.Lon > 180 {
			return nil, fmt.Errorf("fluggast: airports.csv:%d: bad longitude %q", line, row[5])
		}
		if a.EU, err = strconv.ParseBool(row[6]); err != nil {
			return nil, fmt.Errorf("fluggast: airports.csv:%d: bad eu flag %q", line, row[6])
		}
		out = append(out, a)
	}
	return out, nil
}

// Airports returns the embedded airport list in file order. The slice is
// the caller's.
func Airports() []Airport {
	loadOnce.Do(load)
	return slices.Clone(airports)
}

// Lookup returns the airport with the IATA code (case-insensitive, spaces
// trimmed). An unknown code wraps errs.ErrNotFound.
func Lookup(code string) (Airport, error) {
	loadOnce.Do(load)
	if loadErr != nil {
		return Airport{}, loadErr
	}
	c := strings.ToUpper(strings.TrimSpace(code))
	i, ok := byIATA[c]
	if !ok {
		return Airport{}, fmt.Errorf("fluggast: airport %q: %w", code, errs.ErrNotFound)
	}
	return airports[i], nil
}

// Distance returns the great-circle distance between a and b in
// kilometres: the haversine formula on a sphere of EarthRadiusKm.
func Distance(a, b Airport) float64 {
	return Haversine(a.Lat, a.Lon, b.Lat, b.Lon)
}

// Haversine returns the great-circle distance in kilometres between two
// points given in degrees, on a sphere of EarthRadiusKm.
func Haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	p1, p2 := lat1*rad, lat2*rad
	dp, dl := (lat2-lat1)*rad, (lon2-lon1)*rad
	h := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(min(1, h)))
}
