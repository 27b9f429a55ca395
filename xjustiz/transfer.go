// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz

import (
	"archive/zip"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"justizcloud/akte"
	"justizcloud/audit"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
)

// AuditLog is what a transfer needs of the audit log (audit.Log): explicit
// entries on both sides, the documents' proof bundles, and the seal of the
// manifest with its checkpoint.
type AuditLog interface {
	Append(ctx context.Context, e audit.Entry) (audit.Entry, error)
	Checkpoint(ctx context.Context, t tenancy.ID) (audit.Checkpoint, error)
	InclusionProof(ctx context.Context, t tenancy.ID, seq, size uint64) (audit.Inclusion, error)
	DocumentBundle(ctx context.Context, t tenancy.ID, doc, sha string) (audit.Bundle, error)
	PublicKey() []byte
}

var _ AuditLog = (*audit.Log)(nil)

// KeyLookup returns the audit public key a receiver trusts for the log of
// tenant t. On one platform every tenant's log is signed with the
// platform's key; a receiver on another platform would pin each sender's
// published key (its fingerprint, as audit verify-proof --key does).
type KeyLookup func(t tenancy.ID) (ed25519.PublicKey, error)

// Transfer hands proceedings over to courts of other tenants (Abgabe,
// Verweisung) and accepts them: the sender writes the XJustiz export plus
// a manifest sealed in its audit log, the receiver verifies every hash and
// proof before it stores anything.
type Transfer struct {
	ex   *Exporter
	im   *Importer
	svc  *akte.Service
	proc *verfahren.Service
	log  AuditLog
	keys KeyLookup
	now  func() time.Time
	slog *slog.Logger
}

// NewTransfer returns a transfer service over the exporter and importer
// (the same as for plain XJustiz), the case and proceeding services, the
// audit log and the keys a receiver trusts. proc may be nil: then only
// plain case files (no procedure type) can be transferred.
func NewTransfer(ex *Exporter, im *Importer, svc *akte.Service, proc *verfahren.Service, log AuditLog, keys KeyLookup, logger *slog.Logger) *Transfer {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Transfer{ex: ex, im: im, svc: svc, proc: proc, log: log, keys: keys, now: time.Now, slog: logger}
}

// SameLog is the KeyLookup of one platform: every tenant's log is signed
// with l's key.
func SameLog(l AuditLog) KeyLookup {
	return func(tenancy.ID) (ed25519.PublicKey, error) { return ed25519.PublicKey(l.PublicKey()), nil }
}

// Scratch holds a transfer package between writing and reading it (the
// HTTP API's encrypted spool file).
type Scratch interface {
	io.Writer
	io.ReaderAt
	Size() int64
}

// AuditInfo says which request a transfer's explicit audit entries belong to.
type AuditInfo struct {
	Route     string // e.g. "POST /api/v1/cases/{id}/transfer"
	RequestID string
}

// Built describes a written transfer package.
type Built struct {
	Case      akte.Case
	To        tenancy.Court
	MessageID string
	Manifest  string // lowercase hex SHA-256 of the manifest
	Seal      uint64 // sequence number of the seal entry in the sender's log

	fingerprint string // what the package holds of the case (see state)
}

// Package writes the transfer package of case id for court to (a court of
// another tenant) to w, without handing the case over: for a receiver on
// another platform. The subject needs authz.TransferCase. The sender's log
// records a document.transfer entry per document and the seal.
func (t *Transfer) Package(ctx context.Context, sub authz.Subject, id akte.CaseID, to tenancy.CourtID, w io.Writer, info AuditInfo) (*Built, error) {
	c, err := t.svc.Case(ctx, sub, id)
	if err != nil {
		return nil, fmt.Errorf("transfer package: %w", err)
	}
	if err := t.svc.Authorizer().May(ctx, sub, authz.TransferCase, akte.CaseResource(c)); err != nil {
		return nil, fmt.Errorf("transfer package: %w", err)
	}
	if err := t.svc.Writable(ctx, c); err != nil {
		return nil, err
	}
	court, err := t.im.cat.Court(to)
	if err != nil || court.Tenant == c.Tenant {
		return nil, fmt.Errorf("transfer package: %w: field \"to_court\": %q is not a court of another tenant", errs.ErrInvalid, to)
	}
	return t.build(ctx, sub, c, court, w, info)
}

