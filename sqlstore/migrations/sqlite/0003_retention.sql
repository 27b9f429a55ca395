-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- Retention: legal holds on cases and the tombstones of destroyed documents.

-- +goose Up
CREATE TABLE case_holds (
	tenant  TEXT NOT NULL,
	case_id TEXT NOT NULL,
	reason  TEXT NOT NULL,
	set_at  INTEGER NOT NULL,
	set_by  TEXT NOT NULL,
	PRIMARY KEY (tenant, case_id),
	FOREIGN KEY (tenant, case_id) REFERENCES cases (tenant, id)
) STRICT;

-- One row per destroyed (crypto-shredded) document: what, when, by which rule.
CREATE TABLE tombstones (
	tenant       TEXT NOT NULL,
	document_id  TEXT NOT NULL,
	case_id      TEXT NOT NULL,
	rule         TEXT NOT NULL,
	destroyed_at INTEGER NOT NULL,
	destroyed_by TEXT NOT NULL,
	PRIMARY KEY (tenant, document_id),
	FOREIGN KEY (tenant, case_id) REFERENCES cases (tenant, id)
) STRICT;
CREATE INDEX tombstones_case ON tombstones (tenant, case_id);

-- Tombstones are the record of destruction; they are never rewritten.
CREATE TRIGGER tombstones_no_update BEFORE UPDATE ON tombstones
BEGIN SELECT RAISE(ABORT, 'tombstones are append-only'); END;
CREATE TRIGGER tombstones_no_delete BEFORE DELETE ON tombstones
BEGIN SELECT RAISE(ABORT, 'tombstones are append-only'); END;

-- +goose Down
DROP TABLE tombstones;
DROP TABLE case_holds;
