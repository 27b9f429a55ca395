// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package audit

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"testing"
)

// refLeaf and refNode are the RFC 6962 hashes, written out independently of merkle.go.
func refLeaf(data []byte) Hash {
	return sha256.Sum256(append([]byte{0}, data...))
}

func refNode(l, r Hash) Hash {
	b := []byte{1}
	b = append(b, l[:]...)
	b = append(b, r[:]...)
	return sha256.Sum256(b)
}

// refMTH is MTH(D[n]) of RFC 6962 section 2.1, straight from the text.
func refMTH(leaves []Hash) Hash {
	switch len(leaves) {
	case 0:
		return sha256.Sum256(nil)
	case 1:
		return leaves[0]
	}
	k := 1
	for k*2 < len(leaves) {
		k *= 2
	}
	return refNode(refMTH(leaves[:k]), refMTH(leaves[k:]))
}

func testLeaves(n int) []Hash {
	out := make([]Hash, n)
	for i := range out {
		out[i] = refLeaf(fmt.Appendf(nil, "entry %d", i))
	}
	return out
}

// memReader answers complete subtree hashes from the leaves with refMTH.
func memReader(leaves []Hash) NodeReader {
	return func(ids []NodeID) ([]Hash, error) {
		out := make([]Hash, len(ids))
		for i, id := range ids {
			a := id.Index << id.Level
			b := a + 1<<id.Level
			if b > uint64(len(leaves)) {
				return nil, fmt.Errorf("node %s beyond %d leaves", id, len(leaves))
			}
			out[i] = refMTH(leaves[a:b])
		}
		return out, nil
	}
}

func TestHashesByHand(t *testing.T) {
	d0, d1, d2 := []byte("a"), []byte("b"), []byte("c")
	l0, l1, l2 := refLeaf(d0), refLeaf(d1), refLeaf(d2)
	if got := HashLeaf(d0); got != l0 {
		t.Fatalf("HashLeaf = %x, want %x", got, l0)
	}
	// The empty tree, from RFC 6962: SHA-256 of nothing.
	if got, _ := RootAt(0, nil); fmt.Sprintf("%x", got) != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("empty root = %x", got)
	}
	byHand := map[int]Hash{
		1: l0,
		2: refNode(l0, l1),
		3: refNode(refNode(l0, l1), l2),
	}
	leaves := []Hash{l0, l1, l2}
	for n, want := range byHand {
		got, err := RootAt(uint64(n), memReader(leaves[:n]))
		if err != nil || got != want {
			t.Errorf("RootAt(%d) = %x, %v; want %x", n, got, err, want)
		}
	}
	// Size 5: ((l0 l1)(l2 l3)) l4; size 7: ((l0 l1)(l2 l3))((l4 l5) l6).
	ls := testLeaves(7)
	n01, n23, n45 := refNode(ls[0], ls[1]), refNode(ls[2], ls[3]), refNode(ls[4], ls[5])
	want5 := refNode(refNode(n01, n23), ls[4])
	want7 := refNode(refNode(n01, n23), refNode(n45, ls[6]))
	if got, _ := RootAt(5, memReader(ls[:5])); got != want5 {
		t.Errorf("RootAt(5) = %x, want %x", got, want5)
	}
	if got, _ := RootAt(7, memReader(ls)); got != want7 {
		t.Errorf("RootAt(7) = %x, want %x", got, want7)
	}
	// Inclusion of leaf 4 in size 7 is [l5, l6? no: (l4 l5) needs l5, then l6, then (l0..l3)].
	p, err := InclusionProof(4, 7, memReader(ls))
	if err != nil {
		t.Fatal(err)
	}
	wantP := []Hash{ls[5], ls[6], refNode(n01, n23)}
	if fmt.Sprint(p) != fmt.Sprint(wantP) {
		t.Errorf("InclusionProof(4, 7) = %x, want %x", p, wantP)
	}
	// Consistency 3 → 7 (RFC 6962 section 2.1.3's example tree): l2, l3, n01, n4567.
	c, err := ConsistencyProof(3, 7, memReader(ls))
	if err != nil {
		t.Fatal(err)
	}
	wantC := []Hash{ls[2], ls[3], n01, refNode(n45, ls[6])}
	if fmt.Sprint(c) != fmt.Sprint(wantC) {
		t.Errorf("ConsistencyProof(3, 7) = %x, want %x", c, wantC)
	}
}

