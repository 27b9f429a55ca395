// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package veroeffentlichung_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"justizcloud/akte"
	"justizcloud/anon"
	"justizcloud/anon/ner"
	"justizcloud/audit"
	"justizcloud/authz"
	"justizcloud/blob"
	"justizcloud/errs"
	"justizcloud/pdfdoc"
	"justizcloud/search"
	"justizcloud/sqlstore"
	"justizcloud/sqlstore/storetest"
	"justizcloud/verfahren"
	"justizcloud/veroeffentlichung"
)

type fixture struct {
	db    *sqlstore.DB
	blobs blob.Store
	cases *akte.Service
	svc   *veroeffentlichung.Service
	gs    authz.Subject
}

func mustFixture(t *testing.T) *fixture {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext (poppler-utils) is required in CI")
		}
		t.Skip("pdftotext is not installed")
	}
	b := storetest.Open(t, "")
	db, cat := b.DB, b.Catalog
	signer, err := audit.OpenFileSigner(filepath.Join(b.Dir, "audit.key"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := ner.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := anon.New(m, anon.Options{Policy: anon.DefaultPolicy()})
	if err != nil {
		t.Fatal(err)
	}
	an, err := anon.NewService(p, nil, db)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, blobs: b.Blobs, gs: authz.Subject{ID: "gs", User: "usr_gs", Tenant: "DE-BY", Role: authz.Geschaeftsstelle, Court: "D2601"}}
	f.cases = akte.NewService(db, f.blobs, cat, akte.Options{
		DocumentClass: func(n string) bool { _, ok := verfahren.DocumentClassCode(n); return ok },
		Accounts: func(_ context.Context, id string) (authz.Subject, error) {
			if id != otherJudge.User {
				return authz.Subject{}, errs.ErrNotFound
			}
			return otherJudge, nil
		},
	})
	f.svc, err = veroeffentlichung.NewService(veroeffentlichung.Deps{Store: db, Blobs: f.blobs, Akte: f.cases, Anon: an,
		Audit: audit.NewLog(db, signer, time.Now), Extract: search.Extract})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

const urteilText = "Im Namen des Volkes. In dem Rechtsstreit der Klägerin Erika Mustermann, Musterstraße 12, 80331 Augsburg, " +
	"gegen den Beklagten Bernd Beispiel hat das Amtsgericht München durch die Richterin Dr. Weber für Recht erkannt: " +
	"Die Klage wird abgewiesen. Gründe: Der Beklagte Beispiel ist vom Kaufvertrag mit der Zweirad Knopfloch wirksam " +
	"zurückgetreten (§ 323 BGB). Die Klägerin erreichte ihn unter erika.mustermann@example.org nicht."

// otherJudge is a judge of another court of the Land, assigned to a case
// in TestPublicationAccess.
var otherJudge = authz.Subject{ID: "o", User: "usr_o", Tenant: "DE-BY", Role: authz.Richter, Court: "D2600"}

// mustDecision files a case with a party who has an account and an Urteil.
func (f *fixture) mustDecision(t *testing.T) (akte.Case, akte.Document) {
	t.Helper()
	ctx := context.Background()
	c, err := f.cases.CreateCase(ctx, f.gs, akte.NewCase{Court: "D2601", Register: "C", Subject: "Kaufpreis"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.cases.AddParticipant(ctx, f.gs, c.ID, akte.NewParticipant{Role: "klaeger", Name: "Erika Mustermann", Account: "user:usr_erika"}); err != nil {
		t.Fatal(err)
	}
	pdf, err := pdfdoc.Bytes(pdfdoc.Document{Title: "Urteil", Blocks: []pdfdoc.Block{{Paragraph: urteilText}}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.cases.AddDocument(ctx, f.gs, akte.NewDocument{Case: c.ID, Filename: "urteil.pdf", ContentType: "application/pdf",
		Body: bytes.NewReader(pdf), Class: "Urteil"})
	if err != nil {
		t.Fatal(err)
	}
	return c, d
}

func wantIs(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s = %v, want %v", what, err, want)
	}
}

// TestPublicationAccess: only the court's Geschäftsstelle and Richter and
// the judge assigned to the case prepare, see, review and publish; a
// citizen (even the party), a judge of another court, another Land's staff,
// a Rechtspfleger and a reader do not.
func TestPublicationAccess(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	_, d := f.mustDecision(t)
	p, err := f.svc.Prepare(ctx, f.gs, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := f.svc.Prepare(ctx, f.gs, d.ID); err != nil || again.ID != p.ID {
		t.Errorf("Prepare again = %v, %v; want the same publication %s", again.ID, err, p.ID)
	}
	judge := authz.Subject{ID: "r", User: "usr_r", Tenant: "DE-BY", Role: authz.Richter, Court: "D2601"}
	if _, _, err := f.svc.Publication(ctx, judge, p.ID); err != nil {
		t.Errorf("the court's judge: Publication = %v", err)
	}
	for _, tc := range []struct {
		name string
		sub  authz.Subject
		want error
	}{
		{"an outsider", authz.Subject{ID: "x", User: "usr_x", Role: authz.Buerger}, errs.ErrNotFound},
		{"the claimant", authz.Subject{ID: "e", User: "usr_erika", Role: authz.Buerger}, errs.ErrNotFound},
		{"a judge of another court", otherJudge, errs.ErrNotFound},
		{"another Land's admin", authz.Subject{ID: "n", User: "usr_n", Tenant: "DE-NW", Role: authz.Landesadmin}, errs.ErrNotFound},
		{"a Rechtspfleger of the court", authz.Subject{ID: "p", User: "usr_p", Tenant: "DE-BY", Role: authz.Rechtspfleger, Court: "D2601"}, errs.ErrForbidden},
		{"a reader of the court", authz.Subject{ID: "l", User: "usr_l", Tenant: "DE-BY", Role: authz.Leser, Court: "D2601"}, errs.ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.Prepare(ctx, tc.sub, d.ID)
			if err == nil {
				t.Errorf("Prepare = nil, want refused")
			}
			_, _, err = f.svc.Publication(ctx, tc.sub, p.ID)
			wantIs(t, "Publication", err, tc.want)
			_, err = f.svc.Save(ctx, tc.sub, p.ID, veroeffentlichung.Change{Version: 1})
			wantIs(t, "Save", err, tc.want)
			_, err = f.svc.Publish(ctx, tc.sub, p.ID, 1, veroeffentlichung.Origin{})
			wantIs(t, "Publish", err, tc.want)
			if ps, err := f.svc.Publications(ctx, tc.sub, 10); err != nil || len(ps) != 0 {
				t.Errorf("Publications = %d, %v; want none", len(ps), err)
			}
		})
	}
	// The claimant's own file: she may read the Urteil but not publish it.
	_, err = f.svc.Prepare(ctx, authz.Subject{ID: "e", User: "usr_erika", Role: authz.Buerger}, d.ID)
	wantIs(t, "the claimant's Prepare", err, errs.ErrForbidden)

	// Assigned to the case, the judge of the other court may.
	if _, err := f.cases.AssignJudge(ctx, f.gs, d.Case, otherJudge.User); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Publication(ctx, otherJudge, p.ID); err != nil {
		t.Errorf("the assigned judge: Publication = %v", err)
	}
	if _, err := f.svc.Save(ctx, otherJudge, p.ID, veroeffentlichung.Change{Version: 1}); err != nil {
		t.Errorf("the assigned judge: Save = %v", err)
	}
}

// TestPublish: the review starts with the pseudonymizer's suggestions;
// publishing needs a saved review and the current version; the reviewer
// rejects one suggestion and adds a span; a surname left unmarked refuses
// the publication; the published text holds none of the anonymized texts,
// the audit entry carries the record's SHA-256, the record no personal
// data, and the review's blob is gone.
func TestPublish(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	c, d := f.mustDecision(t)
	p, err := f.svc.Prepare(ctx, f.gs, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.State != veroeffentlichung.Pruefung || p.Version != 1 || p.Title != "Urteil" || p.Aktenzeichen != c.Aktenzeichen.String() {
		t.Errorf("Prepare = %+v", p)
	}
	_, r, err := f.svc.Publication(ctx, f.gs, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(strings.Fields(r.Text), " "), "Bernd Beispiel") {
		t.Fatalf("review text = %q", r.Text)
	}
	texts := func(r veroeffentlichung.Review) []string {
		var out []string
		for _, m := range r.Spans {
			out = append(out, string(m.Kind)+":"+r.Text[m.Start:m.End])
		}
		return out
	}
	t.Logf("suggestions: %q", texts(r))

	_, err = f.svc.Publish(ctx, f.gs, p.ID, 1, veroeffentlichung.Origin{})
	wantIs(t, "Publish before a review", err, veroeffentlichung.ErrNotReviewed)
	_, err = f.svc.Save(ctx, f.gs, p.ID, veroeffentlichung.Change{Version: 1, AddText: "kommt nicht vor", AddKind: anon.Person})
	wantIs(t, "Save with a text that does not occur", err, veroeffentlichung.ErrNotInText)
	_, err = f.svc.Save(ctx, f.gs, p.ID, veroeffentlichung.Change{Version: 1, AddText: "Knopfloch", AddKind: "XYZ"})
	wantIs(t, "Save with an unknown kind", err, errs.ErrInvalid)

	// The reviewer marks "Beispiel" (every occurrence), then keeps one of
	// them: the surname would leak, so publishing is refused.
	accepted := func(r veroeffentlichung.Review, except func(m veroeffentlichung.Mark) bool) []int {
		var out []int
		for i, m := range r.Spans {
			if m.Replace && !except(m) {
				out = append(out, i)
			}
		}
		return out
	}
	none := func(veroeffentlichung.Mark) bool { return false }
	p, err = f.svc.Save(ctx, f.gs, p.ID, veroeffentlichung.Change{Version: 1, Anonymize: accepted(r, none), AddText: "Beispiel", AddKind: anon.Person})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Save(ctx, f.gs, p.ID, veroeffentlichung.Change{Version: 1})
	wantIs(t, "Save on a stale version", err, veroeffentlichung.ErrStale)
	_, r, _ = f.svc.Publication(ctx, f.gs, p.ID)
	second := strings.LastIndex(r.Text, "Beispiel")
	p, err = f.svc.Save(ctx, f.gs, p.ID, veroeffentlichung.Change{Version: p.Version,
		Anonymize: accepted(r, func(m veroeffentlichung.Mark) bool { return m.Start <= second && second < m.End })})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Publish(ctx, f.gs, p.ID, p.Version, veroeffentlichung.Origin{})
	var leak *veroeffentlichung.LeakError
	if !errors.As(err, &leak) || !strings.Contains(strings.Join(leak.Texts, "|"), "Beispiel") || !errors.Is(err, errs.ErrConflict) {
		t.Fatalf("Publish with an unmarked surname = %v, want a LeakError naming Beispiel", err)
	}

	// Now: every suggestion but the e-mail address (rejected), all
	// "Beispiel" and the added company name "Zweirad Knopfloch".
	_, r, _ = f.svc.Publication(ctx, f.gs, p.ID)
	isMail := func(m veroeffentlichung.Mark) bool { return m.Kind == anon.Email }
	var keep []int
	for i, m := range r.Spans {
		if (m.Replace || m.Source == veroeffentlichung.SourceReviewer || strings.Contains(r.Text[m.Start:m.End], "Beispiel")) && !isMail(m) {
			keep = append(keep, i)
		}
	}
	judge := authz.Subject{ID: "r", User: "usr_r", Name: "Dr. Weber", Tenant: "DE-BY", Role: authz.Richter, Court: "D2601"}
	p, err = f.svc.Save(ctx, judge, p.ID, veroeffentlichung.Change{Version: p.Version, Anonymize: keep, AddText: "Zweirad\nKnopfloch", AddKind: anon.Company})
	if err != nil {
		t.Fatal(err)
	}
	_, r, _ = f.svc.Publication(ctx, judge, p.ID)
	blobName := p.Blob
	var anonymized []string
	mailKept := false
	for _, m := range r.Spans {
		if m.Replace {
			anonymized = append(anonymized, r.Text[m.Start:m.End])
		} else if isMail(m) {
			mailKept = true
		}
	}
	t.Logf("anonymized: %q", anonymized)
	_, err = f.svc.Publish(ctx, judge, p.ID, p.Version-1, veroeffentlichung.Origin{})
	wantIs(t, "Publish on a stale version", err, veroeffentlichung.ErrStale)
	pub, err := f.svc.Publish(ctx, judge, p.ID, p.Version, veroeffentlichung.Origin{Route: "POST /gericht/veroeffentlichungen/{id}/veroeffentlichen", RequestID: "req-1"})
	if err != nil {
		t.Fatal(err)
	}
	if pub.State != veroeffentlichung.Veroeffentlicht || pub.Blob != "" || pub.PublishedBy != "usr_r" {
		t.Errorf("Publish = %+v", pub)
	}
	for _, a := range append(anonymized, "Mustermann", "Beispiel", "Knopfloch", "Musterstraße") {
		if strings.Contains(pub.Text, a) || strings.Contains(pub.Record, a) {
			t.Errorf("the published text or the record contains %q:\n%s\n%s", a, pub.Text, pub.Record)
		}
	}
	if !strings.Contains(pub.Text, "[Unternehmen 1]") || !strings.Contains(pub.Text, "Weber") {
		t.Errorf("published text = %q, want [Unternehmen 1] and the judge", pub.Text)
	}
	if mailKept && !strings.Contains(pub.Text, "erika.mustermann@example.org") {
		t.Errorf("the rejected e-mail address is not kept: %q", pub.Text)
	}
	if _, err := f.blobs.Stat(ctx, blob.Key{Tenant: "DE-BY", Name: blobName}); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("the review's blob after publishing: Stat = %v, want ErrNotFound", err)
	}

	// The audit entry names the case and the record's SHA-256; the record
	// names the decision.
	var found bool
	err = f.db.AuditEntries(ctx, "DE-BY", func(_ uint64, _ audit.Hash, data []byte) error {
		e, err := audit.Decode(data)
		if err != nil {
			return err
		}
		if e.Action != "decision.publish" {
			return nil
		}
		found = true
		sum := sha256.Sum256([]byte(pub.Record))
		if e.Document != "" || e.Case != string(c.ID) || !strings.Contains(pub.Record, string(d.ID)) || e.SHA256 != hex.EncodeToString(sum[:]) || e.User != "usr_r" || e.RequestID != "req-1" {
			t.Errorf("audit entry = %+v", e)
		}
		for _, a := range anonymized {
			if bytes.Contains(data, []byte(a)) {
				t.Errorf("the audit entry contains %q", a)
			}
		}
		return nil
	})
	if err != nil || !found {
		t.Errorf("AuditEntries = %v; decision.publish found: %v", err, found)
	}

	// Read-only now, and public.
	_, err = f.svc.Save(ctx, judge, p.ID, veroeffentlichung.Change{Version: pub.Version})
	wantIs(t, "Save after publishing", err, veroeffentlichung.ErrReadOnly)
	if got, err := f.svc.Published(ctx, p.ID); err != nil || got.Text != pub.Text {
		t.Errorf("Published = %v, %v", got.ID, err)
	}
	if ps, err := f.svc.PublishedList(ctx, time.Time{}, 10); err != nil || len(ps) != 1 {
		t.Errorf("PublishedList = %d, %v; want 1", len(ps), err)
	}
}

// TestDiscard: a discarded publication is read-only, not public, and the
// decision can be prepared again.
func TestDiscard(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	_, d := f.mustDecision(t)
	p, err := f.svc.Prepare(ctx, f.gs, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Discard(ctx, f.gs, p.ID, 2); !errors.Is(err, veroeffentlichung.ErrStale) {
		t.Errorf("Discard on a stale version = %v, want ErrStale", err)
	}
	if _, err := f.svc.Discard(ctx, f.gs, p.ID, 1); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Published(ctx, p.ID)
	wantIs(t, "Published after discarding", err, errs.ErrNotFound)
	q, err := f.svc.Prepare(ctx, f.gs, d.ID)
	if err != nil || q.ID == p.ID {
		t.Errorf("Prepare after discarding = %v, %v; want a new publication", q.ID, err)
	}
}

// TestPrepareOnce: people who prepare the same decision at the same moment
// all get the one publication.
func TestPrepareOnce(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	_, d := f.mustDecision(t)
	const n = 4
	ids := make([]veroeffentlichung.ID, n)
	errc := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := f.svc.Prepare(ctx, f.gs, d.ID)
			ids[i] = p.ID
			errc <- err
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatalf("Prepare = %v", err)
		}
	}
	for _, id := range ids[1:] {
		if id != ids[0] {
			t.Fatalf("concurrent Prepare made different publications: %v", ids)
		}
	}
}
