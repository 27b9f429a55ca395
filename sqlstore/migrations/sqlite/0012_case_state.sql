-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- cases.state is a proceeding's state as its history gives it, kept with each
-- appended event (like cases.events and case_fristen), so that searches can
-- filter by state. '' for a proceeding without events: it is in its
-- definition's initial state. "justizcloud reindex" fills it for histories
-- recorded before this migration.

-- +goose Up
ALTER TABLE cases ADD COLUMN state TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE cases DROP COLUMN state;
