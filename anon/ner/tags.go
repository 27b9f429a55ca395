// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package ner

import "strings"

// Classes returns the 19 fine entity classes of the German LER corpus, in
// the order of the corpus README.
func Classes() []string {
	return []string{"PER", "RR", "AN", "LD", "ST", "STR", "LDS", "ORG", "UN", "INN", "GRT", "MRK", "GS", "VO", "EUN", "VS", "VT", "RS", "LIT"}
}

// CoarseClasses returns the 7 coarse classes, in the order of the corpus
// README.
func CoarseClasses() []string {
	return []string{"PER", "LOC", "ORG", "NRM", "REG", "RS", "LIT"}
}

// Coarse maps a fine class to its coarse class; an unknown class maps to
// itself.
func Coarse(class string) string {
	switch class {
	case "PER", "RR", "AN":
		return "PER"
	case "LD", "ST", "STR", "LDS":
		return "LOC"
	case "ORG", "UN", "INN", "GRT", "MRK":
		return "ORG"
	case "GS", "VO", "EUN":
		return "NRM"
	case "VS", "VT":
		return "REG"
	}
	return class
}

// CoarseTag maps a BIO tag to the same tag with the coarse class ("B-RR" →
// "B-PER"); "O" stays.
func CoarseTag(tag string) string {
	p, c := splitTag(tag)
	if c == "" {
		return tag
	}
	return p + "-" + Coarse(c)
}

// splitTag splits "B-PER" into "B" and "PER"; "O" and anything without a
// dash give (tag, "").
func splitTag(tag string) (prefix, class string) {
	i := strings.IndexByte(tag, '-')
	if i < 0 {
		return tag, ""
	}
	return tag[:i], tag[i+1:]
}

// labelSet is the model's output alphabet: "O", then B-X and I-X per class.
type labelSet struct {
	names  []string
	index  map[string]int
	class  []int  // class index per label, -1 for O
	inside []bool // label is I-X
}

func newLabelSet(classes []string) *labelSet {
	ls := &labelSet{names: []string{"O"}, index: map[string]int{"O": 0}, class: []int{-1}, inside: []bool{false}}
	for ci, c := range classes {
		for _, p := range []string{"B-", "I-"} {
			ls.index[p+c] = len(ls.names)
			ls.names = append(ls.names, p+c)
			ls.class = append(ls.class, ci)
			ls.inside = append(ls.inside, p == "I-")
		}
	}
	return ls
}

// allowed reports whether label b may follow label a in IOB2; a < 0 is the
// sentence start.
func (ls *labelSet) allowed(a, b int) bool {
	if !ls.inside[b] {
		return true
	}
	return a >= 0 && ls.class[a] == ls.class[b]
}
