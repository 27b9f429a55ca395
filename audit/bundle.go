// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package audit

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"time"

	"justizcloud/errs"
	"justizcloud/tenancy"
)

// Bundle is a self-contained proof about one document: the entries of the
// log that name it, each with its inclusion proof against one signed
// checkpoint, and the key that signed the checkpoint. Whoever holds it can
// check, with no server and no database, that the log recorded these
// entries about a document with this SHA-256 — provided they trust the key,
// which must be compared with the operator's published fingerprint: the
// bundle cannot vouch for its own key.
type Bundle struct {
	Tenant     tenancy.ID
	Document   string
	SHA256     string // lowercase hex, the document's content as recorded
	Checkpoint Checkpoint
	PublicKey  ed25519.PublicKey
	Entries    []BundleEntry // by ascending Seq
	// Complete is false when the document has more than MaxBundleEntries
	// entries: the bundle then holds the oldest MaxBundleEntries.
	Complete bool
}

// BundleEntry is one entry of a Bundle with its inclusion proof.
type BundleEntry struct {
	Seq   uint64
	Entry []byte // the exact stored encoding
	Proof []Hash // audit path in the tree of the checkpoint's size
}

// MaxBundleEntries bounds the entries of one bundle.
const MaxBundleEntries = 1000

// bundleFormat names the encoding of a bundle.
const bundleFormat = "justizcloud-document-proof/v1"

// Fingerprint names a public key in full: the lowercase hex SHA-256 of its
// 32 bytes. KeyID is its first 16 digits.
func Fingerprint(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:])
}

// DocumentBundle builds the proof bundle of document doc of tenant t whose
// content has the SHA-256 sha (lowercase hex). The checkpoint is the latest
// stored one when it covers every entry of the bundle; otherwise a new one
// is signed. The caller has checked that the subject may read the document.
func (l *Log) DocumentBundle(ctx context.Context, t tenancy.ID, doc, sha string) (Bundle, error) {
	recs, err := l.store.AuditRefs(ctx, t, RefQuery{Document: doc, Oldest: true, Limit: MaxBundleEntries + 1})
	if err != nil {
		return Bundle{}, fmt.Errorf("audit: bundle of %s: %w", doc, err)
	}
	b := Bundle{Tenant: t, Document: doc, SHA256: sha, PublicKey: l.signer.Public(), Complete: len(recs) <= MaxBundleEntries}
	recs = recs[:min(len(recs), MaxBundleEntries)]
	cp, err := l.store.LatestCheckpoint(ctx, t)
	if err != nil && !errors.Is(err, errs.ErrNotFound) {
		return Bundle{}, fmt.Errorf("audit: bundle of %s: %w", doc, err)
	}
	if err != nil || (len(recs) > 0 && recs[len(recs)-1].Seq >= cp.Size) {
		if cp, err = l.Checkpoint(ctx, t); err != nil {
			return Bundle{}, err
		}
	}
	b.Checkpoint = cp
	seqs := make([]uint64, len(recs))
	for i, r := range recs {
		seqs[i] = r.Seq
	}
	proofs, root, err := InclusionProofsAndRoot(seqs, cp.Size, l.reader(ctx, t))
	if err != nil {
		return Bundle{}, fmt.Errorf("audit: bundle of %s: %w", doc, err)
	}
	if root != cp.Root {
		return Bundle{}, fmt.Errorf("audit: bundle of %s: stored tree of size %d does not have the checkpoint's root", doc, cp.Size)
	}
	for i, r := range recs {
		b.Entries = append(b.Entries, BundleEntry{Seq: r.Seq, Entry: r.Data, Proof: proofs[i]})
	}
	return b, nil
}

// bundleWire is the JSON encoding of a Bundle. Hashes, keys and signatures
// are standard base64; an entry is its exact encoding as a JSON string.
type bundleWire struct {
	Format   string `json:"format"`
	Tenant   string `json:"tenant"`
	Document struct {
		ID     string `json:"id"`
		SHA256 string `json:"sha256"`
	} `json:"document"`
	Checkpoint struct {
		Size      uint64 `json:"size"`
		Root      string `json:"root"`
		Time      string `json:"time"`
		KeyID     string `json:"key_id"`
		Signature string `json:"signature"`
	} `json:"checkpoint"`
	PublicKey string `json:"public_key"`
	Complete  bool   `json:"complete"`
	Entries   []struct {
		Seq   uint64   `json:"seq"`
		Entry string   `json:"entry"`
		Proof []string `json:"proof"`
	} `json:"entries"`
}

