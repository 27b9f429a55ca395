// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package audit is the tamper-evident audit log: per tenant, an append-only
// Merkle tree in the style of RFC 6962 / RFC 9162 (Certificate Transparency)
// over canonically encoded entries, with signed checkpoints (tree heads),
// inclusion proofs and consistency proofs.
//
// The package has three layers:
//
//   - merkle.go: pure hashing, proof construction from a source of complete
//     subtree hashes, and proof verification (no I/O);
//   - entry.go and checkpoint.go: the canonical entry encoding and the signed
//     checkpoint format, with Ed25519 signing behind the Signer interface;
//   - log.go: Log, which appends entries through a Store and answers
//     checkpoints and proofs.
//
// Leaf indexes are 0-based: the entry with sequence number N is leaf N, and a
// tree of size N holds the entries 0 … N-1. See docs/audit.md for the formats.
package audit
