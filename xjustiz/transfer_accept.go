// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"time"

	"justizcloud/akte"
	"justizcloud/audit"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
	"justizcloud/xjustiz/xsd"
)

// maxManifest bounds the manifest and the seal (a manifest holds a proof
// bundle of up to 1,000 entries per document).
const maxManifest = 256 << 20

// Accepted describes a transfer taken over by the receiving court.
type Accepted struct {
	Import *ImportResult
	Case   akte.Case
	From   akte.TransferRef
	// Documents maps the sender's document ids to ours.
	Documents map[string]akte.DocumentID
	State     verfahren.State // the state the restored history gives; "" for a plain case file
	Events    int
	Repeated  bool // the same package was accepted before: nothing changed
}

// Accept verifies a transfer package and takes the proceeding over into
// the subject's tenant. Before anything is stored it checks: the seal
// (VerifyBundle against the key the receiver trusts for the sender's tenant,
// KeyLookup) names the manifest's SHA-256; the manifest is addressed to a
// court of the subject's tenant; the message and every file have the
// SHA-256 the manifest gives; every document's proof bundle verifies and
// names that document and SHA-256; the package holds exactly the manifest's
// files; the history is valid for its procedure type. Then it imports the
// message (Importer, with the manifest's participants and documents),
// restores the history, records where the proceeding came from, and
// writes case.transfer.receive and document.transfer.receive entries to
// the subject's tenant's log. The same package again changes nothing.
func (t *Transfer) Accept(ctx context.Context, sub authz.Subject, r io.ReaderAt, size int64, info AuditInfo) (*Accepted, error) {
	p, err := OpenZip(r, size, ZipLimits{}, xsd.DefaultMaxBytes)
	if err != nil {
		return nil, fmt.Errorf("transfer package: %w", err)
	}
	mdata, err := p.take(ManifestName)
	if err != nil {
		return nil, err
	}
	sdata, err := p.take(SealName)
	if err != nil {
		return nil, err
	}
	m, from, err := t.verify(ctx, sub, p, mdata, sdata)
	if err != nil {
		return nil, err
	}
	res, err := t.im.Import(ctx, sub, p, ImportOptions{Court: tenancy.CourtID(m.To.Court), transfer: m})
	acc := &Accepted{Import: res, From: from, Documents: map[string]akte.DocumentID{}}
	if res != nil {
		acc.Case = res.Case
	}
	if err != nil {
		return acc, fmt.Errorf("transfer package: %w", err)
	}
	for i, d := range res.Documents {
		if i < len(m.Documents) {
			acc.Documents[m.Documents[i].ID] = d.ID
		}
	}
	if res.Repeated {
		// The pointer back to the sender is recorded last: without it, an
		// earlier acceptance of this package stopped half-way.
		_, st, err := t.svc.Transfer(ctx, sub, res.Case.ID)
		if err != nil {
			return acc, fmt.Errorf("transfer package: %w", err)
		}
		if st.From == nil || st.From.Manifest != from.Manifest {
			return acc, fmt.Errorf("transfer package: %w: an earlier acceptance of this package stopped after creating case %s; it needs an operator",
				errs.ErrConflict, res.Case.ID)
		}
		acc.Repeated = true
		return acc, nil
	}
	if len(m.Events) > 0 {
		history, err := m.history(acc.Documents)
		if err != nil {
			return acc, err
		}
		st, err := t.proc.Restore(ctx, sub, res.Case.ID, history)
		if err != nil {
			return acc, fmt.Errorf("transfer package: %w", err)
		}
		acc.State, acc.Events = st.State, len(history)
	}
	if t.log != nil {
		if _, err := t.log.Append(ctx, t.entry(sub, sub.Tenant, info, ActionTransferReceive, string(res.Case.ID), "", from.Manifest)); err != nil {
			return acc, fmt.Errorf("transfer package: %w", err)
		}
		for _, d := range res.Documents {
			sha := hex.EncodeToString(d.SHA256[:])
			if _, err := t.log.Append(ctx, t.entry(sub, sub.Tenant, info, ActionDocumentReceive, string(res.Case.ID), string(d.ID), sha)); err != nil {
				return acc, fmt.Errorf("transfer package: %w", err)
			}
		}
	}
	if err := t.svc.RecordTransferredFrom(ctx, sub, res.Case.ID, from); err != nil {
		return acc, fmt.Errorf("transfer package: %w", err)
	}
	return acc, nil
}

