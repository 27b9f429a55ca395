// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package audit

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"math/bits"
	"slices"

	tproof "github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
)

// Hash is a SHA-256 digest: a leaf hash, a node hash or a root.
type Hash [32]byte

// Domain separation prefixes of RFC 6962 section 2.1.
const (
	leafPrefix = 0x00
	nodePrefix = 0x01
)

// HashLeaf returns SHA-256(0x00 || data), the hash of a leaf with data.
func HashLeaf(data []byte) Hash {
	h := sha256.New()
	h.Write([]byte{leafPrefix})
	h.Write(data)
	var out Hash
	h.Sum(out[:0])
	return out
}

// HashChildren returns SHA-256(0x01 || left || right), the hash of an interior node.
func HashChildren(left, right Hash) Hash {
	var buf [1 + 2*len(Hash{})]byte
	buf[0] = nodePrefix
	copy(buf[1:], left[:])
	copy(buf[1+len(left):], right[:])
	return sha256.Sum256(buf[:])
}

// EmptyRoot is the root of the empty tree: SHA-256 of the empty string.
var EmptyRoot = Hash(sha256.Sum256(nil))

// NodeID names a complete subtree: the 2^Level leaves starting at leaf
// Index << Level. Level 0 is a leaf.
type NodeID struct {
	Level uint8
	Index uint64
}

func (n NodeID) String() string { return fmt.Sprintf("L%d/%d", n.Level, n.Index) }

// NodeReader returns the hashes of complete subtrees, in the order of ids.
// The ids all lie within a tree whose leaves exist.
type NodeReader func(ids []NodeID) ([]Hash, error)

// ErrVerify is wrapped by every verification failure.
var ErrVerify = errors.New("audit: verification failed")

// splitPoint returns the largest power of two smaller than n (n > 1).
func splitPoint(n uint64) uint64 {
	return 1 << (bits.Len64(n-1) - 1)
}

// planner evaluates the RFC 6962 recursions over a tree whose complete
// subtrees are looked up with get. Run once with a recording get to learn
// which nodes are needed, and once with the fetched hashes.
type planner struct {
	get func(NodeID) Hash
}

// mth is MTH(D[a:b]). The recursion only asks for ranges whose start is a
// multiple of the largest power of two not above their length, so a range
// that is a power of two long is a complete, aligned subtree.
func (p planner) mth(a, b uint64) Hash {
	n := b - a
	if n&(n-1) == 0 && a%n == 0 {
		lvl := uint8(bits.TrailingZeros64(n))
		return p.get(NodeID{Level: lvl, Index: a >> lvl})
	}
	k := splitPoint(n)
	return HashChildren(p.mth(a, a+k), p.mth(a+k, b))
}

// path is PATH(m, D[a:b]) of RFC 6962 section 2.1.1, with m relative to a.
func (p planner) path(m, a, b uint64) []Hash {
	n := b - a
	if n <= 1 {
		return nil
	}
	k := splitPoint(n)
	if m < k {
		return append(p.path(m, a, a+k), p.mth(a+k, b))
	}
	return append(p.path(m-k, a+k, b), p.mth(a, a+k))
}

// subproof is SUBPROOF(m, D[a:b], complete) of RFC 6962 section 2.1.2.
func (p planner) subproof(m, a, b uint64, complete bool) []Hash {
	n := b - a
	if m == n {
		if complete {
			return nil
		}
		return []Hash{p.mth(a, b)}
	}
	k := splitPoint(n)
	if m <= k {
		return append(p.subproof(m, a, a+k, complete), p.mth(a+k, b))
	}
	return append(p.subproof(m-k, a+k, b, false), p.mth(a, a+k))
}

// run evaluates f twice: first to collect the node ids it needs, then with
// their hashes from read.
func run[T any](read NodeReader, f func(p planner) T) (T, error) {
	var ids []NodeID
	seen := map[NodeID]int{}
	f(planner{get: func(id NodeID) Hash {
		if _, ok := seen[id]; !ok {
			seen[id] = len(ids)
			ids = append(ids, id)
		}
		return Hash{}
	}})
	hashes, err := read(ids)
	if err != nil {
		var zero T
		return zero, err
	}
	if len(hashes) != len(ids) {
		var zero T
		return zero, fmt.Errorf("audit: node reader returned %d hashes for %d ids", len(hashes), len(ids))
	}
	return f(planner{get: func(id NodeID) Hash { return hashes[seen[id]] }}), nil
}