// flipEach calls fn with copies of proof that differ in one bit. With
// stride 1 it flips every bit; a stride of 7 still hits every byte and
// every bit position within a byte.
func flipEach(proof []Hash, stride int, fn func([]Hash)) {
	for i := range proof {
		for bit := 0; bit < 256; bit += stride {
			q := append([]Hash(nil), proof...)
			q[i][bit/8] ^= 1 << (bit % 8)
			fn(q)
		}
	}
}

func TestProofsAllSizes(t *testing.T) {
	const max = 64
	leaves := testLeaves(max)
	roots := make([]Hash, max+1)
	for n := 0; n <= max; n++ {
		roots[n] = refMTH(leaves[:n])
		got, err := RootAt(uint64(n), memReader(leaves[:n]))
		if err != nil || got != roots[n] {
			t.Fatalf("RootAt(%d) = %x, %v; want %x", n, got, err, roots[n])
		}
		var b Builder
		for _, l := range leaves[:n] {
			b.Add(l)
		}
		if b.Root() != roots[n] {
			t.Fatalf("Builder root of %d = %x, want %x", n, b.Root(), roots[n])
		}
	}
	for n := 1; n <= max; n++ {
		read := memReader(leaves[:n])
		stride := 1 // every bit of every proof up to size 16, every 7th bit above
		if n > 16 {
			stride = 7
		}
		for i := range n {
			p, err := InclusionProof(uint64(i), uint64(n), read)
			if err != nil {
				t.Fatalf("InclusionProof(%d, %d) = %v", i, n, err)
			}
			if err := VerifyInclusion(uint64(i), uint64(n), leaves[i], p, roots[n]); err != nil {
				t.Fatalf("VerifyInclusion(%d, %d) = %v", i, n, err)
			}
			if p2, r, err := InclusionProofAndRoot(uint64(i), uint64(n), read); err != nil || r != roots[n] || fmt.Sprint(p2) != fmt.Sprint(p) {
				t.Fatalf("InclusionProofAndRoot(%d, %d) differs: %v", i, n, err)
			}
			flipEach(p, stride, func(q []Hash) {
				if VerifyInclusion(uint64(i), uint64(n), leaves[i], q, roots[n]) == nil {
					t.Fatalf("inclusion (%d, %d) with a flipped bit verified", i, n)
				}
			})
			flipEach([]Hash{leaves[i], roots[n]}, stride, func(q []Hash) {
				if VerifyInclusion(uint64(i), uint64(n), q[0], p, q[1]) == nil {
					t.Fatalf("inclusion (%d, %d) with a flipped leaf or root verified", i, n)
				}
			})
			// Wrong index, wrong size, truncated and extended proofs fail.
			if i+1 < n && VerifyInclusion(uint64(i+1), uint64(n), leaves[i], p, roots[n]) == nil && leaves[i] != leaves[i+1] {
				t.Fatalf("inclusion (%d, %d) verified for index %d", i, n, i+1)
			}
			if len(p) > 0 && VerifyInclusion(uint64(i), uint64(n), leaves[i], p[:len(p)-1], roots[n]) == nil {
				t.Fatalf("truncated inclusion (%d, %d) verified", i, n)
			}
			if VerifyInclusion(uint64(i), uint64(n), leaves[i], append(p, Hash{}), roots[n]) == nil {
				t.Fatalf("extended inclusion (%d, %d) verified", i, n)
			}
		}
		for m := 0; m <= n; m++ {
			c, err := ConsistencyProof(uint64(m), uint64(n), read)
			if err != nil {
				t.Fatalf("ConsistencyProof(%d, %d) = %v", m, n, err)
			}
			if err := VerifyConsistency(uint64(m), uint64(n), roots[m], roots[n], c); err != nil {
				t.Fatalf("VerifyConsistency(%d, %d) = %v (proof %d hashes)", m, n, err, len(c))
			}
			if c2, r1, r2, err := ConsistencyProofAndRoots(uint64(m), uint64(n), read); err != nil || r1 != roots[m] || r2 != roots[n] || fmt.Sprint(c2) != fmt.Sprint(c) {
				t.Fatalf("ConsistencyProofAndRoots(%d, %d) differs: %v", m, n, err)
			}
			flipEach(c, stride, func(q []Hash) {
				if VerifyConsistency(uint64(m), uint64(n), roots[m], roots[n], q) == nil {
					t.Fatalf("consistency (%d, %d) with a flipped bit verified", m, n)
				}
			})
			rs := []Hash{roots[m], roots[n]}
			if m == 0 { // the empty tree is a prefix of every tree: only its own root matters
				rs = rs[:1]
			}
			flipEach(rs, stride, func(q []Hash) {
				q = append(q, roots[n])
				if VerifyConsistency(uint64(m), uint64(n), q[0], q[1], c) == nil {
					t.Fatalf("consistency (%d, %d) with a flipped root verified", m, n)
				}
			})
			if len(c) > 0 && VerifyConsistency(uint64(m), uint64(n), roots[m], roots[n], c[:len(c)-1]) == nil {
				t.Fatalf("truncated consistency (%d, %d) verified", m, n)
			}
			if m < n && VerifyConsistency(uint64(m), uint64(n), roots[m], roots[n], append(c, Hash{})) == nil {
				t.Fatalf("extended consistency (%d, %d) verified", m, n)
			}
		}
	}
	if err := VerifyInclusion(5, 5, leaves[0], nil, roots[5]); !errors.Is(err, ErrVerify) {
		t.Errorf("VerifyInclusion beyond the tree = %v, want ErrVerify", err)
	}
}

