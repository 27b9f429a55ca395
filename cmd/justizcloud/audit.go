// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"justizcloud/audit"
	"justizcloud/sqlstore"
	"justizcloud/tenancy"
)

// auditKeyPath is the checkpoint signing key: audit-key.pem beside the keyring.
func (c *config) auditKeyPath() string {
	return filepath.Join(filepath.Dir(c.keyringPath()), "audit-key.pem")
}

func runAudit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, "Usage: justizcloud audit verify [--data DIR | --db URL] [--tenant DE-XX] [--key FILE]\n"+
			"       justizcloud audit verify-proof BUNDLE.json --key FILE|FINGERPRINT [--document FILE]\n"+
			"       justizcloud audit key [--data DIR] [--out FILE]\n\n"+
			"verify recomputes each tenant's audit log from its stored entries, checks every\n"+
			"signed checkpoint against it and cross-checks the documents the entries name\n"+
			"(their database row and stored content). verify-proof checks a document's proof\n"+
			"bundle offline. key prints the checkpoint key's fingerprint and public key.\n"+
			"Each exits non-zero when anything does not verify.\n")
		if len(args) == 0 {
			return errors.New("audit: no subcommand given")
		}
		return flag.ErrHelp
	}
	switch args[0] {
	case "verify":
		return runAuditVerify(ctx, args[1:], getenv, stdout, stderr)
	case "verify-proof":
		return runAuditVerifyProof(args[1:], stdout, stderr)
	case "key":
		return runAuditKey(args[1:], getenv, stdout, stderr)
	default:
		return fmt.Errorf("audit: unknown subcommand %q (want verify, verify-proof or key)", args[0])
	}
}

func runAuditVerify(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("audit verify", "Recomputes the audit log of a tenant (or of all) from the stored entries and\nchecks the signatures and roots of all checkpoints. Works on a stopped server's\n--data folder or with --db. Exits non-zero on any mismatch.", stderr)
	cfg.storageFlags(fs)
	tenant := fs.String("tenant", "", "tenant to verify, e.g. DE-BY (default: every tenant)")
	keyPath := fs.String("key", "", "checkpoint signing key (default: audit-key.pem beside the keyring)")
	withDocs := fs.Bool("documents", true, "cross-check every document an entry names: its database row and its stored content (read and decrypted in full)")
	if err := loadFlags(fs, args, getenv); err != nil {
		return err
	}
	if err := cfg.validateStorage(); err != nil {
		return err
	}
	if *keyPath == "" {
		*keyPath = cfg.auditKeyPath()
	}
	pub, err := audit.ReadPublicKey(*keyPath)
	if err != nil {
		return fmt.Errorf("audit verify: %w", err)
	}
	var tenants []tenancy.ID
	if *tenant != "" {
		tenants = []tenancy.ID{tenancy.ID(*tenant)}
	} else {
		for _, t := range tenancy.Tenants() {
			tenants = append(tenants, t.ID)
		}
	}
	// Opened without migrating: verification changes nothing.
	db, err := sqlstore.Open(ctx, cfg.dbDSN(), nil)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "key %s\n", audit.KeyID(pub))
	var opts audit.VerifyOptions
	if *withDocs {
		dc := &docChecker{cfg: &cfg, db: db}
		opts.Documents = dc.lookup
	}
	bad := 0
	for _, t := range tenants {
		rep, err := audit.VerifyWith(ctx, db, t, pub, opts)
		if err != nil {
			return err
		}
		if rep.Entries == 0 && rep.Checkpoints == 0 && *tenant == "" {
			continue
		}
		status := "OK"
		if !rep.OK() {
			status = "FAILED"
		}
		fmt.Fprintf(stdout, "%s: %d entries, root %s, %d checkpoints: %s\n", t, rep.Entries,
			base64.StdEncoding.EncodeToString(rep.Root[:]), rep.Checkpoints, status)
		if rep.OK() && rep.Entries > rep.Signed {
			fmt.Fprintf(stdout, "  %d entries after the latest checkpoint (size %d) are not yet signed\n", rep.Entries-rep.Signed, rep.Signed)
		}
		if rep.Documents > 0 {
			fmt.Fprintf(stdout, "  %d documents named by entries cross-checked (%d destroyed under the retention rules)\n", rep.Documents, rep.Destroyed)
		}
		for _, p := range rep.Problems {
			if p.Document != "" {
				fmt.Fprintf(stdout, "  document %s (entry %d): %s\n", p.Document, p.Seq, p.Detail)
				continue
			}
			fmt.Fprintf(stdout, "  entry %d: %s\n", p.Seq, p.Detail)
		}
		bad += len(rep.Problems)
	}
	if bad > 0 {
		return fmt.Errorf("audit verify: %d problems found", bad)
	}
	return nil
}
