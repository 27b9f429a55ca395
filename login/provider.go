// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package login

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// provider is a configured OpenID provider at run time. Discovery happens at
// first use and is retried after a failure (at most every retryAfter), so
// that a provider that is down does not keep the server from starting or
// the other providers from working.
type provider struct {
	cfg         ProviderConfig
	redirectURL string
	client      *http.Client
	now         func() time.Time

	mu       sync.Mutex
	op       *oidc.Provider
	failedAt time.Time
	lastErr  error
}

const retryAfter = 5 * time.Second

// discover returns the provider's discovered metadata, fetching it if needed.
func (p *provider) discover(ctx context.Context) (*oidc.Provider, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.op != nil {
		return p.op, nil
	}
	if !p.failedAt.IsZero() && p.now().Sub(p.failedAt) < retryAfter {
		return nil, p.lastErr
	}
	// The client has a timeout; the key set fetches later keys (rotation)
	// with the same client, not with this request's context.
	op, err := oidc.NewProvider(oidc.ClientContext(context.WithoutCancel(ctx), p.client), p.cfg.Issuer)
	if err != nil {
		p.failedAt, p.lastErr = p.now(), fmt.Errorf("provider %s: discovery: %w", p.cfg.Name, err)
		return nil, p.lastErr
	}
	p.op = op
	return op, nil
}

// oauth2Config is the authorization code flow's configuration.
func (p *provider) oauth2Config(op *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     p.cfg.ClientID,
		ClientSecret: p.cfg.ClientSecret,
		Endpoint:     op.Endpoint(),
		RedirectURL:  p.redirectURL,
		Scopes:       append([]string{oidc.ScopeOpenID}, p.cfg.Scopes...),
	}
}

// idVerifier checks ID tokens: signature against the provider's JWKS,
// issuer, audience (our client ID) and expiry.
func (p *provider) idVerifier(op *oidc.Provider) *oidc.IDTokenVerifier {
	return op.Verifier(&oidc.Config{ClientID: p.cfg.ClientID, Now: p.now})
}

// accessVerifier checks JWT access tokens: signature, issuer and expiry;
// the audience is checked by audienceOK against the configured list.
func (p *provider) accessVerifier(op *oidc.Provider) *oidc.IDTokenVerifier {
	return op.Verifier(&oidc.Config{SkipClientIDCheck: true, Now: p.now})
}

// audienceOK reports whether one of the token's audiences is accepted.
func (p *provider) audienceOK(aud []string) bool {
	for _, a := range aud {
		if slices.Contains(p.cfg.Audiences, a) {
			return true
		}
	}
	return false
}
