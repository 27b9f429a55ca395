// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"justizcloud/akte"
	"justizcloud/audit"
	"justizcloud/blob"
	"justizcloud/blob/fsblob"
	"justizcloud/blob/s3blob"
	"justizcloud/errs"
	"justizcloud/keys"
	"justizcloud/sqlstore"
	"justizcloud/tenancy"
)

// docChecker answers audit verify's questions about documents from the
// database and the decrypting blob store, which it opens on first use
// (a log that names no document needs no keyring).
type docChecker struct {
	cfg   *config
	db    *sqlstore.DB
	blobs blob.Store
}

func (c *docChecker) open(ctx context.Context) error {
	if c.blobs != nil {
		return nil
	}
	path := c.cfg.keyringPath()
	// OpenFileKeyring would create a missing keyring; verification changes nothing.
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("keyring %s: %w (the documents' content cannot be checked without it; --documents=false skips the check)", path, err)
	}
	kr, err := keys.OpenFileKeyring(path)
	if err != nil {
		return err
	}
	var inner blob.ListingStore
	switch c.cfg.Blob {
	case "fs":
		dir := filepath.Join(c.cfg.Data, "blobs")
		if _, err := os.Stat(dir); err != nil {
			return fmt.Errorf("blob folder %s: %w", dir, err)
		}
		inner, err = fsblob.Open(dir)
	case "s3":
		inner, err = s3blob.Open(ctx, c.cfg.S3)
	}
	if err != nil {
		return err
	}
	c.blobs = blob.Encrypt(inner, kr, c.db)
	return nil
}

// lookup implements audit.DocumentLookup.
func (c *docChecker) lookup(ctx context.Context, t tenancy.ID, id string) (audit.DocumentState, error) {
	d, err := c.db.Document(ctx, t, akte.DocumentID(id))
	if errors.Is(err, errs.ErrNotFound) {
		gone, terr := c.db.Tombstoned(ctx, t, id)
		if terr != nil {
			return audit.DocumentState{}, terr
		}
		if gone {
			return audit.DocumentState{Destroyed: true}, nil
		}
		return audit.DocumentState{}, err
	}
	if err != nil {
		return audit.DocumentState{}, err
	}
	if err := c.open(ctx); err != nil {
		return audit.DocumentState{}, err
	}
	st := audit.DocumentState{Recorded: d.SHA256}
	rc, err := c.blobs.Get(ctx, blob.Key{Tenant: d.Tenant, Name: d.Blob})
	if err != nil {
		st.ContentErr = err
		return st, nil
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		st.ContentErr = err
		return st, nil
	}
	h.Sum(st.Content[:0])
	return st, nil
}

