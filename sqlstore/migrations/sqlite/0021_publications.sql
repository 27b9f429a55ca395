-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- Publication of decisions (package veroeffentlichung, docs/anonymization.md,
-- "Review and publication"): one row per decision prepared for publication.
-- The decision's text and the suggested spans (personal data) lie encrypted
-- in the blob store under blob, one blob per saved version, until the
-- publication is published or discarded (blob = ''). published_text is the published,
-- pseudonymized text and anon_record the anonymization record (JSON, the spans'
-- texts only as SHA-256); both are public or free of personal data. version
-- counts saved changes: an update names the version it was made on.
-- No foreign key to cases: a published decision outlives its case file.

-- +goose Up
CREATE TABLE publications (
	id           TEXT NOT NULL PRIMARY KEY,
	tenant       TEXT NOT NULL,
	court        TEXT NOT NULL,
	case_id      TEXT NOT NULL,
	document_id  TEXT NOT NULL,
	aktenzeichen TEXT NOT NULL,
	title        TEXT NOT NULL,
	decided_at   INTEGER NOT NULL,
	state        TEXT NOT NULL CHECK (state IN ('pruefung', 'veroeffentlicht', 'verworfen')),
	version      INTEGER NOT NULL CHECK (version >= 1),
	blob         TEXT NOT NULL DEFAULT '',
	reviewed_by  TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	created_by   TEXT NOT NULL,
	updated_at   INTEGER NOT NULL,
	published_at INTEGER, -- NULL until published
	published_by TEXT NOT NULL DEFAULT '',
	published_text TEXT NOT NULL DEFAULT '',
	anon_record  TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX publications_court ON publications (tenant, court, created_at);
CREATE INDEX publications_document ON publications (tenant, document_id);
CREATE INDEX publications_published ON publications (published_at) WHERE state = 'veroeffentlicht';

-- +goose Down
DROP TABLE publications;
