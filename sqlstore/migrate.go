// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package sqlstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// Migrate applies the pending schema migrations and reports how many it
// applied; 0 means the schema was current. On PostgreSQL, concurrent callers
// (replicas starting together) serialise on a session-level advisory lock,
// and all but the first find nothing left to do. On SQLite, Migrate runs on
// the single write connection; one process owns a SQLite file.
func (d *DB) Migrate(ctx context.Context) (applied int, err error) {
	dialect, dir := goose.DialectSQLite3, "migrations/sqlite"
	opts := []goose.ProviderOption{
		goose.WithSlog(d.log),
		goose.WithDisableGlobalRegistry(true), // no Go migrations registered in init()
	}
	if d.dialect == Postgres {
		dialect, dir = goose.DialectPostgres, "migrations/postgres"
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return 0, fmt.Errorf("sqlstore: migrate: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	fsys, err := fs.Sub(migrations, dir)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: migrate: %w", err)
	}
	p, err := goose.NewProvider(dialect, d.w, fsys, opts...)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: migrate: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		var pe *goose.PartialError
		if errors.As(err, &pe) {
			return len(pe.Applied), fmt.Errorf("sqlstore: migrate: %w", err)
		}
		return 0, fmt.Errorf("sqlstore: migrate: %w", err)
	}
	return len(res), nil
}
