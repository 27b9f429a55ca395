// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Command justizcloud is the one binary of the platform: the server and its
// operator tools. It only parses flags and wires packages; the domain lives
// elsewhere.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Aktenzeichen years and Fristen are counted in Europe/Berlin on any host
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "justizcloud:", err)
		os.Exit(1)
	}
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `justizcloud — the federal justice cloud

Usage:
  justizcloud <command> [flags]

Commands:
  serve     run the server (embedded default: SQLite and encrypted files under ./data)
  migrate   apply database migrations and seed reference data
  token     manage API tokens (token create …)
  user      manage user accounts: create, list, disable, enable
  bench     run benchmarks: ingest, seed, read, authz, anon, xjustiz
  frist     compute a Frist (frist --court U1308 --start 2026-10-30 --period 2w)
  procedure procedure types: list, check FILE, graph NAME
  retention destroy what is due under the Aufbewahrungsfristen (retention run [--dry-run])
  reindex   rebuild the search index and the proceedings' state and Fristen
  anon      anonymization: train, eval, tag (anon tag --conll < in > out), pseudonymize
  xjustiz   XJustiz messages: validate FILE…, import, export, eeb, acknowledge
  audit     audit log: verify [--tenant DE-XX]
            verify-proof BUNDLE.json --key FINGERPRINT [--document FILE], key
  version   print the version

Run "justizcloud <command> --help" for the flags of a command. Every flag can
also be set as JUSTIZCLOUD_<FLAG> (e.g. JUSTIZCLOUD_MAX_UPLOAD), and read from a
file named by JUSTIZCLOUD_<FLAG>_FILE (for secrets such as the database URL).
`

// run is the whole program; tests call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, rest, getenv, stdout, stderr)
	case "token":
		return runToken(ctx, rest, getenv, stdout, stderr)
	case "user":
		return runUser(ctx, rest, getenv, stdout, stderr)
	case "bench":
		return runBench(ctx, rest, getenv, stdout, stderr)
	case "frist":
		return runFrist(ctx, rest, getenv, stdout, stderr)
	case "procedure":
		return runProcedure(ctx, rest, getenv, stdout, stderr)
	case "retention":
		return runRetention(ctx, rest, getenv, stdout, stderr)
	case "reindex":
		return runReindex(ctx, rest, getenv, stdout, stderr)
	case "anon":
		return runAnon(ctx, rest, getenv, stdin, stdout, stderr)
	case "xjustiz":
		return runXJustiz(ctx, rest, getenv, stdin, stdout, stderr)
	case "audit":
		return runAudit(ctx, rest, getenv, stdout, stderr)
	case "version":
		fs := flag.NewFlagSet("version", flag.ContinueOnError)
		fs.SetOutput(stderr)
		fs.Usage = func() { fmt.Fprintln(stderr, "Usage: justizcloud version\n\nPrints the version of this binary.") }
		if err := fs.Parse(rest); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "justizcloud", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}
