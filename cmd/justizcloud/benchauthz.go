// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"justizcloud/bench"
	"justizcloud/sqlstore"
	"justizcloud/tenancy"
)

// defaultBenchPG is the server bench authz tries when --db is not given; it
// creates (once) and uses the database jc_bench_authz on it.
const defaultBenchPG = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

func benchAuthz(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o := bench.AuthzOptions{Progress: stderr}
	fs := newFlagSet("bench authz", "Seeds a world of proceedings with relation tuples (an assigned judge, a\n"+
		"participant's lawyer, an Akteneinsicht grant, …) and measures authz decisions\n"+
		"(Authorizer.May) that need those tuples: answered from the cache, and with\n"+
		"the tuples read from SQLite and from PostgreSQL on every check (the case is\n"+
		"forgotten before each one), from one goroutine and from --goroutines.\n"+
		"Prints checks/s, checks per CPU-second of this process (one core's\n"+
		"throughput, however busy the machine; without the database server's CPU),\n"+
		"p50 and p99: the medians of --runs runs. The world is kept in --data and\n"+
		"--db and reused by later runs.", stderr)
	data := fs.String("data", "", "folder of the SQLite store (default: a temporary folder, removed afterwards)")
	db := fs.String("db", "", "PostgreSQL URL for the lookups on PostgreSQL; \"off\" skips them (default: the database\njc_bench_authz, created if missing, on "+defaultBenchPG+" when reachable)")
	fs.IntVar(&o.Cases, "cases", 10000, "proceedings of the world")
	fs.IntVar(&o.TuplesPerCase, "tuples-per-case", 3, "relation tuples per proceeding")
	fs.IntVar(&o.Users, "users", 1000, "people the tuples name")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed of the world and the checks")
	fs.DurationVar(&o.Duration, "duration", 5*time.Second, "measured time per kind of decision and run")
	runs := fs.Int("runs", 3, "runs; medians are reported")
	goroutines := fs.Int("goroutines", runtime.GOMAXPROCS(0), "goroutines of the parallel rows (besides the single-goroutine ones)")
	if err := loadFlags(fs, args, getenv); err != nil {
		return err
	}
	if o.Cases < 1 || o.TuplesPerCase < 1 || o.Users < 1 || *runs < 1 || *goroutines < 1 || o.Duration <= 0 {
		return errors.New("--cases, --tuples-per-case, --users, --runs, --goroutines and --duration must be positive")
	}
	cat, err := tenancy.LoadCatalog()
	if err != nil {
		return err
	}
	w, err := bench.NewAuthzWorld(cat, o)
	if err != nil {
		return err
	}

	dir := *data
	if dir == "" {
		if dir, err = os.MkdirTemp("", "justizcloud-bench-authz-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else {
		lock, err := lockData(dir)
		if err != nil {
			return err
		}
		defer lock.Close()
	}
	lite, err := openBenchStore(ctx, filepath.Join(dir, "justizcloud.db"))
	if err != nil {
		return err
	}
	defer lite.Close()
	if err := seedBenchWorld(ctx, w, lite, "SQLite", stderr); err != nil {
		return err
	}

	var pg *sqlstore.DB
	pgNote := ""
	switch dsn := *db; dsn {
	case "off":
		pgNote = "PostgreSQL: skipped (--db off)"
	case "":
		dsn, err = benchPGDatabase(ctx, defaultBenchPG)
		if err != nil {
			pgNote = fmt.Sprintf("PostgreSQL: skipped, %v (give --db URL to measure it)", err)
			break
		}
		fallthrough
	default:
		if pg, err = openBenchStore(ctx, dsn); err != nil {
			return err
		}
		defer pg.Close()
		if err := seedBenchWorld(ctx, w, pg, "PostgreSQL", stderr); err != nil {
			return err
		}
	}

	type kind struct {
		name string
		g    int
		run  func(name string, g int) bench.AuthzResult
	}
	cached := func(name string, g int) bench.AuthzResult { return w.Cached(ctx, lite, name, g) }
	lookupLite := func(name string, g int) bench.AuthzResult { return w.Lookups(ctx, lite, name, g) }
	kinds := []kind{
		{"cached", 1, cached},
		{"cached", *goroutines, cached},
		{"lookup SQLite", 1, lookupLite},
		{"lookup SQLite", *goroutines, lookupLite},
	}
	if pg != nil {
		lookupPG := func(name string, g int) bench.AuthzResult { return w.Lookups(ctx, pg, name, g) }
		kinds = append(kinds, kind{"lookup PostgreSQL", 1, lookupPG}, kind{"lookup PostgreSQL", *goroutines, lookupPG})
	}
	results := make([][]bench.AuthzResult, len(kinds))
	for i := range *runs {
		fmt.Fprintf(stderr, "run %d of %d\n", i+1, *runs)
		for k, kd := range kinds {
			r := kd.run(kd.name, kd.g)
			if err := ctx.Err(); err != nil {
				return err
			}
			fmt.Fprintf(stderr, "  %s, %d goroutine(s): %.0f checks/s, p99 %v\n", r.Name, r.Goroutines, r.PerSecond, r.P99)
			results[k] = append(results[k], r)
		}
	}

	fmt.Fprintf(stdout, "world: %d cases, %d tuples, %d users; GOMAXPROCS %d, %d CPUs; medians of %d runs of %v\n",
		o.Cases, o.Cases*o.TuplesPerCase, o.Users, runtime.GOMAXPROCS(0), runtime.NumCPU(), *runs, o.Duration)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "decision\tgoroutines\tchecks/s\tchecks per CPU-second\tp50 µs\tp99 µs\tp99 on-CPU µs\tallowed\terrors\t\n")
	for k, kd := range kinds {
		rs := results[k]
		med := func(f func(bench.AuthzResult) float64) float64 { return bench.MedianAuthz(rs, f) }
		onCPU := "–"
		if p := med(func(r bench.AuthzResult) float64 { return float64(r.CPUP99.Nanoseconds()) / 1000 }); p > 0 {
			onCPU = fmt.Sprintf("%.2f", p)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.0f\t%.2f\t%.2f\t%s\t%.0f %%\t%.0f\t\n", kd.name, kd.g,
			med(func(r bench.AuthzResult) float64 { return r.PerSecond }),
			med(func(r bench.AuthzResult) float64 { return r.PerCPUSecond }),
			med(func(r bench.AuthzResult) float64 { return float64(r.P50.Nanoseconds()) / 1000 }),
			med(func(r bench.AuthzResult) float64 { return float64(r.P99.Nanoseconds()) / 1000 }), onCPU,
			med(func(r bench.AuthzResult) float64 { return 100 * r.Allowed }),
			med(func(r bench.AuthzResult) float64 { return float64(r.Errors) }))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "cached: Authorizer cache TTL 1 h, every check answered once before timing; lookup: Forget(case) before each check, so May reads the case's tuples from the store")
	fmt.Fprintf(stdout, "p99 on-CPU: CPU time of the checking thread (one goroutine locked to it), without waits for a core or the database server; load average %s\n", loadAverage())
	if pgNote != "" {
		fmt.Fprintln(stdout, pgNote)
	}
	return nil
}

