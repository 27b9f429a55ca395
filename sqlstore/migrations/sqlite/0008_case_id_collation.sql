-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- Nothing to do on SQLite: it compares text by bytes everywhere. On
-- PostgreSQL this migration gives every case_id column the "C" collation of
-- cases.id, so that joins on it use the indexes; the version numbers of the
-- two dialects stay in step.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
