// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"mime"
	"path"
	"strings"
	"time"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

// Entry is the record of one imported message.
type Entry struct {
	Tenant             tenancy.ID
	MessageID          string
	Case               akte.CaseID // empty until the case exists
	State              string      // "pending" or "done"
	Version, Root      string
	Sender             string
	SenderAktenzeichen string
	SHA256             [32]byte // of the message XML
	StartedAt, DoneAt  time.Time
}

// ImportLog remembers imported messages per tenant, so that an import is
// idempotent. Implementations are safe for concurrent use.
type ImportLog interface {
	// Claim records the start of an import. If the tenant has the message
	// already, it returns that entry and an error wrapping errs.ErrConflict.
	Claim(ctx context.Context, e Entry) (Entry, error)
	// SetCase records the case created for a claimed message.
	SetCase(ctx context.Context, t tenancy.ID, messageID string, c akte.CaseID) error
	// Done marks the import of a claimed message complete.
	Done(ctx context.Context, t tenancy.ID, messageID string) error
	// Release forgets a claim that has no case yet.
	Release(ctx context.Context, t tenancy.ID, messageID string) error
}

// Importer turns GDS messages into proceedings through akte.Service.
type Importer struct {
	v   *Validator
	svc *akte.Service
	cat *tenancy.Catalog
	log ImportLog
	// className maps a Dokumentklasse code to the name akte.Service knows;
	// "" leaves the document unclassified.
	className func(code string) string
}

// NewImporter returns an importer. className maps a GDS.Dokumentklasse code
// to a class name the service accepts ("" for none); nil classifies nothing.
func NewImporter(v *Validator, svc *akte.Service, cat *tenancy.Catalog, log ImportLog, className func(string) string) *Importer {
	if className == nil {
		className = func(string) string { return "" }
	}
	return &Importer{v: v, svc: svc, cat: cat, log: log, className: className}
}

// ImportOptions steer an import.
type ImportOptions struct {
	// Court receives the proceeding. Empty: the recipient court of the
	// message, else its Instanzbehörde, if one of them is a court of the
	// subject's tenant.
	Court tenancy.CourtID
	// Register is the Registerzeichen when the message's Aktenzeichen has
	// none that the court uses. Empty: a general one for the court type.
	Register string

	// transfer, set by Transfer.Accept, replaces what the XJustiz message
	// cannot carry (procedure type, participants with their accounts and
	// representation, documents' names, restriction and versions) with the
	// verified manifest's.
	transfer *manifest
}

// ImportResult describes an imported proceeding.
type ImportResult struct {
	Message      *Message
	Report       *Report
	Case         akte.Case
	Participants []akte.Participant
	Documents    []akte.Document
	Skipped      []string // what the message holds but the case could not take
	Repeated     bool     // the message had been imported before: nothing was changed
	Entry        Entry
}

