// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"justizcloud/httpapi"
	"justizcloud/identity"
	"justizcloud/login"
	"justizcloud/sqlstore"
)

// loginConfig is the part of the configuration about logins, sessions,
// TLS and the limits of the HTTP surface.
type loginConfig struct {
	OIDCConfig     string // JSON file with the OpenID providers; empty: none
	PublicURL      string // origin browsers use; empty: derived from --addr and TLS
	SessionIdle    time.Duration
	SessionMax     time.Duration
	TLSCert        string
	TLSKey         string
	LoginRate      int
	AuthFailLimit  int
	AuthFailWindow time.Duration
	AuthLockout    time.Duration
	TrustedProxies string
}

// loginFlags registers the flags of loginConfig.
func (c *loginConfig) loginFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.OIDCConfig, "oidc-config", "", "JSON file with the OpenID Connect providers for login (see docs/security.md)")
	fs.StringVar(&c.PublicURL, "public-url", "", "origin browsers reach the server at, e.g. https://justizcloud.example.de (default: from --addr)")
	fs.DurationVar(&c.SessionIdle, "session-idle", 30*time.Minute, "a browser session ends after this long without a request")
	fs.DurationVar(&c.SessionMax, "session-max", 12*time.Hour, "a browser session ends this long after the login, however active")
	fs.StringVar(&c.TLSCert, "tls-cert", "", "PEM certificate (chain) to serve HTTPS directly; with --tls-key")
	fs.StringVar(&c.TLSKey, "tls-key", "", "PEM private key for --tls-cert (prefer JUSTIZCLOUD_TLS_KEY pointing to a file only root can read)")
	fs.IntVar(&c.LoginRate, "login-rate", 30, "requests per minute and client IP to /login, /login/{provider} and /auth/callback (-1: no limit)")
	fs.IntVar(&c.AuthFailLimit, "auth-fail-limit", 10, "failed bearer authentications from one IP within --auth-fail-window before it is locked out (-1: never)")
	fs.DurationVar(&c.AuthFailWindow, "auth-fail-window", 5*time.Minute, "window for --auth-fail-limit")
	fs.DurationVar(&c.AuthLockout, "auth-lockout", 15*time.Minute, "how long a locked-out IP gets 429 for bearer requests")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", "", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For names the client IP")
}

func (c *loginConfig) validate() error {
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("--tls-cert and --tls-key go together")
	}
	if c.SessionIdle < time.Second || c.SessionMax < time.Second {
		return fmt.Errorf("--session-idle and --session-max must be at least 1s")
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.TrimSuffix(u.Path, "/") != "" {
			return fmt.Errorf("--public-url must be http(s)://host[:port] without a path")
		}
		c.PublicURL = strings.TrimSuffix(c.PublicURL, "/")
	}
	if _, err := c.proxies(); err != nil {
		return err
	}
	return nil
}

func (c *loginConfig) proxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range strings.Split(c.TrustedProxies, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return nil, fmt.Errorf("--trusted-proxies: %q is no CIDR or address", s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p)
	}
	return out, nil
}

// tls reports whether the server terminates TLS itself.
func (c *loginConfig) tls() bool { return c.TLSCert != "" }

// publicURL is the configured public URL, or the listener's address.
func (c *loginConfig) publicURL(ln net.Listener) string {
	if c.PublicURL != "" {
		return c.PublicURL
	}
	if c.tls() {
		return "https://" + ln.Addr().String()
	}
	return "http://" + ln.Addr().String()
}

// limits are the httpapi limits from the flags.
func (c *loginConfig) limits() httpapi.Limits {
	p, _ := c.proxies() // checked by validate
	return httpapi.Limits{LoginPerMinute: c.LoginRate, FailedAuths: c.AuthFailLimit,
		FailWindow: c.AuthFailWindow, Lockout: c.AuthLockout, TrustedProxies: p}
}

// newLogin builds the login service: the providers of --oidc-config (none
// without it: the pages then say so) and sessions in the store.
func newLogin(c *loginConfig, db *sqlstore.DB, users *identity.Users, public string, demo []login.DemoAccount, log *slog.Logger) (*login.Service, error) {
	var providers []login.ProviderConfig
	if c.OIDCConfig != "" {
		var err error
		if providers, err = login.LoadConfig(c.OIDCConfig); err != nil {
			return nil, err
		}
	}
	return login.New(login.Options{Providers: providers, PublicURL: public, TLS: c.tls(),
		Idle: c.SessionIdle, Max: c.SessionMax, Store: db, Users: users, Logger: log, Demo: demo})
}

// sessionSweepLoop removes ended sessions and abandoned logins every few minutes.
func sessionSweepLoop(ctx context.Context, l *login.Service, log *slog.Logger) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := l.Sweep(ctx); err != nil {
				log.Warn("sweep sessions", "err", err)
			} else if n > 0 {
				log.Debug("removed ended sessions and pending logins", "rows", n)
			}
		}
	}
}
