// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package identity

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

// User is a person's account: court staff of one tenant (and court), or a
// lawyer, an authority's clerk or a citizen, who belong to no tenant.
type User struct {
	ID     string
	Tenant tenancy.ID // staff only
	Role   authz.Role
	Court  tenancy.CourtID // staff bound to one court; required for richter, rechtspfleger, geschaeftsstelle, gerichtsadmin
	Org    string          // law firm or authority the user acts for (optional)
	Name   string
	Email  string // lower-case; unique when set
	// CreatedAt and DisabledAt: a disabled user cannot log in, and their
	// tokens and sessions stop working.
	CreatedAt  time.Time
	DisabledAt time.Time
}

// Subject is what the user acts as.
func (u User) Subject() authz.Subject {
	return authz.Subject{ID: u.ID, Tenant: u.Tenant, Role: u.Role, Court: u.Court, User: u.ID, Name: u.Name, Org: u.Org}
}

// Link ties an identity at an OpenID provider (issuer and subject claim) to a user.
type Link struct {
	Issuer    string
	Subject   string
	User      string
	CreatedAt time.Time
}

// UserStore persists users and their provider links. Implementations are
// safe for concurrent use.
type UserStore interface {
	// CreateUser stores a new user; a taken ID or e-mail yields errs.ErrConflict.
	CreateUser(ctx context.Context, u User) error
	// UpdateUser changes name, e-mail, role, court, org and DisabledAt.
	UpdateUser(ctx context.Context, u User) error
	// User returns one user, or errs.ErrNotFound.
	User(ctx context.Context, id string) (User, error)
	// UserByEmail returns the user with that (lower-case) e-mail, or errs.ErrNotFound.
	UserByEmail(ctx context.Context, email string) (User, error)
	// Users lists the users of a tenant ("" for the users without one),
	// ordered by ID, after the given ID.
	Users(ctx context.Context, tenant tenancy.ID, after string, limit int) ([]User, error)
	// LinkIdentity stores a link; a taken (issuer, subject) yields errs.ErrConflict.
	LinkIdentity(ctx context.Context, l Link) error
	// UserByIdentity returns the user linked to (issuer, subject), or errs.ErrNotFound.
	UserByIdentity(ctx context.Context, issuer, subject string) (User, error)
}

// Users manages accounts. Every change is authorized with authz (action
// users.manage) by the caller's subject.
type Users struct {
	store UserStore
	cat   *tenancy.Catalog
	z     *authz.Authorizer
	now   func() time.Time
}

// NewUsers returns the account service.
func NewUsers(st UserStore, cat *tenancy.Catalog, z *authz.Authorizer, now func() time.Time) *Users {
	return &Users{store: st, cat: cat, z: z, now: now}
}

// NewUser is the input of Create.
type NewUser struct {
	Role   authz.Role
	Tenant tenancy.ID
	Court  tenancy.CourtID
	Org    string
	Name   string
	Email  string
}

// courtBound are the staff roles whose holders always work at one court.
var courtBound = []authz.Role{authz.Geschaeftsstelle, authz.Richter, authz.Rechtspfleger, authz.Gerichtsadmin}

// Create adds a user. Staff are created by their tenant's (or court's)
// administrators; outside users (lawyers, authorities, citizens) by any
// administrator, or by Provision at their first login.
func (us *Users) Create(ctx context.Context, by authz.Subject, in NewUser) (User, error) {
	u, err := us.check(in)
	if err != nil {
		return User{}, fmt.Errorf("create user: %w", err)
	}
	res := authz.Resource{Tenant: u.Tenant, Court: u.Court}
	if !u.Role.Staff() {
		res = authz.Resource{Tenant: by.Tenant} // outside users: any administrator
	}
	if err := us.z.May(ctx, by, authz.ManageUsers, res); err != nil {
		return User{}, fmt.Errorf("create user: %w", err)
	}
	if u.Role == authz.Landesadmin && by.Role != authz.Landesadmin {
		return User{}, fmt.Errorf("create user: %w: only a Landesadmin creates another", errs.ErrForbidden)
	}
	return us.insert(ctx, u)
}

