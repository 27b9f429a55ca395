// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package audit

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"justizcloud/tenancy"
)

// Checkpoint is a signed tree head: the root of a tenant's tree at a size.
type Checkpoint struct {
	Tenant    tenancy.ID
	Size      uint64
	Root      Hash
	Time      time.Time // UTC, microseconds
	KeyID     string    // KeyID of the signing key
	Signature []byte    // Ed25519 over SignedBody
}

// checkpointOrigin is the first line of every signed body.
const checkpointOrigin = "justizcloud-audit-checkpoint/v1"

// SignedBody returns the bytes the signature covers: five lines, each ended
// by a newline — the origin "justizcloud-audit-checkpoint/v1", the tenant,
// the size in decimal, the root in standard base64, and the time as UTC
// RFC 3339 with six fractional digits.
func (c Checkpoint) SignedBody() []byte {
	s := checkpointOrigin + "\n" + string(c.Tenant) + "\n" + strconv.FormatUint(c.Size, 10) + "\n" +
		base64.StdEncoding.EncodeToString(c.Root[:]) + "\n" + c.Time.UTC().Format(timeLayout) + "\n"
	return []byte(s)
}

// KeyID names a public key: the first 8 bytes of its SHA-256, in hex.
func KeyID(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:8])
}

// VerifyCheckpoint checks c's signature with pub.
func VerifyCheckpoint(c Checkpoint, pub ed25519.PublicKey) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: public key has %d bytes", ErrVerify, len(pub))
	}
	if c.KeyID != "" && c.KeyID != KeyID(pub) {
		return fmt.Errorf("%w: checkpoint signed by key %s, not %s", ErrVerify, c.KeyID, KeyID(pub))
	}
	if !ed25519.Verify(pub, c.SignedBody(), c.Signature) {
		return fmt.Errorf("%w: bad checkpoint signature (tenant %s, size %d)", ErrVerify, c.Tenant, c.Size)
	}
	return nil
}

// Signer signs checkpoints. FileSigner keeps the key in a file; an HSM
// implements the same two methods. Implementations are safe for concurrent use.
type Signer interface {
	Public() ed25519.PublicKey
	Sign(ctx context.Context, msg []byte) ([]byte, error)
}

// Sign fills in c's KeyID and Signature.
func Sign(ctx context.Context, s Signer, c Checkpoint) (Checkpoint, error) {
	c.Time = c.Time.UTC().Truncate(time.Microsecond)
	c.KeyID = KeyID(s.Public())
	sig, err := s.Sign(ctx, c.SignedBody())
	if err != nil {
		return Checkpoint{}, fmt.Errorf("audit: sign checkpoint: %w", err)
	}
	c.Signature = sig
	return c, nil
}

// FileSigner is an Ed25519 key kept in a PEM file (PKCS #8), mode 0600.
type FileSigner struct {
	key ed25519.PrivateKey
}

var _ Signer = (*FileSigner)(nil)

// OpenFileSigner reads the key at path, creating a new random key there
// (mode 0600, atomically) if the file does not exist. It refuses a file
// that group or others may access.
func OpenFileSigner(path string) (*FileSigner, error) {
	key, err := readKey(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := createKey(path); err != nil {
			return nil, err
		}
		key, err = readKey(path)
	}
	if err != nil {
		return nil, err
	}
	return &FileSigner{key: key}, nil
}

func readKey(path string) (ed25519.PrivateKey, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("audit key %s: %w", path, err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("audit key %s: mode %04o, want 0600", path, perm)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("audit key %s: %w", path, err)
	}
	block, _ := pem.Decode(raw)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("audit key %s: no PEM PRIVATE KEY block", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("audit key %s: %w", path, err)
	}
	ek, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("audit key %s: %T is not an Ed25519 key", path, k)
	}
	return ek, nil
}

// createKey writes a new key to a temporary file and links it to path, so
// that two processes starting together end up with the same key.
func createKey(path string) error {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("audit key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return fmt.Errorf("audit key: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("audit key: %w", err)
	}
	f, err := os.CreateTemp(dir, ".audit-key-*")
	if err != nil {
		return fmt.Errorf("audit key: %w", err)
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("audit key: %w", err)
	}
	if err := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		f.Close()
		return fmt.Errorf("audit key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("audit key: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("audit key: %w", err)
	}
	// Link fails if another process was faster; its key wins.
	if err := os.Link(f.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("audit key: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// Public returns the verification key.
func (s *FileSigner) Public() ed25519.PublicKey { return s.key.Public().(ed25519.PublicKey) }

// Sign signs msg with Ed25519.
func (s *FileSigner) Sign(_ context.Context, msg []byte) ([]byte, error) {
	return ed25519.Sign(s.key, msg), nil
}

// ReadPublicKey returns the public key of the key file at path without
// creating one; audit verify uses it.
func ReadPublicKey(path string) (ed25519.PublicKey, error) {
	k, err := readKey(path)
	if err != nil {
		return nil, err
	}
	return k.Public().(ed25519.PublicKey), nil
}
