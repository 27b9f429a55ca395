-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- The audit log: per tenant an append-only Merkle tree (RFC 6962) of encoded
-- entries, the hashes of its complete subtrees, and signed checkpoints.
-- See docs/audit.md.

-- +goose Up
-- The size of each tenant's tree; the writing transaction increments it, so
-- sequence numbers are gap-free (as case_counters does for Aktenzeichen).
CREATE TABLE audit_heads (
	tenant TEXT NOT NULL PRIMARY KEY,
	size   INTEGER NOT NULL CHECK (size >= 0)
) STRICT;

-- seq is the leaf index (0, 1, 2, …); entry is the canonical encoding whose
-- leaf hash is SHA-256(0x00 || entry).
CREATE TABLE audit_entries (
	tenant TEXT NOT NULL,
	seq    INTEGER NOT NULL CHECK (seq >= 0),
	leaf   BLOB NOT NULL CHECK (length(leaf) = 32),
	entry  BLOB NOT NULL,
	at     INTEGER NOT NULL,
	PRIMARY KEY (tenant, seq)
) STRICT, WITHOUT ROWID;

-- The hash of every complete subtree of level >= 1: the 2^level leaves from
-- idx << level. About one row per entry; a proof reads O(log n) of them.
CREATE TABLE audit_nodes (
	tenant TEXT NOT NULL,
	level  INTEGER NOT NULL CHECK (level > 0),
	idx    INTEGER NOT NULL CHECK (idx >= 0),
	hash   BLOB NOT NULL CHECK (length(hash) = 32),
	PRIMARY KEY (tenant, level, idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE audit_checkpoints (
	tenant    TEXT NOT NULL,
	size      INTEGER NOT NULL CHECK (size >= 0),
	root      BLOB NOT NULL CHECK (length(root) = 32),
	at        INTEGER NOT NULL,
	key_id    TEXT NOT NULL,
	signature BLOB NOT NULL,
	PRIMARY KEY (tenant, size)
) STRICT;

-- The log is never rewritten.
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;
CREATE TRIGGER audit_nodes_no_update BEFORE UPDATE ON audit_nodes
BEGIN SELECT RAISE(ABORT, 'audit_nodes is append-only'); END;
CREATE TRIGGER audit_nodes_no_delete BEFORE DELETE ON audit_nodes
BEGIN SELECT RAISE(ABORT, 'audit_nodes is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;

-- +goose Down
DROP TABLE audit_checkpoints;
DROP TABLE audit_nodes;
DROP TABLE audit_entries;
DROP TABLE audit_heads;
