// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package zustellung

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/identity"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
)

// Defaults of Options.
const (
	DefaultCodeTTL       = 30 * 24 * time.Hour
	DefaultMaxFailures   = 5
	DefaultFailureWindow = 15 * time.Minute
	maxDocuments         = 100
)

// Users resolves the account behind a participant (identity.UserStore
// implements it).
type Users interface {
	// User returns one user, or errs.ErrNotFound.
	User(ctx context.Context, id string) (identity.User, error)
}

// Notifier tells a person by e-mail that there is something new for them.
// It must not block the caller for long and never fails the caller: it
// reports its own errors (notify.Mailer).
type Notifier interface {
	Notify(ctx context.Context, email string)
}

// Options configure a Service.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
	// Catalog names the courts in letters and proofs; nil: the court's ID.
	Catalog *tenancy.Catalog
	// Users resolves participants' accounts: the method of service and
	// the address of the notification. Nil: every account is served by eEB
	// and nobody is notified.
	Users Users
	// Notifier sends the notifications; nil: none.
	Notifier Notifier
	// PublicURL is where recipients log in, printed in letters.
	PublicURL string
	// CodeTTL is how long a letter's access code may be redeemed
	// (DefaultCodeTTL when 0).
	CodeTTL time.Duration
	// MaxFailures failed redemptions per user, and per client, within
	// FailureWindow lock redemption for them until the oldest is out of
	// the window (defaults DefaultMaxFailures, DefaultFailureWindow).
	MaxFailures   int
	FailureWindow time.Duration
}

// Service orders service of documents and records it when it happens.
type Service struct {
	store Store
	cases *akte.Service
	proc  *verfahren.Service
	z     *authz.Authorizer
	o     Options
	lim   *limiter
}

// NewService returns a service over the store, the case file and the
// proceedings (for the events fired when served).
func NewService(st Store, cases *akte.Service, proc *verfahren.Service, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.CodeTTL <= 0 {
		o.CodeTTL = DefaultCodeTTL
	}
	if o.MaxFailures <= 0 {
		o.MaxFailures = DefaultMaxFailures
	}
	if o.FailureWindow <= 0 {
		o.FailureWindow = DefaultFailureWindow
	}
	return &Service{store: st, cases: cases, proc: proc, z: cases.Authorizer(), o: o, lim: newLimiter(o.MaxFailures, o.FailureWindow)}
}

// system is the subject the service acts as on a case: the Geschäftsstelle
// of the case's court, named after the Zustellung, so that the file's
// history says which service filed a document or fired an event.
func system(c akte.Case, id ID) authz.Subject {
	return authz.Subject{ID: "zustellung:" + string(id), Tenant: c.Tenant, Role: authz.Geschaeftsstelle, Court: c.Court, Name: "Zustellung"}
}

// New is the input of Order.
type New struct {
	Recipient akte.ParticipantID
	Documents []akte.DocumentID
	// Event is fired when served; it must be an event of the proceeding's
	// procedure that the Geschäftsstelle fires and that is allowed in the
	// current state. Empty: none.
	Event string
}

