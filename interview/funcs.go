// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package interview

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"justizcloud/errs"
	"justizcloud/fluggast"
	"justizcloud/interview/courtfinder"
	"justizcloud/kosten"
	"justizcloud/tenancy"
)

// Func is a named Go function that definitions use for computed values
// ("func: gerichtskosten"). Definitions hold no code: they name a
// function and map its parameters to earlier fields.
type Func struct {
	Name   string
	Doc    string // what it computes and from which source
	Params []Param
	Result Type // the type of the value: money, number, text, courts, …
	// Fn computes the value from canonical arguments by parameter name.
	// Optional parameters without a value are absent. An empty result
	// with a nil error means "no value" (e.g. no court found). It must be
	// a pure function of its arguments.
	Fn func(args map[string]string) (string, error)
}

// Param is a parameter of a Func.
type Param struct {
	Name  string
	Types []Type // field types (or result types of computed values) accepted
	// Values restricts select and radio arguments: the field's option
	// values must be among them, so the function understands every answer.
	Values   []string
	Optional bool
}

// Funcs is a set of functions by name, read-only once built.
type Funcs struct {
	m map[string]Func
}

// NewFuncs returns the set of fs; duplicate or nameless functions wrap
// errs.ErrInvalid.
func NewFuncs(fs ...Func) (*Funcs, error) {
	s := &Funcs{m: make(map[string]Func, len(fs))}
	for _, f := range fs {
		if f.Name == "" || f.Fn == nil {
			return nil, fmt.Errorf("interview: func %q: %w: name and Fn required", f.Name, errs.ErrInvalid)
		}
		if _, dup := s.m[f.Name]; dup {
			return nil, fmt.Errorf("interview: func %q: %w: registered twice", f.Name, errs.ErrInvalid)
		}
		s.m[f.Name] = f
	}
	return s, nil
}

// Get returns the function named name.
func (s *Funcs) Get(name string) (Func, bool) {
	f, ok := s.m[name]
	return f, ok
}

// Option values the fluggast functions understand.
var (
	incidentValues = []string{"annullierung", "verspaetung", "nichtbefoerderung"}
	yesNo          = []string{"ja", "nein"}
	noticeValues   = []string{"unter_7_tagen", "7_bis_14_tage", "ab_14_tagen"}
)

