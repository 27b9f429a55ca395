// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"justizcloud/verfahren"
)

const procedureUsage = `Usage:
  justizcloud procedure list               the shipped procedure types
  justizcloud procedure check FILE.yaml    validate a definition file (prints each problem with its line)
  justizcloud procedure graph NAME [--format mermaid|dot]   diagram of a shipped definition`

func runProcedure(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, procedureUsage)
		return errors.New("procedure: no subcommand")
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, procedureUsage)
		return nil
	case "list":
		reg, err := verfahren.NewRegistry()
		if err != nil {
			return err
		}
		for _, n := range reg.Names() {
			d, _ := reg.Get(n)
			fmt.Fprintf(stdout, "%s\t%s\n", n, d.Title)
		}
		return nil
	case "check":
		if len(args) != 2 {
			return errors.New("usage: justizcloud procedure check FILE.yaml")
		}
		data, err := os.ReadFile(args[1])
		if err != nil {
			return err
		}
		d, err := verfahren.Load(filepath.Base(args[1]), data)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: OK (%d states, %d events, %d Fristen)\n", args[1], len(d.States), len(d.Events), len(d.Fristen))
		return nil
	case "graph":
		var format string
		fs := newFlagSet("procedure graph", "Prints a diagram of a shipped procedure definition.", stderr)
		fs.StringVar(&format, "format", "mermaid", "mermaid or dot")
		if len(args) < 2 {
			return errors.New("usage: justizcloud procedure graph NAME [--format mermaid|dot]")
		}
		if err := loadFlags(fs, args[2:], getenv); err != nil {
			return err
		}
		reg, err := verfahren.NewRegistry()
		if err != nil {
			return err
		}
		d, err := reg.Get(args[1])
		if err != nil {
			return fmt.Errorf("procedure %q: %w (known: %v)", args[1], err, reg.Names())
		}
		switch format {
		case "mermaid":
			fmt.Fprint(stdout, d.Mermaid())
		case "dot":
			fmt.Fprint(stdout, d.DOT())
		default:
			return fmt.Errorf("--format must be mermaid or dot")
		}
		return nil
	default:
		fmt.Fprintln(stderr, procedureUsage)
		return fmt.Errorf("procedure: unknown subcommand %q", args[0])
	}
}
