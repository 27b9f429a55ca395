// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package interview

import (
	"fmt"
	"math/big"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"justizcloud/fluggast"
	"justizcloud/kosten"
	"justizcloud/tenancy"
)

// berlin is the time zone of "today" for date rules.
var berlin = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Berlin"); err == nil {
		return loc
	}
	return time.FixedZone("CET", 3600) // without tzdata; off by an hour in summer
}()

func kostenString(cents int64) string { return kosten.Cents(cents).String() }

// maxDigits bounds numbers and amounts, far below int64 overflow.
const maxDigits = 15

var (
	moneyDE    = regexp.MustCompile(`^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$`)
	moneyDot   = regexp.MustCompile(`^(\d+)\.(\d{1,2})$`)
	numberRE   = regexp.MustCompile(`^-?(\d{1,3}(?:\.\d{3})+|\d+)$`)
	dateDE     = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{4})$`)
	dateISO    = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
	ibanRE     = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$`)
	airportTag = regexp.MustCompile(`\(([A-Za-z]{3})\)\s*$`)
)

// parseMoney parses a euro amount as people write it: "1.250,50", "1250,5",
// "1250", "1.250" (thousands), "1250.50" (a decimal point when one or two
// digits follow it), with or without "€" or "EUR". It returns cents.
func parseMoney(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "€"), "EUR")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "€"), "EUR")
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	var euros, cents string
	if m := moneyDE.FindStringSubmatch(s); m != nil {
		euros, cents = strings.ReplaceAll(m[1], ".", ""), m[2]
	} else if m := moneyDot.FindStringSubmatch(s); m != nil {
		euros, cents = m[1], m[2]
	} else {
		return 0, false
	}
	euros = strings.TrimLeft(euros, "0")
	if len(euros) > maxDigits {
		return 0, false
	}
	if len(cents) == 1 {
		cents += "0"
	}
	e, _ := strconv.ParseInt("0"+euros, 10, 64)
	c, _ := strconv.ParseInt("0"+cents, 10, 64)
	return e*100 + c, true
}

// parseNumber parses a whole number, with "." as thousands separator.
func parseNumber(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if !numberRE.MatchString(s) {
		return 0, false
	}
	s = strings.ReplaceAll(s, ".", "")
	if len(strings.TrimLeft(strings.TrimPrefix(s, "-"), "0")) > maxDigits {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// parseDate parses "24.12.2025", "1.3.2026" or the ISO form an HTML date
// input sends, "2025-12-24", and checks that the day exists.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	var y, m, d int
	if p := dateDE.FindStringSubmatch(s); p != nil {
		d, _ = strconv.Atoi(p[1])
		m, _ = strconv.Atoi(p[2])
		y, _ = strconv.Atoi(p[3])
	} else if p := dateISO.FindStringSubmatch(s); p != nil {
		y, _ = strconv.Atoi(p[1])
		m, _ = strconv.Atoi(p[2])
		d, _ = strconv.Atoi(p[3])
	} else {
		return time.Time{}, false
	}
	if y < 1900 || y > 2200 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// parseEmail accepts a bare address with a dotted domain.
func parseEmail(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 254 {
		return "", false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", false
	}
	return s, true
}

// ibanLengths are the IBAN lengths of the SEPA countries (ISO 13616, SWIFT
// IBAN registry); other countries are checked by the general form and the
// check digits only.
var ibanLengths = map[string]int{
	"AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20,
	"ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26,
	"IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28,
	"PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22,
}

// parseIBAN returns the IBAN without spaces in upper case, whether it has
// the form of an IBAN, and whether its check digits are right (ISO 13616:
// mod 97 = 1).
func parseIBAN(s string) (iban string, form, check bool) {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if !ibanRE.MatchString(s) {
		return s, false, false
	}
	if n, ok := ibanLengths[s[:2]]; ok && len(s) != n {
		return s, false, false
	}
	var digits strings.Builder
	for _, r := range s[4:] + s[:4] {
		if r >= 'A' && r <= 'Z' {
			digits.WriteString(strconv.Itoa(int(r-'A') + 10))
		} else {
			digits.WriteRune(r)
		}
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	return s, true, new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// parseAirport accepts an IATA code or a list label ending in "(FRA)".
func parseAirport(s string) (fluggast.Airport, bool) {
	s = strings.TrimSpace(s)
	if m := airportTag.FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	if len(s) != 3 {
		return fluggast.Airport{}, false
	}
	a, err := fluggast.Lookup(s)
	return a, err == nil
}

// cleanText checks text input: valid UTF-8 and no control characters but
// newlines and tabs in a textarea.
func cleanText(s string, multiline bool) (string, bool) {
	if !utf8.ValidString(s) {
		return "", false
	}
	if multiline {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')) {
			return "", false
		}
	}
	return strings.TrimSpace(s), true
}

// Display returns the German display form of a canonical value of the
// field: "1.234,50 €", "24.12.2025", "Ja", the option's label, the
// court's name. An unparsable value is returned as it is. For text-like
// inputs (text, number, money, date, email, IBAN, airport) the display
// form is accepted as input again, so pages prefill inputs with it.
func (d *Definition) Display(id, value string) string {
	if f, ok := d.fields[id]; ok {
		return d.display(f.Type, f.Options, value)
	}
	if c, ok := d.comps[id]; ok {
		return d.display(c.Type, nil, value)
	}
	return value
}

func (d *Definition) display(t Type, opts []Option, v string) string {
	switch t {
	case Money:
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return kosten.Cents(n).String()
		}
	case Number:
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return groupThousands(n)
		}
	case Date:
		if t, err := time.Parse(time.DateOnly, v); err == nil {
			return t.Format("02.01.2006")
		}
	case Checkbox:
		switch v {
		case "true":
			return "Ja"
		case "false":
			return "Nein"
		}
	case Select, Radio:
		for _, o := range opts {
			if o.Value == v {
				return o.Label
			}
		}
	case IBAN:
		var b strings.Builder
		for i, r := range v {
			if i > 0 && i%4 == 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
		}
		return b.String()
	case Court, Courts:
		var names []string
		for _, id := range strings.Fields(v) {
			names = append(names, d.courtName(id))
		}
		return strings.Join(names, ", ")
	case Airport:
		if a, err := fluggast.Lookup(v); err == nil {
			return fmt.Sprintf("%s (%s)", a.Name, a.IATA)
		}
	}
	return v
}

func (d *Definition) courtName(id string) string {
	if d.courts != nil {
		if c, ok := d.courts.Court(tenancy.CourtID(id)); ok {
			return c.Name
		}
	}
	return id
}

func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// humanSize formats a byte count for messages: "10 MB".
func humanSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d Bytes", n)
}

// typeNames are the names of content types in messages.
var typeNames = map[string]string{
	"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG", "image/tiff": "TIFF",
	"text/plain": "Text", "application/xml": "XML",
}

func typeName(ct string) string {
	if n, ok := typeNames[ct]; ok {
		return n
	}
	return ct
}