func TestCompletedBy(t *testing.T) {
	for _, c := range []struct {
		index uint64
		want  string
	}{{0, "[]"}, {1, "[L1/0]"}, {2, "[]"}, {3, "[L1/1 L2/0]"}, {7, "[L1/3 L2/1 L3/0]"}, {5, "[L1/2]"}} {
		if got := fmt.Sprint(CompletedBy(c.index)); got != c.want {
			t.Errorf("CompletedBy(%d) = %s, want %s", c.index, got, c.want)
		}
		var b Builder
		for range c.index {
			b.Add(Hash{})
		}
		var ids []NodeID
		for _, n := range b.Add(Hash{}) {
			ids = append(ids, n.ID)
		}
		if got := fmt.Sprint(ids); got != c.want {
			t.Errorf("Builder.Add at %d = %s, want %s", c.index, got, c.want)
		}
	}
}

// BenchmarkInclusionProof1M: a proof in a tree of 2^20+12345 leaves, nodes from memory.
func BenchmarkInclusionProof1M(b *testing.B) {
	const n = 1<<20 + 12345
	read := func(ids []NodeID) ([]Hash, error) { return make([]Hash, len(ids)), nil }
	for b.Loop() {
		if _, err := InclusionProof(777777, n, read); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBuilderAt: a builder that continues from the frontier of any size
// completes the same subtrees and roots as one that saw every leaf.
func TestBuilderAt(t *testing.T) {
	var full Builder
	nodes := map[NodeID]Hash{}
	var leaves []Hash
	for i := range 70 {
		h := HashLeaf([]byte{byte(i)})
		leaves = append(leaves, h)
		nodes[NodeID{Level: 0, Index: uint64(i)}] = h
		for _, n := range full.Add(h) {
			nodes[n.ID] = n.Hash
		}
	}
	for size := range uint64(70) {
		var front []Hash
		for _, id := range Frontier(size) {
			front = append(front, nodes[id])
		}
		b, err := NewBuilderAt(size, front)
		if err != nil {
			t.Fatal(err)
		}
		for i := size; i < 70; i++ {
			for _, n := range b.Add(leaves[i]) {
				if nodes[n.ID] != n.Hash {
					t.Fatalf("from size %d: node %s differs", size, n.ID)
				}
			}
		}
		if b.Root() != full.Root() || b.Size() != 70 {
			t.Errorf("from size %d: root differs", size)
		}
	}
	if _, err := NewBuilderAt(5, nil); err == nil {
		t.Error("NewBuilderAt(5, nil) succeeded")
	}
}
