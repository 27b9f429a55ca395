// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"

	"justizcloud/blob"
	"justizcloud/blob/fsblob"
	"justizcloud/blob/s3blob"
	"justizcloud/keys"
	"justizcloud/sqlstore"
	"justizcloud/tenancy"
)

// backends are the opened stores of one process.
type backends struct {
	db    *sqlstore.DB
	cat   *tenancy.Catalog
	kr    *keys.FileKeyring
	inner blob.ListingStore // ciphertext only
	fs    *fsblob.Store
	blobs *blob.Encrypted
}

// openCommandDB opens the store for a command-line tool (openDB), with only
// warnings and errors logged, to stderr.
func openCommandDB(ctx context.Context, cfg *config, stderr io.Writer) (*sqlstore.DB, *tenancy.Catalog, error) {
	log, _ := newLogger("warn", "text", stderr)
	return openDB(ctx, cfg, log)
}

// openDB opens and migrates the metadata store and seeds the reference data.
func openDB(ctx context.Context, cfg *config, log *slog.Logger) (*sqlstore.DB, *tenancy.Catalog, error) {
	if err := os.MkdirAll(cfg.Data, 0o700); err != nil {
		return nil, nil, fmt.Errorf("data folder: %w", err)
	}
	db, err := sqlstore.Open(ctx, cfg.dbDSN(), log)
	if err != nil {
		return nil, nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	cat, err := tenancy.LoadCatalog()
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	if err := db.SeedReference(ctx, cat); err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, cat, nil
}

// openBackends opens everything serve needs.
func openBackends(ctx context.Context, cfg *config, log *slog.Logger) (*backends, error) {
	db, cat, err := openDB(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	b := &backends{db: db, cat: cat}
	b.kr, err = keys.OpenFileKeyring(cfg.keyringPath())
	if err != nil {
		b.Close()
		return nil, err
	}
	// Every tenant gets its KEK now, not at its first upload, so replicas
	// that share the keyring never create keys on their own.
	var ids []tenancy.ID
	for _, t := range tenancy.Tenants() {
		ids = append(ids, t.ID)
	}
	if err := b.kr.EnsureTenants(ctx, ids); err != nil {
		b.Close()
		return nil, err
	}
	switch cfg.Blob {
	case "fs":
		b.fs, err = fsblob.Open(filepath.Join(cfg.Data, "blobs"))
		b.inner = b.fs
	case "s3":
		b.inner, err = s3blob.Open(ctx, cfg.S3)
	}
	if err != nil {
		b.Close()
		return nil, err
	}
	b.blobs = blob.Encrypt(b.inner, b.kr, db)
	return b, nil
}

// Close releases the backends.
func (b *backends) Close() error {
	return b.db.Close()
}

// lockData takes an exclusive lock on the data folder, so that two servers
// never share one embedded store (and a new server may clean up what a killed
// one left behind). The lock is released when the process ends.
func lockData(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "LOCK"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock data folder: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("data folder %s is in use by another justizcloud serve", dir)
		}
		return nil, fmt.Errorf("lock data folder: %w", err)
	}
	return f, nil
}
