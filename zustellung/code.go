// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package zustellung

import (
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"time"

	"justizcloud/errs"
	"justizcloud/tenancy"
)

// An access code is the tenant's two letters and 16 characters of
// Crockford's base32 (80 bits from crypto/rand) in groups of four:
// "BY-7K3M-Q9TX-2HRD-WN4E". Reading it back is forgiving as Crockford
// intends: case, spaces and hyphens do not matter, O reads as 0 and I, L as 1.
const (
	codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	codeLen      = 16 // characters after the prefix: 80 bits
)

// newCode returns a fresh access code for tenant t.
func newCode(t tenancy.ID) (string, error) {
	var b [10]byte // 80 bits
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("access code: %w", err)
	}
	var sb strings.Builder
	sb.WriteString(codePrefix(t))
	var acc uint64
	bits := 0
	n := 0
	for _, x := range b {
		acc = acc<<8 | uint64(x)
		bits += 8
		for bits >= 5 {
			bits -= 5
			if n%4 == 0 {
				sb.WriteByte('-')
			}
			sb.WriteByte(codeAlphabet[(acc>>bits)&31])
			n++
		}
	}
	return sb.String(), nil
}

// codePrefix is the part of a code that names the tenant: "BY" for DE-BY,
// "DE" for the Bund.
func codePrefix(t tenancy.ID) string {
	if p, ok := strings.CutPrefix(string(t), "DE-"); ok {
		return p
	}
	return string(t)
}

// parseCode reads a code as typed and returns its tenant and canonical
// form; anything that cannot be a code is errs.ErrInvalid.
func parseCode(s string) (tenancy.ID, string, error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case ' ', '-', '\t':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		b.WriteRune(r)
	}
	c := b.String()
	if len(c) != 2+codeLen {
		return "", "", fmt.Errorf("%w: field \"code\": an access code has two letters and 16 characters", errs.ErrInvalid)
	}
	prefix, body := c[:2], c[2:]
	for _, r := range prefix {
		if r < 'A' || r > 'Z' {
			return "", "", fmt.Errorf("%w: field \"code\": an access code starts with two letters", errs.ErrInvalid)
		}
	}
	for _, r := range body {
		if !strings.ContainsRune(codeAlphabet, r) {
			return "", "", fmt.Errorf("%w: field \"code\": %q is not a character of an access code", errs.ErrInvalid, r)
		}
	}
	t := tenancy.ID("DE-" + prefix)
	if prefix == "DE" {
		t = "DE"
	}
	if _, err := tenancy.Parse(string(t)); err != nil {
		return "", "", fmt.Errorf("%w: field \"code\": %s is not the code of a Land", errs.ErrInvalid, prefix)
	}
	return t, prefix + "-" + body[0:4] + "-" + body[4:8] + "-" + body[8:12] + "-" + body[12:16], nil
}

// CodeTenant returns the tenant whose code s would be (by its prefix),
// whether or not such a code exists; false for what cannot be a code. The
// API files failed redemptions in that tenant's audit log.
func CodeTenant(s string) (tenancy.ID, bool) {
	t, _, err := parseCode(s)
	return t, err == nil
}

// codeHash is what the store keeps of a canonical code.
func codeHash(canonical string) [32]byte {
	return sha256.Sum256([]byte("justizcloud-zustellung-code/v1\n" + canonical))
}

// TooManyAttemptsError refuses a redemption after too many failed ones of
// the same user or client; the API answers 429 with Retry-After.
type TooManyAttemptsError struct{ RetryAfter time.Duration }

func (e *TooManyAttemptsError) Error() string {
	return fmt.Sprintf("too many failed access code redemptions; try again in %s", e.RetryAfter.Round(time.Second))
}

// Unwrap makes the error a refusal for callers that do not know the type.
func (e *TooManyAttemptsError) Unwrap() error { return errs.ErrForbidden }

// limiter counts failed attempts per key within a sliding window. It is
// per process: with several replicas, each allows max failures per key.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, fails: map[string][]time.Time{}}
}

// wait is how long the keys are still locked out; 0: not locked.
func (l *limiter) wait(now time.Time, keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var w time.Duration
	for _, k := range keys {
		ts := l.recent(now, k)
		if len(ts) >= l.max {
			if d := ts[len(ts)-l.max].Add(l.window).Sub(now); d > w {
				w = d
			}
		}
	}
	return w
}

// fail records a failed attempt for every key.
func (l *limiter) fail(now time.Time, keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) > 100_000 { // bound memory under a flood of distinct keys
		for k := range l.fails {
			if len(l.recent(now, k)) == 0 {
				delete(l.fails, k)
			}
		}
	}
	for _, k := range keys {
		l.fails[k] = append(l.recent(now, k), now)
	}
}

// recent drops the attempts of k older than the window; l.mu is held.
func (l *limiter) recent(now time.Time, k string) []time.Time {
	ts := l.fails[k]
	i := 0
	for i < len(ts) && !ts[i].Add(l.window).After(now) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, k)
		return nil
	}
	l.fails[k] = ts
	return ts
}
