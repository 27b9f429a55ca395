-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- XJustiz imports: one row per imported message, scoped by tenant, so that
-- importing the same message again (same eigeneNachrichtenID) returns the
-- same case instead of creating a second one. state is 'pending' while the
-- import runs and 'done' after the last document; case_id is set as soon as
-- the case exists. The sender's own Aktenzeichen is kept here, since the
-- case gets an Aktenzeichen of our format. Written by package
-- xjustiz/importlog.

-- +goose Up
CREATE TABLE xjustiz_imports (
	tenant              TEXT NOT NULL,
	message_id          TEXT NOT NULL,
	case_id             TEXT,
	state               TEXT NOT NULL CHECK (state IN ('pending', 'done')),
	version             TEXT NOT NULL,
	root                TEXT NOT NULL,
	sender              TEXT NOT NULL,
	sender_aktenzeichen TEXT NOT NULL,
	sha256              BYTEA NOT NULL, -- of the message XML
	started_at          TIMESTAMPTZ NOT NULL,
	done_at             TIMESTAMPTZ,
	PRIMARY KEY (tenant, message_id),
	FOREIGN KEY (tenant, case_id) REFERENCES cases (tenant, id)
);
CREATE INDEX xjustiz_imports_case ON xjustiz_imports (tenant, case_id);

-- +goose Down
DROP TABLE xjustiz_imports;
