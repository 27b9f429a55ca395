// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package veroeffentlichung

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"justizcloud/akte"
	"justizcloud/anon"
	"justizcloud/authz"
	"justizcloud/errs"
)

// Apply returns the text as it would be published, with every span and
// its replacement (anon.Apply: the same letters and placeholders as the
// pseudonymizer's).
func (r Review) Apply() (anon.Result, error) {
	spans := make([]anon.Span, len(r.Spans))
	for i, m := range r.Spans {
		spans[i] = anon.Span{Start: m.Start, End: m.End, Kind: m.Kind, Source: m.Source}
	}
	return anon.Apply(r.Text, spans, func(i int) bool { return r.Spans[i].Replace })
}

// addSpans marks every occurrence of sub in text as a span of kind to
// anonymize; spans it overlaps merge into it.
func addSpans(text string, spans []Mark, sub string, kind anon.Kind) ([]Mark, error) {
	if !slices.Contains(anon.AllKinds(), kind) {
		return nil, fmt.Errorf("%w: unknown kind %q", errs.ErrInvalid, kind)
	}
	if !utf8.ValidString(sub) {
		return nil, fmt.Errorf("%w: the text to add is not valid UTF-8", errs.ErrInvalid)
	}
	if len(sub) > maxAddText {
		return nil, fmt.Errorf("%w: the text to add is longer than %d bytes", errs.ErrInvalid, maxAddText)
	}
	occ := occurrences(text, sub)
	if len(occ) == 0 {
		return nil, ErrNotInText
	}
	for _, o := range occ {
		m := Mark{Start: o[0], End: o[1], Kind: kind, Source: SourceReviewer, Replace: true}
		out := make([]Mark, 0, len(spans)+1)
		for _, x := range spans {
			if x.End <= m.Start || x.Start >= m.End {
				out = append(out, x)
				continue
			}
			m.Start, m.End = min(m.Start, x.Start), max(m.End, x.End)
		}
		out = append(out, m)
		slices.SortFunc(out, func(a, b Mark) int { return a.Start - b.Start })
		spans = out
	}
	return spans, nil
}

// occurrences returns the byte ranges where sub's words occur in text as
// whole words, with any white space between them (a name broken over two
// lines is found), in text order.
func occurrences(text, sub string) [][2]int {
	words := strings.Fields(sub)
	if len(words) == 0 {
		return nil
	}
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	re, err := regexp.Compile(strings.Join(words, `\s+`))
	if err != nil { // invalid UTF-8: it occurs nowhere in a text
		return nil
	}
	var out [][2]int
	for _, loc := range re.FindAllStringIndex(text, -1) {
		if wordAt(text, loc[0], -1) || wordAt(text, loc[1], +1) {
			continue
		}
		out = append(out, [2]int{loc[0], loc[1]})
	}
	return out
}

// wordAt reports whether the character just before (dir -1) or at (dir +1)
// byte i of text is a letter or digit that continues a word across i.
func wordAt(text string, i, dir int) bool {
	var r rune
	if dir < 0 {
		if i == 0 {
			return false
		}
		r, _ = utf8.DecodeLastRuneInString(text[:i])
	} else {
		if i >= len(text) {
			return false
		}
		r, _ = utf8.DecodeRuneInString(text[i:])
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// leaked returns the texts of anonymized spans (and, of persons, their
// surnames) that still occur in the text outside the anonymized spans:
// an occurrence the review left unmarked or rejected. An occurrence within
// a kept span of another class is no leak ("München" in the kept court
// name "Amtsgericht München"); persons (PER, RR, AN) are one class.
func leaked(r Review) []string {
	var out []string
	for _, s := range r.Spans {
		if !s.Replace {
			continue
		}
		t := strings.Join(strings.Fields(r.Text[s.Start:s.End]), " ")
		cands := []string{t}
		if anon.IsPerson(s.Kind) {
			f := strings.Fields(t)
			if last := strings.TrimRight(f[len(f)-1], ".,;:"); utf8.RuneCountInString(last) >= 3 && last != t {
				cands = append(cands, last)
			}
		}
		for _, c := range cands {
			if slices.Contains(out, c) {
				continue
			}
			for _, o := range occurrences(r.Text, c) {
				if !covered(r.Spans, o, s.Kind) {
					out = append(out, c)
					break
				}
			}
		}
	}
	return out
}

// covered reports whether occurrence o of a text of kind k lies within an
// anonymized span or a kept span of another class.
func covered(spans []Mark, o [2]int, k anon.Kind) bool {
	for _, x := range spans {
		if x.Start <= o[0] && o[1] <= x.End && (x.Replace || class(x.Kind) != class(k)) {
			return true
		}
	}
	return false
}

func class(k anon.Kind) anon.Kind {
	if anon.IsPerson(k) {
		return anon.Person
	}
	return k
}

// recordJSON is the anonymization record: what was anonymized by which
// rule, by whom, when. It holds no personal data: the spans' texts only as
// SHA-256.
type recordJSON struct {
	Publication    ID             `json:"publication"`
	Tenant         string         `json:"tenant"`
	Court          string         `json:"court"`
	Case           string         `json:"case"`
	Document       string         `json:"document"`
	DocumentSHA256 string         `json:"document_sha256"`
	Version        int            `json:"version"`
	ApprovedBy     string         `json:"approved_by"`
	Role           string         `json:"role"`
	PublishedAt    string         `json:"published_at"`
	TextSHA256     string         `json:"text_sha256"`
	Anonymized     map[string]int `json:"anonymized"` // per kind
	Kept           map[string]int `json:"kept"`       // suggestions kept, per kind
	Added          int            `json:"added"`      // spans added by the reviewer
	Spans          []spanRecord   `json:"spans"`
}

type spanRecord struct {
	Start      int    `json:"start"`
	End        int    `json:"end"`
	Kind       string `json:"kind"`
	Source     string `json:"source"`
	Anonymized bool   `json:"anonymized"`
	SHA256     string `json:"sha256"` // of the span's original text
}

// record encodes the anonymization record of publication p of decision d.
func record(p Publication, d akte.Document, sub authz.Subject, res anon.Result) ([]byte, error) {
	text := sha256.Sum256([]byte(res.Text))
	rec := recordJSON{Publication: p.ID, Tenant: string(p.Tenant), Court: string(p.Court), Case: string(p.Case), Document: string(d.ID),
		DocumentSHA256: hex.EncodeToString(d.SHA256[:]), Version: p.Version, ApprovedBy: p.PublishedBy, Role: string(sub.Role),
		PublishedAt: p.PublishedAt.UTC().Format(time.RFC3339Nano), TextSHA256: hex.EncodeToString(text[:]),
		Anonymized: map[string]int{}, Kept: map[string]int{}, Spans: []spanRecord{}}
	for _, s := range res.Spans {
		h := sha256.Sum256([]byte(s.Text))
		rec.Spans = append(rec.Spans, spanRecord{s.Start, s.End, string(s.Kind), s.Source, s.Replacement != "", hex.EncodeToString(h[:])})
		switch {
		case s.Replacement != "":
			rec.Anonymized[string(s.Kind)]++
		default:
			rec.Kept[string(s.Kind)]++
		}
		if s.Source == SourceReviewer {
			rec.Added++
		}
	}
	return json.Marshal(rec)
}