// Order orders service of documents of case id to a participant. The
// subject needs authz.ServeCase. The method follows from the participant's
// account; for a letter the access code is printed in the letter only and
// kept as a hash.
func (s *Service) Order(ctx context.Context, sub authz.Subject, id akte.CaseID, in New) (Zustellung, error) {
	c, err := s.cases.Case(ctx, sub, id)
	if err != nil {
		return Zustellung{}, fmt.Errorf("order service: %w", err)
	}
	if err := s.z.May(ctx, sub, authz.ServeCase, akte.CaseResource(c)); err != nil {
		return Zustellung{}, fmt.Errorf("order service: %w", err)
	}
	ps, err := s.cases.ParticipantsOf(ctx, sub, c)
	if err != nil {
		return Zustellung{}, fmt.Errorf("order service: %w", err)
	}
	i := slices.IndexFunc(ps, func(p akte.Participant) bool { return p.ID == in.Recipient })
	if i < 0 {
		return Zustellung{}, fmt.Errorf("order service: %w: field \"recipient\": %q is not a participant of this case", errs.ErrInvalid, in.Recipient)
	}
	p := ps[i]
	docs, err := s.documents(ctx, sub, c, in.Documents)
	if err != nil {
		return Zustellung{}, fmt.Errorf("order service: %w", err)
	}
	if err := s.checkEvent(ctx, sub, c, in.Event); err != nil {
		return Zustellung{}, fmt.Errorf("order service: %w", err)
	}
	method, user, err := s.method(ctx, p)
	if err != nil {
		return Zustellung{}, fmt.Errorf("order service: %w", err)
	}
	uid, err := uuid.NewV7()
	if err != nil {
		return Zustellung{}, fmt.Errorf("order service: %w", err)
	}
	now := s.o.Now().UTC()
	z := Zustellung{ID: ID(uid.String()), Tenant: c.Tenant, Case: c.ID, Recipient: p.ID, Method: method, Documents: docs,
		Event: in.Event, OrderedAt: now, OrderedBy: sub.ID}
	if method == Brief {
		code, err := newCode(c.Tenant)
		if err != nil {
			return Zustellung{}, fmt.Errorf("order service: %w", err)
		}
		h := codeHash(code)
		z.CodeHash, z.CodeExpires = h[:], now.Add(s.o.CodeTTL)
		pdf, err := s.letter(c, p, z, code)
		if err != nil {
			return Zustellung{}, fmt.Errorf("order service: letter: %w", err)
		}
		d, err := s.cases.AddDocument(ctx, system(c, z.ID), akte.NewDocument{Case: c.ID, Filename: "Zustellung-Zugangscode.pdf",
			ContentType: "application/pdf", Body: bytes.NewReader(pdf), Restricted: true})
		if err != nil {
			return Zustellung{}, fmt.Errorf("order service: letter: %w", err)
		}
		z.Letter = d.ID
	}
	if err := s.store.CreateZustellung(ctx, z); err != nil {
		return Zustellung{}, fmt.Errorf("order service: %w", err)
	}
	if user != nil {
		s.notify(ctx, z, *user)
	}
	return z, nil
}

// documents checks the documents to serve: at least one, each a document
// of the case that the subject reads and that is not restricted (the
// recipient could not open it).
func (s *Service) documents(ctx context.Context, sub authz.Subject, c akte.Case, ids []akte.DocumentID) ([]Document, error) {
	if len(ids) == 0 || len(ids) > maxDocuments {
		return nil, fmt.Errorf("%w: field \"documents\": name 1 to %d documents to serve", errs.ErrInvalid, maxDocuments)
	}
	var out []Document
	for _, id := range ids {
		if slices.ContainsFunc(out, func(d Document) bool { return d.ID == id }) {
			continue
		}
		d, err := s.cases.Document(ctx, sub, id)
		if err != nil || d.Case != c.ID {
			return nil, fmt.Errorf("%w: field \"documents\": %s is not a document of this case", errs.ErrInvalid, id)
		}
		if d.Restricted {
			return nil, fmt.Errorf("%w: field \"documents\": %s is restricted; the recipient could not open it", errs.ErrInvalid, id)
		}
		out = append(out, Document{ID: d.ID, Filename: d.Filename, SHA256: d.SHA256})
	}
	return out, nil
}

// checkEvent checks that the event to fire when served exists, is fired by
// the Geschäftsstelle, and is allowed in the proceeding's current state.
// Its guards are decided when it fires (the Zustellungsnachweis it needs
// does not exist yet).
func (s *Service) checkEvent(ctx context.Context, sub authz.Subject, c akte.Case, name string) error {
	if name == "" {
		return nil
	}
	if c.Procedure == "" || s.proc == nil {
		return fmt.Errorf("%w: field \"event\": a plain case file has no events", errs.ErrInvalid)
	}
	def, err := s.proc.Registry().Get(c.Procedure)
	if err != nil {
		return err
	}
	ev, ok := def.Event(name)
	if !ok || !slices.Contains(ev.Roles, string(authz.Geschaeftsstelle)) {
		return fmt.Errorf("%w: field \"event\": %q is not an event of %s that the Geschäftsstelle fires", errs.ErrInvalid, name, c.Procedure)
	}
	st, _, err := s.proc.Status(ctx, sub, c.ID)
	if err != nil {
		return err
	}
	if !slices.Contains(ev.From, st.State) {
		return fmt.Errorf("%w: field \"event\": %q is not allowed in state %q", errs.ErrConflict, name, st.State)
	}
	return nil
}

