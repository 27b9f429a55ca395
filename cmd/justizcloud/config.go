// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"justizcloud/blob/s3blob"
)

// config is the one typed configuration of every command, filled from flags,
// JUSTIZCLOUD_* variables and *_FILE secrets, and validated once.
type config struct {
	Addr            string
	Data            string
	DB              string // empty: SQLite file under Data
	Keyring         string // keyring file; empty: keyring.json under Data
	Blob            string // fs or s3
	S3              s3blob.Config
	MaxUpload       byteSize
	UploadTimeout   time.Duration
	ShutdownTimeout time.Duration
	Demo            bool
	LogLevel        string
	LogFormat       string
	Login           loginConfig // serve: OIDC login, sessions, TLS, limits
}

// storageFlags registers the flags that say where data lives; every command that opens the store uses them.
func (c *config) storageFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Data, "data", "./data", "data folder of the embedded default (SQLite file, keyring, encrypted blobs)")
	fs.StringVar(&c.DB, "db", "", "database: empty for SQLite under --data, or postgres://user@host:port/db")
	fs.StringVar(&c.Keyring, "keyring", "", "keyring file with the tenants' key-encryption keys (default: keyring.json under --data; replicas share one)")
	fs.StringVar(&c.Blob, "blob", "fs", "blob driver: fs (under --data) or s3")
	fs.StringVar(&c.S3.Endpoint, "s3-endpoint", "", "S3 endpoint host:port (with --blob s3)")
	fs.StringVar(&c.S3.Bucket, "s3-bucket", "justizcloud", "S3 bucket")
	fs.StringVar(&c.S3.AccessKey, "s3-access-key", "", "S3 access key")
	fs.StringVar(&c.S3.SecretKey, "s3-secret-key", "", "S3 secret key (prefer JUSTIZCLOUD_S3_SECRET_KEY_FILE)")
	fs.StringVar(&c.S3.Region, "s3-region", "us-east-1", "S3 region")
	fs.BoolVar(&c.S3.UseTLS, "s3-tls", false, "use HTTPS for S3")
}

// loadFlags parses args after applying defaults from the environment:
// JUSTIZCLOUD_<NAME> sets a flag, JUSTIZCLOUD_<NAME>_FILE reads it from a file.
// Flags on the command line win.
func loadFlags(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil {
			return
		}
		env := "JUSTIZCLOUD_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		val, ok := getenv(env), getenv(env) != ""
		if file := getenv(env + "_FILE"); file != "" {
			b, rerr := os.ReadFile(file)
			if rerr != nil {
				err = fmt.Errorf("%s_FILE: %w", env, rerr)
				return
			}
			val, ok = strings.TrimRight(string(b), "\r\n"), true
		}
		if ok {
			if serr := f.Value.Set(val); serr != nil {
				err = fmt.Errorf("%s: %w", env, serr)
			}
		}
	})
	if err != nil {
		return err
	}
	return fs.Parse(args)
}

func (c *config) validateStorage() error {
	if c.Data == "" {
		return fmt.Errorf("--data must not be empty")
	}
	abs, err := filepath.Abs(c.Data)
	if err != nil {
		return fmt.Errorf("--data: %w", err)
	}
	c.Data = abs
	if c.DB != "" && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") {
		return fmt.Errorf("--db must be empty (SQLite under --data) or a postgres:// URL")
	}
	switch c.Blob {
	case "fs":
	case "s3":
		if c.S3.Endpoint == "" || c.S3.AccessKey == "" || c.S3.SecretKey == "" {
			return fmt.Errorf("--blob s3 needs --s3-endpoint, --s3-access-key and --s3-secret-key")
		}
	default:
		return fmt.Errorf("--blob must be fs or s3, not %q", c.Blob)
	}
	return nil
}

// keyringPath is the keyring file: the configured one or keyring.json under --data.
func (c *config) keyringPath() string {
	if c.Keyring != "" {
		return c.Keyring
	}
	return filepath.Join(c.Data, "keyring.json")
}

// dbDSN is the database to open: the configured URL or the SQLite file under --data.
func (c *config) dbDSN() string {
	if c.DB != "" {
		return c.DB
	}
	return filepath.Join(c.Data, "justizcloud.db")
}

// byteSize is a flag value in bytes that accepts suffixes: 100MiB, 8MiB, 2GiB, 512KiB.
type byteSize int64

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }

func (b *byteSize) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	*b = byteSize(n)
	return nil
}

func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}}
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("invalid size %q (use e.g. 100MiB)", s)
	}
	return n * mult, nil
}

// newFlagSet returns a flag set whose --help prints the summary and the flags.
func newFlagSet(name, summary string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: justizcloud %s [flags]\n\n%s\n\nFlags:\n", name, summary)
		fs.PrintDefaults()
	}
	return fs
}
