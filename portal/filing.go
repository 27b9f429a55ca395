// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package portal

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"justizcloud/akte"
	"justizcloud/blob"
	"justizcloud/errs"
	"justizcloud/frist"
	"justizcloud/interview"
	"justizcloud/pdfdoc"
	"justizcloud/tenancy"
)

// Document names and classes of a filing.
const (
	dataFilename    = "antrag.json"
	receiptFilename = "eingangsbestaetigung.pdf"
	classAnlage     = "Anlage"
)

// mainDocument is the file name and Dokumentklasse of the generated
// claim or application.
func mainDocument(d *interview.Definition) (filename, class, title string) {
	if d.Procedure == "zivil-online" {
		return "klage.pdf", "Klage", "Klage"
	}
	return "antrag.pdf", "Antrag", "Antrag"
}

// File (POST /antrag/{name}/einreichen) files the draft: the proceeding at
// the chosen court with the participants, the generated claim or
// application (PDF), the structured answers (antrag.json) and the uploads;
// then the receipt (PDF) goes into the file too, the draft is deleted, and
// the browser goes to the receipt page.
func (p *Portal) File(w http.ResponseWriter, r *http.Request) {
	d, ok := p.definition(w, r)
	if !ok {
		return
	}
	sub, ok := p.person(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	key := sub.User + "\x00" + d.Name
	mu, _ := p.filing.LoadOrStore(key, &sync.Mutex{})
	if !mu.(*sync.Mutex).TryLock() {
		p.fail(w, r, fmt.Errorf("filing already running: %w", errs.ErrConflict))
		return
	}
	defer func() {
		p.filing.Delete(key) // the map does not grow with every filer
		mu.(*sync.Mutex).Unlock()
	}()
	_, a, ok := p.draftFor(w, r, d, sub.User)
	if !ok {
		return
	}
	fl, err := d.Output(a)
	if errors.Is(err, errs.ErrInvalid) {
		p.renderSummary(w, r, http.StatusUnprocessableEntity, d, a, nil)
		return
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	court, err := p.d.Catalog.Court(fl.Case.Court)
	if err != nil {
		p.fail(w, r, fmt.Errorf("court %s: %w", fl.Case.Court, errs.ErrInvalid))
		return
	}
	now := p.now()
	filename, class, _ := mainDocument(d)
	claim, err := pdfdoc.Bytes(claimDocument(d, a, fl, court, now))
	if err != nil {
		p.fail(w, r, fmt.Errorf("claim pdf: %w", err))
		return
	}
	data, err := json.MarshalIndent(map[string]any{"interview": d.Name, "procedure": fl.Procedure, "court": fl.Case.Court,
		"subject": fl.Case.Subject, "filed_at": now.UTC().Format(time.RFC3339), "participants": participantsJSON(fl.Participants),
		"data": fl.Data}, "", "  ")
	if err != nil {
		p.fail(w, r, err)
		return
	}
	docs := []akte.FilingDocument{
		{Filename: filename, ContentType: "application/pdf", Class: class, Body: bytes.NewReader(claim)},
		{Filename: dataFilename, ContentType: "application/json", Class: classAnlage, Body: bytes.NewReader(data)},
	}
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	for _, u := range fl.Attachments {
		rc, err := p.d.Blobs.Get(ctx, blob.Key{Tenant: DraftTenant, Name: u.Ref})
		if err != nil {
			p.fail(w, r, fmt.Errorf("attachment %s: %w", u.Ref, err))
			return
		}
		closers = append(closers, rc)
		docs = append(docs, akte.FilingDocument{Filename: u.Name, ContentType: u.ContentType, Class: classAnlage, Body: rc})
	}
	filer := 0
	for i, pt := range fl.Participants {
		if pt.Role == "klaeger" || pt.Role == "antragsteller" {
			filer = i
			break
		}
	}
	c, ds, err := p.d.Akte.File(ctx, sub, akte.Filing{Case: fl.Case, Participants: fl.Participants, Filer: filer, Documents: docs})
	if err != nil {
		p.record(ctx, r, sub, "case.file", court.Tenant, "", "", "", http.StatusInternalServerError)
		p.fail(w, r, err)
		return
	}
	p.record(ctx, r, sub, "case.file", c.Tenant, string(c.ID), string(ds[0].ID), hex.EncodeToString(ds[0].SHA256[:]), http.StatusSeeOther)
	// The receipt names the Aktenzeichen, which the filing assigned, so it
	// follows as a document of its own. The filing stands if this fails:
	// the receipt page shows the same facts from the file.
	receipt, err := pdfdoc.Bytes(receiptDocument(c, court, ds, fl, now))
	if err == nil {
		var rd akte.Document
		rd, err = p.d.Akte.AddDocument(ctx, sub, akte.NewDocument{Case: c.ID, Filename: receiptFilename, ContentType: "application/pdf",
			Class: classAnlage, Body: bytes.NewReader(receipt)})
		if err == nil {
			p.record(ctx, r, sub, "document.create", c.Tenant, string(c.ID), string(rd.ID), hex.EncodeToString(rd.SHA256[:]), http.StatusCreated)
		}
	}
	if err != nil {
		p.log.ErrorContext(ctx, "portal: receipt not stored", "case", c.ID, "err", err)
	}
	for _, cl := range closers {
		cl.Close()
	}
	closers = nil
	if err := p.drafts.remove(ctx, sub.User, d.Name); err != nil {
		p.log.ErrorContext(ctx, "portal: draft of a filed interview not deleted; the sweep will", "err", err)
	}
	p.log.InfoContext(ctx, "portal: filed", "interview", d.Name, "case", c.ID, "court", c.Court)
	http.Redirect(w, r, "/verfahren/"+string(c.ID)+"?eingereicht=1", http.StatusSeeOther)
}

func participantsJSON(ps []akte.NewParticipant) []map[string]string {
	out := make([]map[string]string, len(ps))
	for i, p := range ps {
		out[i] = map[string]string{"role": p.Role, "name": p.Name, "address": p.Address}
	}
	return out
}

// roleTitle is the German title of a participant role.
func roleTitle(key string) string {
	for _, r := range akte.ParticipantRoles() {
		if r.Key == key {
			return r.Title
		}
	}
	return key
}

// berlinTime formats an instant for people: "27.11.2026, 16:05 Uhr".
func berlinTime(t time.Time) string {
	return t.In(frist.Germany).Format("02.01.2006, 15:04") + " Uhr"
}

// claimDocument is the generated claim or application: the court, the
// parties, and every answer as the summary shows it.
func claimDocument(d *interview.Definition, a interview.Answers, fl interview.Filing, court tenancy.Court, now time.Time) pdfdoc.Document {
	_, _, kind := mainDocument(d)
	doc := pdfdoc.Document{
		Sender: pdfSafe("An das " + court.Name),
		Title:  kind + ": " + pdfSafe(d.Title),
		Meta: []pdfdoc.Pair{{Label: "Gericht", Value: pdfSafe(court.Name)}, {Label: "Eingereicht am", Value: berlinTime(now)},
			{Label: "Gegenstand", Value: pdfSafe(fl.Case.Subject)}},
		Footer: "Eingereicht über die Justizcloud (Digitale Rechtsantragstelle)",
		Date:   now, Author: "Justizcloud", Subject: pdfSafe(fl.Case.Subject),
	}
	var parties []pdfdoc.Pair
	for _, pt := range fl.Participants {
		parties = append(parties, pdfdoc.Pair{Label: roleTitle(pt.Role), Value: pdfSafe(pt.Name + "\n" + pt.Address)})
	}
	doc.Blocks = append(doc.Blocks, pdfdoc.Block{Heading: "Beteiligte"}, pdfdoc.Block{Pairs: parties})
	for _, s := range d.Summary(a) {
		var ps []pdfdoc.Pair
		for _, it := range s.Items {
			v := it.Value
			for _, f := range it.Files {
				v += f.Name + " (SHA-256 " + f.SHA256 + ")\n"
			}
			if v == "" {
				v = "–"
			}
			ps = append(ps, pdfdoc.Pair{Label: pdfSafe(it.Label), Value: pdfSafe(v)})
		}
		if len(ps) > 0 {
			doc.Blocks = append(doc.Blocks, pdfdoc.Block{Heading: pdfSafe(s.Title)}, pdfdoc.Block{Pairs: ps})
		}
	}
	doc.Blocks = append(doc.Blocks, pdfdoc.Block{Note: "Die Angaben liegen dem Gericht zusätzlich strukturiert vor (" + dataFilename + ")."})
	return doc
}

// receiptDocument is the Eingangsbestätigung: time, court, Aktenzeichen
// and the SHA-256 of every filed file.
func receiptDocument(c akte.Case, court tenancy.Court, ds []akte.Document, fl interview.Filing, now time.Time) pdfdoc.Document {
	doc := pdfdoc.Document{
		Sender: "Justizcloud – Digitale Rechtsantragstelle",
		Title:  "Eingangsbestätigung",
		Meta: []pdfdoc.Pair{{Label: "Gericht", Value: pdfSafe(court.Name)}, {Label: "Aktenzeichen", Value: c.Aktenzeichen.String()},
			{Label: "Eingang", Value: berlinTime(c.CreatedAt)}, {Label: "Gegenstand", Value: pdfSafe(c.Subject)}},
		Footer: "Eingangsbestätigung " + c.Aktenzeichen.String(),
		Date:   now, Author: "Justizcloud", Subject: "Eingangsbestätigung " + c.Aktenzeichen.String(),
	}
	doc.Blocks = append(doc.Blocks, pdfdoc.Block{Paragraph: "Ihre Eingabe ist zu dem oben genannten Zeitpunkt elektronisch beim Gericht eingegangen. " +
		"Die folgenden Dateien wurden eingereicht; mit ihrem SHA-256-Prüfwert lässt sich jederzeit nachweisen, dass eine Datei unverändert ist."})
	for _, d := range ds {
		doc.Blocks = append(doc.Blocks, pdfdoc.Block{Pairs: []pdfdoc.Pair{{Label: "Datei", Value: pdfSafe(d.Filename)},
			{Label: "Größe", Value: fmt.Sprintf("%d Bytes", d.Size)}, {Label: "SHA-256", Value: hex.EncodeToString(d.SHA256[:])}}})
	}
	var names []string
	for _, pt := range fl.Participants {
		names = append(names, roleTitle(pt.Role)+": "+pdfSafe(pt.Name))
	}
	doc.Blocks = append(doc.Blocks, pdfdoc.Block{Heading: "Beteiligte"}, pdfdoc.Block{List: names},
		pdfdoc.Block{Note: "Diese Bestätigung wurde automatisch erstellt und ist ohne Unterschrift gültig. Sie liegt auch in der elektronischen Akte."})
	return doc
}

// pdfSafe replaces characters the PDF fonts cannot print (pdfdoc refuses
// them) by "?"; the structured data (antrag.json) keeps the exact text.
func pdfSafe(s string) string {
	ok := func(r rune) bool {
		switch {
		case r == '\n' || r == '\t':
			return true
		case r >= 0x20 && r <= 0x7e, r >= 0xa0 && r <= 0x24f, r >= 0x370 && r <= 0x4ff, r >= 0x1e00 && r <= 0x1eff,
			r >= 0x2010 && r <= 0x2014, r >= 0x2018 && r <= 0x201e, r == 0x2022, r == 0x2026,
			r == 0x2039, r == 0x203a, r == 0x20ac, r == 0x2122:
			return true
		}
		return false
	}
	b := []rune(s)
	for i, r := range b {
		if !ok(r) {
			b[i] = '?'
		}
	}
	return string(b)
}
