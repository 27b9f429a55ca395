// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package portal

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"slices"
	"strings"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/frist"
	"justizcloud/pdfdoc"
	"justizcloud/verfahren"
	"justizcloud/zustellung"
)

// The parties' side of a proceeding: the access code from a letter, and
// answering online (Klageerwiderung, Verteidigungsanzeige, Anerkenntnis,
// Einspruch, Klagerücknahme — whatever the procedure lets the party's
// role do now).

// maxAnswerFile is the largest PDF a party may attach to an answer.
const maxAnswerFile = 20 << 20

// AccessCode (GET /zugangscode) asks a logged-in citizen for the access
// code printed in a court's letter.
func (c *Court) AccessCode(w http.ResponseWriter, r *http.Request) {
	if _, ok := c.p.person(w, r); !ok {
		return
	}
	v := c.p.base(r, "Zugangscode eingeben")
	v.Data = map[string]any{"Code": ""}
	c.p.render(w, r, http.StatusOK, "beklagt-zugangscode", v)
}

// RedeemCode (POST /zugangscode) redeems the code (zustellung.Service.Redeem):
// the person's account is linked to the addressee of the letter, that
// moment is service, and the browser goes to the proceeding.
func (c *Court) RedeemCode(w http.ResponseWriter, r *http.Request) {
	sub, ok := c.p.person(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormValues)
	if err := r.ParseForm(); err != nil {
		c.p.fail(w, r, fmt.Errorf("form: %w: %w", errs.ErrInvalid, err))
		return
	}
	code := strings.TrimSpace(r.PostForm.Get("zugangscode"))
	again := func(status int, msg string) {
		v := c.p.base(r, "Fehler: Zugangscode eingeben")
		v.Errors = []errorLink{{Href: "#zugangscode", Message: msg}}
		v.Data = map[string]any{"Code": code, "Error": msg}
		c.p.render(w, r, status, "beklagt-zugangscode", v)
	}
	if code == "" {
		again(http.StatusUnprocessableEntity, "Bitte geben Sie den Zugangscode aus dem Brief des Gerichts ein.")
		return
	}
	tenant, _ := zustellung.CodeTenant(code)
	z, err := c.z.Redeem(r.Context(), sub, clientIP(r), code)
	var tm *zustellung.TooManyAttemptsError
	switch {
	case errors.As(err, &tm):
		c.p.record(r.Context(), r, sub, "access_code.redeem", tenant, "", "", "", http.StatusTooManyRequests)
		mins := int(math.Ceil(tm.RetryAfter.Minutes()))
		w.Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(tm.RetryAfter.Seconds()))))
		again(http.StatusTooManyRequests, fmt.Sprintf("Zu viele falsche Versuche. Bitte versuchen Sie es in %d Minuten erneut.", mins))
		return
	case errors.Is(err, errs.ErrInvalid):
		c.p.record(r.Context(), r, sub, "access_code.redeem", tenant, "", "", "", http.StatusBadRequest)
		again(http.StatusUnprocessableEntity, "Dieser Zugangscode ist unbekannt, schon benutzt oder abgelaufen. Bitte prüfen Sie Ihre Eingabe.")
		return
	case errors.Is(err, errs.ErrConflict):
		c.p.record(r.Context(), r, sub, "access_code.redeem", tenant, "", "", "", http.StatusConflict)
		again(http.StatusConflict, "Sie sind an diesem Verfahren schon in einer anderen Rolle beteiligt. Der Brief ist für eine andere Person bestimmt.")
		return
	case err != nil:
		if errors.Is(err, errs.ErrForbidden) {
			c.p.record(r.Context(), r, sub, "access_code.redeem", tenant, "", "", "", http.StatusForbidden)
		}
		c.p.fail(w, r, err)
		return
	}
	c.p.record(r.Context(), r, sub, "access_code.redeem", z.Tenant, string(z.Case), string(z.Proof), "", http.StatusOK)
	http.Redirect(w, r, "/verfahren/"+string(z.Case)+"/antwort?zugang=1", http.StatusSeeOther)
}

// clientIP is the connection's address (as the API's rate limit uses).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type answerEvent struct {
	Name, Title string
	Noun        string // what the party files, for the button and the Schriftsatz's title
	Schriftsatz bool   // needs a Schriftsatz (text or PDF)
}

// partyActions are the headings and nouns of the parties' events; other
// events show the definition's title.
var partyActions = map[string][2]string{
	"verteidigungsanzeige": {"Verteidigungsbereitschaft anzeigen (§ 276 Abs. 1 S. 1 ZPO)", "Verteidigungsanzeige"},
	"klageerwiderung":      {"Auf die Klage erwidern (§ 276 Abs. 1 S. 2 ZPO)", "Klageerwiderung"},
	"anerkenntnis":         {"Den Anspruch anerkennen (§ 307 ZPO)", "Anerkenntnis"},
	"einspruch":            {"Einspruch gegen das Versäumnisurteil einlegen (§§ 338, 340 ZPO)", "Einspruch"},
	"klageruecknahme":      {"Die Klage zurücknehmen (§ 269 ZPO)", "Klagerücknahme"},
}

