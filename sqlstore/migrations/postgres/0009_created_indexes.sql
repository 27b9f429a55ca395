-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- The search indexer looks every minute for cases and documents created
-- since shortly before its previous look that have no index entry yet;
-- these indexes make that a range scan instead of a pass over every row.

-- +goose Up
CREATE INDEX cases_created_at ON cases (created_at);
CREATE INDEX documents_created_at ON documents (created_at);

-- +goose Down
DROP INDEX documents_created_at;
DROP INDEX cases_created_at;
