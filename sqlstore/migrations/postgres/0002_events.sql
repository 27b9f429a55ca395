-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- Proceedings: the procedure type of a case, its participants (Beteiligte) and its
-- append-only event history.

-- +goose Up
ALTER TABLE cases ADD COLUMN procedure TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN class TEXT NOT NULL DEFAULT ''; -- Dokumentklasse, '' when not classified

CREATE TABLE case_events (
	tenant    TEXT NOT NULL,
	case_id   TEXT NOT NULL,
	seq       INTEGER NOT NULL CHECK (seq > 0),
	name      TEXT NOT NULL,
	at        TIMESTAMPTZ NOT NULL,
	by        TEXT NOT NULL,
	role      TEXT NOT NULL,
	documents JSONB NOT NULL,
	data      JSONB NOT NULL,
	PRIMARY KEY (tenant, case_id, seq),
	FOREIGN KEY (tenant, case_id) REFERENCES cases (tenant, id)
);

CREATE TABLE case_participants (
	id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	tenant     TEXT NOT NULL,
	case_id    TEXT NOT NULL,
	role       TEXT NOT NULL,
	name       TEXT NOT NULL,
	address    TEXT NOT NULL,
	represents TEXT NOT NULL, -- '' or the id of the party represented
	created_at TIMESTAMPTZ NOT NULL,
	FOREIGN KEY (tenant, case_id) REFERENCES cases (tenant, id)
);
CREATE INDEX case_participants_case ON case_participants (tenant, case_id, created_at, id);

-- History is never rewritten.
-- +goose StatementBegin
CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'case_events is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
	FOR EACH ROW EXECUTE FUNCTION case_events_append_only();

-- +goose Down
DROP TABLE case_participants;
DROP TABLE case_events;
DROP FUNCTION case_events_append_only;
ALTER TABLE documents DROP COLUMN class;
ALTER TABLE cases DROP COLUMN procedure;
