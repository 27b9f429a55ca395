// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestGuardLockout(t *testing.T) {
	c := &fakeClock{time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	g := newGuard(Limits{FailedAuths: 3, FailWindow: 5 * time.Minute, Lockout: 10 * time.Minute}, c.now)
	a, b := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")
	// Failures spread wider than the window never lock.
	for range 5 {
		g.fail(a)
		c.t = c.t.Add(3 * time.Minute)
	}
	if d := g.lockedFor(a); d != 0 {
		t.Fatalf("locked after spread-out failures: %v", d)
	}
	g.fail(a)
	g.fail(a)
	if d := g.lockedFor(a); d != 10*time.Minute {
		t.Fatalf("lockedFor = %v after 3 failures in the window, want 10m", d)
	}
	if d := g.lockedFor(b); d != 0 {
		t.Errorf("another IP is locked too: %v", d)
	}
	c.t = c.t.Add(10 * time.Minute)
	if d := g.lockedFor(a); d != 0 {
		t.Errorf("still locked after the lockout: %v", d)
	}
}

func TestGuardLoginRate(t *testing.T) {
	c := &fakeClock{time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	g := newGuard(Limits{LoginPerMinute: 6}, c.now)
	a := netip.MustParseAddr("2001:db8::1")
	for i := range 6 {
		if ok, _ := g.allowLogin(a); !ok {
			t.Fatalf("request %d refused within the burst", i)
		}
	}
	ok, wait := g.allowLogin(a)
	if ok || wait <= 0 || wait > 10*time.Second {
		t.Fatalf("7th request = %v, wait %v; want refused with a wait of up to 10 s", ok, wait)
	}
	c.t = c.t.Add(10 * time.Second)
	if ok, _ := g.allowLogin(a); !ok {
		t.Errorf("refused after the bucket refilled one token")
	}
	if ok, _ := newGuard(Limits{LoginPerMinute: -1}, c.now).allowLogin(a); !ok {
		t.Errorf("refused without a limit")
	}
}

func TestClientIP(t *testing.T) {
	g := newGuard(Limits{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}, time.Now)
	for _, c := range []struct{ remote, xff, want string }{
		{"192.0.2.9:1234", "198.51.100.1", "192.0.2.9"},               // untrusted peer: its header is ignored
		{"10.1.2.3:443", "198.51.100.1", "198.51.100.1"},              // trusted proxy
		{"10.1.2.3:443", "203.0.113.7, 198.51.100.1", "198.51.100.1"}, // the client wrote the left entry
		{"10.1.2.3:443", "198.51.100.1, 10.9.9.9", "198.51.100.1"},    // two proxies
		{"10.1.2.3:443", "", "10.1.2.3"},
		{"10.1.2.3:443", "garbage", "10.1.2.3"},
		{"[::ffff:192.0.2.5]:80", "", "192.0.2.5"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := g.clientIP(r); got.String() != c.want {
			t.Errorf("clientIP(%s, XFF %q) = %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
}

// FuzzForwardedFor: the result is the peer or an address from the header
// that is not a trusted proxy.
func FuzzForwardedFor(f *testing.F) {
	for _, s := range []string{"198.51.100.1", "a, b", "10.0.0.1, 198.51.100.1", ",,,", "::1, 10.0.0.2"} {
		f.Add(s)
	}
	trusted := func(a netip.Addr) bool { return netip.MustParsePrefix("10.0.0.0/8").Contains(a) }
	peer := netip.MustParseAddr("10.0.0.1")
	f.Fuzz(func(t *testing.T, xff string) {
		got := forwardedFor([]string{xff}, peer, trusted)
		if got == peer {
			return
		}
		if trusted(got) {
			t.Fatalf("forwardedFor(%q) = trusted proxy %s", xff, got)
		}
		for _, e := range strings.Split(xff, ",") {
			if a, err := netip.ParseAddr(strings.TrimSpace(e)); err == nil && a.Unmap() == got {
				return
			}
		}
		t.Fatalf("forwardedFor(%q) = %s, which is not in the header", xff, got)
	})
}