// method says how participant p is served, and for an account of a
// person, who that is.
func (s *Service) method(ctx context.Context, p akte.Participant) (Method, *identity.User, error) {
	switch {
	case p.Account == "":
		return Brief, nil, nil
	case strings.HasPrefix(p.Account, "org:") || s.o.Users == nil:
		return EEB, nil, nil
	}
	id, _ := strings.CutPrefix(p.Account, "user:")
	u, err := s.o.Users.User(ctx, id)
	if errors.Is(err, errs.ErrNotFound) {
		return "", nil, fmt.Errorf("%w: the recipient's account %s does not exist", errs.ErrConflict, p.Account)
	}
	if err != nil {
		return "", nil, err
	}
	if !u.DisabledAt.IsZero() {
		return "", nil, fmt.Errorf("%w: the recipient's account %s is disabled", errs.ErrConflict, p.Account)
	}
	switch u.Role {
	case authz.Rechtsanwalt, authz.Behoerde:
		return EEB, &u, nil
	case authz.Buerger:
		return Zugang, &u, nil
	}
	return "", nil, fmt.Errorf("%w: the recipient's account %s is court staff (%s), who are not served", errs.ErrConflict, p.Account, u.Role)
}

// notify tells the recipient that there is something new, without content.
func (s *Service) notify(ctx context.Context, z Zustellung, u identity.User) {
	if s.o.Notifier == nil {
		return
	}
	if u.Email == "" {
		s.o.Logger.InfoContext(ctx, "zustellung: recipient has no e-mail address; not notified", "zustellung", z.ID, "user", u.ID)
		return
	}
	s.o.Notifier.Notify(ctx, u.Email)
}

// Get returns a Zustellung of a proceeding the subject may read.
func (s *Service) Get(ctx context.Context, sub authz.Subject, id ID) (Zustellung, error) {
	z, c, err := s.load(ctx, sub, id)
	if err != nil {
		return Zustellung{}, err
	}
	return s.redact(ctx, sub, c, z), nil
}

// List lists the Zustellungen of a proceeding the subject may read, in the
// order they were ordered.
func (s *Service) List(ctx context.Context, sub authz.Subject, id akte.CaseID) ([]Zustellung, error) {
	c, err := s.cases.Case(ctx, sub, id)
	if err != nil {
		return nil, fmt.Errorf("zustellungen: %w", err)
	}
	zs, err := s.store.CaseZustellungen(ctx, c.Tenant, c.ID)
	if err != nil {
		return nil, fmt.Errorf("zustellungen: %w", err)
	}
	for i := range zs {
		zs[i] = s.redact(ctx, sub, c, zs[i])
	}
	return zs, nil
}

// load finds Zustellung id in the tenants the subject reaches; one of a
// proceeding the subject may not read is errs.ErrNotFound.
func (s *Service) load(ctx context.Context, sub authz.Subject, id ID) (Zustellung, akte.Case, error) {
	ts, err := s.z.Tenants(ctx, sub)
	if err != nil {
		return Zustellung{}, akte.Case{}, fmt.Errorf("zustellung %s: %w", id, err)
	}
	for _, t := range ts {
		z, err := s.store.Zustellung(ctx, t, id)
		if errors.Is(err, errs.ErrNotFound) {
			continue
		}
		if err != nil {
			return Zustellung{}, akte.Case{}, fmt.Errorf("zustellung %s: %w", id, err)
		}
		c, err := s.cases.Case(ctx, sub, z.Case)
		if err != nil {
			return Zustellung{}, akte.Case{}, fmt.Errorf("zustellung %s: %w", id, err)
		}
		return z, c, nil
	}
	return Zustellung{}, akte.Case{}, fmt.Errorf("zustellung %s: %w", id, errs.ErrNotFound)
}

// redact leaves out what the subject may not know: the letter (a
// restricted document with the access code) for whoever may not read
// restricted documents, and the code's hash always.
func (s *Service) redact(ctx context.Context, sub authz.Subject, c akte.Case, z Zustellung) Zustellung {
	z.CodeHash = nil
	if z.Letter != "" {
		r := akte.CaseResource(c)
		r.Document, r.Restricted = string(z.Letter), true
		if s.z.May(ctx, sub, authz.ReadDocument, r) != nil {
			z.Letter = ""
		}
	}
	return z
}

