// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package storetest gives tests the real embedded backends of Justizcloud:
// a migrated metadata store, the court catalogue, a file keyring, file
// blobs and the encrypting blob store over them, all in a temporary folder
// that is removed when the test ends. It is for external test packages;
// package sqlstore's own tests cannot import it.
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"justizcloud/blob"
	"justizcloud/blob/fsblob"
	"justizcloud/keys"
	"justizcloud/sqlstore"
	"justizcloud/tenancy"
)

// Backends are the backends of one test.
type Backends struct {
	// Dir is the test's temporary folder: it holds keyring.json, the
	// folder blobs and, for SQLite, db.sqlite. Tests may put more files in it.
	Dir     string
	DB      *sqlstore.DB      // migrated; closed when the test ends
	Catalog *tenancy.Catalog  // the embedded catalogue of tenants and courts
	Keyring *keys.FileKeyring // Dir/keyring.json
	Inner   *fsblob.Store     // Dir/blobs: the ciphertext as stored
	Blobs   *blob.Encrypted   // Inner encrypted with Keyring and DB's data keys
}

// Open opens the backends in a new temporary folder, failing the test on
// any error. The metadata store is the database named by dsn, or a SQLite
// file in the folder when dsn is empty; pass pgtest.DSN(tb) for PostgreSQL.
func Open(tb testing.TB, dsn string) Backends {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	if dsn == "" {
		dsn = filepath.Join(dir, "db.sqlite")
	}
	db, err := sqlstore.Open(ctx, dsn, nil)
	if err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	cat, err := tenancy.LoadCatalog()
	if err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	kr, err := keys.OpenFileKeyring(filepath.Join(dir, "keyring.json"))
	if err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	inner, err := fsblob.Open(filepath.Join(dir, "blobs"))
	if err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	return Backends{Dir: dir, DB: db, Catalog: cat, Keyring: kr, Inner: inner, Blobs: blob.Encrypt(inner, kr, db)}
}
