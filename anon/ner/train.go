// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package ner

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"

	"justizcloud/errs"
)

// TrainOptions tune Train. The zero value trains 12 epochs without a dev set.
type TrainOptions struct {
	Epochs int // passes over the training data; 0 means 12
	// MinCount drops features seen fewer times in training (0 means 1).
	MinCount int
	// Prune drops, after training, every averaged weight smaller in
	// magnitude (0 keeps all).
	Prune float32
	Seed  uint64 // shuffles the sentence order of every epoch
	// Dev, when set, is tagged after every epoch, and the averaged weights of
	// the epoch with the best micro F1 on it are kept (early stopping).
	Dev []Sentence
	// Progress, when set, is called from time to time with the epoch (from 1)
	// and the share of it done (0..1).
	Progress func(epoch int, done float64)
	// EpochDone, when set, is called after every epoch with its dev report
	// (zero without Dev).
	EpochDone func(epoch int, dev Report)
}

// trainer holds the training state of the averaged perceptron.
type trainer struct {
	m        *Model
	rows     map[uint64]int32 // feature hash → row in w
	L        int
	w, u     []float32 // current weights and their time-weighted update sums
	tw, tu   []float32 // same for transitions (L*L) followed by start (L)
	c        float32   // instance counter for averaging
	featOff  []int32   // per token: start of its rows in featRows
	featRows []int32
	gold     []int32 // label per token
	sentOff  []int32 // per sentence: first token
	// lastAvg holds the dense averaged weights of the last averaged() call,
	// bestW those of the model Train returns (for pruning).
	lastAvg, bestW []float32
}

// Train fits a model to tagged sentences. Tags must be "O" or B-/I- of one of
// Classes(); anything else is an error wrapping errs.ErrInvalid.
func Train(ctx context.Context, train []Sentence, opt TrainOptions) (*Model, error) {
	if opt.Epochs <= 0 {
		opt.Epochs = 12
	}
	if opt.MinCount <= 0 {
		opt.MinCount = 1
	}
	m := newModel(Classes())
	t := &trainer{m: m, L: len(m.labels.names), rows: map[uint64]int32{}}
	if err := t.index(ctx, train, opt.MinCount); err != nil {
		return nil, err
	}
	L := t.L
	t.w = make([]float32, len(t.rows)*L)
	t.u = make([]float32, len(t.w))
	t.tw = make([]float32, L*L+L)
	t.tu = make([]float32, L*L+L)
	rng := rand.New(rand.NewPCG(opt.Seed, 0x4a43))
	order := make([]int, len(train))
	for i := range order {
		order[i] = i
	}
	var best *Model
	bestF1 := -1.0
	d := &decoder{}
	var pred []int
	for epoch := 1; epoch <= opt.Epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for k, si := range order {
			if k%2000 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, fmt.Errorf("train: %w", err)
				}
				if opt.Progress != nil {
					opt.Progress(epoch, float64(k)/float64(len(order)))
				}
			}
			pred = t.step(d, si, pred)
		}
		if opt.Progress != nil {
			opt.Progress(epoch, 1)
		}
		if opt.Dev == nil {
			if opt.EpochDone != nil {
				opt.EpochDone(epoch, Report{})
			}
			continue
		}
		avg := t.averaged()
		rep, err := evaluateModel(avg, opt.Dev)
		if err != nil {
			return nil, err
		}
		if opt.EpochDone != nil {
			opt.EpochDone(epoch, rep)
		}
		if f := rep.Micro.F1(); f > bestF1 {
			best, bestF1 = avg, f
			t.bestW = t.lastAvg
		}
	}
	if best == nil {
		best = t.averaged()
		t.bestW = t.lastAvg
	}
	if opt.Prune > 0 {
		best.feats = compile(t.rows, t.bestW, L, opt.Prune)
	}
	return best, nil
}

// index assigns weight rows to features seen at least minCount times and
// precomputes every token's rows and gold label.
func (t *trainer) index(ctx context.Context, train []Sentence, minCount int) error {
	var v sentenceView
	var buf []uint64
	counts := map[uint64]int32{}
	for si, s := range train {
		if len(s.Tags) != len(s.Tokens) {
			return fmt.Errorf("train: sentence %d has no tags: %w", si+1, errs.ErrInvalid)
		}
		if si%5000 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("train: %w", err)
			}
		}
		v.reset(s.Tokens)
		for i := range s.Tokens {
			buf = v.features(buf[:0], i)
			for _, f := range buf {
				counts[f]++
			}
		}
	}
	for f, n := range counts {
		if int(n) >= minCount {
			t.rows[f] = int32(len(t.rows))
		}
	}
	counts = nil
	for si, s := range train {
		t.sentOff = append(t.sentOff, int32(len(t.gold)))
		v.reset(s.Tokens)
		for i, tag := range s.Tags {
			y, ok := t.m.labels.index[tag]
			if !ok {
				return fmt.Errorf("train: sentence %d token %d: unknown tag %q: %w", si+1, i+1, tag, errs.ErrInvalid)
			}
			if i == 0 && !t.m.labels.allowed(-1, y) || i > 0 && !t.m.labels.allowed(int(t.gold[len(t.gold)-1]), y) {
				return fmt.Errorf("train: sentence %d token %d: %s cannot follow the previous tag: %w", si+1, i+1, tag, errs.ErrInvalid)
			}
			t.gold = append(t.gold, int32(y))
			t.featOff = append(t.featOff, int32(len(t.featRows)))
			buf = v.features(buf[:0], i)
			for _, f := range buf {
				if r, ok := t.rows[f]; ok {
					t.featRows = append(t.featRows, r)
				}
			}
		}
	}
	t.sentOff = append(t.sentOff, int32(len(t.gold)))
	t.featOff = append(t.featOff, int32(len(t.featRows)))
	return nil
}

