-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- The citizens' portal (docs/portal.md): saved interviews (drafts) and
-- their uploads, whose content lies encrypted in the blob store of tenant
-- DE under random names; and the blobs of a filing written before its case
-- exists (akte.File), swept if the filing never completes.

-- +goose Up
CREATE TABLE portal_drafts (
	user_id    TEXT NOT NULL,
	interview  TEXT NOT NULL,
	blob       TEXT NOT NULL, -- the encrypted answers (JSON)
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL, -- the draft is deleted a set time after this
	PRIMARY KEY (user_id, interview)
);
CREATE INDEX portal_drafts_updated ON portal_drafts (updated_at);

CREATE TABLE portal_draft_files (
	user_id    TEXT NOT NULL,
	interview  TEXT NOT NULL,
	ref        TEXT NOT NULL, -- also the blob name
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (user_id, interview, ref)
);
CREATE INDEX portal_draft_files_created ON portal_draft_files (created_at);

CREATE TABLE filing_blobs (
	tenant     TEXT NOT NULL,
	blob       TEXT NOT NULL,
	started_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant, blob)
);
CREATE INDEX filing_blobs_started ON filing_blobs (started_at);

-- +goose Down
DROP TABLE filing_blobs;
DROP TABLE portal_draft_files;
DROP TABLE portal_drafts;
