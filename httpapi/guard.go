// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits configure the rate limit of the login endpoints and the lockout
// after failed authentications, both per client IP.
type Limits struct {
	// LoginPerMinute is how many requests to /login, /login/{provider} and
	// /auth/callback one client IP may make per minute (the burst is the
	// same number). 0: the default of 30; negative: no limit.
	LoginPerMinute int
	// FailedAuths failed bearer authentications (API token or JWT) from one
	// IP within FailWindow lock that IP out of bearer authentication for
	// Lockout: every bearer request is then answered with 429 and
	// Retry-After. Defaults: 10 in 5 minutes, 15 minutes; FailedAuths < 0
	// turns the lockout off.
	FailedAuths int
	FailWindow  time.Duration
	Lockout     time.Duration
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed; without them the client IP is the peer address.
	TrustedProxies []netip.Prefix
}

func (l Limits) withDefaults() Limits {
	if l.LoginPerMinute == 0 {
		l.LoginPerMinute = 30
	}
	if l.FailedAuths == 0 {
		l.FailedAuths = 10
	}
	if l.FailWindow <= 0 {
		l.FailWindow = 5 * time.Minute
	}
	if l.Lockout <= 0 {
		l.Lockout = 15 * time.Minute
	}
	return l
}

// guard holds the per-IP state of the limits. Its maps are bounded: when
// one grows past maxTracked entries, entries idle for a window are dropped,
// and if that is not enough, all of them (the limits then start afresh
// rather than the memory growing without end).
type guard struct {
	lim Limits
	now func() time.Time

	mu       sync.Mutex
	login    map[netip.Addr]*loginBucket
	failures map[netip.Addr]*failRecord
}

const maxTracked = 100_000

type loginBucket struct {
	l    *rate.Limiter
	seen time.Time
}

type failRecord struct {
	times       []time.Time // failures within the window, oldest first
	lockedUntil time.Time
}

func newGuard(l Limits, now func() time.Time) *guard {
	return &guard{lim: l.withDefaults(), now: now, login: map[netip.Addr]*loginBucket{}, failures: map[netip.Addr]*failRecord{}}
}

// allowLogin takes a token from ip's login bucket; false: over the limit,
// with the time after which a request would be allowed.
func (g *guard) allowLogin(ip netip.Addr) (bool, time.Duration) {
	if g.lim.LoginPerMinute < 0 {
		return true, 0
	}
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	b := g.login[ip]
	if b == nil {
		if len(g.login) >= maxTracked {
			for k, v := range g.login {
				if now.Sub(v.seen) > time.Minute {
					delete(g.login, k)
				}
			}
			if len(g.login) >= maxTracked {
				clear(g.login)
			}
		}
		b = &loginBucket{l: rate.NewLimiter(rate.Limit(float64(g.lim.LoginPerMinute)/60), g.lim.LoginPerMinute)}
		g.login[ip] = b
	}
	b.seen = now
	r := b.l.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// lockedFor returns how long ip stays locked out of bearer authentication.
func (g *guard) lockedFor(ip netip.Addr) time.Duration {
	if g.lim.FailedAuths < 0 {
		return 0
	}
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	if f := g.failures[ip]; f != nil && now.Before(f.lockedUntil) {
		return f.lockedUntil.Sub(now)
	}
	return 0
}

// fail records a failed bearer authentication from ip and locks it out
// when it reaches FailedAuths within FailWindow.
func (g *guard) fail(ip netip.Addr) {
	if g.lim.FailedAuths < 0 {
		return
	}
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	f := g.failures[ip]
	if f == nil {
		if len(g.failures) >= maxTracked {
			for k, v := range g.failures {
				if now.After(v.lockedUntil) && (len(v.times) == 0 || now.Sub(v.times[len(v.times)-1]) > g.lim.FailWindow) {
					delete(g.failures, k)
				}
			}
			if len(g.failures) >= maxTracked {
				clear(g.failures)
			}
		}
		f = &failRecord{}
		g.failures[ip] = f
	}
	kept := f.times[:0]
	for _, t := range f.times {
		if now.Sub(t) < g.lim.FailWindow {
			kept = append(kept, t)
		}
	}
	f.times = append(kept, now)
	if len(f.times) >= g.lim.FailedAuths {
		f.lockedUntil = now.Add(g.lim.Lockout)
		f.times = f.times[:0]
	}
}

// clientIP is the peer address, or, when the peer is a trusted proxy, the
// rightmost address in X-Forwarded-For that is not a trusted proxy (the
// ones left of it could have been written by the client).
func (g *guard) clientIP(r *http.Request) netip.Addr {
	peer := peerAddr(r.RemoteAddr)
	if !g.trusted(peer) {
		return peer
	}
	return forwardedFor(r.Header.Values("X-Forwarded-For"), peer, g.trusted)
}

func (g *guard) trusted(a netip.Addr) bool {
	for _, p := range g.lim.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func peerAddr(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.IPv6Unspecified()
	}
	return a.Unmap()
}

// forwardedFor walks the X-Forwarded-For values from the right and returns
// the first address that is not trusted; peer when there is none or an
// entry does not parse.
func forwardedFor(values []string, peer netip.Addr, trusted func(netip.Addr) bool) netip.Addr {
	all := strings.Split(strings.Join(values, ","), ",")
	for i := len(all) - 1; i >= 0 && i >= len(all)-32; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(all[i]))
		if err != nil {
			return peer
		}
		a = a.Unmap()
		if !trusted(a) {
			return a
		}
	}
	return peer
}

// tooMany answers 429 with Retry-After (whole seconds, rounded up).
func tooMany(w http.ResponseWriter, r *http.Request, wait time.Duration, detail string) {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	writeJSONStatus(w, "application/problem+json", http.StatusTooManyRequests, problem{
		Type: "about:blank", Title: http.StatusText(http.StatusTooManyRequests), Status: http.StatusTooManyRequests,
		Detail: detail, Instance: r.URL.Path, RequestID: requestID(r.Context()),
	})
}
