// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package login

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"justizcloud/authz"
	"justizcloud/errs"
)

// ProviderConfig is one OpenID provider the platform accepts logins from.
type ProviderConfig struct {
	// Name is the provider's key in URLs (/login/{name}): 1 to 32 of a-z, 0-9 and -.
	Name string
	// Label is what the login page shows (German), e.g. "Justiz Bayern (Beschäftigte)".
	Label string
	// Issuer is the provider's issuer URL; discovery reads
	// Issuer/.well-known/openid-configuration. https, or http on a loopback
	// address (tests and local development).
	Issuer   string
	ClientID string
	// ClientSecret is read from the file named in the configuration
	// (client_secret_file); empty for a public client that relies on PKCE alone.
	ClientSecret string
	// Scopes requested besides openid; default email and profile.
	Scopes []string
	// Provision is the role of accounts created at the first login of an
	// unknown person (an outside role: buerger, rechtsanwalt, behoerde);
	// empty for staff directories, whose users must exist beforehand.
	Provision authz.Role
	// Audiences are the aud values accepted in bearer access tokens (JWT)
	// from this provider; default the client ID.
	Audiences []string
}

// fileConfig is the JSON form of the --oidc-config file.
type fileConfig struct {
	Providers []struct {
		Name             string   `json:"name"`
		Label            string   `json:"label"`
		Issuer           string   `json:"issuer"`
		ClientID         string   `json:"client_id"`
		ClientSecretFile string   `json:"client_secret_file"`
		Scopes           []string `json:"scopes"`
		Provision        string   `json:"provision"`
		Audiences        []string `json:"audiences"`
	} `json:"providers"`
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

// LoadConfig reads the providers from a JSON file:
//
//	{"providers": [{"name": "by-justiz", "label": "Justiz Bayern (Beschäftigte)",
//	  "issuer": "https://login.justiz.bayern.de", "client_id": "justizcloud",
//	  "client_secret_file": "by-justiz.secret", "scopes": ["email", "profile"],
//	  "provision": "", "audiences": ["justizcloud"]}]}
//
// A relative client_secret_file is relative to the configuration file.
// Unknown fields are an error, so that a typo does not silently weaken a setting.
func LoadConfig(path string) ([]ProviderConfig, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("oidc config: %w", err)
	}
	ps, err := ParseConfig(b, filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("oidc config %s: %w", path, err)
	}
	return ps, nil
}

// ParseConfig parses the JSON of a configuration file; secret files are
// read relative to dir.
func ParseConfig(b []byte, dir string) ([]ProviderConfig, error) {
	var fc fileConfig
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fc); err != nil {
		return nil, fmt.Errorf("%w: %w", errs.ErrInvalid, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: trailing data after the object", errs.ErrInvalid)
	}
	var out []ProviderConfig
	seen := map[string]bool{}
	for i, p := range fc.Providers {
		c := ProviderConfig{Name: p.Name, Label: strings.TrimSpace(p.Label), Issuer: strings.TrimSpace(p.Issuer),
			ClientID: p.ClientID, Scopes: p.Scopes, Provision: authz.Role(p.Provision), Audiences: p.Audiences}
		if p.ClientSecretFile != "" {
			f := p.ClientSecretFile
			if !filepath.IsAbs(f) {
				f = filepath.Join(dir, f)
			}
			s, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("provider %d (%s): client_secret_file: %w", i, p.Name, err)
			}
			c.ClientSecret = strings.TrimRight(string(s), "\r\n")
		}
		if err := c.validate(); err != nil {
			return nil, fmt.Errorf("provider %d (%s): %w", i, p.Name, err)
		}
		if seen[c.Name] {
			return nil, fmt.Errorf("%w: provider name %q twice", errs.ErrInvalid, c.Name)
		}
		seen[c.Name] = true
		out = append(out, c)
	}
	return out, nil
}

func (c *ProviderConfig) validate() error {
	if !nameRE.MatchString(c.Name) {
		return fmt.Errorf("%w: name must be 1 to 32 of a-z, 0-9 and -", errs.ErrInvalid)
	}
	if c.Label == "" {
		c.Label = c.Name
	}
	if err := checkIssuer(c.Issuer); err != nil {
		return err
	}
	if c.ClientID == "" {
		return fmt.Errorf("%w: client_id is required", errs.ErrInvalid)
	}
	if c.Provision != "" {
		if _, err := authz.ParseRole(string(c.Provision)); err != nil {
			return fmt.Errorf("provision: %w", err)
		}
		if c.Provision.Staff() {
			return fmt.Errorf("%w: provision must be an outside role (buerger, rechtsanwalt, behoerde), not %s", errs.ErrInvalid, c.Provision)
		}
	}
	if len(c.Scopes) == 0 {
		c.Scopes = []string{"email", "profile"}
	}
	for _, s := range c.Scopes {
		if s == "" || strings.ContainsAny(s, " \t\r\n\"") {
			return fmt.Errorf("%w: scope %q", errs.ErrInvalid, s)
		}
	}
	if len(c.Audiences) == 0 {
		c.Audiences = []string{c.ClientID}
	}
	return nil
}

// checkIssuer accepts https URLs, and http only on a loopback address.
func checkIssuer(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%w: issuer %q is not an absolute URL without query", errs.ErrInvalid, s)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
			return nil
		}
		return fmt.Errorf("%w: issuer %q must use https (http only on loopback)", errs.ErrInvalid, s)
	}
	return fmt.Errorf("%w: issuer %q must use https", errs.ErrInvalid, s)
}
