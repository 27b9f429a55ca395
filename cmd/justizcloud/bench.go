// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"text/tabwriter"

	"justizcloud/bench"
)

func runBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const usage = "Usage: justizcloud bench ingest|anon|seed|read|xjustiz|authz [flags]   (see justizcloud bench <name> --help)"
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "ingest":
		return benchIngest(ctx, args[1:], stdout, stderr)
	case "anon":
		return runBenchAnon(ctx, args[1:], getenv, stdout, stderr)
	case "seed":
		return benchSeed(ctx, args[1:], getenv, stdout, stderr)
	case "read":
		return benchRead(ctx, args[1:], getenv, stdout, stderr)
	case "xjustiz":
		return benchXJustiz(ctx, args[1:], getenv, stdout, stderr)
	case "authz":
		return benchAuthz(ctx, args[1:], getenv, stdout, stderr)
	case "bare": // the baseline process that bench read starts
		return bench.ServeBare(ctx, stdout)
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return nil
	default:
		return errors.New(usage)
	}
}

func benchIngest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o := bench.IngestOptions{}
	large, small, stream := byteSize(8<<20), byteSize(20<<10), byteSize(2<<30)
	fs := newFlagSet("bench ingest", "Starts a server on the embedded default (encryption and fsync on), uploads\nthrough the real HTTP API and prints throughput beside this machine's own\nlimits measured in the same run: AES-256-GCM + SHA-256 on one core, and\nfsync'ed sequential disk writes. Prints each run and the medians.", stderr)
	fs.StringVar(&o.Dir, "dir", os.TempDir(), "scratch folder (needs room for --stream plus the documents)")
	fs.Var(&large, "large", "size of a large document")
	fs.IntVar(&o.LargeCount, "large-count", 96, "large documents per run (the disk limit writes as much)")
	fs.IntVar(&o.LargeClients, "large-clients", 4, "concurrent clients for large documents")
	fs.Var(&small, "small", "size of a small document")
	fs.IntVar(&o.SmallCount, "small-count", 5000, "small documents per run")
	fs.IntVar(&o.Clients, "clients", 16, "concurrent clients for small documents")
	fs.Var(&stream, "stream", "one document of this size is streamed to measure the server's peak RSS (0 skips)")
	fs.IntVar(&o.Runs, "runs", 3, "runs; medians are reported")
	auditMode := fs.String("audit", "on", "audit log of the server: on, off, or both (two servers, with and without the log, loaded in alternation for --runs rounds; prints the ratio)")
	if err := loadFlags(fs, args, func(string) string { return "" }); err != nil {
		return err
	}
	if o.Runs < 1 || o.LargeCount < 1 || o.LargeClients < 1 || o.SmallCount < 1 || o.Clients < 1 {
		return errors.New("--runs, --large-count, --small-count and --clients must be at least 1")
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	o.Exe, o.LargeSize, o.SmallSize, o.StreamSize, o.Progress = exe, int64(large), int64(small), int64(stream), stderr
	switch *auditMode {
	case "on":
	case "off":
		o.ServeArgs = []string{"--audit=false"}
	case "both":
		return benchIngestAudit(ctx, o, stdout)
	default:
		return fmt.Errorf("--audit must be on, off or both, not %q", *auditMode)
	}
	runs, err := bench.Ingest(ctx, o)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "run\tcrypto 1 core MB/s\tdisk fsync MB/s\t%s docs MB/s (%d clients)\tratio to lower limit\t%s docs/s (%d clients)\tpeak RSS MB (%s streamed)\t\n",
		humanSize(o.LargeSize), o.LargeClients, humanSize(o.SmallSize), o.Clients, humanSize(o.StreamSize))
	row := func(name string, c, d, l, ratio, s, rss float64) {
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%.0f\t%.0f %%\t%.0f\t%.0f\t\n", name, c/1e6, d/1e6, l/1e6, ratio*100, s, rss/1e6)
	}
	for i, r := range runs {
		row(fmt.Sprint(i+1), r.CryptoLimit, r.DiskLimit, r.Large, r.LargeRatio(), r.Small, float64(r.PeakRSS))
	}
	med := func(f func(bench.IngestRun) float64) float64 { return bench.Median(runs, f) }
	row("median", med(func(r bench.IngestRun) float64 { return r.CryptoLimit }), med(func(r bench.IngestRun) float64 { return r.DiskLimit }),
		med(func(r bench.IngestRun) float64 { return r.Large }), med(bench.IngestRun.LargeRatio),
		med(func(r bench.IngestRun) float64 { return r.Small }), med(func(r bench.IngestRun) float64 { return float64(r.PeakRSS) }))
	return tw.Flush()
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d B", n)
	}
}

// benchIngestAudit measures the audit log's cost with bench.AuditCost and
// prints each round, the medians and the median of the per-round ratios.
func benchIngestAudit(ctx context.Context, o bench.IngestOptions, stdout io.Writer) error {
	pairs, err := bench.AuditCost(ctx, o)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "round\t%s docs MB/s audit on\toff\ton/off\t%s docs/s audit on\toff\ton/off\t\n", humanSize(o.LargeSize), humanSize(o.SmallSize))
	row := func(name string, lOn, lOff, lRatio, sOn, sOff, sRatio float64) {
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%.1f %%\t%.0f\t%.0f\t%.1f %%\t\n", name, lOn/1e6, lOff/1e6, 100*lRatio, sOn, sOff, 100*sRatio)
	}
	med := func(f func(p bench.AuditPair) float64) float64 {
		v := make([]float64, len(pairs))
		for i, p := range pairs {
			v[i] = f(p)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	for i, p := range pairs {
		row(fmt.Sprint(i+1), p.LargeOn, p.LargeOff, p.LargeOn/p.LargeOff, p.SmallOn, p.SmallOff, p.SmallOn/p.SmallOff)
	}
	row("median", med(func(p bench.AuditPair) float64 { return p.LargeOn }), med(func(p bench.AuditPair) float64 { return p.LargeOff }),
		med(func(p bench.AuditPair) float64 { return p.LargeOn / p.LargeOff }),
		med(func(p bench.AuditPair) float64 { return p.SmallOn }), med(func(p bench.AuditPair) float64 { return p.SmallOff }),
		med(func(p bench.AuditPair) float64 { return p.SmallOn / p.SmallOff }))
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "audit log cost (median of the per-round ratios): %s docs %.1f %%, %s docs %.1f %%\n",
		humanSize(o.LargeSize), 100*(1-med(func(p bench.AuditPair) float64 { return p.LargeOn / p.LargeOff })),
		humanSize(o.SmallSize), 100*(1-med(func(p bench.AuditPair) float64 { return p.SmallOn / p.SmallOff })))
	return err
}