var b64 = base64.StdEncoding.Strict()

// EncodeBundle returns b as indented JSON: format, tenant, document {id,
// sha256}, checkpoint {size, root, time, key_id, signature}, public_key,
// complete, and entries [{seq, entry, proof}].
func EncodeBundle(b Bundle) ([]byte, error) {
	var w bundleWire
	w.Format, w.Tenant = bundleFormat, string(b.Tenant)
	w.Document.ID, w.Document.SHA256 = b.Document, b.SHA256
	c := b.Checkpoint
	w.Checkpoint.Size, w.Checkpoint.Root = c.Size, b64.EncodeToString(c.Root[:])
	w.Checkpoint.Time, w.Checkpoint.KeyID = c.Time.UTC().Format(timeLayout), c.KeyID
	w.Checkpoint.Signature = b64.EncodeToString(c.Signature)
	w.PublicKey, w.Complete = b64.EncodeToString(b.PublicKey), b.Complete
	w.Entries = make([]struct {
		Seq   uint64   `json:"seq"`
		Entry string   `json:"entry"`
		Proof []string `json:"proof"`
	}, len(b.Entries))
	for i, e := range b.Entries {
		w.Entries[i].Seq, w.Entries[i].Entry = e.Seq, string(e.Entry)
		w.Entries[i].Proof = make([]string, len(e.Proof))
		for k, h := range e.Proof {
			w.Entries[i].Proof[k] = b64.EncodeToString(h[:])
		}
	}
	return json.MarshalIndent(w, "", "  ")
}

// DecodeBundle parses an encoding made by EncodeBundle. It refuses unknown
// keys, base64 that is not canonical and hex that is not lowercase, so
// that a changed byte is never read as the same bundle.
func DecodeBundle(data []byte) (Bundle, error) {
	var w bundleWire
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Bundle{}, fmt.Errorf("proof bundle: %w: %w", errs.ErrInvalid, err)
	}
	if dec.More() {
		return Bundle{}, fmt.Errorf("proof bundle: %w: data after the bundle", errs.ErrInvalid)
	}
	bad := func(what string, err error) (Bundle, error) {
		return Bundle{}, fmt.Errorf("proof bundle: %w: %s: %w", errs.ErrInvalid, what, err)
	}
	if w.Format != bundleFormat {
		return bad("format", fmt.Errorf("%q, want %q", w.Format, bundleFormat))
	}
	b := Bundle{Tenant: tenancy.ID(w.Tenant), Document: w.Document.ID, SHA256: w.Document.SHA256, Complete: w.Complete}
	pub, err := b64.DecodeString(w.PublicKey)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return bad("public_key", fmt.Errorf("want %d bytes of base64", ed25519.PublicKeySize))
	}
	b.PublicKey = pub
	c := Checkpoint{Tenant: b.Tenant, Size: w.Checkpoint.Size, KeyID: w.Checkpoint.KeyID}
	if err := decodeHash(w.Checkpoint.Root, &c.Root); err != nil {
		return bad("checkpoint root", err)
	}
	if c.Time, err = time.Parse(timeLayout, w.Checkpoint.Time); err != nil {
		return bad("checkpoint time", err)
	}
	if c.Signature, err = b64.DecodeString(w.Checkpoint.Signature); err != nil {
		return bad("checkpoint signature", err)
	}
	b.Checkpoint = c
	for i, we := range w.Entries {
		e := BundleEntry{Seq: we.Seq, Entry: []byte(we.Entry), Proof: make([]Hash, len(we.Proof))}
		for k, s := range we.Proof {
			if err := decodeHash(s, &e.Proof[k]); err != nil {
				return bad(fmt.Sprintf("entry %d proof node %d", i, k), err)
			}
		}
		b.Entries = append(b.Entries, e)
	}
	return b, nil
}