func newAnswerEvent(e verfahren.EventDef) answerEvent {
	a := answerEvent{Name: e.Name, Title: e.Title, Noun: "Erklärung", Schriftsatz: slices.Contains(e.Guards.Documents, codeSchriftsatz)}
	if t, ok := partyActions[e.Name]; ok {
		a.Title, a.Noun = t[0], t[1]
	}
	return a
}

// Answer (GET /verfahren/{id}/antwort) shows a party what it may declare
// now: for each event of the party's role that the procedure allows, a
// form (with text and PDF upload where the event needs a Schriftsatz).
func (c *Court) Answer(w http.ResponseWriter, r *http.Request) {
	sub, ok := c.p.person(w, r)
	if !ok {
		return
	}
	c.renderAnswer(w, r, sub, http.StatusOK, "", nil, "")
}

func (c *Court) renderAnswer(w http.ResponseWriter, r *http.Request, sub authz.Subject, status int, form string, errsBy map[string]string, text string) {
	ctx := r.Context()
	id := akte.CaseID(r.PathValue("id"))
	k, err := c.p.d.Akte.Case(ctx, sub, id)
	if err != nil {
		c.p.fail(w, r, err)
		return
	}
	if k.Procedure == "" {
		c.p.fail(w, r, errs.ErrNotFound)
		return
	}
	st, _, err := c.p.d.Verfahren.Status(ctx, sub, id)
	if err != nil {
		c.p.fail(w, r, err)
		return
	}
	ds, err := c.p.d.Akte.Documents(ctx, sub, id)
	if err != nil {
		c.p.fail(w, r, err)
		return
	}
	var events []answerEvent
	if !sub.Role.Staff() {
		for _, e := range st.Allowed {
			events = append(events, newAnswerEvent(e))
		}
	}
	var claim []docRow
	for _, d := range ds {
		if d.Class == "Klage" || d.Class == "Anlage" && d.CreatedBy == k.CreatedBy {
			claim = append(claim, docRow{Name: d.Filename, Size: humanSize(d.Size), Created: berlinTime(d.CreatedAt),
				Link: "/verfahren/" + string(k.ID) + "/dokumente/" + string(d.ID)})
		}
	}
	var fristen []fristRow
	for _, f := range st.Fristen {
		fristen = append(fristen, fristRow{Title: f.Title, End: f.End.Format("02.01.2006"), Expired: f.Expired})
	}
	eebs, err := c.openEEB(r, sub, k)
	if err != nil {
		c.p.fail(w, r, err)
		return
	}
	title := "Stellungnahme – Verfahren " + k.Aktenzeichen.String()
	if len(errsBy) > 0 {
		title = "Fehler: " + title
	}
	v := c.p.base(r, title)
	for _, key := range []string{"text", "datei", "bestaetigung"} {
		if msg, ok := errsBy[key]; ok {
			v.Errors = append(v.Errors, errorLink{Href: "#" + form + "-" + key, Message: msg})
		}
	}
	v.Data = map[string]any{"ID": string(k.ID), "Aktenzeichen": k.Aktenzeichen.String(), "Court": c.p.courtName(k),
		"Subject": k.Subject, "State": c.p.stateTitle(k, st.State), "Role": roleTitle(st.Role), "Events": events,
		"Claim": claim, "Fristen": fristen, "Access": r.URL.Query().Get("zugang") == "1", "EEB": eebs, "Acknowledged": r.URL.Query().Get("bestaetigt") == "1", "Filed": r.URL.Query().Get("eingegangen"), "Form": form, "FieldErrors": errsBy, "Text": text}
	c.p.render(w, r, status, "beklagt-antwort", v)
}

const codeSchriftsatz = "015"

