// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package bench_test

import (
	"context"
	"crypto/sha256"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"justizcloud/akte"
	"justizcloud/bench"
	"justizcloud/blob"
	"justizcloud/blob/fsblob"
	"justizcloud/keys"
	"justizcloud/search"
	"justizcloud/sqlstore"
	"justizcloud/sqlstore/pgtest"
	"justizcloud/tenancy"
)

func TestSeedSQLite(t *testing.T) {
	testSeed(t, filepath.Join(t.TempDir(), "db.sqlite"))
}

func TestSeedPostgres(t *testing.T) {
	testSeed(t, pgtest.DSN(t))
}

// testSeed seeds a small dataset and reads it back through the regular
// store methods: every row is there, Aktenzeichen have no gaps, documents
// decrypt to their recorded digest, the search index finds party names, and
// a case created afterwards continues the numbering.
func testSeed(t *testing.T, dsn string) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlstore.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cat, err := tenancy.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SeedReference(ctx, cat); err != nil {
		t.Fatal(err)
	}
	kr, err := keys.OpenFileKeyring(filepath.Join(dir, "keyring.json"))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := fsblob.Open(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	const cases, perCase = 60, 3
	res, err := bench.Seed(ctx, bench.SeedOptions{Cases: cases, DocsPerCase: perCase, DocSize: 2048, Workers: 2,
		Now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC), RandSeed: 7}, db, fs.Unsynced(), kr, cat)
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.SyncFS(); err != nil {
		t.Fatal(err)
	}
	if res.Cases != cases || res.Documents != cases*perCase || res.Bytes < cases*perCase*1900 {
		t.Fatalf("Seed = %+v, want %d cases, %d documents of about 2 KiB", res, cases, cases*perCase)
	}

	var all []akte.Case
	for _, tn := range tenancy.Tenants() {
		cs, err := db.SampleCases(ctx, tn.ID, cases)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, cs...)
	}
	if len(all) != cases {
		t.Fatalf("stored %d cases, want %d", len(all), cases)
	}
	// Numbers per court, Registerzeichen and year are 1..n.
	numbers := map[string][]int{}
	for _, c := range all {
		k := string(c.Court) + " " + c.Aktenzeichen.Register + " " + string(rune('0'+c.Aktenzeichen.Year%10))
		numbers[k] = append(numbers[k], c.Aktenzeichen.Number)
	}
	for k, ns := range numbers {
		slices.Sort(ns)
		for i, n := range ns {
			if n != i+1 {
				t.Fatalf("%s: numbers %v have a gap or duplicate", k, ns)
			}
		}
	}

	enc := blob.Encrypt(fs, kr, db)
	c := all[0]
	docs, err := db.Documents(ctx, c.Tenant, c.ID)
	if err != nil || len(docs) != perCase {
		t.Fatalf("Documents(%s) = %d, %v; want %d", c.ID, len(docs), err, perCase)
	}
	for _, d := range docs {
		rc, err := enc.Get(ctx, blob.Key{Tenant: d.Tenant, Name: d.Blob})
		if err != nil {
			t.Fatalf("get %s: %v", d.ID, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || sha256.Sum256(b) != d.SHA256 || int64(len(b)) != d.Size {
			t.Fatalf("document %s: %d bytes, err %v, digest differs from the row", d.ID, len(b), err)
		}
	}
	ps, err := db.Participants(ctx, c.Tenant, c.ID)
	if err != nil || len(ps) != 2 {
		t.Fatalf("Participants = %v, %v; want plaintiff and defendant", ps, err)
	}
	surname := ps[0].Name[strings.LastIndexByte(ps[0].Name, ' ')+1:]
	if strings.HasSuffix(ps[0].Name, "GmbH") {
		surname = strings.Fields(ps[0].Name)[0]
	}
	hits, err := db.SearchEntries(ctx, c.Tenant, search.Filter{Terms: search.Terms(surname + " " + c.Aktenzeichen.String()), Limit: 10})
	if err != nil || !slices.ContainsFunc(hits, func(h search.Hit) bool { return h.Case == c.ID && h.Kind == search.KindCase }) {
		t.Fatalf("search for %q and %s: %v, %v; want the case", surname, c.Aktenzeichen, hits, err)
	}

	next, err := db.CreateCase(ctx, akte.Case{Tenant: c.Tenant, Court: c.Court, Subject: "danach",
		Aktenzeichen: akte.Aktenzeichen{Department: "1", Register: c.Aktenzeichen.Register, Year: c.Aktenzeichen.Year}, CreatedBy: "test"})
	if err != nil {
		t.Fatal(err)
	}
	k := string(c.Court) + " " + c.Aktenzeichen.Register + " " + string(rune('0'+c.Aktenzeichen.Year%10))
	if want := len(numbers[k]) + 1; next.Aktenzeichen.Number != want {
		t.Fatalf("case after the bulk load got number %d, want %d", next.Aktenzeichen.Number, want)
	}
}
