-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- Times are TIMESTAMPTZ (microseconds). Optional text is '' rather than NULL.

-- +goose Up
CREATE TABLE tenants (
	id   TEXT NOT NULL PRIMARY KEY,
	name TEXT NOT NULL
);

CREATE TABLE courts (
	id       TEXT NOT NULL PRIMARY KEY,
	tenant   TEXT NOT NULL REFERENCES tenants (id),
	name     TEXT COLLATE "C" NOT NULL, -- byte order, as on SQLite
	type     TEXT NOT NULL,
	city     TEXT NOT NULL,
	active   BOOLEAN NOT NULL,
	federal  BOOLEAN NOT NULL,
	category TEXT NOT NULL,
	unit     TEXT NOT NULL,
	related  TEXT NOT NULL
);
CREATE INDEX courts_tenant_name ON courts (tenant, name);

CREATE TABLE meta (
	key   TEXT NOT NULL PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE cases (
	id         TEXT COLLATE "C" NOT NULL PRIMARY KEY, -- byte order for keyset pagination, as on SQLite
	tenant     TEXT NOT NULL,
	court      TEXT NOT NULL,
	department TEXT NOT NULL,
	register   TEXT NOT NULL,
	number     INTEGER NOT NULL CHECK (number > 0),
	year       INTEGER NOT NULL CHECK (year BETWEEN 1 AND 9999),
	subject    TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	created_by TEXT NOT NULL,
	UNIQUE (tenant, id),
	UNIQUE (tenant, court, register, year, number)
);
CREATE INDEX cases_tenant_court_id ON cases (tenant, court, id);

CREATE TABLE case_counters (
	tenant   TEXT NOT NULL,
	court    TEXT NOT NULL,
	register TEXT NOT NULL,
	year     INTEGER NOT NULL,
	last     INTEGER NOT NULL,
	PRIMARY KEY (tenant, court, register, year)
);

CREATE TABLE documents (
	seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- filing order
	id           TEXT NOT NULL UNIQUE,
	tenant       TEXT NOT NULL,
	case_id      TEXT NOT NULL,
	filename     TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         BIGINT NOT NULL CHECK (size >= 0),
	sha256       BYTEA NOT NULL CHECK (octet_length(sha256) = 32),
	blob         TEXT NOT NULL,
	predecessor  TEXT UNIQUE, -- NULL for a first version; at most one successor
	version      INTEGER NOT NULL CHECK (version > 0),
	created_at   TIMESTAMPTZ NOT NULL,
	created_by   TEXT NOT NULL,
	UNIQUE (tenant, case_id, id),
	FOREIGN KEY (tenant, case_id) REFERENCES cases (tenant, id),
	-- a predecessor is a document of the same tenant and case
	FOREIGN KEY (tenant, case_id, predecessor) REFERENCES documents (tenant, case_id, id),
	CHECK ((predecessor IS NULL) = (version = 1))
);
CREATE INDEX documents_case ON documents (tenant, case_id, created_at, seq);

CREATE TABLE uploads (
	tenant     TEXT NOT NULL,
	blob       TEXT NOT NULL,
	case_id    TEXT NOT NULL,
	started_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant, blob),
	FOREIGN KEY (tenant, case_id) REFERENCES cases (tenant, id)
);
CREATE INDEX uploads_started_at ON uploads (started_at);

CREATE TABLE data_keys (
	tenant       TEXT NOT NULL,
	name         TEXT NOT NULL,
	kek          TEXT NOT NULL,
	wrapped      BYTEA,       -- NULL once destroyed
	destroyed_at TIMESTAMPTZ, -- NULL while the key exists
	PRIMARY KEY (tenant, name),
	CHECK ((wrapped IS NULL) = (destroyed_at IS NOT NULL))
);

CREATE TABLE tokens (
	id         TEXT NOT NULL PRIMARY KEY,
	tenant     TEXT NOT NULL,
	role       TEXT NOT NULL,
	court      TEXT NOT NULL, -- '' when not bound to a court
	hash       BYTEA NOT NULL UNIQUE CHECK (octet_length(hash) = 32),
	label      TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ -- NULL: never
);

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
