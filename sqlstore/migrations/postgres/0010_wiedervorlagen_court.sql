-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- A Wiedervorlage carries its case's court, so that a court's due list is a
-- range scan of its own open Wiedervorlagen instead of all of the Land's
-- with a lookup of each case (the inbox of a court-bound Geschäftsstelle).

-- +goose Up
ALTER TABLE wiedervorlagen ADD COLUMN court TEXT NOT NULL DEFAULT '';
UPDATE wiedervorlagen SET court = (SELECT c.court FROM cases c WHERE c.tenant = wiedervorlagen.tenant AND c.id = wiedervorlagen.case_id);
CREATE INDEX wiedervorlagen_court_open ON wiedervorlagen (tenant, court, for_whom, due, id) WHERE done_at IS NULL;

-- +goose Down
DROP INDEX wiedervorlagen_court_open;
ALTER TABLE wiedervorlagen DROP COLUMN court;
