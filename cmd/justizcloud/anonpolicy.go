// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"justizcloud/anon"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

const anonPolicyUsage = `Usage:
  justizcloud anon policy show [--tenant DE-XX]             a tenant's policy, or every chosen one
  justizcloud anon policy set --tenant DE-XX --replace PER,RR,...
  justizcloud anon policy reset --tenant DE-XX              back to the default
(each with [--data DIR | --db URL])

The policy says which kinds of spans the anonymization service replaces in
a tenant's texts; all other kinds stay. Servers apply a change within 30
seconds. Kinds:
`

// runAnonPolicy shows and changes the tenants' anonymization policies in
// the store, as the operator of the installation.
func runAnonPolicy(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	usage := anonPolicyUsage + kindList()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return errors.New("anon policy: no command given")
		}
		return nil
	}
	var (
		cfg             config
		tenant, replace string
	)
	fs := newFlagSet("anon policy "+args[0], "Shows and changes the tenants' anonymization policies.\n\n"+usage, stderr)
	cfg.storageFlags(fs)
	fs.StringVar(&tenant, "tenant", "", "tenant: DE or DE-BW … DE-TH")
	switch args[0] {
	case "show", "reset":
	case "set":
		fs.StringVar(&replace, "replace", "", "the kinds to replace, comma-separated; PER is always among them (required)")
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("anon policy: unknown command %q", args[0])
	}
	if err := loadFlags(fs, args[1:], getenv); err != nil {
		return err
	}
	var t tenancy.ID
	if tenant != "" || args[0] != "show" {
		var err error
		if t, err = tenancy.Parse(tenant); err != nil {
			return fmt.Errorf("anon policy %s: --tenant: %w", args[0], err)
		}
	}
	var p anon.Policy
	if args[0] == "set" {
		var err error
		if p, err = parseKinds(replace); err != nil { // before the store is opened
			return fmt.Errorf("anon policy set: --replace: %w", err)
		}
	}
	if err := cfg.validateStorage(); err != nil {
		return err
	}
	db, _, err := openCommandDB(ctx, &cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "set":
		tp, err := anon.SavePolicy(ctx, db, t, p, "cli", time.Now())
		if err != nil {
			return err
		}
		return writePolicies(stdout, tp)
	case "reset":
		if err := db.DeleteAnonPolicy(ctx, t); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: default policy\n", t)
		return nil
	}
	if t != "" {
		tp, err := anon.LoadPolicy(ctx, db, t, anon.DefaultPolicy())
		if err != nil {
			return err
		}
		return writePolicies(stdout, tp)
	}
	all, err := db.AnonPolicies(ctx)
	if err != nil {
		return err
	}
	if len(all) == 0 {
		fmt.Fprintln(stdout, "every tenant has the default policy")
	}
	return writePolicies(stdout, all...)
}

// parseKinds reads a comma-separated list of kinds, in any case and with
// spaces around the commas. Unknown kinds and an empty string wrap
// errs.ErrInvalid.
func parseKinds(s string) (anon.Policy, error) {
	p := anon.Policy{Replace: []anon.Kind{}}
	if strings.TrimSpace(s) == "" {
		return anon.Policy{}, fmt.Errorf("no kinds given: %w", errs.ErrInvalid)
	}
	for _, k := range strings.Split(s, ",") {
		p.Replace = append(p.Replace, anon.Kind(strings.ToUpper(strings.TrimSpace(k))))
	}
	if err := p.Validate(); err != nil {
		return anon.Policy{}, err
	}
	return p, nil
}

// writePolicies prints one line per policy: tenant, kinds, who and when.
func writePolicies(w io.Writer, ps ...anon.TenantPolicy) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, p := range ps {
		kinds := make([]string, len(p.Policy.Replace))
		for i, k := range p.Policy.Replace {
			kinds[i] = string(k)
		}
		set := "default"
		if !p.Default {
			set = "set by " + p.UpdatedBy + " at " + p.UpdatedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Tenant, strings.Join(kinds, ","), set)
	}
	return tw.Flush()
}

// kindList lists every kind with its German label, for the usage text.
func kindList() string {
	var b strings.Builder
	for _, k := range anon.AllKinds() {
		fmt.Fprintf(&b, "  %-15s %s\n", k, anon.KindLabel(k))
	}
	return b.String()
}
