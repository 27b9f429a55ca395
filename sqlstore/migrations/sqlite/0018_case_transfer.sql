-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- A proceeding handed over to a court of another tenant (Abgabe,
-- Verweisung; package xjustiz, docs/xjustiz.md#cross-land-transfer):
-- transfer_state is '' (not transferred), 'pending' (the hand-over is under
-- way: writes are refused) or 'done' (the case here is read-only);
-- transferred_to is the pointer to the receiving court and case, as JSON,
-- once done; transferred_from is the same pointer on the receiving case,
-- naming where the proceeding came from. '' means none.

-- +goose Up
ALTER TABLE cases ADD COLUMN transfer_state TEXT NOT NULL DEFAULT '' CHECK (transfer_state IN ('', 'pending', 'done'));
ALTER TABLE cases ADD COLUMN transferred_to TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN transferred_from TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE cases DROP COLUMN transferred_from;
ALTER TABLE cases DROP COLUMN transferred_to;
ALTER TABLE cases DROP COLUMN transfer_state;