// Import validates the package's message and files and creates the
// proceeding: the case, its participants and one document per file. Every
// check runs before anything is stored, so a refused message leaves nothing
// behind. Importing the same message (same id, same bytes) again returns the
// case of the first import and changes nothing; another message with an id
// the tenant has imported already is refused (errs.ErrConflict).
func (im *Importer) Import(ctx context.Context, sub authz.Subject, p *Package, o ImportOptions) (*ImportResult, error) {
	rep, err := im.v.validate(p.Message, true) // with the element tree: the message is parsed once
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", p.Name, err)
	}
	if !rep.Valid() {
		return &ImportResult{Report: rep}, fmt.Errorf("import %s: %w", p.Name, &InvalidError{Report: rep})
	}
	m, err := ParseMessage(p.Message, rep)
	if err != nil {
		return &ImportResult{Report: rep}, fmt.Errorf("import %s: %w", p.Name, err)
	}
	res := &ImportResult{Message: m, Report: rep}
	if err := p.CheckFiles(m); err != nil {
		return res, fmt.Errorf("import %s: %w", p.Name, err)
	}
	plan, err := im.plan(sub, m, o, p)
	if err != nil {
		return res, fmt.Errorf("import %s: %w", p.Name, err)
	}
	if o.transfer != nil {
		if err := o.transfer.adjust(plan, m); err != nil {
			return res, fmt.Errorf("import %s: %w", p.Name, err)
		}
	}
	res.Skipped = plan.skipped
	if err := im.svc.Authorizer().May(ctx, sub, authz.ImportXJustiz, authz.Resource{Tenant: sub.Tenant, Court: plan.newCase.Court}); err != nil {
		if errors.Is(err, errs.ErrNotFound) { // a court-bound subject, another court: as akte.Service.CreateCase says it
			return res, fmt.Errorf("import %s: %w: court %s is not one of your courts", p.Name, errs.ErrInvalid, plan.newCase.Court)
		}
		return res, fmt.Errorf("import %s: %w", p.Name, err)
	}

	entry := Entry{Tenant: sub.Tenant, MessageID: m.ID, State: "pending", Version: m.Version, Root: m.Root,
		Sender: m.Sender.String(), SenderAktenzeichen: m.SenderAktenzeichen, SHA256: sha256.Sum256(p.Message), StartedAt: time.Now().UTC()}
	got, err := im.log.Claim(ctx, entry)
	if errors.Is(err, errs.ErrConflict) {
		if got.SHA256 != entry.SHA256 {
			return res, fmt.Errorf("import %s: message id %s: %w: imported before with different content (case %s)", p.Name, m.ID, errs.ErrConflict, got.Case)
		}
		return im.repeated(ctx, sub, res, got)
	}
	if err != nil {
		return res, fmt.Errorf("import %s: %w", p.Name, err)
	}
	res.Entry = got
	c, err := im.svc.CreateCase(ctx, sub, plan.newCase)
	if err != nil {
		if rerr := im.log.Release(ctx, sub.Tenant, m.ID); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return res, fmt.Errorf("import %s: %w", p.Name, err)
	}
	res.Case = c
	if err := im.log.SetCase(ctx, sub.Tenant, m.ID, c.ID); err != nil {
		return res, fmt.Errorf("import %s: %w", p.Name, err)
	}
	newParticipant := map[akte.ParticipantID]akte.ParticipantID{} // a transfer's participant ids: sender's → ours
	for i, np := range plan.participants {
		if np.Represents != "" {
			np.Represents = newParticipant[np.Represents]
		}
		pt, err := im.svc.AddParticipant(ctx, sub, c.ID, np)
		if err != nil {
			return res, fmt.Errorf("import %s: participant %q: %w", p.Name, np.Name, err)
		}
		if i < len(plan.participantIDs) {
			newParticipant[plan.participantIDs[i]] = pt.ID
		}
		res.Participants = append(res.Participants, pt)
	}
	newDocument := map[string]akte.DocumentID{} // file name → our document
	for _, d := range plan.documents {
		rc, _, err := p.Open(d.file)
		if err != nil {
			return res, fmt.Errorf("import %s: %w", p.Name, err)
		}
		nd := akte.NewDocument{Case: c.ID, Filename: d.file, ContentType: d.contentType, Body: rc, Class: d.class,
			Restricted: d.restricted, SHA256: d.sha256}
		if d.filename != "" {
			nd.Filename = d.filename
		}
		if d.predecessor != "" {
			nd.Predecessor = newDocument[d.predecessor]
		}
		doc, err := im.svc.AddDocument(ctx, sub, nd)
		rc.Close()
		newDocument[d.file] = doc.ID
		if err != nil {
			return res, fmt.Errorf("import %s: file %q: %w", p.Name, d.file, err)
		}
		res.Documents = append(res.Documents, doc)
	}
	if err := im.log.Done(ctx, sub.Tenant, m.ID); err != nil {
		return res, fmt.Errorf("import %s: %w", p.Name, err)
	}
	res.Entry.Case, res.Entry.State = c.ID, "done"
	return res, nil
}

// repeated answers a message imported before with what that import made.
func (im *Importer) repeated(ctx context.Context, sub authz.Subject, res *ImportResult, e Entry) (*ImportResult, error) {
	res.Repeated, res.Entry = true, e
	if e.State != "done" || e.Case == "" {
		return res, fmt.Errorf("import: message %s: %w: an earlier import started at %s did not finish (case %q)",
			e.MessageID, errs.ErrConflict, e.StartedAt.Format(time.RFC3339), e.Case)
	}
	c, err := im.svc.Case(ctx, sub, e.Case)
	if err != nil {
		return res, fmt.Errorf("import: message %s: %w", e.MessageID, err)
	}
	res.Case = c
	if res.Participants, err = im.svc.Participants(ctx, sub, c.ID); err != nil {
		return res, fmt.Errorf("import: message %s: %w", e.MessageID, err)
	}
	if res.Documents, err = im.svc.Documents(ctx, sub, c.ID); err != nil {
		return res, fmt.Errorf("import: message %s: %w", e.MessageID, err)
	}
	return res, nil
}

type plannedDocument struct {
	file, contentType, class string
	// Set from a transfer manifest: the original file name, the
	// restriction, the file of the predecessor version and the SHA-256 the
	// content must have.
	filename    string
	restricted  bool
	predecessor string
	sha256      []byte
}

type importPlan struct {
	newCase      akte.NewCase
	participants []akte.NewParticipant
	// participantIDs are the sender's ids of participants (a transfer),
	// which Represents refers to.
	participantIDs []akte.ParticipantID
	documents      []plannedDocument
	skipped        []string
}

