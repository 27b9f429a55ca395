// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"justizcloud/frist"
	"justizcloud/tenancy"
)

func runFrist(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var court, start, period string
	fs := newFlagSet("frist", "Computes the end of a Frist (§§ 187–193 BGB, § 222 ZPO) with the holidays at the\ncourt's seat. Prints the end date alone on the first line, then the reasoning.", stderr)
	fs.StringVar(&court, "court", "", "court (XJustiz ID), e.g. U1308 (required)")
	fs.StringVar(&start, "start", "", "day of the event that starts the Frist, YYYY-MM-DD (required)")
	fs.StringVar(&period, "period", "", "length: 3d, 2w, 1m, 1y (required)")
	if err := loadFlags(fs, args, getenv); err != nil {
		return err
	}
	if court == "" || start == "" || period == "" {
		return errors.New("--court, --start and --period are required")
	}
	day, err := time.Parse(time.DateOnly, start)
	if err != nil {
		return fmt.Errorf("--start: %q is not a date YYYY-MM-DD", start)
	}
	p, err := frist.ParsePeriod(period)
	if err != nil {
		return fmt.Errorf("--period: %w", err)
	}
	cat, err := tenancy.LoadCatalog()
	if err != nil {
		return err
	}
	r, err := frist.NewCalendar(cat).Compute(tenancy.CourtID(court), day, p)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, r.End.Format(time.DateOnly))
	for _, line := range r.Explain() {
		fmt.Fprintln(stdout, line)
	}
	return nil
}
