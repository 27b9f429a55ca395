// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package interview

import (
	"sync"
	"testing"

	"justizcloud/interview/courtfinder"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
)

var (
	envOnce sync.Once
	env     Env
	envErr  error
	reg     *Registry
)

// mustEnv returns the shipped environment and registry, built once.
func mustEnv(tb testing.TB) (Env, *Registry) {
	tb.Helper()
	envOnce.Do(func() {
		procs, err := verfahren.NewRegistry()
		if err != nil {
			envErr = err
			return
		}
		cat, err := tenancy.LoadCatalog()
		if err != nil {
			envErr = err
			return
		}
		courts := courtfinder.New(cat)
		funcs, err := NewFuncs(Builtins(courts)...)
		if err != nil {
			envErr = err
			return
		}
		env = Env{Procedures: procs, Catalog: cat, Courts: courts, Funcs: funcs}
		reg, envErr = NewRegistry(procs, cat)
	})
	if envErr != nil {
		tb.Fatal(envErr)
	}
	return env, reg
}

func mustDef(tb testing.TB, name string) *Definition {
	tb.Helper()
	_, r := mustEnv(tb)
	d, err := r.Get(name)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func TestShippedDefinitionsLoad(t *testing.T) {
	_, r := mustEnv(t)
	want := []string{"beratungshilfe", "fluggastrechte", "geld-einklagen"}
	got := r.Names()
	if len(got) != len(want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Names() = %v, want %v", got, want)
		}
	}
}