// step decodes sentence si with the current weights and, where the result
// differs from the gold tags, moves the weights towards gold.
func (t *trainer) step(d *decoder, si int, pred []int) []int {
	L := t.L
	lo, hi := int(t.sentOff[si]), int(t.sentOff[si+1])
	n := hi - lo
	if cap(d.scores) < n*L {
		d.scores = make([]float32, n*L)
	}
	d.scores = d.scores[:n*L]
	for i := 0; i < n; i++ {
		s := d.scores[i*L : (i+1)*L]
		clear(s)
		for _, r := range t.featRows[t.featOff[lo+i]:t.featOff[lo+i+1]] {
			row := t.w[int(r)*L : int(r)*L+L]
			for y := range s {
				s[y] += row[y]
			}
		}
	}
	// The model's transition slices alias the trainer's current weights.
	t.m.trans, t.m.start = t.tw[:L*L], t.tw[L*L:]
	pred = append(pred[:0], t.m.viterbi(d, n)...)
	t.c++
	c := t.c
	for i := 0; i < n; i++ {
		g, p := int(t.gold[lo+i]), pred[i]
		if g != p {
			for _, r := range t.featRows[t.featOff[lo+i]:t.featOff[lo+i+1]] {
				t.w[int(r)*L+g]++
				t.u[int(r)*L+g] += c
				t.w[int(r)*L+p]--
				t.u[int(r)*L+p] -= c
			}
		}
		var gi, pi int
		if i == 0 {
			gi, pi = L*L+g, L*L+p
		} else {
			gi, pi = int(t.gold[lo+i-1])*L+g, pred[i-1]*L+p
		}
		if gi != pi {
			t.tw[gi]++
			t.tu[gi] += c
			t.tw[pi]--
			t.tu[pi] -= c
		}
	}
	return pred
}

// averaged returns a model with the averaged weights w - u/c.
func (t *trainer) averaged() *Model {
	L := t.L
	m := &Model{labels: t.m.labels, bias: make([]float32, L)}
	inv := 1 / t.c
	if t.c == 0 {
		inv = 0
	}
	avg := make([]float32, len(t.w))
	for i := range t.w {
		avg[i] = t.w[i] - t.u[i]*inv
	}
	m.feats = compile(t.rows, avg, L, 0)
	t.lastAvg = avg
	tr := make([]float32, len(t.tw))
	for i := range t.tw {
		tr[i] = t.tw[i] - t.tu[i]*inv
	}
	m.trans, m.start = tr[:L*L], tr[L*L:]
	return m
}

// evaluateModel tags the gold sentences on all cores and scores the result.
func evaluateModel(m *Model, gold []Sentence) (Report, error) {
	pred := m.TagAll(gold)
	g := make([][]string, len(gold))
	for i, s := range gold {
		g[i] = s.Tags
	}
	return Evaluate(g, pred)
}

// TagAll tags many sentences on all cores; the result is in input order.
func (m *Model) TagAll(sents []Sentence) [][]string {
	out := make([][]string, len(sents))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(sents); i += workers {
				out[i] = m.Tag(sents[i].Tokens)
			}
		}()
	}
	wg.Wait()
	return out
}

// ChoosePersonBias searches the smallest person bias (see WithPersonBias)
// whose PER+RR+AN recall on dev reaches minRecall percent, without losing more
// than maxDrop points of micro F1 against no bias. If no bias reaches the
// recall within that loss, it returns the bias with the best recall among
// those within the loss. It returns the bias and its dev report.
func ChoosePersonBias(m *Model, dev []Sentence, minRecall, maxDrop float64) (float32, Report, error) {
	base, err := evaluateModel(m, dev)
	if err != nil {
		return 0, Report{}, err
	}
	bestB, bestRep := float32(0), base
	for _, b := range []float32{1, 2, 3, 5, 8, 12, 16, 20, 25, 30, 40, 50, 60, 80, 100} {
		if bestRep.Persons.Recall() >= minRecall {
			break
		}
		rep, err := evaluateModel(m.WithPersonBias(b), dev)
		if err != nil {
			return 0, Report{}, err
		}
		if base.Micro.F1()-rep.Micro.F1() > maxDrop {
			break
		}
		if rep.Persons.Recall() > bestRep.Persons.Recall() {
			bestB, bestRep = b, rep
		}
	}
	return bestB, bestRep, nil
}
