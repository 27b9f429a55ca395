// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package search is the full-text search over documents and case metadata.
//
// Text is analyzed in Go (Analyze): words are lowercased, umlauts folded and
// stemmed with the Snowball German stemmer. The store keeps only these
// pre-analyzed tokens in the engine's full-text index (FTS5 on SQLite, a
// 'simple' tsvector on PostgreSQL), so both engines match exactly alike.
// Snippets are cut in Go from the case text stored in the index, or from a
// document's text read from the blob store at query time; matched words are
// marked with « and ».
package search
