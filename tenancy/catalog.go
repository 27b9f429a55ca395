// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package tenancy

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"

	"justizcloud/errs"
)

// CourtID is the XJustiz-ID of a court from the code list GDS.Gerichte, e.g. "D2601".
type CourtID string

// Court is one entry of the code list GDS.Gerichte with the derived columns
// described in seed/README.md.
type Court struct {
	ID       CourtID
	Name     string
	Type     string // Amtsgericht, Landgericht, …
	Tenant   ID     // the Land of the seat; DE for federal bodies without a Land letter
	City     string
	Active   bool // false for dissolved ("aufgelöst-") entries
	Federal  bool
	Category string // gericht, staatsanwaltschaft, justizvollzug, behoerde, test
	Unit     string // Grundbuchamt, Registergericht, …; empty for a main entry
	Related  CourtID
}

// Test reports whether the entry is one of the code list's test entries.
func (c Court) Test() bool { return c.Category == "test" }

// Register is a Registerzeichen of the code list GDS.Registerzeichen.
type Register struct {
	Zeichen    string   // compared case-sensitively: "BS" and "Bs" differ
	CourtTypes []string // court types that use it; empty when the list names none
	Meaning    string
}

//go:embed seed/courts.csv
var courtsCSV []byte

//go:embed seed/registerzeichen.csv
var registersCSV []byte

// Catalog is the read-only reference data shipped with the binary: courts and
// Registerzeichen. It is safe for concurrent use.
type Catalog struct {
	courts    []Court
	byID      map[CourtID]int
	registers map[string]Register
	version   string
}

// LoadCatalog parses the embedded code lists.
func LoadCatalog() (*Catalog, error) {
	courts, err := parseCourts(bytes.NewReader(courtsCSV))
	if err != nil {
		return nil, fmt.Errorf("courts.csv: %w", err)
	}
	regs, err := parseRegisters(bytes.NewReader(registersCSV))
	if err != nil {
		return nil, fmt.Errorf("registerzeichen.csv: %w", err)
	}
	c := &Catalog{courts: courts, byID: make(map[CourtID]int, len(courts)), registers: make(map[string]Register, len(regs))}
	for i, ct := range courts {
		c.byID[ct.ID] = i
	}
	for _, r := range regs {
		c.registers[r.Zeichen] = r
	}
	h := sha256.New()
	h.Write(courtsCSV)
	h.Write(registersCSV)
	c.version = hex.EncodeToString(h.Sum(nil))[:16]
	return c, nil
}

// Version identifies the embedded reference data; it changes when the code lists change.
func (c *Catalog) Version() string { return c.version }

// Courts returns all courts, including dissolved and test entries.
func (c *Catalog) Courts() []Court { return slices.Clone(c.courts) }

// Court returns the court with the given ID or an error wrapping errs.ErrNotFound.
func (c *Catalog) Court(id CourtID) (Court, error) {
	i, ok := c.byID[id]
	if !ok {
		return Court{}, fmt.Errorf("court %q: %w", id, errs.ErrNotFound)
	}
	return c.courts[i], nil
}

// Register returns the Registerzeichen z (case-sensitive) or an error wrapping errs.ErrInvalid.
func (c *Catalog) Register(z string) (Register, error) {
	r, ok := c.registers[z]
	if !ok {
		return Register{}, fmt.Errorf("%w: unknown Registerzeichen %q", errs.ErrInvalid, z)
	}
	return r, nil
}

// Allows reports whether the Registerzeichen may be used at a court of the given
// type. A Registerzeichen whose code list entry names no court type is allowed everywhere.
func (r Register) Allows(courtType string) bool {
	return len(r.CourtTypes) == 0 || slices.Contains(r.CourtTypes, courtType)
}

func readCSV(r io.Reader, header []string) ([][]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(header)
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 || !slices.Equal(rows[0], header) {
		return nil, fmt.Errorf("unexpected header, want %v", header)
	}
	return rows[1:], nil
}

func parseCourts(r io.Reader) ([]Court, error) {
	rows, err := readCSV(r, []string{"id", "name", "type", "land", "city", "city_source", "active", "federal", "category", "unit", "related_id"})
	if err != nil {
		return nil, err
	}
	out := make([]Court, 0, len(rows))
	for i, row := range rows {
		t, err := Parse(row[3])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+2, err)
		}
		out = append(out, Court{
			ID: CourtID(row[0]), Name: row[1], Type: row[2], Tenant: t, City: row[4],
			Active: row[6] == "true", Federal: row[7] == "true", Category: row[8], Unit: row[9],
			Related: CourtID(row[10]),
		})
	}
	return out, nil
}

func parseRegisters(r io.Reader) ([]Register, error) {
	rows, err := readCSV(r, []string{"zeichen", "court_type", "meaning", "court_type_abbr"})
	if err != nil {
		return nil, err
	}
	out := make([]Register, 0, len(rows))
	for _, row := range rows {
		var types []string
		if row[1] != "" {
			types = strings.Split(row[1], "|")
		}
		out = append(out, Register{Zeichen: row[0], CourtTypes: types, Meaning: row[2]})
	}
	return out, nil
}

// CourtFilter selects courts in Catalog.Find. Zero fields do not filter.
type CourtFilter struct {
	Tenant          ID
	Type            string // exact type, e.g. "Amtsgericht"
	City            string // exact city, case-insensitive
	IncludeInactive bool   // also dissolved entries
	IncludeTest     bool   // also the code list's test entries
}

// Find returns the courts matching f, ordered by name.
func (c *Catalog) Find(f CourtFilter) []Court {
	var out []Court
	for _, ct := range c.courts {
		if (f.Tenant != "" && ct.Tenant != f.Tenant) || (f.Type != "" && ct.Type != f.Type) ||
			(f.City != "" && !strings.EqualFold(ct.City, f.City)) ||
			(!f.IncludeInactive && !ct.Active) || (!f.IncludeTest && ct.Test()) {
			continue
		}
		out = append(out, ct)
	}
	slices.SortFunc(out, func(a, b Court) int { return strings.Compare(a.Name, b.Name) })
	return out
}