// verify runs every check of Accept that needs no write.
func (t *Transfer) verify(ctx context.Context, sub authz.Subject, p *Package, mdata, sdata []byte) (*manifest, akte.TransferRef, error) {
	var from akte.TransferRef
	seal, err := audit.DecodeBundle(sdata)
	if err != nil {
		return nil, from, errTransfer("seal: %s", err)
	}
	msum := sha256.Sum256(mdata)
	mhex := hex.EncodeToString(msum[:])
	if seal.SHA256 != mhex {
		return nil, from, errTransfer("the manifest has SHA-256 %s, but the sender's log sealed %s: the manifest was changed", mhex, seal.SHA256)
	}
	m, err := decodeManifest(mdata)
	if err != nil {
		return nil, from, err
	}
	if t.keys == nil {
		return nil, from, errTransfer("no audit key is trusted for %s", m.From.Tenant)
	}
	pub, err := t.keys(tenancy.ID(m.From.Tenant))
	if err != nil {
		return nil, from, errTransfer("no audit key is trusted for %s: %s", m.From.Tenant, err)
	}
	entries, err := audit.VerifyBundle(seal, pub)
	if err != nil {
		return nil, from, errTransfer("the seal does not verify: %s", err)
	}
	switch {
	case string(seal.Tenant) != m.From.Tenant:
		return nil, from, errTransfer("the seal is from the log of %s, the manifest's sender is %s", seal.Tenant, m.From.Tenant)
	case !slices.ContainsFunc(entries, func(e audit.Entry) bool {
		return e.Action == ActionTransferSeal && e.Case == m.From.Case && e.SHA256 == mhex && e.Outcome == audit.Allowed
	}):
		return nil, from, errTransfer("the seal holds no %s entry of case %s", ActionTransferSeal, m.From.Case)
	}
	court, err := t.im.cat.Court(tenancy.CourtID(m.To.Court))
	switch {
	case err != nil:
		return nil, from, errTransfer("unknown receiving court %q", m.To.Court)
	case court.Tenant != sub.Tenant || string(court.Tenant) != m.To.Tenant:
		return nil, from, errTransfer("the package is addressed to %s (%s), not to a court of %s", m.To.Court, m.To.Tenant, sub.Tenant)
	case sub.Court != "" && sub.Court != court.ID:
		return nil, from, errTransfer("the package is addressed to %s, not to your court %s", court.ID, sub.Court)
	case m.From.Tenant == m.To.Tenant:
		return nil, from, errTransfer("sender and receiver are both %s", m.To.Tenant)
	}
	if sum := sha256.Sum256(p.Message); hex.EncodeToString(sum[:]) != m.Message.SHA256 || p.Name != m.Message.File {
		return nil, from, errTransfer("the message %s has SHA-256 %x, the manifest names %s %s: the message was changed", p.Name, sum, m.Message.File, m.Message.SHA256)
	}
	listed := map[string]bool{}
	for _, d := range m.Documents {
		if listed[d.File] {
			return nil, from, errTransfer("the manifest lists file %q twice", d.File)
		}
		listed[d.File] = true
		if err := t.verifyDocument(p, d, m.From.Tenant, pub); err != nil {
			return nil, from, err
		}
	}
	for _, f := range p.Files() {
		if !listed[f] {
			return nil, from, errTransfer("file %q is in the package but not in the manifest", f)
		}
	}
	// The participants' rules that the import would otherwise find only
	// after the case exists: known roles, and counsel for a listed party.
	roles := map[string]akte.ParticipantRole{}
	for _, r := range akte.ParticipantRoles() {
		roles[r.Key] = r
	}
	byID := map[string]manifestParticipant{}
	for _, pt := range m.Participants {
		if _, ok := roles[pt.Role]; !ok {
			return nil, from, errTransfer("participant %s has the unknown role %q", pt.ID, pt.Role)
		}
		if _, dup := byID[pt.ID]; dup || pt.ID == "" {
			return nil, from, errTransfer("participant id %q is empty or listed twice", pt.ID)
		}
		byID[pt.ID] = pt
	}
	for _, pt := range m.Participants {
		if pt.Represents == "" {
			continue
		}
		if party, ok := byID[pt.Represents]; !ok || !roles[party.Role].Party || party.Represents != "" {
			return nil, from, errTransfer("participant %s represents %s, which is not a party the manifest lists", pt.ID, pt.Represents)
		}
	}
	docs := map[string]akte.DocumentID{}
	for _, d := range m.Documents {
		docs[d.ID] = akte.DocumentID(d.ID)
	}
	history, err := m.history(docs)
	if err != nil {
		return nil, from, err
	}
	if m.Case.Procedure != "" {
		if t.proc == nil {
			return nil, from, errTransfer("the proceeding runs under procedure %s, but no proceeding service is configured", m.Case.Procedure)
		}
		st, err := t.proc.Registry().CheckHistory(m.Case.Procedure, history)
		if err != nil {
			return nil, from, errTransfer("history: %s", err)
		}
		if string(st) != m.Case.State {
			return nil, from, errTransfer("the history leads to state %q, the manifest says %q", st, m.Case.State)
		}
	} else if len(history) > 0 {
		return nil, from, errTransfer("a plain case file (no procedure type) with %d events", len(history))
	}
	at, _ := time.Parse(manifestTime, m.Created)
	from = akte.TransferRef{Tenant: tenancy.ID(m.From.Tenant), Court: tenancy.CourtID(m.From.Court), Case: akte.CaseID(m.From.Case),
		Aktenzeichen: m.From.Aktenzeichen, At: at, By: m.By, Message: m.Message.ID, Manifest: mhex}
	return m, from, nil
}

