-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- Which audit entries name which case (and document of it), so that a
-- case's access log and a document's proof bundle find their entries in one
-- range of the primary key instead of reading the whole log. Derived from the entries (and, for an entry that
-- names only a document, from the document's case); nothing verifies
-- against it: the entries it points to are checked against the tree.
-- See docs/audit.md.

-- +goose Up
CREATE TABLE audit_refs (
	tenant   TEXT NOT NULL,
	case_id  TEXT NOT NULL,
	seq      INTEGER NOT NULL,
	document TEXT NOT NULL, -- '' when the entry names the case only
	outcome  TEXT NOT NULL, -- allowed, denied or failed
	PRIMARY KEY (tenant, case_id, seq)
) STRICT, WITHOUT ROWID;

INSERT INTO audit_refs (tenant, seq, case_id, document, outcome)
SELECT tenant, seq, case_id, doc, outcome FROM (SELECT tenant, seq,
	COALESCE(NULLIF(c, ''),
		(SELECT d.case_id FROM documents d WHERE d.tenant = x.tenant AND d.id = x.doc),
		(SELECT ts.case_id FROM tombstones ts WHERE ts.tenant = x.tenant AND ts.document_id = x.doc), '') AS case_id,
	doc, outcome
FROM (SELECT tenant, seq,
		json_extract(CAST(entry AS TEXT), '$.case') AS c,
		json_extract(CAST(entry AS TEXT), '$.document') AS doc,
		json_extract(CAST(entry AS TEXT), '$.outcome') AS outcome
	FROM audit_entries) AS x
WHERE c <> '' OR doc <> '') AS y
WHERE case_id <> '';

-- +goose Down
DROP TABLE audit_refs;
