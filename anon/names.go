// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package anon

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// firstNames are common German first names. The tagger learnt from
// decisions that the courts had already anonymized ("Frau M."), so it finds
// surnames more often than the first names before them; a person span is
// widened to the left over these.
var firstNames = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(`
		Alexander Andreas Anna Anne Annette Barbara Bernd Birgit Brigitte Carsten Christa Christian Christina Christine
		Claudia Daniel Daniela David Dieter Dirk Doris Elisabeth Elke Emma Erika Ernst Eva Felix Frank Franz Friedrich
		Gabriele Georg Gerhard Gisela Günter Günther Hannah Hans Heike Heinz Helga Helmut Herbert Hildegard Holger Horst
		Ingrid Jan Jana Jens Joachim Johann Johannes Jonas Jörg Josef Julia Jürgen Karin Karl Katharina Kerstin Klaus
		Lea Lena Leon Lisa Lukas Manfred Manuela Marco Maria Marie Marina Mario Markus Martin Martina Matthias Max
		Maximilian Melanie Michael Michaela Monika Nadine Nicole Niklas Nina Olaf Oliver Otto Patrick Paul Peter Petra
		Rainer Ralf Renate Rolf Ruth Sabine Sandra Sarah Sebastian Silke Simon Sonja Stefan Stefanie Stephan Susanne
		Sven Thomas Thorsten Tim Tobias Torsten Ursula Ute Uwe Walter Werner Wolfgang Yvonne Ahmet Ali Mehmet Mustafa
		Fatma Ayşe Emine Hatice Ivan Olga Natalia Anastasia Jacqueline Kevin Dennis Marcel Florian Philipp Benjamin
		Jennifer Jessica Vanessa Laura Lara Sophie Sophia Mia Leonie Ben Elias Noah Finn Luca Emil Anton Hermann Kurt
		Heinrich Wilhelm Erich Walter Willi Gertrud Hedwig Irmgard Marianne Waltraud Edith Frieda Rosemarie Inge`) {
		m[n] = true
	}
	return m
}()

// widenFirstNames extends person spans over first names directly before them
// ("Erika Mustermann" where the tagger found only "Mustermann").
func widenFirstNames(text string, spans []Span) {
	for i := range spans {
		s := &spans[i]
		if !IsPerson(s.Kind) {
			continue
		}
		for {
			before := strings.TrimRight(text[:s.Start], " ")
			if len(before) == len(text[:s.Start]) || len(text[:s.Start])-len(before) > 1 {
				break
			}
			j := strings.LastIndexAny(before, " \n\t(„\"") + 1
			if !firstNames[before[j:]] || i > 0 && spans[i-1].End > j {
				break
			}
			s.Start = j
			s.Text = text[s.Start:s.End]
		}
	}
}

// firstNameSpans finds a known first name followed by a capitalized word
// ("Erika Mustermann") in a tokenized sentence: a person, or a judge when a
// judge's office comes just before ("Richterin am Amtsgericht Dr. Sabine
// Weber").
func firstNameSpans(text string, sent []Token) []Span {
	var out []Span
	for j := 0; j+1 < len(sent); j++ {
		if firstNames[sent[j].Text] && isNameWord(sent[j+1].Text) && sent[j+1].Start-sent[j].End <= 2 {
			a, b := sent[j].Start, sent[j+1].End
			kind := Person
			if judgeContext(sent, j) {
				kind = Judge
			}
			out = append(out, Span{Start: a, End: b, Kind: kind, Text: text[a:b], Source: "rule"})
		}
	}
	return out
}

// isNameWord reports whether w looks like a surname: a capital followed by
// lower-case letters, hyphenated parts allowed ("Müller-Lüdenscheidt").
func isNameWord(w string) bool {
	for _, part := range strings.Split(w, "-") {
		r, n := utf8.DecodeRuneInString(part)
		if n == 0 || !unicode.IsUpper(r) || n == len(part) {
			return false
		}
		for _, c := range part[n:] {
			if !unicode.IsLower(c) {
				return false
			}
		}
	}
	return true
}

// roleWords are forms of address, titles and roles that a person span may
// start with but that name nobody ("Zeugin Weber" → "Zeugin C.").
var roleWords = map[string]bool{
	"Herr": true, "Herrn": true, "Frau": true, "Fräulein": true, "Dr.": true, "Prof.": true,
	"Zeuge": true, "Zeugen": true, "Zeugin": true, "Kläger": true, "Klägerin": true, "Klägers": true,
	"Beklagte": true, "Beklagter": true, "Beklagten": true, "Rechtsanwalt": true, "Rechtsanwältin": true,
	"Richter": true, "Richterin": true, "Arbeitnehmer": true, "Arbeitnehmerin": true,
	"Antragsteller": true, "Antragstellerin": true, "Sachverständige": true, "Sachverständiger": true,
}

// trimRoleWords moves the start of person spans past leading role words.
func trimRoleWords(text string, spans []Span) {
	for i := range spans {
		s := &spans[i]
		if !IsPerson(s.Kind) {
			continue
		}
		for {
			j := strings.IndexAny(s.Text, " \t\n")
			if j < 0 || !roleWords[s.Text[:j]] {
				break
			}
			k := j
			for k < len(s.Text) && (s.Text[k] == ' ' || s.Text[k] == '\t' || s.Text[k] == '\n') {
				k++
			}
			s.Start += k
			s.Text = text[s.Start:s.End]
		}
	}
}
