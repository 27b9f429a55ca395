// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package notify

import "crypto/tls"

func tlsConfig(host string) *tls.Config {
	return &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
}
