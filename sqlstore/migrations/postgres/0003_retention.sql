-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- Retention: legal holds on cases and the tombstones of destroyed documents.

-- +goose Up
CREATE TABLE case_holds (
	tenant  TEXT NOT NULL,
	case_id TEXT NOT NULL,
	reason  TEXT NOT NULL,
	set_at  TIMESTAMPTZ NOT NULL,
	set_by  TEXT NOT NULL,
	PRIMARY KEY (tenant, case_id),
	FOREIGN KEY (tenant, case_id) REFERENCES cases (tenant, id)
);

-- One row per destroyed (crypto-shredded) document: what, when, by which rule.
CREATE TABLE tombstones (
	tenant       TEXT NOT NULL,
	document_id  TEXT NOT NULL,
	case_id      TEXT NOT NULL,
	rule         TEXT NOT NULL,
	destroyed_at TIMESTAMPTZ NOT NULL,
	destroyed_by TEXT NOT NULL,
	PRIMARY KEY (tenant, document_id),
	FOREIGN KEY (tenant, case_id) REFERENCES cases (tenant, id)
);
CREATE INDEX tombstones_case ON tombstones (tenant, case_id);

-- Tombstones are the record of destruction; they are never rewritten.
-- +goose StatementBegin
CREATE FUNCTION tombstones_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'tombstones are append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER tombstones_append_only BEFORE UPDATE OR DELETE ON tombstones
	FOR EACH ROW EXECUTE FUNCTION tombstones_append_only();

-- +goose Down
DROP TABLE tombstones;
DROP FUNCTION tombstones_append_only;
DROP TABLE case_holds;
