// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/frist"
	"justizcloud/tenancy"
)

// InboxKind is what an inbox item is about.
type InboxKind string

// Kinds of inbox items. Their order is the order of items on the same instant.
const (
	InboxFiling        InboxKind = "filing"        // a new proceeding with no event yet
	InboxFrist         InboxKind = "frist"         // a running Frist that ends soon or has expired
	InboxWiedervorlage InboxKind = "wiedervorlage" // an open Wiedervorlage that is due soon or overdue
)

// Inbox limits.
const (
	DefaultInboxLimit = 50
	MaxInboxLimit     = 500
	DefaultInboxDays  = 7
	MaxInboxDays      = 366
)

// InboxItem is one entry of an inbox.
type InboxItem struct {
	Kind  InboxKind
	Case  akte.Case
	Date  time.Time // the relevant civil date (midnight UTC): filed, Frist end, Wiedervorlage due
	Title string
	// Ref is the Frist name or the Wiedervorlage ID; empty for a filing.
	Ref string
	at  time.Time // the sort instant: creation for filings, the start of Date in Germany otherwise
	key string    // unique within Kind
}

// InboxQuery asks for one page of the caller's inbox.
type InboxQuery struct {
	Limit int    // 0: DefaultInboxLimit; at most MaxInboxLimit
	After string // the Next of the previous page
	// Days is how far ahead Fristen and Wiedervorlagen are shown: those that
	// end or are due within Days from today, and all overdue ones. 0: DefaultInboxDays.
	Days int
}

// InboxPage is one page of an inbox, oldest first.
type InboxPage struct {
	Items []InboxItem
	Next  string // cursor of the next page; empty on the last page
}

type inboxCursor struct {
	at   time.Time
	kind InboxKind
	key  string
}

func (c inboxCursor) less(it InboxItem) bool {
	return compareInbox(c, inboxCursor{it.at, it.Kind, it.key}) < 0
}

func compareInbox(a, b inboxCursor) int {
	return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.kind, b.kind), cmp.Compare(a.key, b.key))
}

func (c inboxCursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.at.UnixMicro(), 10) + "|" + string(c.kind) + "|" + c.key))
}

func parseInboxCursor(s string) (inboxCursor, error) {
	bad := fmt.Errorf("%w: parameter \"after\": not a cursor of this inbox", errs.ErrInvalid)
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return inboxCursor{}, bad
	}
	parts := strings.SplitN(string(b), "|", 3)
	if len(parts) != 3 {
		return inboxCursor{}, bad
	}
	us, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return inboxCursor{}, bad
	}
	return inboxCursor{time.UnixMicro(us).UTC(), InboxKind(parts[1]), parts[2]}, nil
}

