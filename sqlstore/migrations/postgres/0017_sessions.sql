-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- Browser sessions after an OpenID Connect login, and the pending logins
-- between the redirect to the provider and its callback. Both are keyed by
-- the SHA-256 of a secret that only the browser holds (the session cookie,
-- the state parameter), so that a copy of this table logs nobody in.
-- See docs/security.md.

-- +goose Up
CREATE TABLE sessions (
	id_hash      BYTEA NOT NULL PRIMARY KEY CHECK (octet_length(id_hash) = 32),
	user_id      TEXT NOT NULL,
	provider     TEXT NOT NULL,
	csrf         TEXT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	last_seen_at TIMESTAMPTZ NOT NULL,
	expires_at   TIMESTAMPTZ NOT NULL -- absolute end, whatever the activity
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE login_states (
	state_hash BYTEA NOT NULL PRIMARY KEY CHECK (octet_length(state_hash) = 32),
	provider   TEXT NOT NULL,
	nonce      TEXT NOT NULL,
	verifier   TEXT NOT NULL, -- PKCE code verifier
	return_to  TEXT NOT NULL, -- local path
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_states_expires ON login_states (expires_at);

-- +goose Down
DROP TABLE login_states;
DROP TABLE sessions;
