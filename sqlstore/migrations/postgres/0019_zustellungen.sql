-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- Service by access (Zustellung, package zustellung, docs/zustellung.md):
-- one row per ordered service to one participant, with the documents served
-- (their SHA-256 and filename when service was ordered). served_at is set
-- once (UPDATE … WHERE served_at IS NULL); a letter's access code is kept
-- only as its SHA-256, single-use (code_used_at) and expiring.

-- +goose Up
CREATE TABLE zustellungen (
	id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	tenant          TEXT NOT NULL,
	case_id         TEXT NOT NULL,
	recipient       TEXT NOT NULL, -- participant id
	method          TEXT NOT NULL CHECK (method IN ('eeb', 'zugang', 'brief')),
	event           TEXT NOT NULL, -- procedure event fired when served; '' for none
	ordered_at      TIMESTAMPTZ NOT NULL,
	ordered_by      TEXT NOT NULL,
	served_at       TIMESTAMPTZ, -- NULL until served
	served_by       TEXT NOT NULL DEFAULT '',
	proof_document  TEXT NOT NULL DEFAULT '', -- the Zustellungsnachweis
	letter_document TEXT NOT NULL DEFAULT '', -- method brief: the letter with the code
	code_hash       BYTEA UNIQUE CHECK (code_hash IS NULL OR octet_length(code_hash) = 32),
	code_expires_at TIMESTAMPTZ,
	code_used_at    TIMESTAMPTZ,
	code_used_by    TEXT NOT NULL DEFAULT '',
	event_seq       INTEGER NOT NULL DEFAULT 0, -- the fired event's number; 0: not fired
	event_error     TEXT NOT NULL DEFAULT '',   -- why the event could not be fired
	FOREIGN KEY (tenant, case_id) REFERENCES cases (tenant, id)
);
CREATE INDEX zustellungen_case ON zustellungen (tenant, case_id, ordered_at, id);

CREATE TABLE zustellung_documents (
	tenant        TEXT NOT NULL,
	zustellung_id TEXT NOT NULL REFERENCES zustellungen (id),
	pos           INTEGER NOT NULL,
	document_id   TEXT NOT NULL,
	filename      TEXT NOT NULL,
	sha256        BYTEA NOT NULL CHECK (octet_length(sha256) = 32),
	PRIMARY KEY (zustellung_id, pos)
);
CREATE INDEX zustellung_documents_document ON zustellung_documents (tenant, document_id);

-- +goose Down
DROP TABLE zustellung_documents;
DROP TABLE zustellungen;