// build writes the package: the export, then the manifest (with each
// document's proof bundle, after a document.transfer entry names its
// SHA-256), then the seal over the manifest.
func (t *Transfer) build(ctx context.Context, sub authz.Subject, c akte.Case, to tenancy.Court, w io.Writer, info AuditInfo) (*Built, error) {
	if t.log == nil {
		return nil, fmt.Errorf("transfer: the audit log is off; a transfer needs its proofs")
	}
	zw := zip.NewWriter(w)
	ex, err := t.ex.exportTo(ctx, sub, c.ID, ExportVersions[0], zw)
	if err != nil {
		return nil, fmt.Errorf("transfer: %w", err)
	}
	m := &manifest{Format: manifestFormat, Created: t.now().UTC().Format(manifestTime), By: sub.ID,
		From: manifestSide{Tenant: string(c.Tenant), Court: string(c.Court), Case: string(c.ID), Aktenzeichen: c.Aktenzeichen.String()},
		To:   manifestSide{Tenant: string(to.Tenant), Court: string(to.ID)}}
	msum := sha256.Sum256(ex.Message)
	m.Message.ID, m.Message.File, m.Message.SHA256 = ex.MessageID, "nachricht.xml", hex.EncodeToString(msum[:])
	m.Case.Subject, m.Case.Procedure = c.Subject, c.Procedure
	ps, err := t.svc.Participants(ctx, sub, c.ID)
	if err != nil {
		return nil, fmt.Errorf("transfer: %w", err)
	}
	m.Participants = []manifestParticipant{}
	for _, p := range ps {
		m.Participants = append(m.Participants, manifestParticipant{ID: string(p.ID), Role: p.Role, Name: p.Name, Address: p.Address,
			Represents: string(p.Represents), Account: p.Account})
	}
	m.Events = []manifestEvent{}
	if c.Procedure != "" {
		if t.proc == nil {
			return nil, fmt.Errorf("transfer: case %s runs under procedure %s, but no proceeding service is configured", c.ID, c.Procedure)
		}
		st, history, err := t.proc.Status(ctx, sub, c.ID)
		if err != nil {
			return nil, fmt.Errorf("transfer: %w", err)
		}
		m.Case.State = string(st.State)
		for _, e := range history {
			m.Events = append(m.Events, manifestEvent{Seq: e.Seq, Name: e.Name, At: e.At.UTC().Format(manifestTime), By: e.By, Role: e.Role,
				Documents: nonNilStrings(e.Documents), Data: e.Data})
		}
	}
	m.Documents = []manifestDocument{}
	for i, d := range ex.Documents {
		sha := hex.EncodeToString(d.SHA256[:])
		if _, err := t.log.Append(ctx, t.entry(sub, c.Tenant, info, ActionDocumentTransfer, string(c.ID), string(d.ID), sha)); err != nil {
			return nil, fmt.Errorf("transfer: document %s: %w", d.ID, err)
		}
		b, err := t.log.DocumentBundle(ctx, c.Tenant, string(d.ID), sha)
		if err != nil {
			return nil, fmt.Errorf("transfer: document %s: %w", d.ID, err)
		}
		proof, err := audit.EncodeBundle(b)
		if err != nil {
			return nil, fmt.Errorf("transfer: document %s: %w", d.ID, err)
		}
		m.Documents = append(m.Documents, manifestDocument{ID: string(d.ID), File: ex.Names[i], Filename: d.Filename, ContentType: d.ContentType,
			Size: d.Size, SHA256: sha, Class: d.Class, Restricted: d.Restricted, Predecessor: string(d.Predecessor),
			Created: d.CreatedAt.UTC().Format(manifestTime), Proof: proof})
	}
	mdata, err := encodeManifest(m)
	if err != nil {
		return nil, fmt.Errorf("transfer: manifest: %w", err)
	}
	sum := sha256.Sum256(mdata)
	seal, seq, err := t.seal(ctx, sub, c, info, hex.EncodeToString(sum[:]))
	if err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{ManifestName, mdata}, {SealName, seal}} {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: t.now()})
		if err == nil {
			_, err = fw.Write(f.data)
		}
		if err != nil {
			return nil, fmt.Errorf("transfer: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("transfer: %w", err)
	}
	return &Built{Case: c, To: to, MessageID: ex.MessageID, Manifest: hex.EncodeToString(sum[:]), Seal: seq,
		fingerprint: packed(m)}, nil
}

