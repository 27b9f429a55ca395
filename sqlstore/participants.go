// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"fmt"

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

// AddParticipant implements akte.Store.
func (d *DB) AddParticipant(ctx context.Context, p akte.Participant) error {
	p.CreatedAt = d.normTime(p.CreatedAt)
	_, err := d.exec(ctx, d.w, d.q(`INSERT INTO case_participants (id, tenant, case_id, role, name, address, represents, account, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), p.ID, p.Tenant, p.Case, p.Role, p.Name, p.Address, p.Represents, p.Account, d.ts(p.CreatedAt))
	if err != nil {
		return fmt.Errorf("add participant %s: %w", p.ID, classify(err))
	}
	return nil
}

// UpdateParticipant implements akte.Store.
func (d *DB) UpdateParticipant(ctx context.Context, p akte.Participant) error {
	res, err := d.exec(ctx, d.w, d.q(`UPDATE case_participants SET role = ?, name = ?, address = ?, represents = ?, account = ?
		WHERE tenant = ? AND case_id = ? AND id = ?`), p.Role, p.Name, p.Address, p.Represents, p.Account, p.Tenant, p.Case, p.ID)
	return affectedOne(res, err, "update participant", string(p.ID))
}

// RemoveParticipant implements akte.Store.
func (d *DB) RemoveParticipant(ctx context.Context, t tenancy.ID, c akte.CaseID, id akte.ParticipantID) error {
	res, err := d.exec(ctx, d.w, d.q(`DELETE FROM case_participants WHERE tenant = ? AND case_id = ? AND id = ?`), t, c, id)
	return affectedOne(res, err, "remove participant", string(id))
}

// Participants implements akte.Store.
func (d *DB) Participants(ctx context.Context, t tenancy.ID, c akte.CaseID) ([]akte.Participant, error) {
	rows, err := d.query(ctx, d.r, d.q(`SELECT id, tenant, case_id, role, name, address, represents, account, created_at
		FROM case_participants WHERE tenant = ? AND case_id = ? ORDER BY created_at, id`), t, c)
	if err != nil {
		return nil, fmt.Errorf("participants of %s: %w", c, err)
	}
	defer rows.Close()
	out := []akte.Participant{}
	for rows.Next() {
		var p akte.Participant
		if err := rows.Scan(&p.ID, &p.Tenant, &p.Case, &p.Role, &p.Name, &p.Address, &p.Represents, &p.Account, timeCol{&p.CreatedAt}); err != nil {
			return nil, fmt.Errorf("participants of %s: %w", c, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("participants of %s: %w", c, err)
	}
	return out, nil
}

// affectedOne turns the result of a single-row UPDATE or DELETE into an
// error: none affected is errs.ErrNotFound.
func affectedOne(res interface{ RowsAffected() (int64, error) }, err error, op, id string) error {
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, id, classify(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, id, err)
	}
	if n == 0 {
		return fmt.Errorf("%s %s: %w", op, id, errs.ErrNotFound)
	}
	return nil
}
