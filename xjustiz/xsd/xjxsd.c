// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>
#include "xjxsd.h"
#include "_cgo_export.h"

#define XJ_SCHEME "xjustiz-embed:"

static void xj_add(xj_state *st, int line, int level, int domain, int code, const xmlChar *elem, const char *msg) {
	if (st == NULL) {
		return;
	}
	if (st->n >= st->cap && st->grow) {
		xj_err *more = realloc(st->errs, sizeof(xj_err) * (size_t)st->cap * 2);
		if (more != NULL) {
			st->errs = more;
			st->cap *= 2;
		}
	}
	if (st->n >= st->cap) {
		st->dropped++;
		return;
	}
	xj_err *e = &st->errs[st->n++];
	e->line = line;
	e->level = level;
	e->domain = domain;
	e->code = code;
	e->elem = elem != NULL ? strdup((const char *)elem) : NULL;
	e->msg = msg != NULL ? strdup(msg) : NULL;
}

// xj_serror is the structured error handler for both the parser and the
// schema validator; data is the xj_state of the current call.
static void xj_serror(void *data, xmlErrorPtr err) {
	xj_state *st = (xj_state *)data;
	const xmlChar *elem = NULL;
	int line = err->line;
	if (err->node != NULL) {
		xmlNodePtr node = (xmlNodePtr)err->node;
		if (node->type == XML_ELEMENT_NODE || node->type == XML_ATTRIBUTE_NODE) {
			elem = node->name;
		}
		long l = xmlGetLineNo(node);
		if (l > 0) {
			line = (int)l;
		}
	}
	xj_add(st, line, err->level, err->domain, err->code, elem, err->message);
}

static void xj_parser_serror(void *ctx, xmlErrorPtr err) {
	xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr)ctx;
	xj_serror(ctxt != NULL ? ctxt->_private : NULL, err);
}

static void xj_refuse(xmlParserCtxtPtr ctxt, int why) {
	xj_state *st = (xj_state *)ctxt->_private;
	if (st != NULL && st->refused == XJ_REFUSED_NONE) {
		st->refused = why;
		st->refused_line = xmlSAX2GetLineNumber(ctxt);
	}
	xmlStopParser(ctxt);
}

static void xj_internal_subset(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid) {
	xj_refuse((xmlParserCtxtPtr)ctx, XJ_REFUSED_DOCTYPE);
}

static void xj_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *pid, const xmlChar *sid, xmlChar *content) {
	xj_refuse((xmlParserCtxtPtr)ctx, XJ_REFUSED_ENTITY);
}

static void xj_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI,
		int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted, const xmlChar **attributes) {
	xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr)ctx;
	xj_state *st = (xj_state *)ctxt->_private;
	if (++st->depth > st->maxdepth) {
		xj_refuse(ctxt, XJ_REFUSED_DEPTH);
		return;
	}
	xmlSAX2StartElementNs(ctx, localname, prefix, URI, nb_namespaces, namespaces, nb_attributes, nb_defaulted, attributes);
}

static void xj_end_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI) {
	xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr)ctx;
	xj_state *st = (xj_state *)ctxt->_private;
	st->depth--;
	xmlSAX2EndElementNs(ctx, localname, prefix, URI);
}

// xj_loader replaces libxml2's external entity loader for the whole process.
// It serves only the embedded schema files (URLs XJ_SCHEME...) and refuses
// everything else: no file system, no network, whoever asks.
static xmlParserInputPtr xj_loader(const char *URL, const char *ID, xmlParserCtxtPtr ctxt) {
	if (URL == NULL || strncmp(URL, XJ_SCHEME, strlen(XJ_SCHEME)) != 0) {
		return NULL;
	}
	size_t n = 0;
	char *data = xjLookup((char *)URL, &n);
	if (data == NULL) {
		return NULL;
	}
	xmlParserInputBufferPtr buf = xmlParserInputBufferCreateMem(data, (int)n, XML_CHAR_ENCODING_NONE);
	free(data);
	if (buf == NULL) {
		return NULL;
	}
	xmlParserInputPtr in = xmlNewIOInputStream(ctxt, buf, XML_CHAR_ENCODING_NONE);
	if (in == NULL) {
		xmlFreeParserInputBuffer(buf);
		return NULL;
	}
	in->filename = (const char *)xmlStrdup((const xmlChar *)URL);
	return in;
}

void xj_init(void) {
	xmlInitParser();
	xmlSetExternalEntityLoader(xj_loader);
}

void xj_state_free(xj_state *st) {
	for (int i = 0; i < st->n; i++) {
		free(st->errs[i].elem);
		free(st->errs[i].msg);
	}
	st->n = 0;
}

xmlSchemaPtr xj_compile(const char *url, xj_state *st) {
	xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(url);
	if (pc == NULL) {
		return NULL;
	}
	xmlSchemaSetParserStructuredErrors(pc, xj_serror, st);
	xmlSchemaPtr s = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	return s;
}

void xj_schema_free(xmlSchemaPtr s) {
	xmlSchemaFree(s);
}