// packed is what a manifest holds of the case that a write could change:
// document ids, participants and the number of events.
func packed(m *manifest) string {
	var b strings.Builder
	for _, d := range m.Documents {
		b.WriteString("d " + d.ID + "\n")
	}
	for _, p := range m.Participants {
		fmt.Fprintf(&b, "p %q %q %q %q %q %q\n", p.ID, p.Role, p.Name, p.Address, p.Represents, p.Account)
	}
	fmt.Fprintf(&b, "e %d\n", len(m.Events))
	return b.String()
}

// unchanged checks that case c still is what the package holds. The case
// takes no writes once it is pending, but a write that passed its check
// just before may still have landed while the package was written; then
// the hand-over stops (errs.ErrConflict) rather than lose it.
func (t *Transfer) unchanged(ctx context.Context, sub authz.Subject, c akte.Case, b *Built) error {
	m := &manifest{Participants: []manifestParticipant{}}
	docs, err := t.svc.Documents(ctx, sub, c.ID)
	if err != nil {
		return fmt.Errorf("transfer: %w", err)
	}
	for _, d := range docs {
		m.Documents = append(m.Documents, manifestDocument{ID: string(d.ID)})
	}
	ps, err := t.svc.Participants(ctx, sub, c.ID)
	if err != nil {
		return fmt.Errorf("transfer: %w", err)
	}
	for _, p := range ps {
		m.Participants = append(m.Participants, manifestParticipant{ID: string(p.ID), Role: p.Role, Name: p.Name, Address: p.Address,
			Represents: string(p.Represents), Account: p.Account})
	}
	if c.Procedure != "" {
		st, _, err := t.proc.Status(ctx, sub, c.ID)
		if err != nil {
			return fmt.Errorf("transfer: %w", err)
		}
		m.Events = make([]manifestEvent, st.Version)
	}
	if packed(m) != b.fingerprint {
		return fmt.Errorf("transfer: %w: case %s changed while it was being packed (a write that began before the hand-over); nothing was handed over, try again", errs.ErrConflict, c.ID)
	}
	return nil
}

// seal appends the entry that names the manifest's SHA-256 to the sender's
// log and returns its proof bundle against a checkpoint that covers it.
func (t *Transfer) seal(ctx context.Context, sub authz.Subject, c akte.Case, info AuditInfo, sha string) ([]byte, uint64, error) {
	e, err := t.log.Append(ctx, t.entry(sub, c.Tenant, info, ActionTransferSeal, string(c.ID), "", sha))
	if err != nil {
		return nil, 0, fmt.Errorf("transfer: seal: %w", err)
	}
	cp, err := t.log.Checkpoint(ctx, c.Tenant)
	if err != nil {
		return nil, 0, fmt.Errorf("transfer: seal: %w", err)
	}
	in, err := t.log.InclusionProof(ctx, c.Tenant, e.Seq, cp.Size)
	if err != nil {
		return nil, 0, fmt.Errorf("transfer: seal: %w", err)
	}
	b := audit.Bundle{Tenant: c.Tenant, SHA256: sha, Checkpoint: cp, PublicKey: ed25519.PublicKey(t.log.PublicKey()), Complete: true,
		Entries: []audit.BundleEntry{{Seq: e.Seq, Entry: in.Entry, Proof: in.Proof}}}
	if _, err := audit.VerifyBundle(b, b.PublicKey); err != nil { // what the receiver will check
		return nil, 0, fmt.Errorf("transfer: seal: %w", err)
	}
	data, err := audit.EncodeBundle(b)
	if err != nil {
		return nil, 0, fmt.Errorf("transfer: seal: %w", err)
	}
	return data, e.Seq, nil
}

