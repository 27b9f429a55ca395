// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package retention decides when the documents of a finished proceeding are
// destroyed (Aufbewahrungsfristen) and carries out that destruction.
//
// The rules are data (an embedded YAML table, replaceable per Land) and Due
// is a pure function of the rules, the facts of one case and the current
// time. Run applies the decisions: it skips cases under a legal hold,
// crypto-shreds each due document's blob and records a tombstone.
package retention
