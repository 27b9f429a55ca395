-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- Every case_id column gets the "C" collation of cases.id. With the default
-- collation on one side, a join on case_id = cases.id compared in "C" and
-- could not use the indexes on case_id: new filings (NOT EXISTS on
-- case_events) hashed every event of the tenant on each inbox call.

-- +goose Up
ALTER TABLE documents ALTER COLUMN case_id TYPE TEXT COLLATE "C";
ALTER TABLE uploads ALTER COLUMN case_id TYPE TEXT COLLATE "C";
ALTER TABLE case_events ALTER COLUMN case_id TYPE TEXT COLLATE "C";
ALTER TABLE case_participants ALTER COLUMN case_id TYPE TEXT COLLATE "C";
ALTER TABLE case_holds ALTER COLUMN case_id TYPE TEXT COLLATE "C";
ALTER TABLE tombstones ALTER COLUMN case_id TYPE TEXT COLLATE "C";
ALTER TABLE wiedervorlagen ALTER COLUMN case_id TYPE TEXT COLLATE "C";
ALTER TABLE search_entries ALTER COLUMN case_id TYPE TEXT COLLATE "C";
ALTER TABLE xjustiz_imports ALTER COLUMN case_id TYPE TEXT COLLATE "C";

-- +goose Down
ALTER TABLE xjustiz_imports ALTER COLUMN case_id TYPE TEXT COLLATE "default";
ALTER TABLE search_entries ALTER COLUMN case_id TYPE TEXT COLLATE "default";
ALTER TABLE wiedervorlagen ALTER COLUMN case_id TYPE TEXT COLLATE "default";
ALTER TABLE tombstones ALTER COLUMN case_id TYPE TEXT COLLATE "default";
ALTER TABLE case_holds ALTER COLUMN case_id TYPE TEXT COLLATE "default";
ALTER TABLE case_participants ALTER COLUMN case_id TYPE TEXT COLLATE "default";
ALTER TABLE case_events ALTER COLUMN case_id TYPE TEXT COLLATE "default";
ALTER TABLE uploads ALTER COLUMN case_id TYPE TEXT COLLATE "default";
ALTER TABLE documents ALTER COLUMN case_id TYPE TEXT COLLATE "default";
