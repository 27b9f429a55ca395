-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- The audit log: per tenant an append-only Merkle tree (RFC 6962) of encoded
-- entries, the hashes of its complete subtrees, and signed checkpoints.
-- See docs/audit.md.

-- +goose Up
-- The size of each tenant's tree; the writing transaction increments it
-- under the row lock, so sequence numbers are gap-free (as case_counters
-- does for Aktenzeichen).
CREATE TABLE audit_heads (
	tenant TEXT NOT NULL PRIMARY KEY,
	size   BIGINT NOT NULL CHECK (size >= 0)
);

-- seq is the leaf index (0, 1, 2, …); entry is the canonical encoding whose
-- leaf hash is SHA-256(0x00 || entry).
CREATE TABLE audit_entries (
	tenant TEXT NOT NULL,
	seq    BIGINT NOT NULL CHECK (seq >= 0),
	leaf   BYTEA NOT NULL CHECK (length(leaf) = 32),
	entry  BYTEA NOT NULL,
	at     TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant, seq)
);

-- The hash of every complete subtree of level >= 1: the 2^level leaves from
-- idx << level. About one row per entry; a proof reads O(log n) of them.
CREATE TABLE audit_nodes (
	tenant TEXT NOT NULL,
	level  SMALLINT NOT NULL CHECK (level > 0),
	idx    BIGINT NOT NULL CHECK (idx >= 0),
	hash   BYTEA NOT NULL CHECK (length(hash) = 32),
	PRIMARY KEY (tenant, level, idx)
);

CREATE TABLE audit_checkpoints (
	tenant    TEXT NOT NULL,
	size      BIGINT NOT NULL CHECK (size >= 0),
	root      BYTEA NOT NULL CHECK (length(root) = 32),
	at        TIMESTAMPTZ NOT NULL,
	key_id    TEXT NOT NULL,
	signature BYTEA NOT NULL,
	PRIMARY KEY (tenant, size)
);

-- The log is never rewritten.
-- +goose StatementBegin
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
	FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_nodes_append_only BEFORE UPDATE OR DELETE ON audit_nodes
	FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
	FOR EACH ROW EXECUTE FUNCTION audit_append_only();
-- TRUNCATE bypasses row triggers.
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
	FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_nodes_no_truncate BEFORE TRUNCATE ON audit_nodes
	FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
	FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- +goose Down
DROP TABLE audit_checkpoints;
DROP TABLE audit_nodes;
DROP TABLE audit_entries;
DROP TABLE audit_heads;
DROP FUNCTION audit_append_only;
