// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

#ifndef JUSTIZCLOUD_XJXSD_H
#define JUSTIZCLOUD_XJXSD_H

#include <stddef.h>
#include <libxml/xmlschemas.h>

// Reasons why a document was refused before or during parsing, beyond the
// ordinary well-formedness and validity errors.
enum {
	XJ_REFUSED_NONE = 0,
	XJ_REFUSED_DOCTYPE = 1, // a document type declaration (internal or external subset)
	XJ_REFUSED_ENTITY = 2,  // an entity declaration
	XJ_REFUSED_DEPTH = 3,   // elements nested deeper than the limit
};

// One error reported by libxml2. elem and msg are malloc'd (may be NULL).
typedef struct {
	int line;
	int level;
	int domain;
	int code;
	char *elem;
	char *msg;
} xj_err;

// Per-call state: everything a parse or validation collects. It lives on the
// calling goroutine's C stack frame for exactly one call, so no libxml2 global
// or thread-local error handler is needed.
typedef struct {
	xj_err *errs;
	int n;
	int cap;
	int dropped;  // errors beyond cap
	int grow;     // grow errs instead of dropping
	int depth;
	int maxdepth;
	int refused;  // XJ_REFUSED_*
	int refused_line;
} xj_state;

void xj_init(void);
void xj_state_free(xj_state *st);
xmlSchemaPtr xj_compile(const char *url, xj_state *st);
void xj_schema_free(xmlSchemaPtr s);
// xj_validate parses buf and validates it against schema (NULL: parse only).
// Returns 0 when the document is valid, 1 when it is not (see st), -1 on an
// internal failure such as out of memory.
int xj_validate(xmlSchemaPtr schema, const char *buf, int len, xj_state *st);

// xj_parse parses buf with the same hardening; NULL when it is refused or
// not well-formed (see st). The document owns all its memory.
xmlDocPtr xj_parse(const char *buf, int len, xj_state *st);
// xj_validate_doc validates a parsed document: 0 valid, 1 invalid, -1 failure.
int xj_validate_doc(xmlSchemaPtr schema, xmlDocPtr doc, xj_state *st);
// xj_doc_root returns the root element's local name and namespace (either
// may be NULL); the strings belong to the document.
void xj_doc_root(xmlDocPtr doc, const char **name, const char **ns);
// xj_doc_attr returns the first value of the unqualified attribute attr on
// the root element or one of its element children, malloc'd, or NULL.
char *xj_doc_attr(xmlDocPtr doc, const char *attr);
// xj_doc_codes adds an entry (elem, line, msg = the code) to st for every
// element named in names[0..n) that has a child element <code>.
void xj_doc_codes(xmlDocPtr doc, const char **names, int n, xj_state *st);
// xj_doc_tree returns the document's elements and their text as a flat
// buffer (see xjxsd.c) of *len bytes, which the caller frees; NULL when out
// of memory.
char *xj_doc_tree(xmlDocPtr doc, size_t *len);
void xj_doc_free(xmlDocPtr doc);

#endif