func (us *Users) insert(ctx context.Context, u User) (User, error) {
	var id [9]byte
	if _, err := rand.Read(id[:]); err != nil {
		return User{}, fmt.Errorf("create user: %w", err)
	}
	u.ID = "usr_" + base64.RawURLEncoding.EncodeToString(id[:])
	u.CreatedAt = us.now().UTC()
	if err := us.store.CreateUser(ctx, u); err != nil {
		return User{}, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// check validates a new user's fields against the role and the court list.
func (us *Users) check(in NewUser) (User, error) {
	u := User{Role: in.Role, Tenant: in.Tenant, Court: in.Court, Org: strings.TrimSpace(in.Org),
		Name: strings.TrimSpace(in.Name), Email: strings.ToLower(strings.TrimSpace(in.Email))}
	if _, err := authz.ParseRole(string(u.Role)); err != nil {
		return User{}, fmt.Errorf("field \"role\": %w", err)
	}
	switch {
	case u.Name == "" || !utf8.ValidString(u.Name) || len(u.Name) > 200:
		return User{}, fmt.Errorf("%w: field \"name\" must be 1 to 200 bytes of UTF-8", errs.ErrInvalid)
	case len(u.Org) > 200 || !utf8.ValidString(u.Org):
		return User{}, fmt.Errorf("%w: field \"org\" must be at most 200 bytes of UTF-8", errs.ErrInvalid)
	}
	if u.Email != "" {
		if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email || len(u.Email) > 254 {
			return User{}, fmt.Errorf("%w: field \"email\" is not an e-mail address", errs.ErrInvalid)
		}
	}
	if !u.Role.Staff() {
		if u.Tenant != "" || u.Court != "" {
			return User{}, fmt.Errorf("%w: a %s belongs to no tenant or court", errs.ErrInvalid, u.Role)
		}
		return u, nil
	}
	if _, err := tenancy.Parse(string(u.Tenant)); err != nil {
		return User{}, fmt.Errorf("field \"tenant\": %w", err)
	}
	if u.Court == "" {
		for _, r := range courtBound {
			if u.Role == r {
				return User{}, fmt.Errorf("%w: field \"court\": a %s works at a court", errs.ErrInvalid, u.Role)
			}
		}
		return u, nil
	}
	c, err := us.cat.Court(u.Court)
	if err != nil {
		return User{}, fmt.Errorf("field \"court\": %w", err)
	}
	if c.Tenant != u.Tenant {
		return User{}, fmt.Errorf("%w: field \"court\": %s (%s) belongs to %s, not %s", errs.ErrInvalid, c.ID, c.Name, c.Tenant, u.Tenant)
	}
	return u, nil
}

// Get returns a user the subject may manage, or the subject's own account.
func (us *Users) Get(ctx context.Context, by authz.Subject, id string) (User, error) {
	u, err := us.store.User(ctx, id)
	if err != nil {
		return User{}, fmt.Errorf("user %s: %w", id, err)
	}
	if by.User == u.ID {
		return u, nil
	}
	if err := us.z.May(ctx, by, authz.ManageUsers, us.resource(by, u)); err != nil {
		return User{}, fmt.Errorf("user %s: %w", id, err)
	}
	return u, nil
}

// List returns the users of the subject's tenant (staff admins), or the
// outside users (tenant "none"), keyset-paginated by ID.
func (us *Users) List(ctx context.Context, by authz.Subject, outside bool, after string, limit int) ([]User, error) {
	t := by.Tenant
	if outside {
		t = ""
	}
	if err := us.z.May(ctx, by, authz.ManageUsers, authz.Resource{Tenant: by.Tenant}); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	us2, err := us.store.Users(ctx, t, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	if by.Court != "" { // a court's administrator sees that court's staff
		kept := us2[:0]
		for _, u := range us2 {
			if !u.Role.Staff() || u.Court == by.Court {
				kept = append(kept, u)
			}
		}
		us2 = kept
	}
	return us2, nil
}

// SetDisabled disables or re-enables an account.
func (us *Users) SetDisabled(ctx context.Context, by authz.Subject, id string, disabled bool) (User, error) {
	u, err := us.store.User(ctx, id)
	if err != nil {
		return User{}, fmt.Errorf("user %s: %w", id, err)
	}
	if err := us.z.May(ctx, by, authz.ManageUsers, us.resource(by, u)); err != nil {
		return User{}, fmt.Errorf("user %s: %w", id, err)
	}
	u.DisabledAt = time.Time{}
	if disabled {
		u.DisabledAt = us.now().UTC()
	}
	if err := us.store.UpdateUser(ctx, u); err != nil {
		return User{}, fmt.Errorf("user %s: %w", id, err)
	}
	return u, nil
}

// resource is what managing user u means to authz: staff within their
// tenant and court; outside users for every administrator.
func (us *Users) resource(by authz.Subject, u User) authz.Resource {
	if u.Role.Staff() {
		return authz.Resource{Tenant: u.Tenant, Court: u.Court}
	}
	return authz.Resource{Tenant: by.Tenant}
}

// Active returns the user with id if the account is enabled; otherwise
// errs.ErrUnauthenticated. Tokens and sessions of a user resolve through it,
// so that a disabled account stops working at once.
func (us *Users) Active(ctx context.Context, id string) (User, error) {
	u, err := us.store.User(ctx, id)
	if errors.Is(err, errs.ErrNotFound) {
		return User{}, fmt.Errorf("user %s: %w", id, errs.ErrUnauthenticated)
	}
	if err != nil {
		return User{}, fmt.Errorf("user %s: %w", id, err)
	}
	if !u.DisabledAt.IsZero() {
		return User{}, fmt.Errorf("user %s: disabled: %w", id, errs.ErrUnauthenticated)
	}
	return u, nil
}

// SubjectOf is Active as the subject the user acts as (akte.AccountLookup).
func (us *Users) SubjectOf(ctx context.Context, id string) (authz.Subject, error) {
	u, err := us.Active(ctx, id)
	if err != nil {
		return authz.Subject{}, err
	}
	return u.Subject(), nil
}

// Claims are the verified facts an OpenID provider states about a person.
type Claims struct {
	Issuer        string
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
}

// Login resolves a verified login to an account:
//   - an identity linked before logs in as its user;
//   - otherwise a user created in advance with the same verified e-mail
//     (staff, lawyers) is linked on this first login;
//   - otherwise, when the provider provisions accounts (provision is not
//     empty; only outside roles, e.g. buerger for a citizens' provider), a
//     new user with that role is created and linked;
//   - otherwise the login is refused (errs.ErrUnauthenticated).
//
// Disabled accounts are refused.
func (us *Users) Login(ctx context.Context, c Claims, provision authz.Role) (User, error) {
	if c.Issuer == "" || c.Subject == "" {
		return User{}, fmt.Errorf("login: %w: issuer and subject are required", errs.ErrInvalid)
	}
	u, err := us.store.UserByIdentity(ctx, c.Issuer, c.Subject)
	switch {
	case err == nil:
		return us.Active(ctx, u.ID)
	case !errors.Is(err, errs.ErrNotFound):
		return User{}, fmt.Errorf("login: %w", err)
	}
	email := strings.ToLower(strings.TrimSpace(c.Email))
	if email != "" && c.EmailVerified {
		u, err = us.store.UserByEmail(ctx, email)
		if err == nil {
			if err := us.link(ctx, c, u.ID); err != nil {
				return User{}, err
			}
			return us.Active(ctx, u.ID)
		}
		if !errors.Is(err, errs.ErrNotFound) {
			return User{}, fmt.Errorf("login: %w", err)
		}
	}
	if provision == "" {
		return User{}, fmt.Errorf("login: no account for this identity: %w", errs.ErrUnauthenticated)
	}
	if provision.Staff() {
		return User{}, fmt.Errorf("login: %w: a provider provisions outside roles only, not %s", errs.ErrInvalid, provision)
	}
	name := c.Name
	if name == "" {
		name = email
	}
	if name == "" {
		name = c.Subject
	}
	in := NewUser{Role: provision, Name: name}
	if c.EmailVerified {
		in.Email = email
	}
	u, err = us.check(in)
	if err != nil {
		return User{}, fmt.Errorf("login: %w", err)
	}
	if u, err = us.insert(ctx, u); err != nil {
		return User{}, fmt.Errorf("login: %w", err)
	}
	if err := us.link(ctx, c, u.ID); err != nil {
		return User{}, err
	}
	return u, nil
}

func (us *Users) link(ctx context.Context, c Claims, user string) error {
	if err := us.store.LinkIdentity(ctx, Link{Issuer: c.Issuer, Subject: c.Subject, User: user, CreatedAt: us.now().UTC()}); err != nil {
		return fmt.Errorf("login: link identity: %w", err)
	}
	return nil
}
