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

int xj_validate(xmlSchemaPtr schema, const char *buf, int len, xj_state *st) {
	xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(buf, len);
	if (ctxt == NULL) {
		return -1;
	}
	// No DTD loading, no entity substitution, no network, no XInclude; big
	// line numbers for error messages. libxml2's own limits stay on
	// (XML_PARSE_HUGE is not set).
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
	ctxt->_private = st;
	ctxt->sax->internalSubset = xj_internal_subset;
	ctxt->sax->externalSubset = xj_internal_subset;
	ctxt->sax->entityDecl = xj_entity_decl;
	ctxt->sax->startElementNs = xj_start_element;
	ctxt->sax->endElementNs = xj_end_element;
	ctxt->sax->serror = xj_parser_serror;
	ctxt->sax->initialized = XML_SAX2_MAGIC;
	ctxt->vctxt.error = NULL;
	ctxt->vctxt.warning = NULL;

	xmlParseDocument(ctxt);
	xmlDocPtr doc = ctxt->myDoc;
	int wellFormed = ctxt->wellFormed;
	ctxt->myDoc = NULL;
	xmlFreeParserCtxt(ctxt);

	int rc = 0;
	if (st->refused != XJ_REFUSED_NONE || !wellFormed || doc == NULL) {
		rc = 1;
	} else if (schema != NULL) {
		xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
		if (vc == NULL) {
			xmlFreeDoc(doc);
			return -1;
		}
		xmlSchemaSetValidStructuredErrors(vc, xj_serror, st);
		int v = xmlSchemaValidateDoc(vc, doc);
		xmlSchemaFreeValidCtxt(vc);
		if (v > 0) {
			rc = 1;
		} else if (v < 0) {
			rc = -1;
		}
	}
	if (doc != NULL) {
		xmlFreeDoc(doc);
	}
	return rc;
}