// Inbox lists what is due for the subject, oldest first: (a) new filings —
// proceedings of the subject's tenant (and court, for a court-bound subject)
// with no event yet, so still in the initial state; (b) running Fristen of
// those proceedings that end within q.Days or have expired; (c) open
// Wiedervorlagen due within q.Days or overdue that are for the subject or,
// for the roles geschaeftsstelle and landesadmin, for the Geschäftsstelle.
//
// Items are ordered by instant (a filing's creation time, otherwise the start
// of its date in Germany), then kind, then key, and paginated with a keyset
// cursor. Filings, Fristen and Wiedervorlagen are each a keyset query on an
// index, so a page costs the same however many proceedings the court has:
// the running Fristen are stored per proceeding with every event (see
// Store.AppendEvent) and rebuilt from the histories by RebuildDerived.
func (s *Service) Inbox(ctx context.Context, sub authz.Subject, q InboxQuery) (InboxPage, error) {
	if !sub.Role.Staff() { // the inbox is the court's: outside users have none
		return InboxPage{Items: []InboxItem{}}, nil
	}
	if err := s.cases.Authorizer().May(ctx, sub, authz.ReadCase, authz.Resource{Tenant: sub.Tenant, Court: sub.Court}); err != nil {
		return InboxPage{}, fmt.Errorf("inbox: %w", err)
	}
	limit := q.Limit
	switch {
	case limit < 0 || limit > MaxInboxLimit:
		return InboxPage{}, fmt.Errorf("inbox: %w: parameter \"limit\" must be between 1 and %d", errs.ErrInvalid, MaxInboxLimit)
	case limit == 0:
		limit = DefaultInboxLimit
	}
	days := q.Days
	switch {
	case days < 0 || days > MaxInboxDays:
		return InboxPage{}, fmt.Errorf("inbox: %w: parameter \"days\" must be between 0 and %d", errs.ErrInvalid, MaxInboxDays)
	case days == 0:
		days = DefaultInboxDays
	}
	var after *inboxCursor
	if q.After != "" {
		c, err := parseInboxCursor(q.After)
		if err != nil {
			return InboxPage{}, fmt.Errorf("inbox: %w", err)
		}
		after = &c
	}
	until := frist.Day(s.now()).AddDate(0, 0, days)

	var items []InboxItem
	filings, err := s.filingItems(ctx, sub, after, limit+1)
	if err != nil {
		return InboxPage{}, fmt.Errorf("inbox: %w", err)
	}
	items = append(items, filings...)
	fristen, err := s.fristItems(ctx, sub, after, until, limit+1)
	if err != nil {
		return InboxPage{}, fmt.Errorf("inbox: %w", err)
	}
	items = append(items, fristen...)
	wvs, err := s.wiedervorlageItems(ctx, sub, after, until, limit+1)
	if err != nil {
		return InboxPage{}, fmt.Errorf("inbox: %w", err)
	}
	items = append(items, wvs...)

	if after != nil {
		items = slices.DeleteFunc(items, func(it InboxItem) bool { return !after.less(it) })
	}
	slices.SortFunc(items, func(a, b InboxItem) int {
		return compareInbox(inboxCursor{a.at, a.Kind, a.key}, inboxCursor{b.at, b.Kind, b.key})
	})
	page := InboxPage{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		last := page.Items[limit-1]
		page.Next = inboxCursor{last.at, last.Kind, last.key}.String()
	}
	return page, nil
}

func (s *Service) filingItems(ctx context.Context, sub authz.Subject, after *inboxCursor, limit int) ([]InboxItem, error) {
	f := FilingFilter{Court: sub.Court, Limit: limit}
	if after != nil {
		f.AfterAt = after.at
		switch {
		case after.kind == InboxFiling:
			f.AfterID = akte.CaseID(after.key)
		case after.kind > InboxFiling: // nothing of this instant is left
			f.AfterAt = after.at.Add(time.Microsecond) // the store's time precision
		}
	}
	cs, err := s.store.Filings(ctx, sub.Tenant, f)
	if err != nil {
		return nil, err
	}
	out := make([]InboxItem, 0, len(cs))
	for _, c := range cs {
		title := "Neueingang"
		if def, err := s.reg.Get(c.Procedure); err == nil {
			title += ": " + def.Title
		}
		out = append(out, InboxItem{Kind: InboxFiling, Case: c, Date: frist.Day(c.CreatedAt), Title: title,
			at: c.CreatedAt, key: string(c.ID)})
	}
	return out, nil
}

