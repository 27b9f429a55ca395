-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- Which audit entries name which case and document, so that a document's
-- proof bundle and a case's access log find their entries by index instead
-- of reading the whole log. Derived from the entries (and, for an entry that
-- names only a document, from the document's case); nothing verifies
-- against it: the entries it points to are checked against the tree.
-- See docs/audit.md.

-- +goose Up
CREATE TABLE audit_refs (
	tenant   TEXT NOT NULL,
	seq      BIGINT NOT NULL,
	case_id  TEXT COLLATE "C" NOT NULL, -- '' when none
	document TEXT COLLATE "C" NOT NULL, -- '' when none
	outcome  TEXT NOT NULL,             -- allowed, denied or failed
	PRIMARY KEY (tenant, seq)
);
CREATE INDEX audit_refs_case ON audit_refs (tenant, case_id, seq);
CREATE INDEX audit_refs_document ON audit_refs (tenant, document, seq);

INSERT INTO audit_refs (tenant, seq, case_id, document, outcome)
SELECT tenant, seq,
	COALESCE(NULLIF(c, ''),
		(SELECT d.case_id FROM documents d WHERE d.tenant = x.tenant AND d.id = x.doc),
		(SELECT ts.case_id FROM tombstones ts WHERE ts.tenant = x.tenant AND ts.document_id = x.doc), ''),
	doc, outcome
FROM (SELECT tenant, seq,
		convert_from(entry, 'UTF8')::jsonb ->> 'case' AS c,
		convert_from(entry, 'UTF8')::jsonb ->> 'document' AS doc,
		convert_from(entry, 'UTF8')::jsonb ->> 'outcome' AS outcome
	FROM audit_entries) AS x
WHERE c <> '' OR doc <> '';

-- +goose Down
DROP TABLE audit_refs;
