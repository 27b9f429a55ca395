// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"justizcloud/search"
)

func runReindex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("reindex", "Rebuilds the full-text search index: drops it and indexes every case and\n"+
		"document again (text/plain and text/html content, case metadata). A running\n"+
		"server keeps answering; until the rebuild is done, its searches find less.", stderr)
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