// fristItems lists the running Fristen in scope that end by until (the
// store keeps them per proceeding, updated with each event), as a keyset
// page after the cursor.
func (s *Service) fristItems(ctx context.Context, sub authz.Subject, after *inboxCursor, until time.Time, limit int) ([]InboxItem, error) {
	f := FristFilter{Court: sub.Court, Until: until, Limit: limit}
	if after != nil {
		// The items of a day share its start instant; translate the cursor
		// into a keyset on (end, case, name), as for Wiedervorlagen.
		d0 := frist.Day(after.at)
		switch {
		case !dayStart(d0).Equal(after.at) || after.kind > InboxFrist:
			f.AfterEnd, f.AfterCase = d0, "\uffff" // everything ending on d0 is done
		case after.kind == InboxFrist:
			c, name, _ := strings.Cut(after.key, "/")
			f.AfterEnd, f.AfterCase, f.AfterName = d0, akte.CaseID(c), name
		default:
			f.AfterEnd = d0.AddDate(0, 0, -1)
			f.AfterCase = "\uffff" // everything ending on d0 is still to come
		}
	}
	due, err := s.store.DueFristen(ctx, sub.Tenant, f)
	if err != nil {
		return nil, err
	}
	out := make([]InboxItem, 0, len(due))
	for _, d := range due {
		fs := d.Frist
		out = append(out, InboxItem{Kind: InboxFrist, Case: d.Case, Date: fs.End, Title: fs.Title, Ref: fs.Name,
			at: dayStart(fs.End), key: string(d.Case.ID) + "/" + fs.Name})
	}
	return out, nil
}

// RebuildDerived recomputes the state and running Fristen of every
// proceeding with a history (after a change of the calendar, or for
// histories recorded before the store kept them) and returns how many
// proceedings it updated.
func (s *Service) RebuildDerived(ctx context.Context, tenants []tenancy.ID) (int, error) {
	events := s.reg.eventNames()
	n := 0
	for _, t := range tenants {
		cs, err := s.store.CasesWithEvents(ctx, t, "", events)
		if err != nil {
			return n, fmt.Errorf("rebuild: %w", err)
		}
		for _, c := range cs {
			def, err := s.reg.Get(c.Procedure)
			if err != nil {
				continue // a definition no longer shipped: nothing to derive
			}
			history, err := s.store.Events(ctx, c.Tenant, c.ID)
			if err != nil {
				return n, fmt.Errorf("rebuild: %w", err)
			}
			d, err := s.derive(c, def, history)
			if err != nil {
				return n, fmt.Errorf("rebuild: case %s: %w", c.ID, err)
			}
			if err := s.store.ReplaceDerived(ctx, c, d); err != nil {
				return n, fmt.Errorf("rebuild: %w", err)
			}
			n++
		}
	}
	return n, nil
}

func (s *Service) wiedervorlageItems(ctx context.Context, sub authz.Subject, after *inboxCursor, until time.Time, limit int) ([]InboxItem, error) {
	f := akte.WiedervorlageFilter{Court: sub.Court, For: []string{sub.ID}, Until: until, Limit: limit}
	if sub.Role == authz.Geschaeftsstelle || sub.Role == authz.Landesadmin {
		f.For = append(f.For, akte.ForGeschaeftsstelle)
	}
	if after != nil {
		// The items of a day share its start instant; translate the cursor
		// into a keyset on (due, id).
		d0 := frist.Day(after.at)
		switch {
		case !dayStart(d0).Equal(after.at) || after.kind > InboxWiedervorlage:
			f.AfterDue = d0.AddDate(0, 0, 1) // due after d0: (due, id) > (d0+1, "")
		case after.kind == InboxWiedervorlage:
			f.AfterDue, f.AfterID = d0, akte.WiedervorlageID(after.key)
		default:
			f.AfterDue = d0 // due on d0 or later: (due, id) > (d0, "")
		}
	}
	ws, err := s.cases.DueWiedervorlagen(ctx, sub, f)
	if err != nil {
		return nil, err
	}
	out := make([]InboxItem, 0, len(ws))
	for _, dw := range ws {
		w := dw.Wiedervorlage
		title := w.Note
		if title == "" {
			title = "Wiedervorlage"
		}
		out = append(out, InboxItem{Kind: InboxWiedervorlage, Case: dw.Case, Date: w.Due, Title: title, Ref: string(w.ID),
			at: dayStart(w.Due), key: string(w.ID)})
	}
	return out, nil
}

// dayStart is the instant a civil date (midnight UTC) begins in Germany.
func dayStart(d time.Time) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, frist.Germany).UTC()
}
