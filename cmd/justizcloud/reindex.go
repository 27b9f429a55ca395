// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"justizcloud/akte"
	"justizcloud/frist"
	"justizcloud/search"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
)

func runReindex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("reindex", "Rebuilds what is derived from the records: the full-text search index (every\n"+
		"case and document again: text/plain and text/html content, case metadata)\n"+
		"and the state and running Fristen of every proceeding (from its history, with today's\n"+
		"holiday calendar). A running server keeps answering; until the rebuild is\n"+
		"done, its searches find less.", stderr)
	cfg.storageFlags(fs)
	if err := loadFlags(fs, args, getenv); err != nil {
		return err
	}
	if err := cfg.validateStorage(); err != nil {
		return err
	}
	log, _ := newLogger("warn", "text", stderr)
	b, err := openBackends(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer b.Close()
	tty := isTerminal(stderr)
	start := time.Now()
	n, err := search.NewIndexer(b.db, b.db, b.blobs, b.cat, log).Reindex(ctx, func(done int) {
		// A line per batch for logs; on a terminal, one line updated in place.
		if tty {
			fmt.Fprintf(stderr, "\rindexed %d cases and documents", done)
		} else {
			fmt.Fprintf(stderr, "indexed %d cases and documents\n", done)
		}
	})
	if tty {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "reindexed %d cases and documents in %v\n", n, time.Since(start).Round(time.Millisecond))

	start = time.Now()
	reg, err := verfahren.NewRegistry()
	if err != nil {
		return err
	}
	svc := akte.NewService(b.db, b.blobs, b.cat, akte.Options{Logger: log})
	var tenants []tenancy.ID
	for _, t := range tenancy.Tenants() {
		tenants = append(tenants, t.ID)
	}
	n, err = verfahren.NewService(svc, b.db, reg, frist.NewCalendar(b.cat), time.Now).RebuildDerived(ctx, tenants)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "recomputed the state and Fristen of %d proceedings in %v\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