func runAuditVerifyProof(args []string, stdout, stderr io.Writer) error {
	fset := newFlagSet("audit verify-proof BUNDLE.json", "Verifies a document's proof bundle (GET /api/v1/documents/{id}/proof) offline,\n"+
		"with no server and no database: the checkpoint's signature, the inclusion of\n"+
		"every entry in the signed tree, that the entries name the document and its\n"+
		"SHA-256, and with --document that the file has that SHA-256.\n\n"+
		"The bundle carries the public key, but a bundle cannot vouch for its own key:\n"+
		"the key must be pinned with --key (the operator's published key file or\n"+
		"fingerprint, see justizcloud audit key). Without --key the command prints the\n"+
		"key's fingerprint and fails.", stderr)
	keyPin := fset.String("key", "", "trusted checkpoint key: a PEM file (public key, or the audit-key.pem itself) or the key's fingerprint (64 hex digits)")
	docPath := fset.String("document", "", "the document's file: its SHA-256 must be the bundle's")
	// The bundle may come before or after the flags.
	var bundlePath string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		bundlePath, args = args[0], args[1:]
	}
	if err := fset.Parse(args); err != nil {
		return err
	}
	if bundlePath == "" && fset.NArg() == 1 {
		bundlePath = fset.Arg(0)
	} else if fset.NArg() > 0 || bundlePath == "" {
		return errors.New("audit verify-proof: want exactly one bundle file")
	}
	data, err := os.ReadFile(bundlePath)
	if err != nil {
		return fmt.Errorf("audit verify-proof: %w", err)
	}
	b, err := audit.DecodeBundle(data)
	if err != nil {
		return fmt.Errorf("audit verify-proof: %w", err)
	}
	fmt.Fprintf(stdout, "document %s, SHA-256 %s, tenant %s\n", b.Document, b.SHA256, b.Tenant)
	fmt.Fprintf(stdout, "bundle key fingerprint %s\n", audit.Fingerprint(b.PublicKey))
	if *keyPin == "" {
		return errors.New("audit verify-proof: the bundle's key is not pinned: compare its fingerprint with the operator's published one and pass it with --key")
	}
	pub, err := pinnedKey(*keyPin, b.PublicKey)
	if err != nil {
		return fmt.Errorf("audit verify-proof: %w", err)
	}
	es, err := audit.VerifyBundle(b, pub)
	if err != nil {
		return fmt.Errorf("audit verify-proof: %w", err)
	}
	fmt.Fprintf(stdout, "checkpoint: tree of %d entries, signed %s by key %s (pinned)\n", b.Checkpoint.Size,
		b.Checkpoint.Time.UTC().Format("2006-01-02 15:04:05Z"), b.Checkpoint.KeyID)
	for _, e := range es {
		who := e.Role
		if e.Name != "" {
			who += " " + e.Name
		}
		if e.Court != "" {
			who += " at " + e.Court
		}
		fmt.Fprintf(stdout, "  entry %d: %s %s by %s (%s, %d)\n", e.Seq, e.Time.Format("2006-01-02 15:04:05Z"), e.Action, who, e.Outcome, e.Status)
	}
	if !b.Complete {
		fmt.Fprintf(stdout, "  (the document has more entries than a bundle holds; these are the oldest %d)\n", len(es))
	}
	if *docPath != "" {
		f, err := os.Open(*docPath)
		if err != nil {
			return fmt.Errorf("audit verify-proof: %w", err)
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return fmt.Errorf("audit verify-proof: %w", err)
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != b.SHA256 {
			return fmt.Errorf("audit verify-proof: %s has SHA-256 %s, the bundle names %s: not the document the log recorded", *docPath, got, b.SHA256)
		}
		fmt.Fprintf(stdout, "document file %s has the recorded SHA-256\n", *docPath)
	}
	fmt.Fprintln(stdout, "OK")
	return nil
}

// pinnedKey turns --key into the trusted key: a PEM file, or a fingerprint
// that the bundle's key must have.
func pinnedKey(pin string, bundleKey ed25519.PublicKey) (ed25519.PublicKey, error) {
	raw, err := os.ReadFile(pin)
	switch {
	case err == nil:
		pub, err := audit.ParsePublicKey(raw)
		if err != nil {
			return nil, fmt.Errorf("--key %s: %w", pin, err)
		}
		return pub, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("--key: %w", err)
	}
	fp := strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(pin, "SHA256:"), "sha256:"))
	if b, err := hex.DecodeString(fp); err != nil || len(b) != sha256.Size {
		return nil, fmt.Errorf("--key %q is neither a key file nor a fingerprint of 64 hex digits", pin)
	}
	if fp != audit.Fingerprint(bundleKey) {
		return nil, fmt.Errorf("%w: the bundle's key %s is not the pinned key %s", audit.ErrVerify, audit.Fingerprint(bundleKey), fp)
	}
	return bundleKey, nil
}

func runAuditKey(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	fset := newFlagSet("audit key", "Prints the fingerprint of the audit checkpoint key and its public key (PEM),\nfor the operator to publish: verifiers pin it with audit verify-proof --key.", stderr)
	cfg.storageFlags(fset)
	keyPath := fset.String("key", "", "checkpoint signing key (default: audit-key.pem beside the keyring)")
	out := fset.String("out", "", "also write the public key (PEM) to this file")
	if err := loadFlags(fset, args, getenv); err != nil {
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
		return fmt.Errorf("audit key: %w", err)
	}
	pemKey, err := audit.MarshalPublicKey(pub)
	if err != nil {
		return fmt.Errorf("audit key: %w", err)
	}
	if *out != "" {
		if err := os.WriteFile(*out, pemKey, 0o644); err != nil {
			return fmt.Errorf("audit key: %w", err)
		}
	}
	fmt.Fprintf(stdout, "fingerprint %s\nkey id %s\n%s", audit.Fingerprint(pub), audit.KeyID(pub), pemKey)
	return nil
}
