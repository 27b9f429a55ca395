// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package ner

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// featureVersion names the feature templates below. A model records it, and
// loading a model made with other templates fails instead of tagging badly.
const featureVersion = 3

// Feature templates. Each feature is the FNV-1a hash of its template number
// and its string parts; the model maps hashes it saw in training to weight rows
// and ignores all others.
const (
	fBias = iota
	fWord
	fLower
	fPrev1
	fNext1
	fPrev2
	fNext2
	fPrev3
	fNext3
	fPrefix // + length 1..4
	fSuffix = fPrefix + 4
	fShape  = fSuffix + 4
	fShort
	fShapePrev
	fShapeNext
	fShapeBigramL
	fShapeBigramR
	fBigramL
	fBigramR
	fBigramL2
	fBigramR2
	fPrevWordShape
	fShapeNextWord
	fSuffixPrev
	fSuffixNext
	fShortWindow
	fFlags
	fFirst
	fLast
	fInParens
	fAround
	fNextHead
	fPrevHead
	fNextHeadSuffix
	fCompoundHead
	fCompoundTail
	fSuffix5
	fWordNextHead
	fUpperTail
	fUpperTailHead
)

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashStart(tmpl int) uint64 {
	return (fnvOffset ^ uint64(tmpl)) * fnvPrime
}

func hashAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	// A separator, so that ("ab","c") and ("a","bc") differ.
	h ^= 0xff
	h *= fnvPrime
	return h
}

func feat1(tmpl int, a string) uint64 { return hashAdd(hashStart(tmpl), a) }

func feat2(tmpl int, a, b string) uint64 { return hashAdd(hashAdd(hashStart(tmpl), a), b) }

// tokenView is what the templates look at for one token.
type tokenView struct {
	word, lower, shape, short string
}

// sentenceView holds the token views of a sentence with two pads on each
// side, so templates never check bounds.
type sentenceView struct {
	toks   []tokenView
	parens []bool
	// nextHead and prevHead hold, per token, the index (into toks) of the
	// nearest content word after and before it: the law's abbreviation
	// that closes "§ 6 Abs. 1 Satz 2 WO", the court before a date.
	nextHead, prevHead []int
}

// isFiller reports whether a lower-cased token is a number, punctuation or
// one of the structural words inside norm and case citations.
func isFiller(lower string) bool {
	switch lower {
	case "§", "§§", "abs.", "abs", "satz", "nr.", "nr", "s.", "art.", "art", "buchst.", "und", "bis", "ff.", "f.", "i.", "v.", "m.", "ivm.", "ivm", "rn.", "rdnr", "rdnr.", "-", ",", "(", ")", "<", ">", "vom", "alt.", "halbsatz", "hs.", "lit.", "unterabs.", "anh.", "anl.":
		return true
	}
	for _, r := range lower {
		if r >= '0' && r <= '9' {
			return true
		}
	}
	return false
}

const pad = 3

var (
	boundaryBefore = tokenView{"<S>", "<s>", "<S>", "<S>"}
	boundaryAfter  = tokenView{"</S>", "</s>", "</S>", "</S>"}
)

func (v *sentenceView) reset(tokens []string) {
	v.toks = v.toks[:0]
	for range pad {
		v.toks = append(v.toks, boundaryBefore)
	}
	depth := 0
	v.parens = v.parens[:0]
	for _, t := range tokens {
		v.toks = append(v.toks, tokenView{word: t, lower: strings.ToLower(t), shape: shape(t, false), short: shape(t, true)})
		if t == ")" && depth > 0 {
			depth--
		}
		v.parens = append(v.parens, depth > 0)
		if t == "(" {
			depth++
		}
	}
	for range pad {
		v.toks = append(v.toks, boundaryAfter)
	}
	n := len(v.toks)
	v.nextHead = slices.Grow(v.nextHead[:0], n)[:n]
	v.prevHead = slices.Grow(v.prevHead[:0], n)[:n]
	next := n - 1
	for k := n - 1; k >= 0; k-- {
		v.nextHead[k] = next
		if k+next > 0 && (k < pad || k >= n-pad || !isFiller(v.toks[k].lower)) {
			next = k
		}
	}
	prev := 0
	for k := 0; k < n; k++ {
		v.prevHead[k] = prev
		if k >= n-pad || k < pad || !isFiller(v.toks[k].lower) {
			prev = k
		}
	}
}

// shape maps letters to X/x, digits to d and keeps other characters; short
// collapses runs of the same class ("Xxxxx" → "Xx"). Long shapes are cut.
func shape(s string, short bool) string {
	var b [32]byte
	n := 0
	var last byte
	for _, r := range s {
		var c byte
		switch {
		case r >= '0' && r <= '9':
			c = 'd'
		case unicode.IsUpper(r):
			c = 'X'
		case unicode.IsLetter(r):
			c = 'x'
		case r < utf8.RuneSelf:
			c = byte(r)
		case r == '§':
			c = 'S'
		default:
			c = '*'
		}
		if short && c == last {
			continue
		}
		last = c
		if n == len(b) {
			break
		}
		b[n] = c
		n++
	}
	return string(b[:n])
}