// loadAverage is the 1-minute load average from /proc/loadavg, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil || len(b) == 0 {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return f[0]
}

func openBenchStore(ctx context.Context, dsn string) (*sqlstore.DB, error) {
	db, err := sqlstore.Open(ctx, dsn, nil)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func seedBenchWorld(ctx context.Context, w *bench.AuthzWorld, db *sqlstore.DB, name string, stderr io.Writer) error {
	start := time.Now()
	wrote, err := w.Seed(ctx, db, 8)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if wrote {
		fmt.Fprintf(stderr, "%s: world seeded in %v\n", name, time.Since(start).Round(time.Millisecond))
	} else {
		fmt.Fprintf(stderr, "%s: world already seeded\n", name)
	}
	return nil
}

// benchPGDatabase checks that the server of admin is reachable, creates the
// database jc_bench_authz on it if missing, and returns that database's URL.
func benchPGDatabase(ctx context.Context, admin string) (string, error) {
	u, err := url.Parse(admin)
	if err != nil {
		return "", err
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return "", err
	}
	defer db.Close()
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		return "", fmt.Errorf("%s unreachable: %w", u.Redacted(), err)
	}
	const name = "jc_bench_authz"
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
			return "", fmt.Errorf("create database %s on %s: %w", name, u.Redacted(), err)
		}
	}
	u.Path = "/" + name
	return u.String(), nil
}
