// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"justizcloud/bench"
	"justizcloud/tenancy"
)

func benchSeed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	o := bench.SeedOptions{}
	size := byteSize(2 << 10)
	fs := newFlagSet("bench seed", "Fills a store with a synthetic dataset for the read benchmark: proceedings at\n"+
		"the courts of the real court list, parties, histories, Wiedervorlagen and\n"+
		"documents of German text, encrypted and indexed for search. Prints documents/s.\n"+
		"Blobs are written without a per-file fsync and synced once at the end.", stderr)
	cfg.storageFlags(fs)
	fs.IntVar(&o.Cases, "cases", 10000, "number of cases")
	fs.IntVar(&o.DocsPerCase, "docs-per-case", 5, "documents per case")
	fs.Var(&size, "doc-size", "bytes of text per document")
	fs.IntVar(&o.Workers, "workers", 0, "goroutines writing blobs and analyzing texts (0: one per core)")
	fs.Uint64Var(&o.RandSeed, "seed", 1, "random seed of the generator")
	if err := loadFlags(fs, args, getenv); err != nil {
		return err
	}
	if err := cfg.validateStorage(); err != nil {
		return err
	}
	if o.Cases < 1 || o.DocsPerCase < 0 || size < 1 {
		return errors.New("--cases must be at least 1, --docs-per-case at least 0, --doc-size positive")
	}
	o.DocSize = int(size)
	if cfg.DB == "" {
		lock, err := lockData(cfg.Data)
		if err != nil {
			return err
		}
		defer lock.Close()
	}
	log, _ := newLogger("warn", "text", stderr)
	b, err := openBackends(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer b.Close()
	inner := b.inner
	if b.fs != nil {
		inner = b.fs.Unsynced()
	}
	tty := isTerminal(stderr)
	last := time.Now()
	o.Progress = func(cases, docs int) {
		if time.Since(last) < time.Second && cases < o.Cases {
			return
		}
		last = time.Now()
		if tty {
			fmt.Fprintf(stderr, "\r%d/%d cases, %d documents", cases, o.Cases, docs)
		} else {
			fmt.Fprintf(stderr, "%d/%d cases, %d documents\n", cases, o.Cases, docs)
		}
	}
	res, err := bench.Seed(ctx, o, b.db, inner, b.kr, b.cat)
	if tty {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return err
	}
	if b.fs != nil {
		t0 := time.Now()
		if err := b.fs.SyncFS(); err != nil {
			return err
		}
		res.Elapsed += time.Since(t0)
	}
	fmt.Fprintf(stdout, "seeded %d cases and %d documents (%.0f MB of text) in %v: %.0f documents/s\n",
		res.Cases, res.Documents, float64(res.Bytes)/1e6, res.Elapsed.Round(time.Millisecond), res.DocsPerSecond())
	return nil
}

func benchRead(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	o := bench.ReadOptions{Progress: stderr}
	fs := newFlagSet("bench read", "Loads a store filled by \"bench seed\" through the real HTTP API: case file\n"+
		"listing, case history, inbox and search, each with concurrent connections,\n"+
		"and a minimal Go HTTP handler in the same run as the baseline. Prints\n"+
		"throughput, p50 and p99, and each kind's throughput as a share of the baseline.", stderr)
	cfg.storageFlags(fs)
	fs.IntVar(&o.Connections, "connections", 64, "concurrent connections")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "measured time per request kind (after a warm-up)")
	only := fs.String("only", "", `comma-separated request kinds to run: "case file listing", "case history", "inbox", "search" (default: all)`)
	withAudit := fs.Bool("audit", true, "the server records every request in the audit log; false measures without it (serve --audit=false)")
	if err := loadFlags(fs, args, getenv); err != nil {
		return err
	}
	if err := cfg.validateStorage(); err != nil {
		return err
	}
	if cfg.Blob != "fs" {
		return errors.New("bench read runs on the fs blob driver")
	}
	if o.Connections < 1 || o.Duration <= 0 {
		return errors.New("--connections and --duration must be positive")
	}
	if *only != "" {
		o.Only = strings.Split(*only, ",")
	}
	if !*withAudit {
		o.ServeArgs = []string{"--audit=false"}
	}
	if err := sampleForRead(ctx, &cfg, &o, stderr); err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	o.Exe, o.Data = exe, cfg.Data
	if cfg.DB != "" {
		o.Storage = []string{"--db", cfg.DB}
	}
	if cfg.Keyring != "" {
		o.Storage = append(o.Storage, "--keyring", cfg.Keyring)
	}
	res, err := bench.Read(ctx, o)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "request\trequests/s\tshare of bare handler\tp50 ms\tp99 ms\terrors\t\n")
	for _, r := range res {
		fmt.Fprintf(tw, "%s\t%.0f\t%.1f %%\t%.2f\t%.2f\t%d\t\n", r.Name, r.PerSecond, 100*r.PerSecond/res[0].PerSecond,
			float64(r.P50.Microseconds())/1000, float64(r.P99.Microseconds())/1000, r.Errors)
	}
	return tw.Flush()
}

// sampleForRead picks the cases, the inbox court and the search terms of
// the read benchmark from the seeded store: random DE-BY cases, the court
// most of them belong to, and Aktenzeichen among the queries.
func sampleForRead(ctx context.Context, cfg *config, o *bench.ReadOptions, stderr io.Writer) error {
	log, _ := newLogger("warn", "text", stderr)
	db, _, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	cs, err := db.SampleCases(ctx, "DE-BY", 2000)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return errors.New("the store has no DE-BY cases: run \"justizcloud bench seed\" first")
	}
	count := map[tenancy.CourtID]int{}
	var az []string
	for i, c := range cs {
		o.Cases = append(o.Cases, string(c.ID))
		if c.Procedure != "" {
			count[c.Court]++
			o.HistoryCases = append(o.HistoryCases, string(c.ID))
		}
		if i < 20 {
			az = append(az, c.Aktenzeichen.String())
		}
	}
	for court, n := range count {
		if o.InboxCourt == "" || n > count[tenancy.CourtID(o.InboxCourt)] {
			o.InboxCourt = string(court)
		}
	}
	o.Terms = bench.SearchTerms(az)
	return nil
}
