// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"log/slog"
	"time"

	"justizcloud/akte"
	"justizcloud/audit"
	"justizcloud/interview"
	"justizcloud/portal"
	"justizcloud/verfahren"
)

// newPortal wires the citizens' portal: the interviews (checked against the
// procedures and the court catalog, so a bad definition stops the start),
// drafts in the database with their content in the encrypted blob store,
// and the sweeps of expired drafts and unfinished filings (now and daily).
func newPortal(ctx context.Context, b *backends, svc *akte.Service, proceedings *verfahren.Service, procedures *verfahren.Registry,
	auditLog *audit.Log, sweepBefore time.Time, draftTTL time.Duration, log *slog.Logger) (*portal.Portal, error) {
	interviews, err := interview.NewRegistry(procedures, b.cat)
	if err != nil {
		return nil, err
	}
	assets, err := portal.NewAssets()
	if err != nil {
		return nil, err
	}
	web, err := portal.New(portal.Deps{Akte: svc, Verfahren: proceedings, Interviews: interviews, Catalog: b.cat,
		Drafts: b.db, Blobs: b.blobs, Audit: auditLog, Assets: assets, Logger: log, DraftTTL: draftTTL})
	if err != nil {
		return nil, err
	}
	if n, err := svc.SweepFilings(ctx, sweepBefore); err != nil {
		return nil, err
	} else if n > 0 {
		log.Info("discarded blobs of unfinished filings of an earlier run", "blobs", n)
	}
	sweepPortal(ctx, web, log)
	go func() {
		t := time.NewTicker(24 * time.Hour)
		defer t.Stop()
		f := time.NewTicker(5 * time.Minute)
		defer f.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				sweepPortal(ctx, web, log)
			case <-f.C:
				if n, err := svc.SweepFilings(ctx, time.Now().Add(-time.Hour)); err != nil {
					log.Warn("sweep filings", "err", err)
				} else if n > 0 {
					log.Info("discarded blobs of abandoned filings", "blobs", n)
				}
			}
		}
	}()
	return web, nil
}

// sweepPortal deletes expired drafts and their uploads.
func sweepPortal(ctx context.Context, web *portal.Portal, log *slog.Logger) {
	drafts, files, err := web.Sweep(ctx)
	if err != nil {
		log.Warn("sweep drafts", "err", err)
	}
	if drafts+files > 0 {
		log.Info("deleted expired drafts", "drafts", drafts, "files", files)
	}
}
