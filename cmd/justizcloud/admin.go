// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"justizcloud/authz"
	"justizcloud/blob"
	"justizcloud/errs"
	"justizcloud/identity"
	"justizcloud/tenancy"
)

// readinessKey is probed by /readyz; it need not exist.
var readinessKey = blob.Key{Tenant: "DE", Name: "readyz"}

func isNotFound(err error) bool { return errors.Is(err, errs.ErrNotFound) }

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("migrate", "Applies the database migrations and seeds the reference data (tenants, courts).\nserve does this too; run it alone before starting several replicas.", stderr)
	cfg.storageFlags(fs)
	if err := loadFlags(fs, args, getenv); err != nil {
		return err
	}
	if err := cfg.validateStorage(); err != nil {
		return err
	}
	db, _, err := openCommandDB(ctx, &cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "database %s is up to date\n", dbKind(cfg.DB))
	return nil
}

func runToken(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintln(stdout, "Usage: justizcloud token create (--tenant DE-BY --role geschaeftsstelle [--court ID] | --user ID) [--data DIR | --db URL]")
			return nil
		}
		return errors.New("usage: justizcloud token create --tenant DE-BY --role geschaeftsstelle [--court ID]")
	}
	var (
		cfg                        config
		tenant, role, court, label string
		user                       string
		ttl                        time.Duration
	)
	fs := newFlagSet("token create", "Creates an API token and prints it on stdout. Only its hash is stored; it\nworks at once against a running server that uses the same data.", stderr)
	cfg.storageFlags(fs)
	fs.StringVar(&tenant, "tenant", "", "tenant: DE or DE-BW … DE-TH (required)")
	fs.StringVar(&role, "role", "", fmt.Sprintf("role, one of %v (required)", authz.Roles()))
	fs.StringVar(&court, "court", "", "bind the token to one court (XJustiz ID)")
	fs.StringVar(&label, "label", "", "a note on what the token is for")
	fs.StringVar(&user, "user", "", "issue the token to a user account: it acts as that user (role, court, relations) and stops when the account is disabled; replaces --tenant/--role/--court")
	fs.DurationVar(&ttl, "ttl", 0, "lifetime (e.g. 720h); 0 means no expiry")
	if err := loadFlags(fs, args[1:], getenv); err != nil {
		return err
	}
	if err := cfg.validateStorage(); err != nil {
		return err
	}
	if user != "" {
		if tenant != "" || role != "" || court != "" {
			return errors.New("--user replaces --tenant, --role and --court")
		}
		return issueUserToken(ctx, &cfg, user, label, ttl, stdout, stderr)
	}
	t, err := tenancy.Parse(tenant)
	if err != nil {
		return fmt.Errorf("--tenant: %w", err)
	}
	r, err := authz.ParseRole(role)
	if err != nil {
		return fmt.Errorf("--role: %w", err)
	}
	db, cat, err := openCommandDB(ctx, &cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if court != "" {
		c, err := cat.Court(tenancy.CourtID(court))
		if err != nil {
			return fmt.Errorf("--court: %w", err)
		}
		if c.Tenant != t {
			return fmt.Errorf("--court: %s (%s) belongs to %s, not %s", c.ID, c.Name, c.Tenant, t)
		}
	}
	secret, _, err := identity.NewTokens(db, nil, time.Now).Issue(ctx, authz.Subject{Tenant: t, Role: r, Court: tenancy.CourtID(court)}, label, ttl)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, secret)
	return nil
}

// issueUserToken issues a token that acts as an enabled user account.
func issueUserToken(ctx context.Context, cfg *config, user, label string, ttl time.Duration, stdout, stderr io.Writer) error {
	db, cat, err := openCommandDB(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	users := identity.NewUsers(db, cat, authz.NewAuthorizer(db, time.Now, 0), time.Now)
	u, err := users.Active(ctx, user)
	if err != nil {
		return fmt.Errorf("--user: %w", err)
	}
	secret, _, err := identity.NewTokens(db, users, time.Now).Issue(ctx, u.Subject(), label, ttl)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, secret)
	return nil
}
