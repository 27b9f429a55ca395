-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- Full-text search. search_entries holds one row per indexed case or document
-- (with the metadata text of a case for snippets; document text is never stored); search_fts holds the tokens analyzed
-- in Go (package search), rowid = search_entries.seq. An object without an
-- entry is not yet indexed.

-- +goose Up
CREATE TABLE search_entries (
	seq          INTEGER PRIMARY KEY AUTOINCREMENT, -- result order, newest first
	tenant       TEXT NOT NULL,
	court        TEXT NOT NULL,
	case_id      TEXT NOT NULL,
	document_id  TEXT NOT NULL, -- '' for the case's own entry
	kind         TEXT NOT NULL CHECK (kind IN ('case', 'document')),
	aktenzeichen TEXT NOT NULL,
	title        TEXT NOT NULL,
	body         TEXT NOT NULL,
	date         INTEGER NOT NULL,
	UNIQUE (tenant, case_id, document_id),
	FOREIGN KEY (tenant, case_id) REFERENCES cases (tenant, id)
) STRICT;
CREATE INDEX search_entries_tenant ON search_entries (tenant, seq);
CREATE VIRTUAL TABLE search_fts USING fts5(tokens, tokenize = 'unicode61 remove_diacritics 0');

-- +goose Down
DROP TABLE search_fts;
DROP TABLE search_entries;