// Builtins are the functions the shipped definitions use:
//
//	gerichtskosten(streitwert money) money
//	    the 3,0 fee of KV Nr. 1210 GKG by the table of § 34 GKG in force
//	    (kosten.Verfahrensgebuehr); no value for 0 €
//	amtsgericht_vorschlag(ort text) courts
//	    the Amtsgerichte of the place (courtfinder.Finder.Find)
//	fluggast_entfernung(von, nach airport) number
//	    great-circle distance in whole kilometres (fluggast.Distance)
//	fluggast_abflug_eu(flughafen airport) checkbox
//	    whether the Regulation applies at the airport (fluggast.Airport.EU)
//	fluggast_ausgleich(von, nach, ereignis, …) money
//	fluggast_begruendung(von, nach, ereignis, …) text
//	    compensation under Art. 7 VO (EG) Nr. 261/2004 and its reasons
//	    (fluggast.Compensate), 0 € when none is owed, no value while an
//	    answer the decision needs is missing; parameters: ereignis (annullierung,
//	    verspaetung, nichtbefoerderung), verspaetung_minuten,
//	    ersatzbefoerderung (ja, nein), mitteilung (unter_7_tagen,
//	    7_bis_14_tage, ab_14_tagen), frueherer_abflug_minuten,
//	    eu_fluggesellschaft (ja, nein)
func Builtins(courts *courtfinder.Finder) []Func {
	flight := []Param{
		{Name: "von", Types: []Type{Airport}},
		{Name: "nach", Types: []Type{Airport}},
		{Name: "ereignis", Types: []Type{Radio, Select}, Values: incidentValues},
		{Name: "verspaetung_minuten", Types: []Type{Number}, Optional: true},
		{Name: "ersatzbefoerderung", Types: []Type{Radio, Select, Checkbox}, Values: yesNo, Optional: true},
		{Name: "mitteilung", Types: []Type{Radio, Select}, Values: noticeValues, Optional: true},
		{Name: "frueherer_abflug_minuten", Types: []Type{Number}, Optional: true},
		{Name: "eu_fluggesellschaft", Types: []Type{Radio, Select, Checkbox}, Values: yesNo, Optional: true},
	}
	return []Func{
		{
			Name: "gerichtskosten", Result: Money,
			Doc:    "3,0-Verfahrensgebühr nach KV Nr. 1210 GKG, Tabelle des § 34 GKG i. d. F. des KostBRÄG 2025 (ab 1. Juni 2025)",
			Params: []Param{{Name: "streitwert", Types: []Type{Money}}},
			Fn: func(a map[string]string) (string, error) {
				v, err := strconv.ParseInt(a["streitwert"], 10, 64)
				if err != nil {
					return "", fmt.Errorf("gerichtskosten: %w: streitwert %q", errs.ErrInvalid, a["streitwert"])
				}
				if v == 0 {
					return "", nil // nothing claimed: no fee to show
				}
				fee, err := kosten.Verfahrensgebuehr(kosten.Cents(v))
				if err != nil {
					return "", err
				}
				return strconv.FormatInt(int64(fee), 10), nil
			},
		},
		{
			Name: "amtsgericht_vorschlag", Result: Courts,
			Doc:    "Amtsgerichte am Ort (Namensabgleich mit dem Gerichtsverzeichnis; ersetzt kein Orts- und Gerichtsverzeichnis)",
			Params: []Param{{Name: "ort", Types: []Type{Text}}},
			Fn: func(a map[string]string) (string, error) {
				if courts == nil {
					return "", nil
				}
				var ids []string
				for _, c := range courts.Find(a["ort"]).Courts {
					ids = append(ids, string(c.ID))
				}
				return strings.Join(ids, " "), nil
			},
		},
		{
			Name: "fluggast_entfernung", Result: Number,
			Doc:    "Großkreisentfernung in km (Haversine, Erdradius 6371,0 km), Art. 7 Abs. 1 Satz 2 VO (EG) Nr. 261/2004",
			Params: flight[:2],
			Fn: func(a map[string]string) (string, error) {
				from, to, err := airports(a)
				if err != nil {
					return "", err
				}
				return strconv.Itoa(int(math.Round(fluggast.Distance(from, to)))), nil
			},
		},
		{
			Name: "fluggast_abflug_eu", Result: Checkbox,
			Doc:    "ob die Verordnung am Flughafen gilt (EU einschließlich der Gebiete in äußerster Randlage, EWR, Schweiz); für Art. 3 Abs. 1",
			Params: []Param{{Name: "flughafen", Types: []Type{Airport}}},
			Fn: func(a map[string]string) (string, error) {
				ap, err := fluggast.Lookup(a["flughafen"])
				if err != nil {
					return "", err
				}
				return strconv.FormatBool(ap.EU), nil
			},
		},
		{
			Name: "fluggast_ausgleich", Result: Money,
			Doc:    "Ausgleichszahlung nach Art. 7 VO (EG) Nr. 261/2004, ohne außergewöhnliche Umstände (Art. 5 Abs. 3)",
			Params: flight,
			Fn: func(a map[string]string) (string, error) {
				r, ok, err := compensate(a)
				if err != nil || !ok {
					return "", err
				}
				return strconv.Itoa(r.Amount * 100), nil
			},
		},
		{
			Name: "fluggast_begruendung", Result: Text,
			Doc:    "Begründung der Ausgleichszahlung mit den angewandten Vorschriften",
			Params: flight,
			Fn: func(a map[string]string) (string, error) {
				r, ok, err := compensate(a)
				if err != nil || !ok {
					return "", err
				}
				return fmt.Sprintf("Entfernung %d km (Großkreis). %s", int(math.Round(r.DistanceKm)), r.Reason), nil
			},
		},
	}
}

func airports(a map[string]string) (fluggast.Airport, fluggast.Airport, error) {
	from, err := fluggast.Lookup(a["von"])
	if err != nil {
		return from, from, err
	}
	to, err := fluggast.Lookup(a["nach"])
	return from, to, err
}

