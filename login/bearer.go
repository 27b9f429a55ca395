// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package login

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"justizcloud/errs"
	"justizcloud/identity"
)

// maxJWT bounds the bearer tokens looked at; real access tokens are far smaller.
const maxJWT = 16 << 10

// LooksLikeJWT reports whether a bearer token has the form of a compact JWS
// (three base64url parts), as opposed to an API token (jc_…).
func LooksLikeJWT(tok string) bool {
	return len(tok) <= maxJWT && strings.Count(tok, ".") == 2 && !strings.HasPrefix(tok, "jc_")
}

// peekIssuer reads the iss claim of a compact JWS without verifying it, to
// pick the provider whose keys verify it. Nothing else is trusted from it.
func peekIssuer(tok string) (string, error) {
	if len(tok) > maxJWT {
		return "", errors.New("token too long")
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return "", errors.New("not a compact JWS")
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return "", errors.New("payload is not base64url")
	}
	var c struct {
		Iss string `json:"iss"`
	}
	if err := json.Unmarshal(payload, &c); err != nil {
		return "", errors.New("payload is not a JSON object")
	}
	if c.Iss == "" {
		return "", errors.New("no issuer")
	}
	return c.Iss, nil
}

// tokenClaims are the claims read from a verified token or userinfo.
type tokenClaims struct {
	Subject       string `json:"sub"`
	Email         string `json:"email"`
	EmailVerified any    `json:"email_verified"` // bool, or "true" at some providers
	Name          string `json:"name"`
	Nonce         string `json:"nonce"`
	AtHash        string `json:"at_hash"`
	Typ           string `json:"typ"`
}

func (c tokenClaims) verified() bool {
	switch v := c.EmailVerified.(type) {
	case bool:
		return v
	case string:
		return v == "true"
	}
	return false
}

// Bearer resolves a JWT access token of a configured provider to an active
// account: signature against the provider's JWKS (go-oidc fetches the key
// set again when it meets an unknown key ID, which covers key rotation),
// issuer, expiry and audience (one of the provider's audiences) are checked,
// ID tokens are refused, and the person is mapped to an account with
// identity.Users.Login and the provider's provision role. When the token
// names no e-mail and the person is not linked yet, the provider's userinfo
// endpoint is asked once. Every refusal wraps errs.ErrUnauthenticated.
func (s *Service) Bearer(ctx context.Context, raw string) (identity.User, error) {
	iss, err := peekIssuer(raw)
	if err != nil {
		return identity.User{}, fmt.Errorf("bearer jwt: %w: %w", err, errs.ErrUnauthenticated)
	}
	var lastErr error = fmt.Errorf("bearer jwt: issuer is no configured provider: %w", errs.ErrUnauthenticated)
	for _, p := range s.providers {
		if p.cfg.Issuer != iss {
			continue
		}
		u, err := s.bearerAt(ctx, p, raw)
		if err == nil {
			return u, nil
		}
		lastErr = err
	}
	return identity.User{}, lastErr
}

func (s *Service) bearerAt(ctx context.Context, p *provider, raw string) (identity.User, error) {
	op, err := p.discover(ctx)
	if err != nil {
		return identity.User{}, fmt.Errorf("bearer jwt: %w", err) // the provider is down: 500, not 401
	}
	tok, err := p.accessVerifier(op).Verify(ctx, raw)
	if err != nil {
		return identity.User{}, fmt.Errorf("bearer jwt of %s: %w: %w", p.cfg.Name, err, errs.ErrUnauthenticated)
	}
	if !p.audienceOK(tok.Audience) {
		return identity.User{}, fmt.Errorf("bearer jwt of %s: audience not accepted: %w", p.cfg.Name, errs.ErrUnauthenticated)
	}
	var c tokenClaims
	if err := tok.Claims(&c); err != nil {
		return identity.User{}, fmt.Errorf("bearer jwt of %s: claims: %w: %w", p.cfg.Name, err, errs.ErrUnauthenticated)
	}
	// An ID token is meant for the client that asked for it, not as an API
	// credential: it carries a nonce or at_hash (or typ ID at Keycloak).
	if c.Nonce != "" || c.AtHash != "" || strings.EqualFold(c.Typ, "ID") {
		return identity.User{}, fmt.Errorf("bearer jwt of %s: an ID token is no access token: %w", p.cfg.Name, errs.ErrUnauthenticated)
	}
	claims := identity.Claims{Issuer: tok.Issuer, Subject: tok.Subject, Email: c.Email, EmailVerified: c.verified(), Name: c.Name}
	if claims.Email != "" {
		return s.users.Login(ctx, claims, p.cfg.Provision)
	}
	// Access tokens often name no e-mail. A person linked before logs in
	// without it; anyone else is looked up at userinfo before an account is
	// linked by e-mail or provisioned.
	u, err := s.users.Login(ctx, claims, "")
	if err == nil || !errors.Is(err, errs.ErrUnauthenticated) {
		return u, err
	}
	ui, uerr := op.UserInfo(oidc.ClientContext(ctx, p.client), oauth2.StaticTokenSource(&oauth2.Token{AccessToken: raw, TokenType: "Bearer"}))
	if uerr == nil && ui.Subject == tok.Subject {
		var uc tokenClaims
		_ = ui.Claims(&uc)
		claims.Email, claims.EmailVerified = ui.Email, ui.EmailVerified
		if claims.Name == "" {
			claims.Name = uc.Name
		}
	}
	return s.users.Login(ctx, claims, p.cfg.Provision)
}
