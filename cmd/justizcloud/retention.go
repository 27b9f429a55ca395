// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"justizcloud/frist"
	"justizcloud/retention"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
)

const retentionUsage = `Usage:
  justizcloud retention run [--dry-run] [--now 2060-01-01] [--rules FILE.yaml] [--data DIR | --db URL ...]
  justizcloud retention rules [--rules FILE.yaml]   print the Aufbewahrungsfristen table`

func runRetention(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, retentionUsage)
		return errors.New("retention: no subcommand")
	}
	var (
		cfg       config
		dryRun    bool
		nowFlag   string
		rulesFile string
	)
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, retentionUsage)
		return nil
	case "rules":
		fs := newFlagSet("retention rules", "Prints the Aufbewahrungsfristen table with the legal source of each rule.", stderr)
		fs.StringVar(&rulesFile, "rules", "", "rules file (default: the embedded defaults)")
		if err := loadFlags(fs, args[1:], getenv); err != nil {
			return err
		}
		rules, err := loadRules(rulesFile)
		if err != nil {
			return err
		}
		for _, r := range rules {
			fmt.Fprintf(stdout, "%s\tprocedure=%s outcomes=%v classes=%v years=%d\t%s\n", r.Name, r.Procedure, r.Outcomes, r.Classes, r.Years, r.Source)
		}
		return nil
	case "run":
	default:
		fmt.Fprintln(stderr, retentionUsage)
		return fmt.Errorf("retention: unknown subcommand %q", args[0])
	}
	fs := newFlagSet("retention run", "Destroys the documents whose Aufbewahrungsfrist has run out: crypto-shreds\n"+
		"their blobs and leaves a tombstone. Cases under a legal hold are skipped.", stderr)
	cfg.storageFlags(fs)
	fs.BoolVar(&dryRun, "dry-run", false, "report what is due, change nothing")
	fs.StringVar(&nowFlag, "now", "", "measure the periods against this day (YYYY-MM-DD) instead of today")
	fs.StringVar(&rulesFile, "rules", "", "rules file (default: the embedded defaults, see docs/retention.md)")
	if err := loadFlags(fs, args[1:], getenv); err != nil {
		return err
	}
	if err := cfg.validateStorage(); err != nil {
		return err
	}
	now := time.Now()
	if nowFlag != "" {
		d, err := time.ParseInLocation(time.DateOnly, nowFlag, frist.Germany)
		if err != nil {
			return fmt.Errorf("--now: want YYYY-MM-DD: %w", err)
		}
		now = d
	}
	rules, err := loadRules(rulesFile)
	if err != nil {
		return err
	}
	procedures, err := verfahren.NewRegistry()
	if err != nil {
		return err
	}
	log, _ := newLogger("warn", "text", stderr)
	b, err := openBackends(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer b.Close()
	var tenants []tenancy.ID
	for _, t := range tenancy.Tenants() {
		tenants = append(tenants, t.ID)
	}
	rep, err := retention.Run(ctx, b.db, b.blobs, retention.Options{
		Rules: rules, Procedures: procedures, Tenants: tenants, Now: now, DryRun: dryRun, By: "retention run",
	})
	verb := "destroyed"
	if dryRun {
		verb = "would destroy"
	}
	for _, it := range rep.Items {
		fmt.Fprintf(stdout, "%s\t%s\t%s\tdocument %s\tclass %s\trule %s\tdue %s\n", verb, it.Tenant, it.Aktenzeichen, it.Document,
			orDash(it.Class), it.Rule, it.DueAt.Format(time.DateOnly))
	}
	if err != nil {
		return err
	}
	if dryRun {
		fmt.Fprint(stdout, "dry run: nothing changed\n")
	}
	fmt.Fprintf(stdout, "%s: %d, held: %d (in %d cases), not yet due: %d, destroyed earlier: %d, no rule: %d\n",
		verb, rep.Destroyed, rep.Held, rep.HeldCases, rep.NotYetDue, rep.AlreadyDestroyed, rep.NoRule)
	return nil
}

func loadRules(file string) ([]retention.Rule, error) {
	if file == "" {
		return retention.DefaultRules()
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--rules: %w", err)
	}
	return retention.ParseRules(data)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