// compensate decides a claim from the answers. ok is false while an answer
// the decision needs is still missing: the delay for a delay or a taken
// rerouting, the notice for a cancellation, the carrier for a flight from
// outside the Union.
func compensate(a map[string]string) (r fluggast.Result, ok bool, err error) {
	from, to, err := airports(a)
	if err != nil {
		return fluggast.Result{}, false, err
	}
	has := func(k string) bool { _, ok := a[k]; return ok }
	switch {
	case (a["ereignis"] == "verspaetung" || a["ersatzbefoerderung"] == "ja" || a["ersatzbefoerderung"] == "true") && !has("verspaetung_minuten"),
		a["ereignis"] == "annullierung" && !has("mitteilung"),
		a["ereignis"] != "verspaetung" && !has("ersatzbefoerderung"),
		!from.EU && to.EU && !has("eu_fluggesellschaft"):
		return fluggast.Result{}, false, nil
	}
	c := fluggast.Claim{From: from, To: to}
	switch a["ereignis"] {
	case "annullierung":
		c.Incident = fluggast.Cancellation
	case "verspaetung":
		c.Incident = fluggast.Delay
	case "nichtbefoerderung":
		c.Incident = fluggast.DeniedBoarding
	}
	minutes := func(key string) (time.Duration, error) {
		s, ok := a[key]
		if !ok {
			return 0, nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || n > 100000 {
			return 0, fmt.Errorf("fluggast: %w: %s %q", errs.ErrInvalid, key, s)
		}
		return time.Duration(n) * time.Minute, nil
	}
	if c.ArrivalDelay, err = minutes("verspaetung_minuten"); err != nil {
		return fluggast.Result{}, false, err
	}
	if c.EarlierDeparture, err = minutes("frueherer_abflug_minuten"); err != nil {
		return fluggast.Result{}, false, err
	}
	yes := func(key string) bool { return a[key] == "ja" || a[key] == "true" }
	c.Rerouted, c.CommunityCarrier = yes("ersatzbefoerderung"), yes("eu_fluggesellschaft")
	switch a["mitteilung"] {
	case "7_bis_14_tage":
		c.Notice = fluggast.Notice7To14Days
	case "ab_14_tagen":
		c.Notice = fluggast.Notice14DaysOrMore
	}
	r, err = fluggast.Compensate(c)
	return r, err == nil, err
}

// courtOption is a court as a choice: its name and Land.
func courtOption(c tenancy.Court) Option {
	land := string(c.Tenant)
	for _, t := range tenancy.Tenants() {
		if t.ID == c.Tenant {
			land = t.Name
		}
	}
	return Option{Value: string(c.ID), Label: c.Name, Hint: land}
}

// CourtOptions returns the choices of a court field for the answers: the
// candidates its computed value proposes (Unique when there is exactly
// one, which the page may preselect), and every Amtsgericht for the case
// that the citizen knows better or nothing was found. all is nil when the
// field is not a court field.
func (d *Definition) CourtOptions(id string, a Answers) (candidates []Option, unique bool, all []Option) {
	f := d.fields[id]
	if f == nil || f.Type != Court || d.courts == nil {
		return nil, false, nil
	}
	if f.Candidates != "" {
		if v, ok := d.eval(a).values[f.Candidates]; ok {
			for _, cid := range strings.Fields(v) {
				if c, ok := d.courts.Court(tenancy.CourtID(cid)); ok {
					candidates = append(candidates, courtOption(c))
				}
			}
		}
	}
	for _, c := range d.courts.Courts() {
		all = append(all, courtOption(c))
	}
	return candidates, len(candidates) == 1, all
}

// AirportOptions returns the airports to choose from, as "Name (IATA)"
// labels with the IATA code as value, in list order.
func AirportOptions() []Option {
	as := fluggast.Airports()
	out := make([]Option, len(as))
	for i, a := range as {
		out[i] = Option{Value: a.IATA, Label: fmt.Sprintf("%s (%s)", a.Name, a.IATA), Hint: a.City}
	}
	return out
}
