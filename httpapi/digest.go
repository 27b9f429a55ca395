// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"encoding/base64"
	"fmt"
	"strings"

	"justizcloud/errs"
)

// parseReprDigest reads an RFC 9530 Repr-Digest field (a structured-field
// dictionary such as `sha-256=:base64:, sha-512=:…:`) and returns the sha-256
// digest, or nil when the field names only other algorithms. A malformed
// field is an error.
func parseReprDigest(v string) ([]byte, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	if len(v) > 4096 {
		return nil, fmt.Errorf("%w: Repr-Digest is too long", errs.ErrInvalid)
	}
	var sha []byte
	for member := range strings.SplitSeq(v, ",") {
		member = strings.TrimSpace(member)
		alg, val, ok := strings.Cut(member, "=")
		if !ok || alg == "" {
			return nil, fmt.Errorf("%w: Repr-Digest member %q is not alg=:base64:", errs.ErrInvalid, member)
		}
		if i := strings.IndexByte(val, ';'); i >= 0 { // parameters are allowed and ignored
			val = val[:i]
		}
		if len(val) < 2 || val[0] != ':' || val[len(val)-1] != ':' {
			return nil, fmt.Errorf("%w: Repr-Digest value for %s must be a byte sequence :…:", errs.ErrInvalid, alg)
		}
		raw, err := base64.StdEncoding.DecodeString(val[1 : len(val)-1])
		if err != nil {
			return nil, fmt.Errorf("%w: Repr-Digest value for %s is not base64", errs.ErrInvalid, alg)
		}
		if alg == "sha-256" {
			if len(raw) != 32 {
				return nil, fmt.Errorf("%w: Repr-Digest sha-256 must have 32 bytes, has %d", errs.ErrInvalid, len(raw))
			}
			sha = raw
		}
	}
	return sha, nil
}

func formatReprDigest(sum [32]byte) string {
	return "sha-256=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":"
}