// RootAt computes the root of the tree of the given size from complete subtree hashes.
func RootAt(size uint64, read NodeReader) (Hash, error) {
	if size == 0 {
		return EmptyRoot, nil
	}
	return run(read, func(p planner) Hash { return p.mth(0, size) })
}

// InclusionProof returns the audit path of leaf index in the tree of the given size.
func InclusionProof(index, size uint64, read NodeReader) ([]Hash, error) {
	if index >= size {
		return nil, fmt.Errorf("audit: inclusion proof: leaf %d not in tree of size %d", index, size)
	}
	return run(read, func(p planner) []Hash { return p.path(index, 0, size) })
}

// InclusionProofAndRoot is InclusionProof and RootAt in one read of the nodes.
func InclusionProofAndRoot(index, size uint64, read NodeReader) ([]Hash, Hash, error) {
	if index >= size {
		return nil, Hash{}, fmt.Errorf("audit: inclusion proof: leaf %d not in tree of size %d", index, size)
	}
	type out struct {
		proof []Hash
		root  Hash
	}
	o, err := run(read, func(p planner) out { return out{p.path(index, 0, size), p.mth(0, size)} })
	return o.proof, o.root, err
}

// InclusionProofsAndRoot returns the audit paths of several leaves in the
// tree of the given size, and its root, in one read of the nodes.
func InclusionProofsAndRoot(indexes []uint64, size uint64, read NodeReader) ([][]Hash, Hash, error) {
	for _, i := range indexes {
		if i >= size {
			return nil, Hash{}, fmt.Errorf("audit: inclusion proof: leaf %d not in tree of size %d", i, size)
		}
	}
	if size == 0 {
		return nil, EmptyRoot, nil
	}
	type out struct {
		proofs [][]Hash
		root   Hash
	}
	o, err := run(read, func(p planner) out {
		o := out{proofs: make([][]Hash, len(indexes)), root: p.mth(0, size)}
		for k, i := range indexes {
			o.proofs[k] = p.path(i, 0, size)
		}
		return o
	})
	return o.proofs, o.root, err
}

// ConsistencyProofAndRoots is ConsistencyProof with the roots of both sizes, in one read of the nodes.
func ConsistencyProofAndRoots(from, to uint64, read NodeReader) (proof []Hash, fromRoot, toRoot Hash, err error) {
	if from > to {
		return nil, Hash{}, Hash{}, fmt.Errorf("audit: consistency proof: size %d is larger than %d", from, to)
	}
	type out struct {
		proof  []Hash
		r1, r2 Hash
	}
	o, err := run(read, func(p planner) out {
		o := out{proof: []Hash{}, r1: EmptyRoot, r2: EmptyRoot}
		if from > 0 {
			o.r1 = p.mth(0, from)
		}
		if to > 0 {
			o.r2 = p.mth(0, to)
		}
		if from > 0 && from < to {
			o.proof = p.subproof(from, 0, to, true)
		}
		return o
	})
	return o.proof, o.r1, o.r2, err
}

// ConsistencyProof returns the proof that the tree of size from is a prefix
// of the tree of size to. It is empty when from is 0 or from == to.
func ConsistencyProof(from, to uint64, read NodeReader) ([]Hash, error) {
	if from > to {
		return nil, fmt.Errorf("audit: consistency proof: size %d is larger than %d", from, to)
	}
	if from == 0 || from == to {
		return []Hash{}, nil
	}
	return run(read, func(p planner) []Hash { return p.subproof(from, 0, to, true) })
}

// VerifyInclusion checks that leafHash is leaf index of the tree of the
// given size with root (RFC 9162 section 2.1.3.2). The check is
// transparency-dev/merkle's, the reference implementation of Certificate
// Transparency's proofs, so that what the server hands out is verified by
// code it did not write.
func VerifyInclusion(index, size uint64, leafHash Hash, proof []Hash, root Hash) error {
	if err := tproof.VerifyInclusion(rfc6962.DefaultHasher, index, size, leafHash[:], byteSlices(proof), root[:]); err != nil {
		return fmt.Errorf("%w: %w", ErrVerify, err)
	}
	return nil
}

