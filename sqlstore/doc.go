// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package sqlstore is the metadata store of Justizcloud: one implementation
// of akte.Store, verfahren.Store, retention.Store, keys.DataKeys and
// identity.TokenStore, plus the reference
// data (tenants and courts), over two SQL dialects. SQLite, through the
// pure-Go modernc.org/sqlite driver, is the embedded default; PostgreSQL,
// through pgx's database/sql driver, serves replicated deployments. Queries
// are written once with ? placeholders; the dialect differences live in a few
// functions of db.go (placeholder rewriting, time encoding, error
// classification) and in the two migration directories.
//
// # Lifecycle
//
// Open connects; it does not change the schema. Migrate applies the embedded
// goose migrations (migrations/sqlite, migrations/postgres) and SeedReference
// loads the court catalog. On PostgreSQL, Migrate holds a session-level
// advisory lock, so replicas that start together migrate once.
//
// # SQLite: two pools
//
// SQLite allows many readers but one writer per database file. Letting
// several pooled connections start write transactions makes them fight for
// the lock: a deferred transaction that read first cannot upgrade to a writer
// while another holds the lock, and fails with SQLITE_BUSY however long the
// busy timeout is. The store therefore opens the file twice:
//
//   - the write pool has exactly one connection, and its transactions begin
//     with BEGIN IMMEDIATE (DSN _txlock=immediate). Writers queue in
//     database/sql for that connection instead of failing in SQLite;
//   - the read pool has several connections with query_only set. In WAL mode
//     they read a consistent snapshot while the writer commits, and a write
//     sent to them by mistake fails loudly.
//
// Every connection runs with journal_mode=WAL (persistent in the file),
// synchronous=NORMAL, foreign_keys=on and a busy timeout. synchronous=NORMAL
// in WAL mode loses no committed transaction when the process is killed;
// only a power loss or OS crash may roll back the last transactions. The
// write connection also sets secure_delete, so a destroyed data key is
// overwritten in the database file. Code inside a transaction must use the
// transaction only: any other use of the write pool would wait forever for
// the connection that the transaction holds.
//
// # Gap-free case numbers
//
// CreateCase numbers cases per (tenant, court, Registerzeichen, year) in one
// transaction:
//
//	INSERT INTO case_counters (tenant, court, register, year, last) VALUES (…, 1)
//	ON CONFLICT (tenant, court, register, year) DO UPDATE SET last = case_counters.last + 1
//	RETURNING last;
//	INSERT INTO cases (…, number, …) VALUES (…, last, …);
//
// On PostgreSQL the upsert locks the counter row until commit, so concurrent
// transactions for the same register take turns, each seeing the committed
// value of the one before (READ COMMITTED re-reads the row after the wait).
// On SQLite the single write connection serialises them. Because the
// increment and the insert commit or roll back together, a failed insert
// leaves no gap, and the UNIQUE constraint on the case number backs it up.
//
// # Times
//
// Times are stored in UTC at microsecond precision: TIMESTAMPTZ on
// PostgreSQL and INTEGER Unix microseconds on SQLite, so both engines return
// the same instant. Returned times are in UTC.
package sqlstore
