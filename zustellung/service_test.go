// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package zustellung_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/frist"
	"justizcloud/identity"
	"justizcloud/search"
	"justizcloud/sqlstore"
	"justizcloud/sqlstore/pgtest"
	"justizcloud/sqlstore/storetest"
	"justizcloud/verfahren"
	"justizcloud/zustellung"
)

type fixture struct {
	db    *sqlstore.DB
	cases *akte.Service
	proc  *verfahren.Service
	svc   *zustellung.Service
	now   time.Time // the zustellung service's clock; zero: the real one
	mu    sync.Mutex
	gs    authz.Subject
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.now.IsZero() {
		return time.Now()
	}
	return f.now
}

func (f *fixture) set(t time.Time) {
	f.mu.Lock()
	f.now = t
	f.mu.Unlock()
}

// newDSN names the database of a fixture: empty for SQLite; the
// PostgreSQL test runs the same tests with pgtest.DSN.
var newDSN = func(*testing.T) string { return "" }

func mustFixture(t *testing.T) *fixture {
	t.Helper()
	b := storetest.Open(t, newDSN(t))
	db, cat := b.DB, b.Catalog
	f := &fixture{db: db, gs: authz.Subject{ID: "gs", Tenant: "DE-BY", Role: authz.Geschaeftsstelle, Court: "D2601"}}
	var svc *zustellung.Service
	f.cases = akte.NewService(db, b.Blobs, cat, akte.Options{
		DocumentClass: func(n string) bool { _, ok := verfahren.DocumentClassCode(n); return ok },
		OnContent:     func(ctx context.Context, sub authz.Subject, d akte.Document) { svc.Accessed(ctx, sub, d) },
	})
	reg, err := verfahren.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	f.proc = verfahren.NewService(f.cases, db, reg, frist.NewCalendar(cat), time.Now)
	svc = zustellung.NewService(db, f.cases, f.proc, zustellung.Options{Now: f.clock, Catalog: cat, Users: db})
	f.svc = svc
	return f
}

