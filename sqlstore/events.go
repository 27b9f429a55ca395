// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
)

// Events returns a case's history in order. A case of another tenant (or
// none) is errs.ErrNotFound; a case without events yields an empty history.
func (d *DB) Events(ctx context.Context, t tenancy.ID, c akte.CaseID) ([]verfahren.Event, error) {
	if err := d.caseExists(ctx, nil, t, c); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	rows, err := d.query(ctx, d.r, d.q(`SELECT seq, name, at, by, role, documents, data FROM case_events
		WHERE tenant = ? AND case_id = ? ORDER BY seq`), t, c)
	if err != nil {
		return nil, fmt.Errorf("events of %s: %w", c, err)
	}
	defer rows.Close()
	out := []verfahren.Event{}
	for rows.Next() {
		var e verfahren.Event
		var docs, data []byte
		if err := rows.Scan(&e.Seq, &e.Name, timeCol{&e.At}, &e.By, &e.Role, &docs, &data); err != nil {
			return nil, fmt.Errorf("events of %s: %w", c, err)
		}
		if err := json.Unmarshal(docs, &e.Documents); err != nil {
			return nil, fmt.Errorf("events of %s: documents of #%d: %w", c, e.Seq, err)
		}
		if err := json.Unmarshal(data, &e.Data); err != nil {
			return nil, fmt.Errorf("events of %s: data of #%d: %w", c, e.Seq, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("events of %s: %w", c, err)
	}
	return out, nil
}

// AppendEvent stores e as the next event of case c. e.Seq must be the
// length of the history plus one: a writer that read a stale history gets
// errs.ErrConflict (optimistic concurrency), so concurrent events on one
// case are serialised.
func (d *DB) AppendEvent(ctx context.Context, cs akte.Case, e verfahren.Event, derived verfahren.Derived) error {
	t, c := cs.Tenant, cs.ID
	if e.Seq < 1 {
		return fmt.Errorf("append event: %w: sequence number %d", errs.ErrInvalid, e.Seq)
	}
	docs, err := json.Marshal(nonNil(e.Documents))
	if err != nil {
		return fmt.Errorf("append event: %w", err)
	}
	if e.Data == nil {
		e.Data = map[string]string{}
	}
	data, err := json.Marshal(e.Data)
	if err != nil {
		return fmt.Errorf("append event: %w", err)
	}
	e.At = d.normTime(e.At)
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		if err := d.caseExists(ctx, tx, t, c); err != nil {
			return err
		}
		var last int
		if err := d.txQueryRow(ctx, tx, d.q(`SELECT COALESCE(MAX(seq), 0) FROM case_events WHERE tenant = ? AND case_id = ?`),
			t, c).Scan(&last); err != nil {
			return err
		}
		if e.Seq != last+1 {
			return fmt.Errorf("%w: the history has %d events, so the next is #%d, not #%d (reload and retry)", errs.ErrConflict, last, last+1, e.Seq)
		}
		_, err := d.txExec(ctx, tx, d.q(`INSERT INTO case_events (tenant, case_id, seq, name, at, by, role, documents, data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), t, c, e.Seq, e.Name, d.ts(e.At), e.By, e.Role, string(docs), string(data))
		if err != nil {
			return classify(err) // a concurrent writer of the same seq: unique violation, ErrConflict
		}
		if _, err := d.txExec(ctx, tx, d.q(`UPDATE cases SET events = ?, state = ? WHERE tenant = ? AND id = ?`),
			e.Seq, derived.State, t, c); err != nil {
			return err
		}
		return d.putFristen(ctx, tx, cs, derived.Fristen)
	})
	if err != nil {
		return fmt.Errorf("append event %s #%d to %s: %w", e.Name, e.Seq, c, err)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
