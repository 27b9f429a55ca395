-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- Identity and relationship-based authorization: user accounts and their
-- links to OpenID providers, tokens issued to users, relation tuples
-- (assigned judge, Akteneinsicht grants, shares with other courts),
-- participants linked to accounts, and restricted documents.

-- +goose Up
CREATE TABLE users (
	id          TEXT NOT NULL PRIMARY KEY,
	tenant      TEXT NOT NULL, -- '' for lawyers, authorities and citizens
	role        TEXT NOT NULL,
	court       TEXT NOT NULL, -- '' when not bound to a court
	org         TEXT NOT NULL, -- '' when acting for no organisation
	name        TEXT NOT NULL,
	email       TEXT NOT NULL, -- lower-case; '' when unknown
	created_at  TIMESTAMPTZ NOT NULL,
	disabled_at TIMESTAMPTZ -- NULL: active
);
CREATE UNIQUE INDEX users_email ON users (email) WHERE email <> '';
CREATE INDEX users_tenant ON users (tenant, id);

CREATE TABLE user_identities (
	issuer     TEXT NOT NULL,
	subject    TEXT NOT NULL,
	user_id    TEXT NOT NULL REFERENCES users (id),
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (issuer, subject)
);

ALTER TABLE tokens ADD COLUMN user_id TEXT NOT NULL DEFAULT ''; -- '' for role tokens

-- A relation tuple: holder (user:ID, org:ID or court:ID) has relation to a
-- proceeding. Tuples are never deleted, only revoked, so that who could see
-- what when stays on record.
CREATE TABLE relations (
	id         TEXT NOT NULL PRIMARY KEY,
	tenant     TEXT NOT NULL,
	case_id    TEXT COLLATE "C" NOT NULL,
	relation   TEXT NOT NULL,
	holder     TEXT NOT NULL,
	documents  TEXT NOT NULL, -- Akteneinsicht limited to these document IDs (comma-separated); '' the whole file
	expires_at TIMESTAMPTZ, -- NULL: no expiry
	revoked_at TIMESTAMPTZ, -- NULL: in force
	created_at TIMESTAMPTZ NOT NULL,
	created_by TEXT NOT NULL,
	note       TEXT NOT NULL,
	FOREIGN KEY (tenant, case_id) REFERENCES cases (tenant, id)
);
CREATE INDEX relations_case ON relations (case_id);
CREATE INDEX relations_holder ON relations (holder);

-- A participant linked to an account (user:ID or org:ID) holds the relation
-- "beteiligt" for as long as the participant is on record.
ALTER TABLE case_participants ADD COLUMN account TEXT NOT NULL DEFAULT '';
CREATE INDEX case_participants_account ON case_participants (account) WHERE account <> '';
CREATE INDEX case_participants_case_id ON case_participants (case_id) WHERE account <> '';

ALTER TABLE documents ADD COLUMN restricted BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE documents DROP COLUMN restricted;
DROP INDEX case_participants_case_id;
DROP INDEX case_participants_account;
ALTER TABLE case_participants DROP COLUMN account;
DROP TABLE relations;
ALTER TABLE tokens DROP COLUMN user_id;
DROP TABLE user_identities;
DROP TABLE users;
