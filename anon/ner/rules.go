// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package ner

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Rules applied after decoding, for patterns so regular in the training data
// that a rule is more reliable than the weights learnt from their few
// examples. Their precision was checked on train.conll, not on dev:
//
//   - A lone capital ("N", "K.") right after a word naming a person's role
//     ("Arbeitnehmers N", "Herrn K.") is a person: 137 of 143 such tokens in
//     train are B-PER.
//   - A lone capital right after "in" or "aus" is a place ("wohnhaft in L"):
//     161 of 182 such tokens in train are B-ST. A following "..." (the
//     courts' mark of an abbreviated name) belongs to it.
//   - A person right after a lawyer's title ("Rechtsanwältin S."), or in a
//     list that starts with one ("Rechtsanwälte T., Ts., M. und Dr. T."), is a
//     lawyer (AN), not PER.

// personTriggers are lower-cased role words after which a lone capital is a
// person.
var personTriggers = map[string]bool{
	"herr": true, "herrn": true, "frau": true, "zeuge": true, "zeugen": true, "zeugin": true,
	"arbeitnehmer": true, "arbeitnehmers": true, "arbeitnehmerin": true, "mitarbeiter": true,
	"mitarbeiters": true, "mitarbeiterin": true, "kläger": true, "klägers": true, "klägerin": true,
	"beklagte": true, "beklagten": true, "beigeladene": true, "beigeladenen": true,
	"antragsteller": true, "antragstellers": true, "antragstellerin": true, "betroffene": true,
	"betroffenen": true, "sachverständige": true, "sachverständigen": true, "stammkraft": true,
	"ehemann": true, "ehefrau": true, "sohn": true, "tochter": true, "vater": true, "mutter": true,
	"geschäftsführer": true, "geschäftsführers": true, "geschäftsführerin": true, "eheleute": true,
}

// lawyerTriggers are lower-cased lawyer titles.
var lawyerTriggers = map[string]bool{
	"rechtsanwalt": true, "rechtsanwältin": true, "rechtsanwälte": true, "rechtsanwälten": true,
	"rechtsanwalts": true, "ra": true, "rain": true, "rechtsanwältinnen": true,
}

// loneCapital reports whether w is one capital letter, optionally with a
// full stop.
func loneCapital(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) && (n == len(w) || w[n:] == ".")
}

// applyRules rewrites a decoded label path in place.
func (m *Model) applyRules(tokens []string, path []int) {
	ls := m.labels
	bPER, okP := ls.index["B-PER"]
	bAN, okA := ls.index["B-AN"]
	if !okP || !okA {
		return
	}
	bST, okS := ls.index["B-ST"]
	for i := 1; i < len(tokens); i++ {
		if path[i] == 0 && loneCapital(tokens[i]) && personTriggers[strings.ToLower(tokens[i-1])] {
			path[i] = bPER
		}
		// A place after "in"/"aus", unless the weights found another entity
		// than a one-token person there.
		if !okS || !loneCapital(tokens[i]) || tokens[i-1] != "in" && tokens[i-1] != "aus" {
			continue
		}
		dots := i+1 < len(tokens) && (tokens[i+1] == "..." || tokens[i+1] == "…")
		nextInside := i+1 < len(tokens) && path[i+1] == bPER+1
		if path[i] == 0 || path[i] == bPER && (!nextInside || dots && (i+2 == len(tokens) || path[i+2] != bPER+1)) {
			path[i] = bST
			if dots && (path[i+1] == 0 || path[i+1] == bPER+1) {
				path[i+1] = bST + 1
			}
		}
	}
	// Relabel PER spans after a lawyer's title, and the rest of their list.
	lawyerList := false
	for i := 0; i < len(tokens); i++ {
		w := tokens[i]
		switch {
		case lawyerTriggers[strings.ToLower(w)]:
			lawyerList = true
		case path[i] == bPER && lawyerList:
			path[i] = bAN
			for j := i + 1; j < len(tokens) && path[j] == bPER+1; j++ {
				path[j] = bAN + 1
			}
		case path[i] == bAN || path[i] == bAN+1 || path[i] == bPER+1:
		case w == "," || w == "und" || w == "sowie" || w == "Dr." || w == "Prof.":
		default:
			lawyerList = false
		}
	}
}