// flags summarizes character classes and length of a word in a short string.
func flags(w string) string {
	var b [6]byte
	n := len([]rune(w))
	switch {
	case n == 1:
		b[0] = '1'
	case n <= 3:
		b[0] = '3'
	case n <= 6:
		b[0] = '6'
	default:
		b[0] = 'L'
	}
	b[1], b[2], b[3], b[4], b[5] = '-', '-', '-', '-', '-'
	first := true
	for _, r := range w {
		if first && unicode.IsUpper(r) {
			b[1] = 'C'
		}
		first = false
		switch {
		case unicode.IsDigit(r):
			b[2] = 'D'
		case r == '/' || r == '-':
			b[3] = '/'
		case r == '.':
			b[4] = '.'
		case r == '§' || r == '&':
			b[5] = '§'
		}
	}
	return string(b[:])
}

// features appends the feature hashes of token i (0-based) to dst.
func (v *sentenceView) features(dst []uint64, i int) []uint64 {
	k := i + pad
	t := &v.toks[k]
	p1, p2, p3 := &v.toks[k-1], &v.toks[k-2], &v.toks[k-3]
	n1, n2, n3 := &v.toks[k+1], &v.toks[k+2], &v.toks[k+3]
	dst = append(dst,
		hashStart(fBias),
		feat1(fWord, t.word),
		feat1(fLower, t.lower),
		feat1(fPrev1, p1.lower),
		feat1(fNext1, n1.lower),
		feat1(fPrev2, p2.lower),
		feat1(fNext2, n2.lower),
		feat1(fPrev3, p3.lower),
		feat1(fNext3, n3.lower),
		feat1(fShape, t.shape),
		feat1(fShort, t.short),
		feat1(fShapePrev, p1.short),
		feat1(fShapeNext, n1.short),
		feat2(fShapeBigramL, p1.short, t.short),
		feat2(fShapeBigramR, t.short, n1.short),
		feat2(fBigramL, p1.lower, t.lower),
		feat2(fBigramR, t.lower, n1.lower),
		feat2(fBigramL2, p2.lower, p1.lower),
		feat2(fBigramR2, n1.lower, n2.lower),
		feat2(fPrevWordShape, p1.lower, t.short),
		feat2(fShapeNextWord, t.short, n1.lower),
		feat1(fSuffixPrev, suffix(p1.lower, 3)),
		feat1(fSuffixNext, suffix(n1.lower, 3)),
		hashAdd(hashAdd(hashAdd(hashAdd(feat1(fShortWindow, p2.short), p1.short), t.short), n1.short), n2.short),
		feat1(fFlags, flags(t.word)),
		feat2(fAround, p1.lower, n1.lower),
		feat1(fNextHead, v.toks[v.nextHead[k]].lower),
		feat1(fPrevHead, v.toks[v.prevHead[k]].lower),
		feat1(fNextHeadSuffix, suffix(v.toks[v.nextHead[k]].lower, 3)),
		feat2(fWordNextHead, t.short, v.toks[v.nextHead[k]].word),
	)
	if s := suffix(t.lower, 5); s != "" {
		dst = append(dst, feat1(fSuffix5, s))
	}
	if u := upperTail(t.word); u != "" {
		dst = append(dst, feat1(fUpperTail, u))
	}
	if u := upperTail(v.toks[v.nextHead[k]].word); u != "" {
		dst = append(dst, feat2(fUpperTailHead, t.short, u))
	}
	if j := strings.LastIndexByte(t.lower, '-'); j > 0 && j < len(t.lower)-1 {
		dst = append(dst, feat1(fCompoundHead, t.lower[:j]), feat1(fCompoundTail, t.lower[j+1:]))
	}
	for l := 1; l <= 4; l++ {
		if p := prefix(t.word, l); p != "" {
			dst = append(dst, feat1(fPrefix+l-1, p))
		}
		if s := suffix(t.lower, l); s != "" {
			dst = append(dst, feat1(fSuffix+l-1, s))
		}
	}
	if i == 0 {
		dst = append(dst, feat1(fFirst, t.short))
	}
	if k+1 == len(v.toks)-pad {
		dst = append(dst, feat1(fLast, t.short))
	}
	if v.parens[i] {
		dst = append(dst, feat1(fInParens, t.short))
	}
	return dst
}

// prefix returns the first n runes of s, or "" if s is not longer than n.
func prefix(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return ""
}

// suffix returns the last n runes of s, or "" if s is not longer than n.
func suffix(s string, n int) string {
	j := len(s)
	for i := 0; i < n; i++ {
		if j == 0 {
			return ""
		}
		_, size := utf8.DecodeLastRuneInString(s[:j])
		j -= size
	}
	if j == 0 {
		return ""
	}
	return s[j:]
}

// upperTail returns the run of capitals that ends an abbreviation with at
// least two capitals ("BauNVO" → "NVO", "StVO" → "VO", "SGB" → "SGB"), the
// part that names the kind of norm; "" for other words.
func upperTail(w string) string {
	caps, j := 0, len(w)
	for _, r := range w {
		if unicode.IsUpper(r) {
			caps++
		}
	}
	if caps < 2 {
		return ""
	}
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(w[:j])
		if !unicode.IsUpper(r) {
			break
		}
		j -= size
	}
	if j == len(w) {
		return ""
	}
	return w[j:]
}
