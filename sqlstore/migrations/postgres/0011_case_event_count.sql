-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- cases.events counts a case's history, kept with each appended event, so
-- that new filings (proceedings without events) have an index of their own:
-- an inbox page reads only them instead of every proceeding of the court.

-- +goose Up
ALTER TABLE cases ADD COLUMN events INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET events = (SELECT COUNT(*) FROM case_events e WHERE e.tenant = cases.tenant AND e.case_id = cases.id);
CREATE INDEX cases_new_filings ON cases (tenant, court, created_at, id) WHERE procedure <> '' AND events = 0;
CREATE INDEX cases_new_filings_tenant ON cases (tenant, created_at, id) WHERE procedure <> '' AND events = 0;

-- +goose Down
DROP INDEX cases_new_filings_tenant;
DROP INDEX cases_new_filings;
ALTER TABLE cases DROP COLUMN events;
