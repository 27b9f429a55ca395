// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"justizcloud/authz"
	"justizcloud/identity"
	"justizcloud/portal"
	"justizcloud/sqlstore"
	"justizcloud/tenancy"
	"justizcloud/zustellung"
)

// newCourt wires the court's workplace and the parties' pages into the
// portal; the judges a clerk may assign are the enabled richter accounts of
// the case's tenant bound to its court (or to no court).
func newCourt(web *portal.Portal, z *zustellung.Service, db *sqlstore.DB, now func() time.Time) (*portal.Court, error) {
	judges := func(ctx context.Context, t tenancy.ID, court tenancy.CourtID) ([]identity.User, error) {
		var out []identity.User
		after := ""
		for range 100 { // at most 100 pages of 500 accounts
			us, err := db.Users(ctx, t, after, 500)
			if err != nil {
				return nil, fmt.Errorf("judges: %w", err)
			}
			for _, u := range us {
				if u.Role == authz.Richter && u.DisabledAt.IsZero() && (u.Court == "" || u.Court == court) {
					out = append(out, u)
				}
			}
			if len(us) < 500 {
				break
			}
			after = us[len(us)-1].ID
		}
		return out, nil
	}
	return portal.NewCourt(web, portal.CourtDeps{Zustellung: z, Judges: judges, Now: now})
}

// offsetClock is the proceedings' clock: the real time, moved ahead by
// serve --clock-offset (tests and demos only, logged loudly when set).
func offsetClock(offset time.Duration, log *slog.Logger) func() time.Time {
	if offset == 0 {
		return time.Now
	}
	log.Warn("the proceedings' clock runs ahead of the real time (--clock-offset is for tests and demos only)", "offset", offset)
	return func() time.Time { return time.Now().Add(offset) }
}
