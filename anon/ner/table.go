// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package ner

import (
	"math"
	"math/bits"
)

// table maps feature hashes to their non-zero weights: an open-addressing
// hash table whose entries point into one array of (label, weight) pairs.
// Most features have weights for only a few of the 39 labels, so a lookup
// touches about two cache lines instead of a dense row.
type table struct {
	entries []entry
	shift   uint // 64 - log2(len(entries))
	pairs   []pair
	n       int // features held
}

type entry struct {
	key   uint64 // feature hash; 0 marks an empty slot (hash 0 is stored as 1)
	start uint32 // first pair
	n     uint32 // number of pairs
}

type pair struct {
	y int32
	w float32
}

// newTable sizes a table for n features.
func newTable(n int) *table {
	size := 1 << max(4, bits.Len(uint(n*2)))
	return &table{entries: make([]entry, size), shift: uint(64 - bits.TrailingZeros(uint(size)))}
}

func (t *table) slot(key uint64) int {
	return int((key * 0x9E3779B97F4A7C15) >> t.shift)
}

// add stores a feature's non-zero weights (row holds one weight per label);
// a row with no weight of magnitude at least eps is not stored.
func (t *table) add(key uint64, row []float32, eps float32) {
	if key == 0 {
		key = 1
	}
	start := len(t.pairs)
	for y, w := range row {
		if w != 0 && float32(math.Abs(float64(w))) >= eps {
			t.pairs = append(t.pairs, pair{int32(y), w})
		}
	}
	if len(t.pairs) == start {
		return
	}
	mask := len(t.entries) - 1
	for i := t.slot(key); ; i = (i + 1) & mask {
		if t.entries[i].key == 0 {
			t.entries[i] = entry{key: key, start: uint32(start), n: uint32(len(t.pairs) - start)}
			t.n++
			return
		}
	}
}

// get returns the weights of a feature, or nil.
func (t *table) get(key uint64) []pair {
	if key == 0 {
		key = 1
	}
	mask := len(t.entries) - 1
	for i := t.slot(key); ; i = (i + 1) & mask {
		e := &t.entries[i]
		if e.key == key {
			return t.pairs[e.start : e.start+e.n]
		}
		if e.key == 0 {
			return nil
		}
	}
}

// compile builds a table from dense rows, dropping weights below eps.
func compile(rows map[uint64]int32, weights []float32, L int, eps float32) *table {
	t := newTable(len(rows))
	for f, r := range rows {
		t.add(f, weights[int(r)*L:int(r)*L+L], eps)
	}
	return t
}
