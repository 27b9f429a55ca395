-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- Full-text search. One row per indexed case or document with the original
-- text for snippets and the tokens analyzed in Go (package search). The
-- tsvector uses the 'simple' configuration: the tokens are already stemmed
-- and folded, so PostgreSQL matches exactly like SQLite's FTS5. An object
-- without an entry is not yet indexed.

-- +goose Up
CREATE TABLE search_entries (
	seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- result order, newest first
	tenant       TEXT NOT NULL,
	court        TEXT NOT NULL,
	case_id      TEXT NOT NULL,
	document_id  TEXT NOT NULL, -- '' for the case's own entry
	kind         TEXT NOT NULL CHECK (kind IN ('case', 'document')),
	aktenzeichen TEXT NOT NULL,
	title        TEXT NOT NULL,
	body         TEXT NOT NULL,
	date         TIMESTAMPTZ NOT NULL,
	tokens       TEXT NOT NULL,
	tsv          TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED,
	UNIQUE (tenant, case_id, document_id),
	FOREIGN KEY (tenant, case_id) REFERENCES cases (tenant, id)
);
CREATE INDEX search_entries_tenant ON search_entries (tenant, seq);
CREATE INDEX search_entries_tsv ON search_entries USING GIN (tsv);

-- +goose Down
DROP TABLE search_entries;
