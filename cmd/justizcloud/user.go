// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"justizcloud/authz"
	"justizcloud/identity"
	"justizcloud/tenancy"
)

const userUsage = `Usage:
  justizcloud user create --role ROLE --name NAME [--tenant DE-XX] [--court ID] [--org ORG] [--email ADDR]
  justizcloud user list [--tenant DE-XX | --outside]
  justizcloud user disable ID
  justizcloud user enable ID
(each with [--data DIR | --db URL])

Staff roles (with --tenant; richter, rechtspfleger, geschaeftsstelle and
gerichtsadmin also with --court): geschaeftsstelle, richter, rechtspfleger,
gerichtsadmin, landesadmin, leser. Outside roles (no tenant): rechtsanwalt,
behoerde, buerger. A user logs in through an OpenID provider: the first
login with a verified e-mail equal to --email links the account.`

// runUser manages user accounts as the operator of the installation: it
// acts as the Landesadmin of the user's tenant (DE for outside users).
func runUser(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(stdout, userUsage)
		if len(args) == 0 {
			return errors.New("no user command given")
		}
		return nil
	}
	var (
		cfg                                   config
		role, name, tenant, court, org, email string
		outside                               bool
	)
	fs := newFlagSet("user "+args[0], "Manages user accounts.\n\n"+userUsage, stderr)
	cfg.storageFlags(fs)
	switch args[0] {
	case "create":
		fs.StringVar(&role, "role", "", fmt.Sprintf("role, one of %v (required)", authz.Roles()))
		fs.StringVar(&name, "name", "", "display name (required)")
		fs.StringVar(&tenant, "tenant", "", "tenant of a staff user: DE or DE-BW … DE-TH")
		fs.StringVar(&court, "court", "", "court of a staff user (XJustiz ID)")
		fs.StringVar(&org, "org", "", "law firm or authority the user acts for (grants to org:ORG apply)")
		fs.StringVar(&email, "email", "", "e-mail address; a login with this verified address links the account")
	case "list":
		fs.StringVar(&tenant, "tenant", "", "list the staff of this tenant")
		fs.BoolVar(&outside, "outside", false, "list the lawyers, authorities and citizens")
	case "disable", "enable":
	default:
		return fmt.Errorf("unknown user command %q\n%s", args[0], userUsage)
	}
	rest, id := args[1:], ""
	if (args[0] == "disable" || args[0] == "enable") && len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		id, rest = rest[0], rest[1:] // the ID may come before the flags
	}
	if err := loadFlags(fs, rest, getenv); err != nil {
		return err
	}
	if err := cfg.validateStorage(); err != nil {
		return err
	}
	db, cat, err := openCommandDB(ctx, &cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	users := identity.NewUsers(db, cat, authz.NewAuthorizer(db, time.Now, 0), time.Now)
	operator := func(t tenancy.ID) authz.Subject {
		if t == "" {
			t = "DE"
		}
		return authz.Subject{ID: "cli", Tenant: t, Role: authz.Landesadmin}
	}
	switch args[0] {
	case "create":
		u, err := users.Create(ctx, operator(tenancy.ID(tenant)), identity.NewUser{Role: authz.Role(role), Tenant: tenancy.ID(tenant),
			Court: tenancy.CourtID(court), Org: org, Name: name, Email: email})
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, u.ID)
		return nil
	case "list":
		if outside == (tenant != "") {
			return errors.New("give either --tenant DE-XX or --outside")
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tROLE\tTENANT\tCOURT\tORG\tNAME\tEMAIL\tDISABLED")
		for after := ""; ; {
			page, err := users.List(ctx, operator(tenancy.ID(tenant)), outside, after, 1000)
			if err != nil {
				return err
			}
			for _, u := range page {
				disabled := ""
				if !u.DisabledAt.IsZero() {
					disabled = u.DisabledAt.Format(time.RFC3339)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Role, u.Tenant, u.Court, u.Org, u.Name, u.Email, disabled)
			}
			if len(page) < 1000 {
				break
			}
			after = page[len(page)-1].ID
		}
		return tw.Flush()
	default: // disable, enable
		if id == "" && fs.NArg() == 1 {
			id = fs.Arg(0)
		}
		if id == "" || fs.NArg() > 1 || fs.NArg() == 1 && id != fs.Arg(0) {
			return fmt.Errorf("usage: justizcloud user %s ID", args[0])
		}
		u, err := db.User(ctx, id)
		if err != nil {
			return fmt.Errorf("user %s: %w", id, err)
		}
		if _, err := users.SetDisabled(ctx, operator(u.Tenant), id, args[0] == "disable"); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %s %sd\n", id, args[0])
		return nil
	}
}
