// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package courtfinder

import (
	"slices"
	"strings"
	"unicode"

	"justizcloud/tenancy"
)

// Finder matches places to Amtsgerichte. It is read-only after New and
// safe for concurrent use.
type Finder struct {
	courts []entry // active Amtsgerichte, main entries, sorted by name
	byID   map[tenancy.CourtID]int
}

type entry struct {
	court tenancy.Court
	keys  [][]string // normalized city keys, as tokens
	name  string     // normalized court name, for Search
}

// cityStates are the Länder that are one city with several Amtsgerichte
// named after districts: "Berlin-Charlottenburg", "Charlottenburg" and
// "Berlin" all reach the Amtsgericht Charlottenburg.
var cityStates = map[tenancy.ID]string{"DE-BE": "berlin", "DE-HH": "hamburg"}

// New indexes the active Amtsgerichte of cat (main entries: no Grundbuch-,
// Register- or other sub-unit, no branch, no test entry).
func New(cat *tenancy.Catalog) *Finder {
	f := &Finder{byID: make(map[tenancy.CourtID]int)}
	for _, c := range cat.Find(tenancy.CourtFilter{Type: "Amtsgericht"}) {
		if c.Unit != "" || c.City == "" || !c.Active || c.Test() {
			continue
		}
		k := Normalize(c.City)
		if len(k) == 0 {
			continue
		}
		e := entry{court: c, keys: [][]string{k}, name: strings.Join(Normalize(c.Name), " ")}
		if city, ok := cityStates[c.Tenant]; ok {
			if k[0] == city && len(k) > 1 {
				e.keys = append(e.keys, k[1:]) // "hamburg altona" → also "altona"
			} else if k[0] != city {
				e.keys = append(e.keys, append([]string{city}, k...)) // "charlottenburg" → also "berlin charlottenburg"
			}
		}
		f.byID[c.ID] = len(f.courts)
		f.courts = append(f.courts, e)
	}
	return f
}

// Match is the result of Find.
type Match struct {
	// Courts are the candidates, sorted by name. Empty: the place is not
	// the seat of an Amtsgericht.
	Courts []tenancy.Court
	// Unique reports exactly one candidate matching the place's full name;
	// the interview may then preselect it (the citizen still confirms).
	Unique bool
}

// Find returns the Amtsgerichte for a place name. The candidates are, in
// this order of preference:
//
//  1. courts whose city key equals the place's key, together with courts
//     whose key extends it ("Frankfurt" → Frankfurt and Frankfurt/Oder;
//     "Hamburg" → Hamburg and Hamburg-Altona, …);
//  2. if there are none, courts whose key the place's key extends
//     ("Frankfurt am Main" → Frankfurt; "Bad Homburg vor der Höhe" → Bad
//     Homburg);
//  3. if there are none either, courts whose key has the same first word
//     (a spelling variant such as "Weißenburg in Bayern" for "Weißenburg
//     i. Bay."), which are offered for choice, never as unique; not for
//     generic first words such as "Bad" or "Sankt".
func (f *Finder) Find(place string) Match {
	q := Normalize(place)
	if len(q) == 0 {
		return Match{}
	}
	var exact, longer, shorter, first []tenancy.Court
	for _, e := range f.courts {
		var isExact, isLonger, isShorter, isFirst bool
		for _, k := range e.keys {
			switch {
			case slices.Equal(k, q):
				isExact = true
			case hasPrefix(k, q):
				isLonger = true
			case hasPrefix(q, k):
				isShorter = true
			case k[0] == q[0] && !generic[q[0]]:
				isFirst = true
			}
		}
		switch {
		case isExact:
			exact = append(exact, e.court)
		case isLonger:
			longer = append(longer, e.court)
		case isShorter:
			shorter = append(shorter, e.court)
		case isFirst:
			first = append(first, e.court)
		}
	}
	switch {
	case len(exact)+len(longer) > 0:
		all := append(exact, longer...)
		sortCourts(all)
		return Match{Courts: all, Unique: len(all) == 1}
	case len(shorter) > 0:
		sortCourts(shorter)
		return Match{Courts: shorter, Unique: len(shorter) == 1}
	default:
		sortCourts(first)
		return Match{Courts: first}
	}
}

// Court returns the Amtsgericht with the id if it is one the finder
// proposes (active, main entry).
func (f *Finder) Court(id tenancy.CourtID) (tenancy.Court, bool) {
	i, ok := f.byID[id]
	if !ok {
		return tenancy.Court{}, false
	}
	return f.courts[i].court, true
}

// Courts returns every Amtsgericht the finder knows, sorted by name: the
// list to choose from when Find has no candidate.
func (f *Finder) Courts() []tenancy.Court {
	out := make([]tenancy.Court, len(f.courts))
	for i, e := range f.courts {
		out[i] = e.court
	}
	return out
}

// Search returns the Amtsgerichte whose normalized name contains every
// word of q, sorted by name, for a search box over Courts. An empty q
// finds nothing.
func (f *Finder) Search(q string) []tenancy.Court {
	words := Normalize(q)
	if len(words) == 0 {
		return nil
	}
	var out []tenancy.Court
	for _, e := range f.courts {
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(e.name, w) }) {
			out = append(out, e.court)
		}
	}
	return out
}

func sortCourts(cs []tenancy.Court) {
	slices.SortFunc(cs, func(a, b tenancy.Court) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(string(a.ID), string(b.ID))
	})
}

func hasPrefix(long, short []string) bool {
	return len(long) > len(short) && slices.Equal(long[:len(short)], short)
}

// generic first words say too little for the fallback of Find: "Bad
// Xyz" must not offer every "Bad …".
var generic = map[string]bool{"bad": true, "sankt": true, "neu": true, "alt": true, "gross": true, "klein": true, "hohen": true}

// fillers are words of place names that do not distinguish places:
// "Frankfurt am Main" and "Frankfurt a. M." both keep "frankfurt" and the
// river, "Weiden i. d. OPf" keeps "weiden" and "opf".
var fillers = map[string]bool{
	"am": true, "an": true, "der": true, "die": true, "dem": true, "den": true, "im": true, "in": true,
	"a": true, "d": true, "i": true, "b": true, "bei": true, "vor": true, "ob": true, "unter": true,
}

// Normalize returns the matching key of a place name as words: lower
// case, diacritics folded (ä, ae and a are the same letter; ß is ss),
// punctuation removed, filler words dropped, "st" read as "sankt".
func Normalize(s string) []string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if f, ok := fold[r]; ok {
			b.WriteString(f)
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte(' ')
		}
	}
	var out []string
	for _, w := range strings.Fields(b.String()) {
		// ae/oe/ue are the transcriptions of ä/ö/ü: fold them too, on both
		// sides, so "Muenchen", "München" and "Munchen" meet.
		w = strings.NewReplacer("ae", "a", "oe", "o", "ue", "u").Replace(w)
		if fillers[w] {
			continue
		}
		if w == "st" {
			w = "sankt"
		}
		out = append(out, w)
	}
	return out
}

var fold = map[rune]string{
	'ä': "a", 'ö': "o", 'ü': "u", 'ß': "ss", 'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'å': "a",
	'ç': "c", 'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i",
	'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ø': "o", 'ù': "u", 'ú': "u", 'û': "u",
	'ý': "y", 'ÿ': "y", 'č': "c", 'ć': "c", 'š': "s", 'ž': "z", 'ł': "l", 'ś': "s", 'ń': "n",
	'ż': "z", 'ź': "z", 'ę': "e", 'ą': "a", 'ő': "o", 'ű': "u", 'ă': "a", 'ș': "s", 'ț': "t",
}