// verifyDocument checks one document: its file's size and SHA-256, and its
// proof bundle from the sender's log.
func (t *Transfer) verifyDocument(p *Package, d manifestDocument, sender string, pub []byte) error {
	rc, size, err := p.Open(d.File)
	if err != nil {
		return errTransfer("document %s: file %q is not in the package", d.ID, d.File)
	}
	h := sha256.New()
	n, err := io.Copy(h, rc)
	rc.Close()
	if err != nil {
		return fmt.Errorf("transfer package: file %q: %w", d.File, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != d.SHA256 || n != d.Size || size != d.Size {
		return errTransfer("file %q has %d bytes with SHA-256 %s; the manifest says %d bytes with %s: the file was changed", d.File, n, got, d.Size, d.SHA256)
	}
	b, err := audit.DecodeBundle(d.Proof)
	if err != nil {
		return errTransfer("document %s: proof: %s", d.ID, err)
	}
	if string(b.Tenant) != sender || b.Document != d.ID || b.SHA256 != d.SHA256 {
		return errTransfer("document %s: the proof is about document %s (%s) with SHA-256 %s", d.ID, b.Document, b.Tenant, b.SHA256)
	}
	if _, err := audit.VerifyBundle(b, pub); err != nil {
		return errTransfer("document %s: the proof does not verify: %s", d.ID, err)
	}
	return nil
}

// take removes a file from the package and returns its content (at most
// maxManifest bytes). A missing file is an error.
func (p *Package) take(name string) ([]byte, error) {
	f, ok := p.files[name]
	if !ok {
		return nil, errTransfer("no %s: not a transfer package", name)
	}
	rc, err := f.open()
	if err != nil {
		return nil, fmt.Errorf("transfer package: %s: %w", name, err)
	}
	defer rc.Close()
	var b bytes.Buffer
	if _, err := io.Copy(&b, io.LimitReader(rc, maxManifest+1)); err != nil {
		return nil, fmt.Errorf("transfer package: %s: %w", name, err)
	}
	if b.Len() > maxManifest {
		return nil, errTransfer("%s is larger than %d bytes", name, maxManifest)
	}
	delete(p.files, name)
	return b.Bytes(), nil
}