// plan decides everything an import will store, so that every refusal
// happens before the first write.
func (im *Importer) plan(sub authz.Subject, m *Message, o ImportOptions, p *Package) (*importPlan, error) {
	pl := &importPlan{}
	court, err := im.court(sub, m, o)
	if err != nil {
		return nil, err
	}
	register, dept := "", ""
	if r, err := im.cat.Register(m.Aktenzeichen.Register); err == nil && m.Aktenzeichen.Register != "" && (court.Test() || r.Allows(court.Type)) {
		register, dept = r.Zeichen, m.Aktenzeichen.Department
	}
	if register == "" {
		register = o.Register
		if register == "" {
			register = im.defaultRegister(court)
		}
		if register == "" {
			return nil, fmt.Errorf("%w: no Registerzeichen for a %s is known; give one (--register)", errs.ErrInvalid, court.Type)
		}
		if r, err := im.cat.Register(register); err != nil {
			return nil, err
		} else if !court.Test() && !r.Allows(court.Type) {
			return nil, fmt.Errorf("%w: Registerzeichen %q is not used at a %s", errs.ErrInvalid, register, court.Type)
		}
	}
	subject := m.Subject
	if subject == "" {
		subject = "XJustiz-Nachricht " + m.ID
	}
	if m.SenderAktenzeichen != "" {
		subject += " (Az. des Absenders: " + m.SenderAktenzeichen + ")"
	}
	if r := []rune(subject); len(r) > 500 {
		subject = string(r[:500])
	}
	pl.newCase = akte.NewCase{Court: court.ID, Register: register, Department: dept, Subject: subject}

	roles := map[string]string{}
	for _, r := range akte.ParticipantRoles() {
		if r.Key != "prozessbevollmaechtigter" { // needs the party represented, which the mapping does not resolve
			roles[r.Code] = r.Key
		}
	}
	for _, bp := range m.Participants {
		key, ok := roles[bp.RoleCode]
		switch {
		case !ok:
			pl.skipped = append(pl.skipped, fmt.Sprintf("participant %q: Rollenbezeichnung %s has no participant role here", bp.Name, bp.RoleCode))
		case strings.TrimSpace(bp.Name) == "":
			pl.skipped = append(pl.skipped, fmt.Sprintf("participant %s: no name", bp.Number))
		default:
			pl.participants = append(pl.participants, akte.NewParticipant{Role: key, Name: bp.Name, Address: bp.Address})
		}
	}
	for _, d := range m.Documents {
		class := ""
		if d.Class != "" {
			class = im.className(d.Class)
		}
		for _, f := range d.Files {
			if size, err := p.Size(f.Name); err != nil {
				return nil, err
			} else if size > im.svc.MaxUpload() {
				return nil, fmt.Errorf("%w: file %q is %d bytes, the limit is %d", errs.ErrInvalid, f.Name, size, im.svc.MaxUpload())
			}
			ct := mime.TypeByExtension(strings.ToLower(path.Ext(f.Name)))
			if ct == "" {
				ct = "application/octet-stream"
			}
			pl.documents = append(pl.documents, plannedDocument{file: f.Name, contentType: ct, class: class})
		}
	}
	return pl, nil
}

// court picks the court that receives the proceeding.
func (im *Importer) court(sub authz.Subject, m *Message, o ImportOptions) (tenancy.Court, error) {
	var tried []string
	seen := map[string]bool{}
	for _, id := range []string{string(o.Court), m.Recipient.Court, m.Court} {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		c, err := im.cat.Court(tenancy.CourtID(id))
		if err != nil {
			if o.Court != "" && id == string(o.Court) {
				return tenancy.Court{}, fmt.Errorf("%w: unknown court id %q", errs.ErrInvalid, id)
			}
			tried = append(tried, id+" (unknown court id)")
			continue
		}
		if c.Tenant == sub.Tenant || o.Court != "" {
			if c.Tenant != sub.Tenant {
				return tenancy.Court{}, fmt.Errorf("%w: court %s belongs to %s, not %s", errs.ErrInvalid, c.ID, c.Tenant, sub.Tenant)
			}
			return c, nil
		}
		tried = append(tried, fmt.Sprintf("%s (%s)", id, c.Tenant))
	}
	return tenancy.Court{}, fmt.Errorf("%w: the message names no court of %s (recipient and Instanzbehörde: %v); give one (--court)", errs.ErrInvalid, sub.Tenant, tried)
}

// defaultRegister picks a general Registerzeichen the court type uses.
func (im *Importer) defaultRegister(c tenancy.Court) string {
	for _, z := range []string{"AR", "C", "O", "U", "Js", "Ca", "K", "A"} {
		if r, err := im.cat.Register(z); err == nil && (c.Test() || r.Allows(c.Type)) {
			return z
		}
	}
	return ""
}
