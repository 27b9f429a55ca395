// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package portal

import (
	"slices"
	"strconv"
	"strings"

	"justizcloud/interview"
)

// fieldView is what the "field" template needs of one field.
type fieldView struct {
	ID, Label, Hint, Kind, Error string
	InputType, InputMode         string
	Autocomplete, Value, Accept  string
	Described                    string // ids of hint and error, for aria-describedby
	Required, Checked, Multiple  bool
	NoSpell, CanAdd              bool
	Options                      []optionView // radio
	Groups                       []groupView  // select, court, airport
	Files                        []fileView
}

type optionView struct {
	ID, Value, Label, Hint string
	Checked                bool
}

type groupView struct {
	Label   string
	Options []optionView
}

type fileView struct {
	Ref, Name, Size string
}

// airportGroups are the airports to choose from, computed once.
var airportOptions = interview.AirportOptions()

// fieldView builds the view of field f for the answers a; a problem of
// the field shows its message and what was entered.
func (p *Portal) fieldView(d *interview.Definition, f interview.Field, a interview.Answers, problems map[string]interview.FieldError) fieldView {
	fv := fieldView{ID: f.ID, Label: f.Label, Hint: strings.Join(strings.Fields(f.Hint), " "), Required: f.Required,
		Autocomplete: f.Autocomplete, InputType: "text", Kind: "input", CanAdd: true}
	ans, has := a[f.ID]
	value := ""
	if has {
		value = ans.Value
	}
	fe, bad := problems[f.ID]
	if bad {
		fv.Error = fe.Message
	}
	// entered is the raw input to show: what was posted after a problem,
	// else the display form of the saved answer (which parses again).
	entered := ""
	switch {
	case bad:
		entered = fe.Entered
	case has && value != "":
		entered = d.Display(f.ID, value)
	}
	selected := value
	if bad {
		selected = strings.TrimSpace(fe.Entered)
	}
	switch f.Type {
	case interview.Checkbox:
		fv.Kind = "checkbox"
		fv.Checked = value == "true"
		if bad {
			fv.Checked = false
		}
	case interview.Radio:
		fv.Kind = "radio"
		for i, o := range f.Options {
			fv.Options = append(fv.Options, optionView{ID: f.ID + "-" + strconv.Itoa(i+1), Value: o.Value, Label: o.Label, Hint: o.Hint, Checked: o.Value == selected})
		}
	case interview.Select:
		fv.Kind = "select"
		g := groupView{}
		for _, o := range f.Options {
			g.Options = append(g.Options, optionView{Value: o.Value, Label: o.Label, Checked: o.Value == selected})
		}
		fv.Groups = []groupView{g}
	case interview.Airport:
		fv.Kind = "select"
		g := groupView{}
		for _, o := range airportOptions {
			g.Options = append(g.Options, optionView{Value: o.Value, Label: o.Label, Checked: o.Value == selected})
		}
		fv.Groups = []groupView{g}
	case interview.Court:
		fv.Kind = "select"
		cands, unique, all := d.CourtOptions(f.ID, a)
		if selected == "" && unique && !bad {
			selected = cands[0].Value
		}
		if len(cands) > 0 {
			g := groupView{Label: "Vorschläge für den angegebenen Ort"}
			for _, o := range cands {
				g.Options = append(g.Options, optionView{Value: o.Value, Label: o.Label + " (" + o.Hint + ")", Checked: o.Value == selected})
			}
			fv.Groups = append(fv.Groups, g)
			selected = "" // selected once, among the proposals
		}
		byLand := map[string][]optionView{}
		var lands []string
		for _, o := range all {
			if _, ok := byLand[o.Hint]; !ok {
				lands = append(lands, o.Hint)
			}
			byLand[o.Hint] = append(byLand[o.Hint], optionView{Value: o.Value, Label: o.Label, Checked: o.Value == selected})
		}
		slices.Sort(lands)
		for _, l := range lands {
			opts := byLand[l]
			slices.SortFunc(opts, func(x, y optionView) int { return strings.Compare(x.Label, y.Label) })
			fv.Groups = append(fv.Groups, groupView{Label: "Alle Amtsgerichte: " + l, Options: opts})
		}
	case interview.Textarea:
		fv.Kind = "textarea"
		fv.Value = entered
	case interview.File:
		fv.Kind = "file"
		fv.Accept = strings.Join(f.Accept, ",")
		fv.Multiple = f.MaxFiles > 1
		for _, u := range ans.Files {
			fv.Files = append(fv.Files, fileView{Ref: u.Ref, Name: u.Name, Size: humanSize(u.Size)})
		}
	default:
		fv.Value = entered
		switch f.Type {
		case interview.Email:
			fv.InputType = "email"
			fv.NoSpell = true
		case interview.Money:
			fv.InputMode = "decimal"
		case interview.Number:
			fv.InputMode = "numeric"
		case interview.IBAN:
			fv.NoSpell = true
			if fv.Autocomplete == "" {
				fv.Autocomplete = "off"
			}
		}
	}
	var desc []string
	if fv.Hint != "" {
		desc = append(desc, f.ID+"-hint")
	}
	if fv.Error != "" {
		desc = append(desc, f.ID+"-error")
	}
	fv.Described = strings.Join(desc, " ")
	return fv
}
