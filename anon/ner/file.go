// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package ner

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"justizcloud/errs"
)

// The model file is gzip over:
//
//	magic "JCNER\x01", uvarint feature version,
//	uvarint class count, then per class uvarint length + bytes,
//	float32 weight scale, float32 transitions (L*L), start (L) and bias (L),
//	uvarint row count, then per row (ascending feature hash):
//	uvarint hash delta, uvarint non-zero count, per non-zero: label byte and
//	zig-zag varint quantized weight (weight = q * scale).
//
// Weights are quantized to 16 bits; weights that round to zero are dropped.
const magic = "JCNER\x01"

//go:embed model/ler.model.gz
var embedded []byte

// Default decodes the model embedded in the binary: trained on the LER train
// part with the person bias chosen on dev (see docs/anonymization.md). Each call
// decodes anew; keep the result.
func Default() (*Model, error) {
	m, err := Load(bytes.NewReader(embedded))
	if err != nil {
		return nil, fmt.Errorf("embedded model: %w", err)
	}
	return m, nil
}

// Save writes the model in its compressed file format.
func (m *Model) Save(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	bw := bufio.NewWriter(zw)
	var tmp [binary.MaxVarintLen64]byte
	uv := func(x uint64) { bw.Write(tmp[:binary.PutUvarint(tmp[:], x)]) }
	f32 := func(x float32) { binary.Write(bw, binary.LittleEndian, x) }
	bw.WriteString(magic)
	uv(featureVersion)
	classes := m.classes()
	uv(uint64(len(classes)))
	for _, c := range classes {
		uv(uint64(len(c)))
		bw.WriteString(c)
	}
	var maxAbs float32
	for _, p := range m.feats.pairs {
		maxAbs = max(maxAbs, float32(math.Abs(float64(p.w))))
	}
	scale := maxAbs / 32767
	if scale == 0 {
		scale = 1
	}
	f32(scale)
	for _, s := range [][]float32{m.trans, m.start, m.bias} {
		for _, x := range s {
			f32(x)
		}
	}
	var ents []entry
	for _, e := range m.feats.entries {
		if e.key != 0 {
			ents = append(ents, e)
		}
	}
	slices.SortFunc(ents, func(a, b entry) int { return cmp.Compare(a.key, b.key) })
	uv(uint64(len(ents)))
	var prev uint64
	var nz []byte
	var qs []int64
	for _, e := range ents {
		nz, qs = nz[:0], qs[:0]
		for _, p := range m.feats.pairs[e.start : e.start+e.n] {
			if q := int64(math.Round(float64(p.w / scale))); q != 0 {
				nz = append(nz, byte(p.y))
				qs = append(qs, q)
			}
		}
		uv(e.key - prev)
		prev = e.key
		uv(uint64(len(nz)))
		for i := range nz {
			bw.WriteByte(nz[i])
			bw.Write(tmp[:binary.PutVarint(tmp[:], qs[i])])
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	return nil
}

func (m *Model) classes() []string {
	var out []string
	for i, name := range m.labels.names {
		if i > 0 && !m.labels.inside[i] {
			out = append(out, name[2:])
		}
	}
	return out
}

// Load reads a model written by Save. A file that is not a model, or was made
// with other feature templates, is an error wrapping errs.ErrInvalid.
func Load(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("load model: %w: %w", errs.ErrInvalid, err)
	}
	defer zr.Close()
	br := bufio.NewReaderSize(zr, 1<<16)
	bad := func(what string, err error) error {
		if err == nil {
			err = errors.New("out of range")
		}
		return fmt.Errorf("load model: %s: %w: %w", what, errs.ErrInvalid, err)
	}
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != magic {
		return nil, bad("magic", err)
	}
	v, err := binary.ReadUvarint(br)
	if err != nil {
		return nil, bad("version", err)
	}
	if v != featureVersion {
		return nil, fmt.Errorf("load model: feature version %d, this build has %d: %w", v, featureVersion, errs.ErrInvalid)
	}
	nc, err := binary.ReadUvarint(br)
	if err != nil || nc == 0 || nc > 100 {
		return nil, bad("class count", err)
	}
	classes := make([]string, nc)
	for i := range classes {
		n, err := binary.ReadUvarint(br)
		if err != nil || n == 0 || n > 32 {
			return nil, bad("class name", err)
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(br, b); err != nil {
			return nil, bad("class name", err)
		}
		classes[i] = string(b)
	}
	m := newModel(classes)
	L := len(m.labels.names)
	var scale float32
	if err := binary.Read(br, binary.LittleEndian, &scale); err != nil {
		return nil, bad("scale", err)
	}
	for _, s := range [][]float32{m.trans, m.start, m.bias} {
		if err := binary.Read(br, binary.LittleEndian, s); err != nil {
			return nil, bad("transitions", err)
		}
	}
	nr, err := binary.ReadUvarint(br)
	if err != nil || nr > 1<<26 {
		return nil, bad("row count", err)
	}
	m.feats = newTable(int(nr))
	row := make([]float32, L)
	var f uint64
	for r := 0; r < int(nr); r++ {
		d, err := binary.ReadUvarint(br)
		if err != nil {
			return nil, bad("row", err)
		}
		f += d
		clear(row)
		k, err := binary.ReadUvarint(br)
		if err != nil || k > uint64(L) {
			return nil, bad("row", err)
		}
		for range k {
			y, err := br.ReadByte()
			if err != nil || int(y) >= L {
				return nil, bad("weight", err)
			}
			q, err := binary.ReadVarint(br)
			if err != nil {
				return nil, bad("weight", err)
			}
			row[y] = float32(q) * scale
		}
		m.feats.add(f, row, 0)
	}
	return m, nil
}
