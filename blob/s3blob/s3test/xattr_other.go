// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

//go:build !linux

package s3test

// xattrSupported is not probed outside Linux; versitygw gets a sidecar
// directory there.
func xattrSupported(string) bool { return false }
