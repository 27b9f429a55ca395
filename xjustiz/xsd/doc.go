// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package xsd validates XML documents against W3C XML Schemas with libxml2,
// through a thin cgo wrapper of its own.
//
// A Schema is compiled once from an fs.FS: its includes and imports are
// resolved against that file system only, never against the disk or the
// network. A compiled Schema is safe for concurrent use; every Validate call
// gets a fresh parser and validation context.
//
// Parsing is hardened: documents with a document type declaration or an
// entity declaration are refused outright (so neither billion-laughs nor
// external entities can do anything), entities are never substituted, the
// network is off, input size and element depth are limited, and libxml2's
// own limits (XML_PARSE_HUGE off) stay in force.
//
// libxml2 has process-wide state. This package sets it once, at the first
// Compile or Validate: xmlInitParser and an external entity loader that
// serves only the file systems of compiled schemas and refuses every other
// URL. Nothing else in the process should use libxml2's default loader.
// Errors are collected per call through structured error callbacks bound to
// that call's contexts, not through libxml2's (thread-local) global handler.
package xsd
