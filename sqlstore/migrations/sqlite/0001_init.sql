-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- Times are INTEGER Unix microseconds (UTC), the precision of PostgreSQL's
-- TIMESTAMPTZ. Booleans are INTEGER 0/1. Optional text is '' rather than NULL.

-- +goose Up
CREATE TABLE tenants (
	id   TEXT NOT NULL PRIMARY KEY,
	name TEXT NOT NULL
) STRICT;

CREATE TABLE courts (
	id       TEXT NOT NULL PRIMARY KEY,
	tenant   TEXT NOT NULL REFERENCES tenants (id),
	name     TEXT NOT NULL,
	type     TEXT NOT NULL,
	city     TEXT NOT NULL,
	active   INTEGER NOT NULL CHECK (active IN (0, 1)),
	federal  INTEGER NOT NULL CHECK (federal IN (0, 1)),
	category TEXT NOT NULL,
	unit     TEXT NOT NULL,
	related  TEXT NOT NULL
) STRICT;
CREATE INDEX courts_tenant_name ON courts (tenant, name);

CREATE TABLE meta (
	key   TEXT NOT NULL PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE cases (
	id         TEXT NOT NULL PRIMARY KEY,
	tenant     TEXT NOT NULL,
	court      TEXT NOT NULL,
	department TEXT NOT NULL,
	register   TEXT NOT NULL,
	number     INTEGER NOT NULL CHECK (number > 0),
	year       INTEGER NOT NULL CHECK (year BETWEEN 1 AND 9999),
	subject    TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	UNIQUE (tenant, id),
	UNIQUE (tenant, court, register, year, number)
) STRICT;
CREATE INDEX cases_tenant_court_id ON cases (tenant, court, id);

CREATE TABLE case_counters (
	tenant   TEXT NOT NULL,
	court    TEXT NOT NULL,
	register TEXT NOT NULL,
	year     INTEGER NOT NULL,
	last     INTEGER NOT NULL,
	PRIMARY KEY (tenant, court, register, year)
) STRICT, WITHOUT ROWID;

CREATE TABLE documents (
	seq          INTEGER PRIMARY KEY AUTOINCREMENT, -- filing order
	id           TEXT NOT NULL UNIQUE,
	tenant       TEXT NOT NULL,
	case_id      TEXT NOT NULL,
	filename     TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL CHECK (size >= 0),
	sha256       BLOB NOT NULL CHECK (length(sha256) = 32),
	blob         TEXT NOT NULL,
	predecessor  TEXT UNIQUE, -- NULL for a first version; at most one successor
	version      INTEGER NOT NULL CHECK (version > 0),
	created_at   INTEGER NOT NULL,
	created_by   TEXT NOT NULL,
	UNIQUE (tenant, case_id, id),
	FOREIGN KEY (tenant, case_id) REFERENCES cases (tenant, id),
	-- a predecessor is a document of the same tenant and case
	FOREIGN KEY (tenant, case_id, predecessor) REFERENCES documents (tenant, case_id, id),
	CHECK ((predecessor IS NULL) = (version = 1))
) STRICT;
CREATE INDEX documents_case ON documents (tenant, case_id, created_at, seq);

CREATE TABLE uploads (
	tenant     TEXT NOT NULL,
	blob       TEXT NOT NULL,
	case_id    TEXT NOT NULL,
	started_at INTEGER NOT NULL,
	PRIMARY KEY (tenant, blob),
	FOREIGN KEY (tenant, case_id) REFERENCES cases (tenant, id)
) STRICT;
CREATE INDEX uploads_started_at ON uploads (started_at);

CREATE TABLE data_keys (
	tenant       TEXT NOT NULL,
	name         TEXT NOT NULL,
	kek          TEXT NOT NULL,
	wrapped      BLOB,    -- NULL once destroyed
	destroyed_at INTEGER, -- NULL while the key exists
	PRIMARY KEY (tenant, name),
	CHECK ((wrapped IS NULL) = (destroyed_at IS NOT NULL))
) STRICT;

CREATE TABLE tokens (
	id         TEXT NOT NULL PRIMARY KEY,
	tenant     TEXT NOT NULL,
	role       TEXT NOT NULL,
	court      TEXT NOT NULL, -- '' when not bound to a court
	hash       BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
	label      TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER -- NULL: never
) STRICT;

-- +goose Down
DROP TABLE tokens;
DROP TABLE data_keys;
DROP TABLE uploads;
DROP TABLE documents;
DROP TABLE case_counters;
DROP TABLE cases;
DROP TABLE meta;
DROP TABLE courts;
DROP TABLE tenants;