// isRecipient reports whether sub acts as the recipient participant of z:
// the participant's account is named by a beteiligt tuple in force on the
// proceeding that the subject holds (the user, or a member of the
// organisation). The tuples are the Authorizer's, the same that decide
// every other access to the file.
func (s *Service) isRecipient(ctx context.Context, sub authz.Subject, c akte.Case, z Zustellung) (bool, error) {
	if sub.Role.Staff() {
		return false, nil
	}
	ps, err := s.cases.ParticipantsOf(ctx, sub, c)
	if err != nil {
		return false, err
	}
	i := slices.IndexFunc(ps, func(p akte.Participant) bool { return p.ID == z.Recipient })
	if i < 0 || ps[i].Account == "" {
		return false, nil
	}
	rels, err := s.z.CaseRelations(ctx, string(c.ID))
	if err != nil {
		return false, err
	}
	now := s.o.Now()
	return slices.ContainsFunc(rels, func(t authz.Tuple) bool {
		return t.Relation == authz.PartyOf && t.Tenant == c.Tenant && t.Holder == ps[i].Account && t.Active(now) && t.Holds(sub)
	}), nil
}

// Acknowledge records the recipient's acknowledgement of receipt (eEB):
// the moment of service, with the SHA-256 of every served document as
// ordered. Only the recipient acknowledges (others who may read the file:
// errs.ErrForbidden); an acknowledged Zustellung is errs.ErrConflict, so
// that of concurrent acknowledgements exactly one serves.
func (s *Service) Acknowledge(ctx context.Context, sub authz.Subject, id ID) (Zustellung, error) {
	z, c, err := s.load(ctx, sub, id)
	if err != nil {
		return Zustellung{}, err
	}
	ok, err := s.isRecipient(ctx, sub, c, z)
	if err != nil {
		return Zustellung{}, fmt.Errorf("acknowledge %s: %w", id, err)
	}
	if !ok {
		return Zustellung{}, fmt.Errorf("acknowledge %s: %w: only the recipient acknowledges receipt", id, errs.ErrForbidden)
	}
	if z.Method != EEB {
		return Zustellung{}, fmt.Errorf("acknowledge %s: %w: served by %s, not by acknowledgement of receipt", id, errs.ErrConflict, z.Method)
	}
	if z.Served() {
		return Zustellung{}, fmt.Errorf("acknowledge %s: %w: already served at %s", id, errs.ErrConflict, z.ServedAt.Format(time.RFC3339))
	}
	z, err = s.serve(ctx, c, z, s.o.Now().UTC(), by(sub))
	if err != nil {
		return Zustellung{}, fmt.Errorf("acknowledge %s: %w", id, err)
	}
	return s.redact(ctx, sub, c, z), nil
}

// by names the person a subject is, for ServedBy.
func by(sub authz.Subject) string {
	if sub.User != "" {
		return sub.User
	}
	return sub.ID
}

// Accessed is the akte.Options.OnContent hook: a download of a served
// document by the recipient of an open Zustellung by access (Zugang) is
// its moment of service. Court staff return at once; anybody else costs
// one indexed query. Errors are logged: the download goes on.
func (s *Service) Accessed(ctx context.Context, sub authz.Subject, d akte.Document) {
	if sub.Role.Staff() || sub.User == "" && sub.Org == "" {
		return
	}
	at := s.o.Now().UTC()
	zs, err := s.store.OpenZustellungen(ctx, d.Tenant, d.ID, Zugang)
	if err != nil {
		s.o.Logger.ErrorContext(ctx, "zustellung: open service of a downloaded document", "document", d.ID, "err", err)
		return
	}
	for _, z := range zs {
		c, err := s.cases.Case(ctx, sub, z.Case)
		if err != nil {
			continue
		}
		if ok, err := s.isRecipient(ctx, sub, c, z); err != nil || !ok {
			continue
		}
		if _, err := s.serve(ctx, c, z, at, by(sub)); err != nil && !errors.Is(err, errs.ErrConflict) {
			s.o.Logger.ErrorContext(ctx, "zustellung: service by download", "zustellung", z.ID, "err", err)
		}
	}
}

// errBadCode is the one answer to a code that is unknown, used or expired,
// so that an answer does not tell which.
var errBadCode = fmt.Errorf("%w: the access code is unknown, used or expired", errs.ErrInvalid)