// entry is an explicit audit entry of a transfer, in tenant t's log.
func (t *Transfer) entry(sub authz.Subject, tenant tenancy.ID, info AuditInfo, action, caseID, doc, sha string) audit.Entry {
	return audit.Entry{Tenant: tenant, Subject: sub.ID, Role: string(sub.Role), Court: string(sub.Court), User: sub.User, Name: sub.Name,
		Action: action, Route: info.Route, Case: caseID, Document: doc, SHA256: sha, Outcome: audit.Allowed, Status: 200, RequestID: info.RequestID}
}

// Handover is the result of a transfer within the platform.
type Handover struct {
	Built
	Accepted *Accepted
}

// Handover moves case id to court to of another tenant on this platform, in
// one call: it marks the case pending (writes are refused from now on),
// writes the package to scratch, lets the receiving court accept it
// (verification, import, history) as ReceivingSubject, and marks the case
// here read-only with the pointer to the new one. On failure the case here
// becomes writable again; what the receiver stored before a late failure
// stays there (and is logged).
func (t *Transfer) Handover(ctx context.Context, sub authz.Subject, id akte.CaseID, to tenancy.CourtID, scratch Scratch, info AuditInfo) (*Handover, error) {
	c, court, err := t.svc.BeginTransfer(ctx, sub, id, to)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if ok {
			return
		}
		if err := t.svc.AbortTransfer(context.WithoutCancel(ctx), c); err != nil {
			t.slog.ErrorContext(ctx, "transfer: could not make the case writable again", "case", c.ID, "err", err)
		}
	}()
	b, err := t.build(ctx, sub, c, court, scratch, info)
	if err != nil {
		return nil, err
	}
	if err := t.unchanged(ctx, sub, c, b); err != nil {
		return nil, err
	}
	acc, err := t.Accept(ctx, ReceivingSubject(sub, court), scratch, scratch.Size(), info)
	if err != nil {
		if acc != nil && acc.Case.ID != "" {
			t.slog.ErrorContext(ctx, "transfer: the receiver failed after storing a case", "case", c.ID, "receiver_case", acc.Case.ID, "err", err)
		}
		return nil, fmt.Errorf("transfer: the receiving court refused: %w", err)
	}
	ref := akte.TransferRef{Tenant: acc.Case.Tenant, Court: acc.Case.Court, Case: acc.Case.ID, Aktenzeichen: acc.Case.Aktenzeichen.String(),
		At: t.now().UTC(), By: sub.ID, Message: b.MessageID, Manifest: b.Manifest}
	if err := t.svc.FinishTransfer(ctx, c, ref); err != nil {
		return nil, err
	}
	ok = true
	return &Handover{Built: *b, Accepted: acc}, nil
}

// ReceivingSubject is who accepts a transfer on the receiving court's
// behalf within the platform: that court's Geschäftsstelle, acting for the
// sender's request (the sender's staff have no office in the receiving
// tenant). Its id names the sender's subject, so both logs show who
// started the hand-over.
func ReceivingSubject(sender authz.Subject, court tenancy.Court) authz.Subject {
	return authz.Subject{ID: "transfer:" + sender.ID, Tenant: court.Tenant, Role: authz.Geschaeftsstelle, Court: court.ID}
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// errTransfer wraps the reason a receiver refuses a package.
func errTransfer(format string, args ...any) error {
	return fmt.Errorf("transfer package: %w: %s", errs.ErrInvalid, fmt.Sprintf(format, args...))
}
