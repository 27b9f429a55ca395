// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package login logs people in with OpenID Connect and keeps their browser
// sessions: the authorization code flow with PKCE (S256), state and nonce
// against several configured providers (a Land's staff directory, a bar's
// identity service, BundID for citizens), server-side sessions in the
// database with idle and absolute expiry, CSRF tokens, and the resolution of
// bearer JWT access tokens from the same providers. It maps people to
// accounts through identity.Users.Login and never builds an authz.Subject
// itself: httpapi's authenticate does, from what this package resolves.
//
// See docs/security.md for the design and the threat model.
package login