// VerifyConsistency checks that the tree of size from with root1 is a
// prefix of the tree of size to with root2 (RFC 9162 section 2.1.4.2), with
// transparency-dev/merkle's check.
func VerifyConsistency(from, to uint64, root1, root2 Hash, proof []Hash) error {
	if from == 0 && root1 != EmptyRoot { // the library accepts any root for size 0
		return fmt.Errorf("%w: root of size 0 is not the empty root", ErrVerify)
	}
	if err := tproof.VerifyConsistency(rfc6962.DefaultHasher, from, to, byteSlices(proof), root1[:], root2[:]); err != nil {
		return fmt.Errorf("%w: %w", ErrVerify, err)
	}
	return nil
}

func byteSlices(hs []Hash) [][]byte {
	out := make([][]byte, len(hs))
	for i := range hs {
		out[i] = hs[i][:]
	}
	return out
}

// Builder computes roots incrementally from leaf hashes in order, keeping
// one hash per level (a compact range). Verify uses it to recompute a whole
// log in constant memory.
type Builder struct {
	size  uint64
	stack []Hash // hashes of the complete subtrees of the current size, largest first
}

// Size is the number of leaves added.
func (b *Builder) Size() uint64 { return b.size }

// Node is a complete subtree and its hash.
type Node struct {
	ID   NodeID
	Hash Hash
}

// Add appends a leaf hash and returns the complete subtrees of level ≥ 1
// that it completes (the ids CompletedBy names), lowest first, with their hashes.
func (b *Builder) Add(leaf Hash) []Node {
	var done []Node
	b.stack = append(b.stack, leaf)
	idx := b.size
	for lvl := uint8(1); idx&1 == 1; lvl++ {
		n := len(b.stack)
		h := HashChildren(b.stack[n-2], b.stack[n-1])
		b.stack = append(b.stack[:n-2], h)
		idx >>= 1
		done = append(done, Node{ID: NodeID{Level: lvl, Index: idx}, Hash: h})
	}
	b.size++
	return done
}

// Root returns the root of the leaves added so far.
func (b *Builder) Root() Hash {
	if len(b.stack) == 0 {
		return EmptyRoot
	}
	r := b.stack[len(b.stack)-1]
	for i := len(b.stack) - 2; i >= 0; i-- {
		r = HashChildren(b.stack[i], r)
	}
	return r
}

// CompletedBy returns the complete subtrees of level ≥ 1 that leaf index
// completes, lowest first: leaf 3 completes L1/1 and L2/0. A store that keeps
// every complete subtree hash computes these on append.
func CompletedBy(index uint64) []NodeID {
	var out []NodeID
	for lvl := uint8(1); index&1 == 1; lvl++ {
		index >>= 1
		out = append(out, NodeID{Level: lvl, Index: index})
	}
	return out
}

// Frontier returns the complete subtrees whose concatenation is the tree of
// the given size, largest (leftmost) first: the compact range [0, size).
// A store that appends leaves needs only their hashes (NewBuilderAt) to
// compute the subtrees the new leaves complete.
func Frontier(size uint64) []NodeID {
	var out []NodeID
	start := uint64(0)
	for lvl := 63; lvl >= 0; lvl-- {
		if size&(1<<lvl) != 0 {
			out = append(out, NodeID{Level: uint8(lvl), Index: start >> lvl})
			start += 1 << lvl
		}
	}
	return out
}

// NewBuilderAt returns a Builder that continues the tree of the given size,
// whose Frontier has the given hashes (in Frontier's order).
func NewBuilderAt(size uint64, frontier []Hash) (*Builder, error) {
	if want := len(Frontier(size)); len(frontier) != want {
		return nil, fmt.Errorf("audit: builder at size %d: %d frontier hashes, want %d", size, len(frontier), want)
	}
	return &Builder{size: size, stack: slices.Clone(frontier)}, nil
}

// Frontier returns the hashes of the complete subtrees of the leaves added
// so far, largest first: those of the nodes Frontier(b.Size()) names.
func (b *Builder) Frontier() []Hash { return slices.Clone(b.stack) }
