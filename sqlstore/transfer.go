// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

var _ akte.TransferStore = (*DB)(nil)

// CaseTransfer implements akte.TransferStore.
func (d *DB) CaseTransfer(ctx context.Context, t tenancy.ID, id akte.CaseID) (akte.TransferState, error) {
	var st akte.TransferState
	var to, from string
	err := d.queryRow(ctx, d.r, d.q(`SELECT transfer_state, transferred_to, transferred_from FROM cases WHERE tenant = ? AND id = ?`),
		t, id).Scan(&st.State, &to, &from)
	if errors.Is(err, sql.ErrNoRows) {
		return akte.TransferState{}, fmt.Errorf("case %s: %w", id, errs.ErrNotFound)
	}
	if err != nil {
		return akte.TransferState{}, fmt.Errorf("transfer state of %s: %w", id, err)
	}
	if st.To, err = decodeTransferRef(to); err != nil {
		return akte.TransferState{}, fmt.Errorf("transfer state of %s: transferred_to: %w", id, err)
	}
	if st.From, err = decodeTransferRef(from); err != nil {
		return akte.TransferState{}, fmt.Errorf("transfer state of %s: transferred_from: %w", id, err)
	}
	return st, nil
}

// BeginCaseTransfer implements akte.TransferStore: one conditional UPDATE,
// so that of two concurrent hand-overs of a case exactly one begins.
func (d *DB) BeginCaseTransfer(ctx context.Context, t tenancy.ID, id akte.CaseID) error {
	return d.setTransferState(ctx, t, id, "", "pending", "")
}

// FinishCaseTransfer implements akte.TransferStore.
func (d *DB) FinishCaseTransfer(ctx context.Context, t tenancy.ID, id akte.CaseID, to akte.TransferRef) error {
	b, err := json.Marshal(transferRefWire(to))
	if err != nil {
		return fmt.Errorf("finish transfer of %s: %w", id, err)
	}
	return d.setTransferState(ctx, t, id, "pending", "done", string(b))
}

// AbortCaseTransfer implements akte.TransferStore.
func (d *DB) AbortCaseTransfer(ctx context.Context, t tenancy.ID, id akte.CaseID) error {
	return d.setTransferState(ctx, t, id, "pending", "", "")
}

func (d *DB) setTransferState(ctx context.Context, t tenancy.ID, id akte.CaseID, from, to, pointer string) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := d.txExec(ctx, tx, d.q(`UPDATE cases SET transfer_state = ?, transferred_to = ?
			WHERE tenant = ? AND id = ? AND transfer_state = ?`), to, pointer, t, id, from)
		if err != nil {
			return fmt.Errorf("transfer of %s: %w", id, classify(err))
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("transfer of %s: %w", id, err)
		} else if n == 1 {
			return nil
		}
		var cur string
		err = d.txQueryRow(ctx, tx, d.q(`SELECT transfer_state FROM cases WHERE tenant = ? AND id = ?`), t, id).Scan(&cur)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("case %s: %w", id, errs.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("transfer of %s: %w", id, err)
		}
		return fmt.Errorf("transfer of %s: %w: its transfer state is %q, not %q", id, errs.ErrConflict, cur, from)
	})
}

// SetCaseTransferredFrom implements akte.TransferStore.
func (d *DB) SetCaseTransferredFrom(ctx context.Context, t tenancy.ID, id akte.CaseID, from akte.TransferRef) error {
	b, err := json.Marshal(transferRefWire(from))
	if err != nil {
		return fmt.Errorf("transferred from: %w", err)
	}
	return d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := d.txExec(ctx, tx, d.q(`UPDATE cases SET transferred_from = ? WHERE tenant = ? AND id = ?`), string(b), t, id)
		if err != nil {
			return fmt.Errorf("transferred from: %w", classify(err))
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return fmt.Errorf("case %s: %w", id, errs.ErrNotFound)
		}
		return nil
	})
}

// transferRefJSON is the stored form of an akte.TransferRef.
type transferRefJSON struct {
	Tenant       string `json:"tenant"`
	Court        string `json:"court"`
	Case         string `json:"case"`
	Aktenzeichen string `json:"aktenzeichen"`
	At           string `json:"at"`
	By           string `json:"by"`
	Message      string `json:"message"`
	Manifest     string `json:"manifest_sha256"`
}

const transferTimeLayout = "2006-01-02T15:04:05.000000Z"

func transferRefWire(r akte.TransferRef) transferRefJSON {
	return transferRefJSON{Tenant: string(r.Tenant), Court: string(r.Court), Case: string(r.Case), Aktenzeichen: r.Aktenzeichen,
		At: r.At.UTC().Format(transferTimeLayout), By: r.By, Message: r.Message, Manifest: r.Manifest}
}

func decodeTransferRef(s string) (*akte.TransferRef, error) {
	if s == "" {
		return nil, nil
	}
	var w transferRefJSON
	if err := json.Unmarshal([]byte(s), &w); err != nil {
		return nil, err
	}
	r := &akte.TransferRef{Tenant: tenancy.ID(w.Tenant), Court: tenancy.CourtID(w.Court), Case: akte.CaseID(w.Case),
		Aktenzeichen: w.Aktenzeichen, By: w.By, Message: w.Message, Manifest: w.Manifest}
	if w.At != "" {
		at, err := time.Parse(transferTimeLayout, w.At)
		if err != nil {
			return nil, err
		}
		r.At = at
	}
	return r, nil
}
