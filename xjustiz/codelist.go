// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"justizcloud/errs"
)

// CodeList is one XRepository code list: its name, version and the values
// of its code column with their readable value.
type CodeList struct {
	Name    string // "GDS.Gerichte"
	Version string // "3.7"
	values  map[string]string
}

// Has reports whether code is in the list.
func (l *CodeList) Has(code string) bool { _, ok := l.values[code]; return ok }

// Value returns the readable value of a code ("Amtsgericht Köln").
func (l *CodeList) Value(code string) (string, bool) { v, ok := l.values[code]; return v, ok }

// Len is the number of codes.
func (l *CodeList) Len() int { return len(l.values) }

func (l *CodeList) String() string { return l.Name + " " + l.Version }

// LoadCodeList reads the newest embedded JSON version of the named list
// ("GDS.Gerichte"). A list that is not embedded wraps errs.ErrNotFound.
func LoadCodeList(name string) (*CodeList, error) {
	files, err := fs.Glob(CodeLists(), "json/"+name+"_*.json")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("code list %s: %w", name, errs.ErrNotFound)
	}
	sort.Slice(files, func(i, j int) bool { return versionLess(listVersion(files[i]), listVersion(files[j])) })
	file := files[len(files)-1]
	data, err := fs.ReadFile(CodeLists(), file)
	if err != nil {
		return nil, fmt.Errorf("code list %s: %w", name, err)
	}
	var raw struct {
		Spalten []struct {
			Name string `json:"spaltennameTechnisch"`
			Code bool   `json:"codeSpalte"`
		} `json:"spalten"`
		Daten [][]*string `json:"daten"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("code list %s: %w: %w", name, errs.ErrInvalid, err)
	}
	codeCol, valueCol := -1, -1
	for i, s := range raw.Spalten {
		switch {
		case s.Code && codeCol < 0:
			codeCol = i
		case s.Name == "wert" && valueCol < 0:
			valueCol = i
		}
	}
	if codeCol < 0 {
		return nil, fmt.Errorf("code list %s: %w: no code column", name, errs.ErrInvalid)
	}
	l := &CodeList{Name: name, Version: listVersion(file), values: make(map[string]string, len(raw.Daten))}
	for _, row := range raw.Daten {
		if codeCol >= len(row) || row[codeCol] == nil {
			continue
		}
		v := ""
		if valueCol >= 0 && valueCol < len(row) && row[valueCol] != nil {
			v = *row[valueCol]
		}
		l.values[*row[codeCol]] = v
	}
	return l, nil
}

// listVersion extracts "3.7" from "json/GDS.Gerichte_3.7.json".
func listVersion(file string) string {
	file = strings.TrimSuffix(file, ".json")
	return file[strings.LastIndex(file, "_")+1:]
}

// versionLess compares dotted version numbers numerically.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if len(as[i]) != len(bs[i]) {
			return len(as[i]) < len(bs[i])
		}
		if as[i] != bs[i] {
			return as[i] < bs[i]
		}
	}
	return len(as) < len(bs)
}

// codeCheck names an element whose <code> child must be in a code list.
type codeCheck struct {
	list     string
	versions []string // empty: every version
}

// codeElements are the elements of the supported messages typed with a
// Typ-3 code list (Code.GDS.*.Typ3 in 3.x), which the schemas do not
// enumerate. Typ-2 lists are enumerated in the schemas, so libxml2 checks
// them already. Element names are local names; an element is checked only
// when it has a <code> child.
var codeElements = map[string]codeCheck{
	"gericht":             {list: "GDS.Gerichte"},
	"absender_Gericht":    {list: "GDS.Gerichte"},
	"empfaenger_Gericht":  {list: "GDS.Gerichte"},
	"absender.gericht":    {list: "GDS.Gerichte"},
	"empfaenger.gericht":  {list: "GDS.Gerichte"},
	"amtsgericht":         {list: "GDS.Gerichte"},
	"registergericht":     {list: "GDS.Gerichte"},
	"insolvenzgericht":    {list: "GDS.Gerichte"},
	"zustaendigesGericht": {list: "GDS.Gerichte"},
	"erkennendesGericht":  {list: "GDS.Gerichte"},
	"rollenbezeichnung":   {list: "GDS.Rollenbezeichnung"},
	"dokumentklasse":      {list: "GDS.Dokumentklasse"},
	"register":            {list: "GDS.Registerzeichen"},
	"sachgebiet":          {list: "GDS.Sachgebiet"},
	"ereignis":            {list: "GDS.Ereignis", versions: []string{"3.5.1", "3.6.2"}},
}
