-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- The running Fristen of each proceeding, derived from its history whenever
-- an event is appended (in the same transaction), so that due lists are
-- index range scans instead of a replay of every history. Rows of histories
-- written before this migration are rebuilt by "justizcloud reindex".

-- +goose Up
CREATE TABLE case_fristen (
	tenant  TEXT NOT NULL,
	case_id TEXT COLLATE "C" NOT NULL,
	name    TEXT COLLATE "C" NOT NULL,
	court   TEXT NOT NULL,
	title   TEXT NOT NULL,
	start   TEXT COLLATE "C" NOT NULL CHECK (length(start) = 10), -- civil date YYYY-MM-DD
	ends    TEXT COLLATE "C" NOT NULL CHECK (length(ends) = 10),  -- last day, after weekends and holidays
	PRIMARY KEY (tenant, case_id, name),
	FOREIGN KEY (tenant, case_id) REFERENCES cases (tenant, id)
);
CREATE INDEX case_fristen_due ON case_fristen (tenant, ends, case_id, name);
CREATE INDEX case_fristen_court_due ON case_fristen (tenant, court, ends, case_id, name);
CREATE INDEX cases_court_created ON cases (tenant, court, created_at, id) WHERE procedure <> '';

-- +goose Down
DROP INDEX cases_court_created;
DROP TABLE case_fristen;
