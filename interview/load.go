// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package interview

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/interview/courtfinder"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
)

// Env is what Load checks a definition against and binds it to.
type Env struct {
	Procedures *verfahren.Registry
	Catalog    *tenancy.Catalog
	Courts     *courtfinder.Finder
	Funcs      *Funcs
}

// courtType is the court type court fields choose from.
const courtType = "Amtsgericht"

// Load parses a definition (see Parse) and checks it against env: the
// procedure exists; the Registerzeichen exists in the catalog and is used
// at an Amtsgericht; every participant role is one of
// akte.ParticipantRoles (a Prozessbevollmächtigter cannot be produced: it
// needs the party it represents); every party role the procedure's guards
// require is produced by a participant without condition whose name comes
// from answers every complete interview has; every computed value names a
// registered function with all its required parameters, of the right
// types, and select and radio arguments offer only values the function
// understands; candidates are courts; conditions on computed values have
// values of their type. Problems yield a *LoadError like Parse.
func Load(name string, data []byte, env Env) (*Definition, error) {
	d, err := Parse(name, data)
	if err != nil {
		return nil, err
	}
	l := &loader{}
	l.check(d, env)
	if err := l.err(name); err != nil {
		return nil, err
	}
	d.courts = env.Courts
	d.funcs = env.Funcs.m
	return d, nil
}

func (l *loader) check(d *Definition, env Env) {
	if env.Procedures == nil || env.Catalog == nil || env.Courts == nil || env.Funcs == nil {
		l.addf(0, "incomplete environment: procedures, catalog, courts and funcs are required")
		return
	}
	proc, err := env.Procedures.Get(d.Procedure)
	if err != nil {
		l.addf(d.procLine, "procedure %q: no such procedure definition (known: %s)", d.Procedure, strings.Join(env.Procedures.Names(), ", "))
	}
	o := d.output
	if reg, err := env.Catalog.Register(o.Register); err != nil {
		l.addf(o.registerLine, "output: register: unknown Registerzeichen %q (GDS.Registerzeichen)", o.Register)
	} else if !reg.Allows(courtType) {
		l.addf(o.registerLine, "output: register: Registerzeichen %q is not used at an Amtsgericht (it is for %s)", o.Register, strings.Join(reg.CourtTypes, ", "))
	}
	// Computed values: functions, parameters, types.
	for i := range d.computed {
		c := &d.computed[i]
		fn, ok := env.Funcs.Get(c.Func)
		if !ok {
			l.addf(c.line, "computed %q: unknown func %q", c.ID, c.Func)
			continue
		}
		c.Type = fn.Result
		for _, arg := range sortedKeys(c.Args) {
			if !slices.ContainsFunc(fn.Params, func(p Param) bool { return p.Name == arg }) {
				l.addf(c.argLines[arg], "computed %q: func %s has no parameter %q", c.ID, fn.Name, arg)
			}
		}
		for _, p := range fn.Params {
			ref, ok := c.Args[p.Name]
			if !ok {
				if !p.Optional {
					l.addf(c.line, "computed %q: func %s needs parameter %q", c.ID, fn.Name, p.Name)
				}
				continue
			}
			t, opts := d.typeOf(ref)
			if !slices.Contains(p.Types, t) {
				l.addf(c.argLines[p.Name], "computed %q: parameter %q: %q is a %s, want %s", c.ID, p.Name, ref, t, typeList(p.Types))
				continue
			}
			if len(p.Values) > 0 && (t == Select || t == Radio) {
				for _, o := range opts {
					if !slices.Contains(p.Values, o.Value) {
						l.addf(c.argLines[p.Name], "computed %q: parameter %q: option %q of field %q is not one func %s understands (%s)",
							c.ID, p.Name, o.Value, ref, fn.Name, strings.Join(p.Values, ", "))
					}
				}
			}
		}
	}
	for _, id := range d.orderIDs() {
		if f := d.fields[id]; f != nil && f.Candidates != "" {
			if c := d.comps[f.Candidates]; c != nil && c.Type != "" && c.Type != Courts {
				l.addf(f.line, "field %q: candidates: %q is a %s, want courts", f.ID, f.Candidates, c.Type)
			}
		}
	}
	for _, rc := range d.pending {
		if c := d.comps[rc.c.Field]; c != nil && c.Type != "" {
			l.condValues(rc, c.Type, nil)
		}
	}
	// Participants.
	roles := akte.ParticipantRoles()
	produced := map[string]bool{}
	for _, po := range o.Participants {
		i := slices.IndexFunc(roles, func(r akte.ParticipantRole) bool { return r.Key == po.Role })
		switch {
		case i < 0:
			keys := make([]string, len(roles))
			for j, r := range roles {
				keys[j] = r.Key
			}
			l.addf(po.line, "output: participant: unknown role %q (want one of %s)", po.Role, strings.Join(keys, ", "))
			continue
		case po.Role == verfahren.Prozessbevollmaechtigter:
			l.addf(po.line, "output: participant: role %q cannot be produced: it must name the party it represents", po.Role)
			continue
		}
		if po.When == nil && d.nameAlways(po.Name) {
			produced[po.Role] = true
		}
	}
	if proc == nil {
		return
	}
	for _, e := range proc.Events {
		for _, r := range e.Guards.Participants {
			if !produced[r] {
				l.addf(o.registerLine, "output: procedure %q needs a participant %q (event %q requires one), but the output does not always produce one: add a participant with that role, without when, whose name uses only required fields", d.Procedure, r, e.Name)
				produced[r] = true // report each role once
			}
		}
	}
}

