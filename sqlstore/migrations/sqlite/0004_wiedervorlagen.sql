-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- Wiedervorlagen: resubmission dates of a case for a subject or the Geschäftsstelle.

-- +goose Up
CREATE TABLE wiedervorlagen (
	id         TEXT NOT NULL PRIMARY KEY,
	tenant     TEXT NOT NULL,
	case_id    TEXT NOT NULL,
	due        TEXT NOT NULL CHECK (length(due) = 10), -- civil date YYYY-MM-DD
	for_whom   TEXT NOT NULL, -- a subject id or 'geschaeftsstelle'
	note       TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	done_at    INTEGER, -- NULL while open
	FOREIGN KEY (tenant, case_id) REFERENCES cases (tenant, id)
) STRICT;
CREATE INDEX wiedervorlagen_case ON wiedervorlagen (tenant, case_id, due, id);
CREATE INDEX wiedervorlagen_open ON wiedervorlagen (tenant, for_whom, due, id) WHERE done_at IS NULL;
-- New filings for the inbox: proceedings by creation time.
CREATE INDEX cases_created ON cases (tenant, created_at, id) WHERE procedure <> '';

-- +goose Down
DROP INDEX cases_created;
DROP TABLE wiedervorlagen;