// mustCase files a zivil-online claim with a claimant and a defendant
// (account as given) and registers it.
func (f *fixture) mustCase(t *testing.T, account string) (akte.Case, akte.Participant, akte.Document) {
	t.Helper()
	ctx := context.Background()
	c, err := f.proc.CreateCase(ctx, f.gs, akte.NewCase{Court: "D2601", Register: "C", Procedure: "zivil-online", Subject: "Kaufpreis"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.cases.AddParticipant(ctx, f.gs, c.ID, akte.NewParticipant{Role: "klaeger", Name: "Erika Mustermann"}); err != nil {
		t.Fatal(err)
	}
	p, err := f.cases.AddParticipant(ctx, f.gs, c.ID, akte.NewParticipant{Role: "beklagter", Name: "Bernd Beispiel", Address: "Hauptstr. 1, 80331 München", Account: account})
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.cases.AddDocument(ctx, f.gs, akte.NewDocument{Case: c.ID, Filename: "klage.pdf", ContentType: "application/pdf",
		Body: strings.NewReader("%PDF-1.7 Klage"), Class: "Klage"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.proc.Fire(ctx, f.gs, c.ID, verfahren.Command{Event: "eintragung"}); err != nil {
		t.Fatal(err)
	}
	return c, p, d
}

func (f *fixture) mustUser(t *testing.T, id string, role authz.Role, org string) authz.Subject {
	t.Helper()
	u := identity.User{ID: id, Role: role, Org: org, Name: id, CreatedAt: time.Now()}
	if err := f.db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u.Subject()
}

var codeRE = regexp.MustCompile(`[A-Z]{2}(-[0-9A-Z]{4}){4}`)

// letterCode reads the access code from the letter, as its recipient would.
func (f *fixture) letterCode(t *testing.T, z zustellung.Zustellung) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext (poppler-utils) is required in CI")
		}
		t.Skip("pdftotext is not installed")
	}
	_, r, err := f.cases.Content(context.Background(), f.gs, z.Letter)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	text, err := search.Extract(context.Background(), "application/pdf", r)
	if err != nil {
		t.Fatal(err)
	}
	code := codeRE.FindString(text)
	if code == "" {
		t.Fatalf("no access code in the letter:\n%s", text)
	}
	return code
}

// TestRedeemExpiry: a code redeemed after its expiry is refused, also
// one minute late; a code redeemed in time links and serves, once.
func TestRedeemExpiry(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	c, p, d := f.mustCase(t, "")
	start := time.Now()
	z, err := f.svc.Order(ctx, f.gs, c.ID, zustellung.New{Recipient: p.ID, Documents: []akte.DocumentID{d.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if z.Method != zustellung.Brief || z.Letter == "" {
		t.Fatalf("method %s, letter %q; want brief with a letter", z.Method, z.Letter)
	}
	code := f.letterCode(t, z)
	bernd := f.mustUser(t, "bernd", authz.Buerger, "")

	f.set(start.Add(zustellung.DefaultCodeTTL + time.Minute))
	if _, err := f.svc.Redeem(ctx, bernd, "127.0.0.1", code); !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("expired code: %v, want ErrInvalid", err)
	}
	f.set(time.Time{})
	// The claimant cannot make herself the defendant; the code stays valid.
	erika := f.mustUser(t, "erika", authz.Buerger, "")
	ps, err := f.cases.Participants(ctx, f.gs, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.cases.UpdateParticipant(ctx, f.gs, c.ID, ps[0].ID, akte.NewParticipant{Role: ps[0].Role, Name: ps[0].Name, Account: "user:erika"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Redeem(ctx, erika, "127.0.0.1", code); !errors.Is(err, errs.ErrConflict) {
		t.Fatalf("the claimant redeeming the defendant's code: %v, want ErrConflict", err)
	}
	got, err := f.svc.Redeem(ctx, bernd, "127.0.0.1", strings.ToLower(code))
	if err != nil {
		t.Fatalf("redeem in time: %v", err)
	}
	if !got.Served() || got.ServedBy != "bernd" || got.Proof == "" {
		t.Errorf("after redemption: %+v, want served by bernd with a proof", got)
	}
	ps, err = f.cases.Participants(ctx, f.gs, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range ps {
		if q.ID == p.ID && q.Account != "user:bernd" {
			t.Errorf("participant account %q, want user:bernd", q.Account)
		}
	}
	if _, err := f.svc.Redeem(ctx, bernd, "127.0.0.1", code); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("second redemption: %v, want ErrInvalid", err)
	}
	// The other party (no staff) sees the record but not the letter.
	if got, err := f.svc.Get(ctx, bernd, z.ID); err != nil || got.Letter != "" || got.CodeHash != nil {
		t.Errorf("the recipient's view: %+v, %v; want no letter and no hash", got, err)
	}
}

// TestRedeemRateLimit: after five failures the sixth attempt is refused
// with a wait, even with the right code.
func TestRedeemRateLimit(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	c, p, d := f.mustCase(t, "")
	z, err := f.svc.Order(ctx, f.gs, c.ID, zustellung.New{Recipient: p.ID, Documents: []akte.DocumentID{d.ID}})
	if err != nil {
		t.Fatal(err)
	}
	code := f.letterCode(t, z)
	mallory := f.mustUser(t, "mallory", authz.Buerger, "")
	for i := range 5 {
		if _, err := f.svc.Redeem(ctx, mallory, "10.0.0.9", "BY-0000-0000-0000-000"+string(rune('0'+i))); !errors.Is(err, errs.ErrInvalid) {
			t.Fatalf("wrong code %d: %v, want ErrInvalid", i, err)
		}
	}
	var tm *zustellung.TooManyAttemptsError
	if _, err := f.svc.Redeem(ctx, mallory, "10.0.0.9", code); !errors.As(err, &tm) || tm.RetryAfter <= 0 {
		t.Fatalf("sixth attempt: %v, want TooManyAttemptsError", err)
	}
	// Another user from the same client is locked too; from elsewhere not.
	bernd := f.mustUser(t, "bernd", authz.Buerger, "")
	if _, err := f.svc.Redeem(ctx, bernd, "10.0.0.9", code); !errors.As(err, &tm) {
		t.Fatalf("same client: %v, want TooManyAttemptsError", err)
	}
	if _, err := f.svc.Redeem(ctx, bernd, "10.0.0.10", code); err != nil {
		t.Fatalf("other client: %v", err)
	}
	// Court staff cannot redeem.
	if _, err := f.svc.Redeem(ctx, f.gs, "10.0.0.11", code); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("staff redeeming: %v, want ErrForbidden", err)
	}
}

// TestAcknowledgeOnce: concurrent acknowledgements by members of the
// recipient's firm serve exactly once; one Zustellungsnachweis is filed;
// the event fires at the moment of service.
func TestAcknowledgeOnce(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	c, p, d := f.mustCase(t, "org:kanzlei")
	z, err := f.svc.Order(ctx, f.gs, c.ID, zustellung.New{Recipient: p.ID, Documents: []akte.DocumentID{d.ID}, Event: "zustellung"})
	if err != nil {
		t.Fatal(err)
	}
	if z.Method != zustellung.EEB {
		t.Fatalf("method %s, want eeb", z.Method)
	}
	stranger := f.mustUser(t, "fremd", authz.Rechtsanwalt, "andere-kanzlei")
	if _, err := f.svc.Acknowledge(ctx, stranger, z.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("stranger acknowledging: %v, want ErrNotFound", err)
	}
	if _, err := f.svc.Acknowledge(ctx, f.gs, z.ID); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("staff acknowledging: %v, want ErrForbidden", err)
	}
	var subs []authz.Subject
	for _, id := range []string{"ra1", "ra2", "ra3", "ra4"} {
		subs = append(subs, f.mustUser(t, id, authz.Rechtsanwalt, "kanzlei"))
	}
	var wg sync.WaitGroup
	results := make([]error, len(subs))
	for i, s := range subs {
		wg.Go(func() { _, results[i] = f.svc.Acknowledge(ctx, s, z.ID) })
	}
	wg.Wait()
	ok := 0
	for _, err := range results {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, errs.ErrConflict):
			t.Errorf("acknowledge: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d acknowledgements succeeded, want 1 (%v)", ok, results)
	}
	got, err := f.svc.Get(ctx, f.gs, z.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.EventSeq != 2 || got.EventError != "" || got.Proof == "" {
		t.Errorf("served: event #%d (%q), proof %q; want event #2 and a proof", got.EventSeq, got.EventError, got.Proof)
	}
	docs, err := f.cases.Documents(ctx, f.gs, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range docs {
		if d.Class == "Zustellungsnachweis" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d Zustellungsnachweise filed, want 1", n)
	}
	_, hist, err := f.proc.Status(ctx, f.gs, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if e := hist[len(hist)-1]; e.Name != "zustellung" || !e.At.Equal(got.ServedAt) {
		t.Errorf("last event %s at %s, want zustellung at the service %s", e.Name, e.At, got.ServedAt)
	}
}

// TestOrderRefusals: what may not be ordered.
func TestOrderRefusals(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	c, p, d := f.mustCase(t, "")
	leser := authz.Subject{ID: "l", Tenant: "DE-BY", Role: authz.Leser}
	for name, tc := range map[string]struct {
		sub  authz.Subject
		in   zustellung.New
		want error
	}{
		"leser":          {leser, zustellung.New{Recipient: p.ID, Documents: []akte.DocumentID{d.ID}}, errs.ErrForbidden},
		"no documents":   {f.gs, zustellung.New{Recipient: p.ID}, errs.ErrInvalid},
		"not a party":    {f.gs, zustellung.New{Recipient: "x", Documents: []akte.DocumentID{d.ID}}, errs.ErrInvalid},
		"foreign doc":    {f.gs, zustellung.New{Recipient: p.ID, Documents: []akte.DocumentID{"nope"}}, errs.ErrInvalid},
		"unknown event":  {f.gs, zustellung.New{Recipient: p.ID, Documents: []akte.DocumentID{d.ID}, Event: "urteil"}, errs.ErrInvalid},
		"event in state": {f.gs, zustellung.New{Recipient: p.ID, Documents: []akte.DocumentID{d.ID}, Event: "zustellung_urteil"}, errs.ErrConflict},
	} {
		if _, err := f.svc.Order(ctx, tc.sub, c.ID, tc.in); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
}

// TestPostgres runs the service's tests on PostgreSQL (conditional
// updates, code lookup by hash, the documents of a Zustellung).
func TestPostgres(t *testing.T) {
	pgtest.DSN(t) // skips (or fails under CI) when PostgreSQL is unreachable
	sqlite := newDSN
	newDSN = func(t *testing.T) string { return pgtest.DSN(t) }
	t.Cleanup(func() { newDSN = sqlite })
	t.Run("RedeemExpiry", TestRedeemExpiry)
	t.Run("RedeemRateLimit", TestRedeemRateLimit)
	t.Run("AcknowledgeOnce", TestAcknowledgeOnce)
	t.Run("OrderRefusals", TestOrderRefusals)
}
