// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package ner

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"justizcloud/errs"
)

// Sentence is one sentence of a CoNLL file: its tokens and, when the file has a
// second column, their tags (nil otherwise).
type Sentence struct {
	Tokens []string
	Tags   []string
}

// maxLine bounds one CoNLL line; longer lines are rejected rather than buffered.
const maxLine = 1 << 20

// ReadCoNLL reads sentences in CoNLL layout: one token per line, columns
// separated by tabs or spaces, the first column the token and the last the tag
// (when there are at least two columns), and a blank line between sentences.
// Lines starting with "-DOCSTART-" are skipped. Invalid UTF-8 or overlong lines
// are errors wrapping errs.ErrInvalid, naming the line.
func ReadCoNLL(r io.Reader) ([]Sentence, error) {
	var out []Sentence
	err := ScanCoNLL(r, func(s Sentence) error {
		out = append(out, s)
		return nil
	})
	return out, err
}

// ScanCoNLL is ReadCoNLL calling fn for each sentence as it is read; an error
// from fn stops the scan and is returned.
func ScanCoNLL(r io.Reader, fn func(Sentence) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var cur Sentence
	tagged := -1 // unknown until the first token line
	flush := func() error {
		if len(cur.Tokens) == 0 {
			return nil
		}
		s := cur
		cur = Sentence{}
		return fn(s)
	}
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if !utf8.ValidString(text) {
			return fmt.Errorf("conll line %d: invalid UTF-8: %w", line, errs.ErrInvalid)
		}
		if strings.TrimSpace(text) == "" {
			if err := flush(); err != nil {
				return err
			}
			continue
		}
		if strings.HasPrefix(text, "-DOCSTART-") {
			continue
		}
		// Tabs separate columns when there are any (tokens then may hold
		// spaces); otherwise runs of spaces do, as in the original corpus.
		var fields []string
		if strings.Contains(text, "\t") {
			fields = strings.Split(text, "\t")
			if strings.TrimSpace(fields[0]) == "" {
				return fmt.Errorf("conll line %d: empty token: %w", line, errs.ErrInvalid)
			}
		} else {
			fields = strings.Fields(text)
		}
		hasTag := len(fields) >= 2
		if tagged < 0 {
			tagged = 0
			if hasTag {
				tagged = 1
			}
		}
		cur.Tokens = append(cur.Tokens, fields[0])
		if tagged == 1 {
			tag := "O"
			if hasTag {
				tag = fields[len(fields)-1]
			}
			cur.Tags = append(cur.Tags, tag)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("conll line %d: longer than %d bytes: %w", line+1, maxLine, errs.ErrInvalid)
		}
		return fmt.Errorf("conll: %w", err)
	}
	return flush()
}

// WriteCoNLL writes one "token<TAB>tag" line per token and a blank line after
// each sentence. tags[i] must have the length of sents[i].Tokens.
func WriteCoNLL(w io.Writer, sents []Sentence, tags [][]string) error {
	bw := bufio.NewWriter(w)
	for i, s := range sents {
		if len(tags[i]) != len(s.Tokens) {
			return fmt.Errorf("conll sentence %d: %d tags for %d tokens: %w", i+1, len(tags[i]), len(s.Tokens), errs.ErrInvalid)
		}
		for j, tok := range s.Tokens {
			bw.WriteString(tok)
			bw.WriteByte('\t')
			bw.WriteString(tags[i][j])
			bw.WriteByte('\n')
		}
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("conll: %w", err)
	}
	return nil
}
