// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"justizcloud/errs"
)

// definitionsFS holds the shipped procedure definitions.
//
//go:embed definitions/*.yaml
var definitionsFS embed.FS

// Registry holds loaded definitions by name. It is read-only after
// construction and safe for concurrent use.
type Registry struct {
	defs map[string]*Definition
}

// NewRegistry loads every shipped definition (definitions/*.yaml, embedded).
// Any invalid file fails the whole registry: a server must not start with a
// procedure type missing.
func NewRegistry() (*Registry, error) {
	sub, err := fs.Sub(definitionsFS, "definitions")
	if err != nil {
		return nil, fmt.Errorf("verfahren: definitions: %w", err)
	}
	return LoadRegistry(sub)
}

// LoadRegistry loads every *.yaml file at the top of fsys. Each file's name
// must be its definition's name plus ".yaml". All problems of all files are
// returned together; the error wraps errs.ErrInvalid.
func LoadRegistry(fsys fs.FS) (*Registry, error) {
	files, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("verfahren: definitions: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("verfahren: definitions: no *.yaml files: %w", errs.ErrInvalid)
	}
	r := &Registry{defs: make(map[string]*Definition, len(files))}
	var problems []error
	for _, name := range files {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			problems = append(problems, fmt.Errorf("verfahren: %s: %w", name, err))
			continue
		}
		d, err := Load(name, data)
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

// Get returns the definition named name; an unknown name wraps errs.ErrNotFound.
func (r *Registry) Get(name string) (*Definition, error) {
	d, ok := r.defs[name]
	if !ok {
		return nil, fmt.Errorf("verfahren: procedure %q: %w", name, errs.ErrNotFound)
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

// eventNames are the names of every definition's events.
func (r *Registry) eventNames() []string {
	var out []string
	for _, n := range r.Names() {
		for _, e := range r.defs[n].Events {
			if !slices.Contains(out, e.Name) {
				out = append(out, e.Name)
			}
		}
	}
	return out
}

// HasState reports whether some definition has the state.
func (r *Registry) HasState(s State) bool {
	for _, d := range r.defs {
		if slices.ContainsFunc(d.States, func(sd StateDef) bool { return sd.Name == s }) {
			return true
		}
	}
	return false
}

// InitialIn lists the definitions whose initial state is s, sorted: their
// proceedings without events are in s.
func (r *Registry) InitialIn(s State) []string {
	var out []string
	for _, n := range r.Names() {
		if r.defs[n].Initial == s {
			out = append(out, n)
		}
	}
	return out
}

// Definitions loads the shipped definitions (see NewRegistry) and returns
// them by name. The map is the caller's; the definitions are shared and
// must not be modified.
func Definitions() (map[string]*Definition, error) {
	r, err := NewRegistry()
	if err != nil {
		return nil, err
	}
	out := make(map[string]*Definition, len(r.defs))
	for n, d := range r.defs {
		out[n] = d
	}
	return out, nil
}