// nameAlways reports whether a name template is non-empty for every
// complete set of answers: it names at least one field or computed value,
// and all of them always have a value.
func (d *Definition) nameAlways(tmpl string) bool {
	ms := templateRE.FindAllStringSubmatch(tmpl, -1)
	if len(ms) == 0 {
		return false
	}
	for _, m := range ms {
		if !d.always(m[1]) {
			return false
		}
	}
	return true
}

func (d *Definition) orderIDs() []string {
	out := make([]string, len(d.order))
	for i, n := range d.order {
		if n.field != nil {
			out[i] = n.field.ID
		} else {
			out[i] = n.comp.ID
		}
	}
	return out
}

func (d *Definition) typeOf(id string) (Type, []Option) {
	if f := d.fields[id]; f != nil {
		return f.Type, f.Options
	}
	if c := d.comps[id]; c != nil {
		return c.Type, nil
	}
	return "", nil
}

func typeList(ts []Type) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, " or ")
}

// definitionsFS holds the shipped interview definitions.
//
//go:embed definitions/*.yaml
var definitionsFS embed.FS

// Registry holds loaded interview definitions by name. It is read-only
// after construction and safe for concurrent use.
type Registry struct {
	defs   map[string]*Definition
	courts *courtfinder.Finder
}

// NewRegistry loads the shipped definitions (definitions/*.yaml, embedded)
// against the procedures and the court catalog, with the Builtins
// functions. Any invalid file fails the whole registry.
func NewRegistry(procs *verfahren.Registry, cat *tenancy.Catalog) (*Registry, error) {
	courts := courtfinder.New(cat)
	funcs, err := NewFuncs(Builtins(courts)...)
	if err != nil {
		return nil, err
	}
	sub, err := fs.Sub(definitionsFS, "definitions")
	if err != nil {
		return nil, fmt.Errorf("interview: definitions: %w", err)
	}
	return LoadRegistry(sub, Env{Procedures: procs, Catalog: cat, Courts: courts, Funcs: funcs})
}

// LoadRegistry loads every *.yaml file at the top of fsys. Each file's name
// must be its definition's name plus ".yaml". All problems of all files are
// returned together; the error wraps errs.ErrInvalid.
func LoadRegistry(fsys fs.FS, env Env) (*Registry, error) {
	files, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("interview: definitions: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("interview: definitions: no *.yaml files: %w", errs.ErrInvalid)
	}
	r := &Registry{defs: make(map[string]*Definition, len(files)), courts: env.Courts}
	var problems []error
	for _, name := range files {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			problems = append(problems, fmt.Errorf("interview: %s: %w", name, err))
			continue
		}
		d, err := Load(name, data, env)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		if want := strings.TrimSuffix(path.Base(name), ".yaml"); d.Name != want {
			problems = append(problems, fmt.Errorf("%s: name %q does not match the file name (want %q): %w", name, d.Name, want, errs.ErrInvalid))
			continue
		}
		r.defs[d.Name] = d
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	return r, nil
}

// Get returns the definition named name; an unknown name wraps
// errs.ErrNotFound.
func (r *Registry) Get(name string) (*Definition, error) {
	d, ok := r.defs[name]
	if !ok {
		return nil, fmt.Errorf("interview %q: %w", name, errs.ErrNotFound)
	}
	return d, nil
}

// Names returns the names of the definitions, sorted.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.defs))
	for n := range r.defs {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Courts returns the court finder the definitions use, for a court search
// on the page.
func (r *Registry) Courts() *courtfinder.Finder { return r.courts }