xmlDocPtr xj_parse(const char *buf, int len, xj_state *st) {
	xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(buf, len);
	if (ctxt == NULL) {
		return NULL;
	}
	// No DTD loading, no entity substitution, no network; big line numbers
	// for error messages. libxml2's own limits stay on (XML_PARSE_HUGE is
	// not set).
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
	ctxt->_private = st;
	ctxt->sax->internalSubset = xj_internal_subset;
	ctxt->sax->externalSubset = xj_internal_subset;
	ctxt->sax->entityDecl = xj_entity_decl;
	ctxt->sax->startElementNs = xj_start_element;
	ctxt->sax->endElementNs = xj_end_element;
	ctxt->sax->serror = xj_parser_serror;
	ctxt->sax->initialized = XML_SAX2_MAGIC;

	xmlParseDocument(ctxt);
	xmlDocPtr doc = ctxt->myDoc;
	int wellFormed = ctxt->wellFormed;
	ctxt->myDoc = NULL;
	xmlFreeParserCtxt(ctxt);
	if (st->refused != XJ_REFUSED_NONE || !wellFormed || doc == NULL || xmlDocGetRootElement(doc) == NULL) {
		if (doc != NULL) {
			xmlFreeDoc(doc);
		}
		if (st->n == 0 && st->refused == XJ_REFUSED_NONE) {
			xj_add(st, 0, XML_ERR_FATAL, XML_FROM_PARSER, 0, NULL, "document is not well-formed");
		}
		return NULL;
	}
	return doc;
}

int xj_validate_doc(xmlSchemaPtr schema, xmlDocPtr doc, xj_state *st) {
	xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
	if (vc == NULL) {
		return -1;
	}
	xmlSchemaSetValidStructuredErrors(vc, xj_serror, st);
	int v = xmlSchemaValidateDoc(vc, doc);
	xmlSchemaFreeValidCtxt(vc);
	return v > 0 ? 1 : (v < 0 ? -1 : 0);
}

int xj_validate(xmlSchemaPtr schema, const char *buf, int len, xj_state *st) {
	xmlDocPtr doc = xj_parse(buf, len, st);
	if (doc == NULL) {
		return 1;
	}
	int rc = 0;
	if (schema != NULL) {
		rc = xj_validate_doc(schema, doc, st);
	}
	xmlFreeDoc(doc);
	return rc;
}

void xj_doc_root(xmlDocPtr doc, const char **name, const char **ns) {
	xmlNodePtr root = xmlDocGetRootElement(doc);
	*name = root != NULL ? (const char *)root->name : NULL;
	*ns = (root != NULL && root->ns != NULL) ? (const char *)root->ns->href : NULL;
}

char *xj_doc_attr(xmlDocPtr doc, const char *attr) {
	xmlNodePtr root = xmlDocGetRootElement(doc);
	if (root == NULL) {
		return NULL;
	}
	xmlChar *v = xmlGetNoNsProp(root, (const xmlChar *)attr);
	for (xmlNodePtr c = root->children; v == NULL && c != NULL; c = c->next) {
		if (c->type == XML_ELEMENT_NODE) {
			v = xmlGetNoNsProp(c, (const xmlChar *)attr);
		}
	}
	if (v == NULL) {
		return NULL;
	}
	char *out = strdup((const char *)v);
	xmlFree(v);
	return out;
}

static void xj_codes_walk(xmlNodePtr n, const char **names, int nn, xj_state *st) {
	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE) {
			continue;
		}
		for (int i = 0; i < nn; i++) {
			if (strcmp((const char *)n->name, names[i]) != 0) {
				continue;
			}
			for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
				if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "code") == 0) {
					xmlChar *text = xmlNodeGetContent(c);
					xj_add(st, (int)xmlGetLineNo(n), XML_ERR_NONE, 0, 0, n->name, (const char *)text);
					xmlFree(text);
					break;
				}
			}
			break;
		}
		xj_codes_walk(n->children, names, nn, st);
	}
}

void xj_doc_codes(xmlDocPtr doc, const char **names, int n, xj_state *st) {
	xj_codes_walk(xmlDocGetRootElement(doc), names, n, st);
}

void xj_doc_free(xmlDocPtr doc) {
	xmlFreeDoc(doc);
}

// The tree export: a flat buffer of records in document order, 0x01 name
// 0x00 for an element's start, 0x02 text 0x00 for text or CDATA directly in
// it, 0x03 for its end. XML 1.0 allows neither NUL nor the bytes 0x01 to
// 0x03 in names or text, so the markers cannot occur in the content.
typedef struct {
	char *buf;
	size_t len, cap;
	int failed;
} xj_buf;

static void xj_put(xj_buf *b, const char *s, size_t n) {
	if (b->failed) {
		return;
	}
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n) {
			cap *= 2;
		}
		char *nb = realloc(b->buf, cap);
		if (nb == NULL) {
			b->failed = 1;
			return;
		}
		b->buf = nb;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
}

static void xj_tree_walk(xmlNodePtr n, xj_buf *b) {
	for (; n != NULL; n = n->next) {
		switch (n->type) {
		case XML_ELEMENT_NODE:
			xj_put(b, "\x01", 1);
			xj_put(b, (const char *)n->name, strlen((const char *)n->name) + 1);
			xj_tree_walk(n->children, b);
			xj_put(b, "\x03", 1);
			break;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (n->content != NULL) {
				xj_put(b, "\x02", 1);
				xj_put(b, (const char *)n->content, strlen((const char *)n->content) + 1);
			}
			break;
		default:
			break;
		}
	}
}

char *xj_doc_tree(xmlDocPtr doc, size_t *len) {
	xj_buf b = {0};
	xj_tree_walk(xmlDocGetRootElement(doc), &b);
	if (!b.failed && b.buf == NULL) {
		b.buf = malloc(1);
		b.failed = b.buf == NULL;
	}
	if (b.failed) {
		free(b.buf);
		*len = 0;
		return NULL;
	}
	*len = b.len;
	return b.buf;
}
