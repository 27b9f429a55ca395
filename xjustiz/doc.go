// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package xjustiz reads XJustiz messages: it validates them in-process
// against the schema set of the message's own version (3.6.2, 3.5.1, and the
// message subsets of 3.2.1 and 2.4.0, embedded byte for byte), checks the
// Typ-3 code values the schemas leave open against the embedded code lists,
// maps the GDS messages to the domain (akte) and imports them as
// proceedings, idempotently per message id.
//
// The schema files and code lists under schema/ and codelists/ are unmodified
// copies; see README.md for their sources and licences.
package xjustiz