// Redeem redeems a letter's access code for the citizen sub (role buerger,
// a person's account): the recipient participant is linked to the
// citizen's account (akte's participant update, which also drops the
// authorization cache), and that moment is recorded as service. A code is
// single-use and expires. Failed attempts are counted per user and per
// client (e.g. the IP address); after MaxFailures within FailureWindow the
// answer is a *TooManyAttemptsError, whatever the code.
func (s *Service) Redeem(ctx context.Context, sub authz.Subject, client, code string) (Zustellung, error) {
	if sub.Role != authz.Buerger || sub.User == "" {
		return Zustellung{}, fmt.Errorf("redeem access code: %w: access codes are redeemed with a citizen's account", errs.ErrForbidden)
	}
	now := s.o.Now().UTC()
	keys := []string{"user:" + sub.User, "client:" + client}
	if w := s.lim.wait(now, keys...); w > 0 {
		return Zustellung{}, &TooManyAttemptsError{RetryAfter: w}
	}
	fail := func(err error) (Zustellung, error) {
		s.lim.fail(now, keys...)
		return Zustellung{}, fmt.Errorf("redeem access code: %w", err)
	}
	t, canonical, err := parseCode(code)
	if err != nil {
		return fail(err)
	}
	z, err := s.store.ZustellungByCode(ctx, t, codeHash(canonical))
	if errors.Is(err, errs.ErrNotFound) {
		return fail(errBadCode)
	}
	if err != nil {
		return Zustellung{}, fmt.Errorf("redeem access code: %w", err)
	}
	if z.Served() || !z.CodeUsedAt.IsZero() || !now.Before(z.CodeExpires) {
		return fail(errBadCode)
	}
	if err := s.store.ClaimCode(ctx, t, z.ID, now, sub.User); errors.Is(err, errs.ErrConflict) {
		return fail(errBadCode)
	} else if err != nil {
		return Zustellung{}, fmt.Errorf("redeem access code: %w", err)
	}
	c, err := s.link(ctx, z, sub.User)
	if err != nil {
		if rerr := s.store.ReleaseCode(context.WithoutCancel(ctx), t, z.ID); rerr != nil {
			s.o.Logger.ErrorContext(ctx, "zustellung: release access code after a failed redemption", "zustellung", z.ID, "err", rerr)
		}
		return Zustellung{}, fmt.Errorf("redeem access code: %w", err)
	}
	z.CodeUsedAt, z.CodeUsedBy = now, sub.User
	z, err = s.serve(ctx, c, z, now, sub.User)
	if err != nil {
		return Zustellung{}, fmt.Errorf("redeem access code: %w", err)
	}
	return s.redact(ctx, sub, c, z), nil
}

// link links the recipient participant of z to the user's account.
func (s *Service) link(ctx context.Context, z Zustellung, user string) (akte.Case, error) {
	sys := authz.Subject{ID: "zustellung:" + string(z.ID), Tenant: z.Tenant, Role: authz.Landesadmin, Name: "Zustellung"}
	c, err := s.cases.Case(ctx, sys, z.Case)
	if err != nil {
		return akte.Case{}, err
	}
	sys = system(c, z.ID)
	ps, err := s.cases.ParticipantsOf(ctx, sys, c)
	if err != nil {
		return akte.Case{}, err
	}
	i := slices.IndexFunc(ps, func(p akte.Participant) bool { return p.ID == z.Recipient })
	if i < 0 {
		return akte.Case{}, fmt.Errorf("%w: the recipient is no longer a participant of the proceeding", errs.ErrConflict)
	}
	p, ref := ps[i], authz.UserRef(user)
	if slices.ContainsFunc(ps, func(q akte.Participant) bool { return q.ID != p.ID && q.Account == ref }) {
		return akte.Case{}, fmt.Errorf("%w: your account already takes part in this proceeding in another role", errs.ErrConflict)
	}
	switch p.Account {
	case ref:
		return c, nil
	case "":
	default:
		return akte.Case{}, fmt.Errorf("%w: the recipient is already linked to another account", errs.ErrConflict)
	}
	_, err = s.cases.UpdateParticipant(ctx, sys, c.ID, p.ID, akte.NewParticipant{Role: p.Role, Name: p.Name, Address: p.Address,
		Represents: p.Represents, Account: ref})
	return c, err
}
