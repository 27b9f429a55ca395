// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package ner

import (
	"math"
	"sync"
)

// Model is a trained tagger. It is immutable and safe for concurrent use.
type Model struct {
	labels *labelSet
	feats  *table // feature hash → non-zero weights per label
	// trans[a*L+b] scores label b after label a; start[b] scores b first.
	trans, start []float32
	// bias is added to a label's score at every token. Training leaves it at
	// zero; SetPersonBias raises the person labels to trade precision for
	// recall.
	bias []float32

	pool sync.Pool // *decoder
}

func newModel(classes []string) *Model {
	ls := newLabelSet(classes)
	L := len(ls.names)
	return &Model{labels: ls, feats: newTable(0), trans: make([]float32, L*L), start: make([]float32, L), bias: make([]float32, L)}
}

// Labels returns the model's tags: "O", then B-X and I-X per class.
func (m *Model) Labels() []string { return append([]string(nil), m.labels.names...) }

// Features returns the number of feature rows the model holds.
func (m *Model) Features() int { return m.feats.n }

// PersonBias returns the score added to the B- and I- labels of PER, RR and AN.
func (m *Model) PersonBias() float32 {
	if i, ok := m.labels.index["B-PER"]; ok {
		return m.bias[i]
	}
	return 0
}

// WithPersonBias returns a copy of m that adds b to the scores of the PER, RR
// and AN labels at every token (b > 0 favours tagging persons: a missed name
// costs more than an extra mask). The copy shares the weights.
func (m *Model) WithPersonBias(b float32) *Model {
	c := &Model{labels: m.labels, feats: m.feats, trans: m.trans, start: m.start, bias: make([]float32, len(m.bias))}
	for i, name := range m.labels.names {
		_, cl := splitTag(name)
		if Coarse(cl) == "PER" {
			c.bias[i] = b
		}
	}
	return c
}

// decoder holds the scratch space of one Tag call.
type decoder struct {
	view   sentenceView
	feats  []uint64
	scores []float32 // n*L emission scores
	delta  []float32 // n*L Viterbi scores
	back   []int32   // n*L back pointers
	transT []float32 // transitions, transposed
	path   []int
}

func (m *Model) getDecoder() *decoder {
	if d, ok := m.pool.Get().(*decoder); ok {
		return d
	}
	return &decoder{}
}

// Tag returns the most likely BIO tag sequence for a sentence's tokens.
func (m *Model) Tag(tokens []string) []string {
	if len(tokens) == 0 {
		return []string{}
	}
	d := m.getDecoder()
	defer m.pool.Put(d)
	path := m.decode(d, tokens)
	m.applyRules(tokens, path)
	out := make([]string, len(path))
	for i, y := range path {
		out[i] = m.labels.names[y]
	}
	return out
}

// emissions fills d.scores with the weight sums of each token's features.
func (m *Model) emissions(d *decoder, tokens []string) {
	L := len(m.labels.names)
	n := len(tokens)
	d.view.reset(tokens)
	if cap(d.scores) < n*L {
		d.scores = make([]float32, n*L)
	}
	d.scores = d.scores[:n*L]
	for i := range tokens {
		s := d.scores[i*L : (i+1)*L]
		copy(s, m.bias)
		d.feats = d.view.features(d.feats[:0], i)
		for _, f := range d.feats {
			for _, p := range m.feats.get(f) {
				s[p.y] += p.w
			}
		}
	}
}

// decode runs Viterbi over the emission scores and returns label indices;
// transitions that IOB2 forbids are never taken.
func (m *Model) decode(d *decoder, tokens []string) []int {
	m.emissions(d, tokens)
	return m.viterbi(d, len(tokens))
}

func (m *Model) viterbi(d *decoder, n int) []int {
	L := len(m.labels.names)
	if cap(d.delta) < n*L {
		d.delta = make([]float32, n*L)
		d.back = make([]int32, n*L)
	}
	d.delta, d.back = d.delta[:n*L], d.back[:n*L]
	negInf := float32(math.Inf(-1))
	for y := 0; y < L; y++ {
		if m.labels.allowed(-1, y) {
			d.delta[y] = m.start[y] + d.scores[y]
		} else {
			d.delta[y] = negInf
		}
	}
	// transT[y*L+a] = trans[a*L+y], so the inner loop reads memory in order.
	if cap(d.transT) < L*L {
		d.transT = make([]float32, L*L)
	}
	transT := d.transT[:L*L]
	for a := 0; a < L; a++ {
		for y := 0; y < L; y++ {
			transT[y*L+a] = m.trans[a*L+y]
		}
	}
	for i := 1; i < n; i++ {
		prev := d.delta[(i-1)*L : i*L]
		cur := d.delta[i*L : (i+1)*L]
		back := d.back[i*L : (i+1)*L]
		for y := 0; y < L; y++ {
			best, arg := negInf, int32(0)
			if m.labels.inside[y] {
				// I-X continues only B-X or I-X.
				for _, a := range [2]int{y - 1, y} {
					if v := prev[a] + m.trans[a*L+y]; v > best {
						best, arg = v, int32(a)
					}
				}
			} else {
				tr := transT[y*L : y*L+L]
				for a, p := range prev {
					if v := p + tr[a]; v > best {
						best, arg = v, int32(a)
					}
				}
			}
			cur[y] = best + d.scores[i*L+y]
			back[y] = arg
		}
	}
	last := d.delta[(n-1)*L : n*L]
	arg := 0
	for y := 1; y < L; y++ {
		if last[y] > last[arg] {
			arg = y
		}
	}
	if cap(d.path) < n {
		d.path = make([]int, n)
	}
	path := d.path[:n]
	path[n-1] = arg
	for i := n - 1; i > 0; i-- {
		path[i-1] = int(d.back[i*L+path[i]])
	}
	return path
}
