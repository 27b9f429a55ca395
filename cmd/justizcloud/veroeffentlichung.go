// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"log/slog"
	"time"

	"justizcloud/akte"
	"justizcloud/anon"
	"justizcloud/audit"
	"justizcloud/portal"
	"justizcloud/search"
	"justizcloud/veroeffentlichung"
)

// newPublications wires the review and publication of decisions into the
// court's workplace and the public pages. Every publication is recorded in
// the audit log; without it (--audit=false, for benchmarks) the result is
// nil, and httpapi serves none of these pages.
func newPublications(court *portal.Court, b *backends, svc *akte.Service, an *anon.Service, log *audit.Log, logger *slog.Logger,
	now func() time.Time) (*portal.Publications, error) {
	if log == nil {
		logger.Warn("audit log OFF: the publication of decisions is not served")
		return nil, nil
	}
	pub, err := veroeffentlichung.NewService(veroeffentlichung.Deps{Store: b.db, Blobs: b.blobs, Akte: svc, Anon: an, Audit: log,
		Extract: search.Extract, Now: now, Logger: logger})
	if err != nil {
		return nil, err
	}
	return portal.NewPublications(court, pub)
}
