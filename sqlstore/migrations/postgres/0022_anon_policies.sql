-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- Anonymization policy per tenant (package anon, docs/anonymization.md,
-- "Policy per tenant"): the kinds of spans a Land replaces, as a JSON array
-- of kind codes ("PER", "RR", …). A tenant without a row has the default
-- policy; resetting to the default deletes the row.

-- +goose Up
CREATE TABLE anon_policies (
	tenant     TEXT NOT NULL PRIMARY KEY,
	kinds      TEXT NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	updated_by TEXT NOT NULL
);

-- +goose Down
DROP TABLE anon_policies;