// PostAnswer (POST /verfahren/{id}/antwort, multipart: csrf, ereignis,
// text, bestaetigung, datei) fires the chosen party event. Where the event
// needs a Schriftsatz, the text becomes a PDF (pdfdoc) and an attached PDF
// is filed as it is (type sniffed, at most 20 MB, streamed); both are the
// event's documents. An event the party may not fire now is refused with
// the procedure's reason before anything is stored.
func (c *Court) PostAnswer(w http.ResponseWriter, r *http.Request) {
	sub, ok := c.p.person(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	id := akte.CaseID(r.PathValue("id"))
	st, _ := ctx.Value(multipartKey{}).(*multipartState)
	if st == nil {
		mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt != "multipart/form-data" {
			c.p.fail(w, r, fmt.Errorf("answer: %w: multipart/form-data expected", errs.ErrInvalid))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxAnswerFile+maxFormValues)
		st = &multipartState{mr: multipart.NewReader(r.Body, params["boundary"])}
	}
	var event *verfahren.EventDef
	var text, confirm string
	var docs []akte.DocumentID
	errsBy := map[string]string{}
	k, err := c.p.d.Akte.Case(ctx, sub, id)
	if err != nil {
		c.p.fail(w, r, err)
		return
	}
	for n := 0; ; n++ {
		part, err := st.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil || n > 10 {
			c.p.fail(w, r, fmt.Errorf("answer: %w: malformed form", errs.ErrInvalid))
			return
		}
		switch part.FormName() {
		case "ereignis":
			name, _ := io.ReadAll(io.LimitReader(part, 100))
			status, _, err := c.p.d.Verfahren.Status(ctx, sub, id)
			if err != nil {
				c.p.fail(w, r, err)
				return
			}
			for _, e := range status.Allowed {
				if e.Name == string(name) {
					event = &e
				}
			}
			if sub.Role.Staff() { // the court acts on its own pages
				c.p.fail(w, r, fmt.Errorf("answer: %w", errs.ErrForbidden))
				return
			}
			if event == nil {
				c.p.refuse(w, r, c.refusal(ctx, sub, id, string(name)))
				return
			}
		case "text":
			b, _ := io.ReadAll(io.LimitReader(part, 200_001))
			text = strings.TrimSpace(strings.ReplaceAll(string(b), "\r\n", "\n"))
			if len(b) > 200_000 {
				errsBy["text"] = "Der Text ist zu lang (höchstens 200.000 Zeichen)."
			}
		case "bestaetigung":
			b, _ := io.ReadAll(io.LimitReader(part, 10))
			confirm = string(b)
		case "datei":
			if event == nil || part.FileName() == "" {
				io.Copy(io.Discard, part)
				continue
			}
			if !slices.Contains(event.Guards.Documents, codeSchriftsatz) {
				io.Copy(io.Discard, part)
				continue
			}
			br := bufio.NewReaderSize(part, 512)
			head, _ := br.Peek(512)
			switch {
			case len(head) == 0:
				errsBy["datei"] = fmt.Sprintf("Die Datei „%s“ ist leer.", part.FileName())
			case http.DetectContentType(head) != "application/pdf":
				errsBy["datei"] = fmt.Sprintf("Die Datei „%s“ hat ein Format, das nicht erlaubt ist. Erlaubt ist: PDF.", part.FileName())
			}
			if len(errsBy) > 0 {
				io.Copy(io.Discard, br)
				continue
			}
			lr := &limitedReader{r: br, n: maxAnswerFile}
			d, err := c.p.d.Akte.AddDocument(ctx, sub, akte.NewDocument{Case: id, Filename: part.FileName(), ContentType: "application/pdf",
				Body: lr, Class: "Schriftsatz"})
			if lr.over {
				errsBy["datei"] = fmt.Sprintf("Die Datei „%s“ ist zu groß. Erlaubt sind höchstens 20 MB.", part.FileName())
				continue
			}
			if err != nil {
				c.p.fail(w, r, err)
				return
			}
			c.note(r, sub, "document.create", &d)
			docs = append(docs, d.ID)
		default:
			io.Copy(io.Discard, part)
		}
	}
	if event == nil {
		c.p.fail(w, r, fmt.Errorf("answer: %w: no event chosen", errs.ErrInvalid))
		return
	}
	needs := slices.Contains(event.Guards.Documents, codeSchriftsatz)
	if needs && text == "" && len(docs) == 0 && errsBy["datei"] == "" {
		errsBy["text"] = "Bitte schreiben Sie Ihre Erklärung in das Textfeld oder laden Sie sie als PDF hoch."
	}
	if !needs && confirm != "ja" {
		errsBy["bestaetigung"] = "Bitte bestätigen Sie Ihre Erklärung."
	}
	if len(errsBy) > 0 {
		c.renderAnswer(w, r, sub, http.StatusUnprocessableEntity, event.Name, errsBy, text)
		return
	}
	if needs && text != "" {
		ps, _ := c.p.d.Akte.Participants(ctx, sub, id)
		var parties []pdfdoc.Pair
		for _, p := range ps {
			if p.Role == "klaeger" || p.Role == "beklagter" {
				parties = append(parties, pdfdoc.Pair{Label: roleTitle(p.Role), Value: p.Name})
			}
		}
		now := c.now()
		noun := newAnswerEvent(*event).Noun
		doc := pdfdoc.Document{Sender: sub.Name, Title: noun, Date: now,
			Meta: []pdfdoc.Pair{{Label: "An das", Value: c.p.courtName(k)}, {Label: "Aktenzeichen", Value: k.Aktenzeichen.String()},
				{Label: "Datum", Value: now.In(frist.Germany).Format("02.01.2006")}},
			Blocks: []pdfdoc.Block{{Paragraph: "In dem Rechtsstreit"}, {Pairs: parties}, {Paragraph: text}, {Paragraph: sub.Name}},
			Footer: k.Aktenzeichen.String() + " · eingereicht über die Justizcloud", Author: sub.Name, Subject: noun}
		pdf, err := pdfdoc.Bytes(doc)
		if err != nil {
			c.renderAnswer(w, r, sub, http.StatusUnprocessableEntity, event.Name,
				map[string]string{"text": "Der Text enthält ein Zeichen, das das Dokument nicht drucken kann. Bitte ersetzen Sie es."}, text)
			return
		}
		d, err := c.p.d.Akte.AddDocument(ctx, sub, akte.NewDocument{Case: id, Filename: strings.ReplaceAll(event.Name, "_", "-") + ".pdf",
			ContentType: "application/pdf", Body: bytes.NewReader(pdf), Class: "Schriftsatz"})
		if err != nil {
			c.p.fail(w, r, err)
			return
		}
		c.note(r, sub, "document.create", &d)
		docs = append([]akte.DocumentID{d.ID}, docs...)
	}
	if _, err := c.p.d.Verfahren.Fire(ctx, sub, id, verfahren.Command{Event: event.Name, Documents: docs}); err != nil {
		c.p.refuse(w, r, err)
		return
	}
	c.note(r, sub, "event.append", nil)
	http.Redirect(w, r, "/verfahren/"+string(id)+"/antwort?eingegangen="+event.Name, http.StatusSeeOther)
}

// limitedReader fails once more than n bytes are read.
type limitedReader struct {
	r    io.Reader
	n    int64
	over bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	k, err := l.r.Read(p)
	l.n -= int64(k)
	if l.n < 0 {
		l.over = true
		return k, fmt.Errorf("%w: file over the limit", errs.ErrTooLarge)
	}
	return k, err
}

type eebRow struct{ ID, Documents, Ordered string }

// openEEB lists the unserved Zustellungen by eEB of proceeding k whose
// recipient is the subject's account or organisation.
func (c *Court) openEEB(r *http.Request, sub authz.Subject, k akte.Case) ([]eebRow, error) {
	if sub.Role.Staff() {
		return nil, nil
	}
	zs, err := c.z.List(r.Context(), sub, k.ID)
	if err != nil {
		return nil, err
	}
	ps, err := c.p.d.Akte.Participants(r.Context(), sub, k.ID)
	if err != nil {
		return nil, err
	}
	mine := map[akte.ParticipantID]bool{}
	for _, p := range ps {
		if p.Account != "" && (p.Account == authz.UserRef(sub.User) || sub.Org != "" && p.Account == authz.OrgRef(sub.Org)) {
			mine[p.ID] = true
		}
	}
	var out []eebRow
	for _, z := range zs {
		if z.Method != zustellung.EEB || z.Served() || !mine[z.Recipient] {
			continue
		}
		var names []string
		for _, d := range z.Documents {
			names = append(names, d.Filename)
		}
		out = append(out, eebRow{ID: string(z.ID), Documents: strings.Join(names, ", "), Ordered: berlinTime(z.OrderedAt)})
	}
	return out, nil
}

// Acknowledge (POST /verfahren/{id}/empfangsbekenntnis, field
// zustellung) is the recipient's electronic acknowledgement of receipt
// (eEB): zustellung.Service.Acknowledge records the moment of service and
// files the Zustellungsnachweis with the served documents' SHA-256.
func (c *Court) Acknowledge(w http.ResponseWriter, r *http.Request) {
	sub, ok := c.p.person(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormValues)
	if err := r.ParseForm(); err != nil {
		c.p.fail(w, r, fmt.Errorf("form: %w: %w", errs.ErrInvalid, err))
		return
	}
	z, err := c.z.Get(r.Context(), sub, zustellung.ID(r.PostForm.Get("zustellung")))
	if err == nil && string(z.Case) != r.PathValue("id") {
		err = fmt.Errorf("acknowledge: %w", errs.ErrNotFound)
	}
	if err == nil {
		z, err = c.z.Acknowledge(r.Context(), sub, z.ID)
	}
	if err != nil {
		c.p.fail(w, r, err)
		return
	}
	c.p.record(r.Context(), r, sub, "zustellung.acknowledge", z.Tenant, string(z.Case), string(z.Proof), "", http.StatusOK)
	http.Redirect(w, r, "/verfahren/"+string(z.Case)+"/antwort?bestaetigt=1", http.StatusSeeOther)
}