func decodeHash(s string, h *Hash) error {
	raw, err := b64.DecodeString(s)
	if err != nil {
		return err
	}
	if len(raw) != len(h) {
		return fmt.Errorf("%d bytes, want %d", len(raw), len(h))
	}
	copy(h[:], raw)
	return nil
}

// VerifyBundle checks b against the trusted key pub (pinned by the
// verifier, not taken from the bundle): that b's key is pub; that the
// checkpoint is signed by it; that b names a SHA-256 in lowercase hex; and
// that every entry decodes canonically, carries its own sequence number,
// names b's tenant and document and, where it names a hash, b's hash, and
// is included in the checkpoint's tree. At least one allowed entry must
// name b's hash, or nothing ties the hash to the log. It returns the
// decoded entries; the first failure is an error wrapping ErrVerify.
func VerifyBundle(b Bundle, pub ed25519.PublicKey) ([]Entry, error) {
	fail := func(format string, args ...any) ([]Entry, error) {
		return nil, fmt.Errorf("%w: %s", ErrVerify, fmt.Sprintf(format, args...))
	}
	if !pub.Equal(b.PublicKey) {
		return fail("the bundle's key %s is not the trusted key %s", Fingerprint(b.PublicKey), Fingerprint(pub))
	}
	if err := VerifyCheckpoint(b.Checkpoint, pub); err != nil {
		return nil, err
	}
	if raw, err := hex.DecodeString(b.SHA256); err != nil || len(raw) != sha256.Size || hex.EncodeToString(raw) != b.SHA256 {
		return fail("document SHA-256 %q is not 64 lowercase hex digits", b.SHA256)
	}
	if len(b.Entries) == 0 {
		return fail("the bundle holds no log entries about document %s", b.Document)
	}
	var out []Entry
	named := false
	for i, be := range b.Entries {
		if i > 0 && be.Seq <= b.Entries[i-1].Seq {
			return fail("entries are not in ascending order at entry %d", be.Seq)
		}
		e, err := Decode(be.Entry)
		if err != nil {
			return fail("entry %d: %s", be.Seq, err.Error())
		}
		switch {
		case e.Seq != be.Seq:
			return fail("entry %d names sequence number %d", be.Seq, e.Seq)
		case e.Tenant != b.Tenant:
			return fail("entry %d names tenant %s, the bundle %s", be.Seq, e.Tenant, b.Tenant)
		case e.Document != b.Document:
			return fail("entry %d names document %q, the bundle %q", be.Seq, e.Document, b.Document)
		case e.SHA256 != "" && e.SHA256 != b.SHA256:
			return fail("entry %d names SHA-256 %s, the bundle %s", be.Seq, e.SHA256, b.SHA256)
		case be.Seq >= b.Checkpoint.Size:
			return fail("entry %d is not in the checkpoint's tree of size %d", be.Seq, b.Checkpoint.Size)
		}
		if err := VerifyInclusion(be.Seq, b.Checkpoint.Size, HashLeaf(be.Entry), be.Proof, b.Checkpoint.Root); err != nil {
			return fail("entry %d is not included in the signed checkpoint (size %d): %s", be.Seq, b.Checkpoint.Size, err.Error())
		}
		named = named || (e.Outcome == Allowed && e.SHA256 == b.SHA256)
		out = append(out, e)
	}
	if !named {
		return fail("no allowed entry names the SHA-256 %s", b.SHA256)
	}
	return out, nil
}

// ParsePublicKey reads an Ed25519 key from PEM: a PUBLIC KEY (PKIX), or
// the PRIVATE KEY of audit-key.pem (PKCS #8), whose public half it returns.
func ParsePublicKey(data []byte) (ed25519.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	var k any
	var err error
	switch block.Type {
	case "PUBLIC KEY":
		k, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "PRIVATE KEY":
		var priv any
		if priv, err = x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
			if ek, ok := priv.(ed25519.PrivateKey); ok {
				k = ek.Public()
			}
		}
	default:
		return nil, fmt.Errorf("PEM block %q, want PUBLIC KEY", block.Type)
	}
	if err != nil {
		return nil, err
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%T is not an Ed25519 key", k)
	}
	return pub, nil
}

// MarshalPublicKey returns pub as a PEM PUBLIC KEY (PKIX), for publishing.
func MarshalPublicKey(pub ed25519.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}
