// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package portal

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/frist"
	"justizcloud/pdfdoc"
	"justizcloud/verfahren"
	"justizcloud/zustellung"
)

// doneMessages are the success notices after an action (?erledigt=…).
var doneMessages = map[string]string{
	"ereignis":   "Das Ereignis ist in der Akte vermerkt.",
	"richter":    "Die Richterin / der Richter ist zugewiesen.",
	"zustellung": "Die Zustellung ist verfügt.",
	"termin":     "Der Termin ist bestimmt; die Terminsverfügung liegt in der Akte.",
	"urteil":     "Die Entscheidung ist in der Akte; stellen Sie sie den Parteien zu.",
}

// formFieldOrder is the order of each form's fields in its error summary.
var formFieldOrder = map[string][]string{
	"zustellung": {"empfaenger", "dokumente", "zustellereignis"},
	"termin":     {"datum", "uhrzeit", "ort", "video"},
	"urteil":     {"entscheidung", "tenor", "gruende"},
}

// courtPost authenticates a post of the case page and reads its
// urlencoded form (the CSRF check has parsed it already).
func (c *Court) courtPost(w http.ResponseWriter, r *http.Request) (authz.Subject, bool) {
	sub, ok := c.staff(w, r)
	if !ok {
		return sub, false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormValues)
	if err := r.ParseForm(); err != nil {
		c.p.fail(w, r, fmt.Errorf("form: %w: %w", errs.ErrInvalid, err))
		return sub, false
	}
	return sub, true
}

// note records a successful post of the court's or a party's page in the
// audit log of the case's Land (the API's action names), with the document
// it filed, if any.
func (c *Court) note(r *http.Request, sub authz.Subject, action string, d *akte.Document) {
	k, err := c.p.d.Akte.Case(r.Context(), sub, akte.CaseID(r.PathValue("id")))
	if err != nil {
		return
	}
	doc, sha := "", ""
	if d != nil {
		doc, sha = string(d.ID), hex.EncodeToString(d.SHA256[:])
	}
	c.p.record(r.Context(), r, sub, action, k.Tenant, string(k.ID), doc, sha, http.StatusOK)
}

// done redirects to the case page with a success notice.
func (c *Court) done(w http.ResponseWriter, r *http.Request, what string) {
	http.Redirect(w, r, "/gericht/verfahren/"+r.PathValue("id")+"?erledigt="+what, http.StatusSeeOther)
}

// refuse shows why an action is not possible now: a procedure's refusal
// with its German reason, or the usual error page.
func (p *Portal) refuse(w http.ResponseWriter, r *http.Request, err error) {
	var ref *verfahren.Refusal
	if !errors.As(err, &ref) {
		p.fail(w, r, err)
		return
	}
	status := http.StatusConflict
	if errors.Is(err, errs.ErrForbidden) {
		status = http.StatusForbidden
	} else if errors.Is(err, errs.ErrInvalid) {
		status = http.StatusBadRequest
	}
	v := p.base(r, "Nicht möglich")
	v.Data = map[string]string{"Heading": "Nicht möglich", "Message": ref.DE + "."}
	p.render(w, r, status, "fehler", v)
}

// Event (POST /gericht/verfahren/{id}/ereignis) fires an event that needs
// no document (eintragung, rechtskraft, abschluss, …). The procedure
// decides; a refusal is shown with its reason.
func (c *Court) Event(w http.ResponseWriter, r *http.Request) {
	sub, ok := c.courtPost(w, r)
	if !ok {
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	_, err := c.p.d.Verfahren.Fire(r.Context(), sub, akte.CaseID(r.PathValue("id")),
		verfahren.Command{Event: r.PostForm.Get("ereignis"), Version: version})
	if err != nil {
		c.p.refuse(w, r, err)
		return
	}
	c.note(r, sub, "event.append", nil)
	c.done(w, r, "ereignis")
}

// AssignJudge (POST /gericht/verfahren/{id}/richter) assigns a judge.
func (c *Court) AssignJudge(w http.ResponseWriter, r *http.Request) {
	sub, ok := c.courtPost(w, r)
	if !ok {
		return
	}
	if _, err := c.p.d.Akte.AssignJudge(r.Context(), sub, akte.CaseID(r.PathValue("id")), r.PostForm.Get("richter")); err != nil {
		c.p.fail(w, r, err)
		return
	}
	c.note(r, sub, "judge.assign", nil)
	c.done(w, r, "richter")
}

// Serve (POST /gericht/verfahren/{id}/zustellung) orders service of the
// chosen documents to one participant (package zustellung picks the
// method: eEB, Zugang or a letter with an access code).
func (c *Court) Serve(w http.ResponseWriter, r *http.Request) {
	sub, ok := c.courtPost(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	form := &courtForm{Name: "zustellung", Errors: map[string]string{}, Values: f}
	if f.Get("empfaenger") == "" {
		form.Errors["empfaenger"] = "Bitte wählen Sie, wem zugestellt wird."
	}
	if len(f["dokumente"]) == 0 {
		form.Errors["dokumente"] = "Bitte wählen Sie mindestens ein Dokument."
	}
	if len(form.Errors) > 0 {
		c.renderCase(w, r, sub, http.StatusUnprocessableEntity, form)
		return
	}
	var docs []akte.DocumentID
	for _, d := range f["dokumente"] {
		docs = append(docs, akte.DocumentID(d))
	}
	_, err := c.z.Order(r.Context(), sub, akte.CaseID(r.PathValue("id")), zustellung.New{
		Recipient: akte.ParticipantID(f.Get("empfaenger")), Documents: docs, Event: f.Get("zustellereignis")})
	if err != nil {
		if errors.Is(err, errs.ErrInvalid) || errors.Is(err, errs.ErrConflict) {
			form.Errors[""] = "Die Zustellung ist so nicht möglich: " + germanReason(err)
			c.renderCase(w, r, sub, http.StatusUnprocessableEntity, form)
			return
		}
		c.p.refuse(w, r, err)
		return
	}
	c.note(r, sub, "zustellung.order", nil)
	c.done(w, r, "zustellung")
}

// germanReason is the German text of a procedure refusal inside err, or a
// general sentence.
func germanReason(err error) string {
	var ref *verfahren.Refusal
	if errors.As(err, &ref) {
		return ref.DE + "."
	}
	return "Bitte prüfen Sie Empfänger, Dokumente und Ereignis (nur Beteiligte mit Anschrift oder Konto, keine Dokumente des Sonderhefts, ein Ereignis, das jetzt zulässig ist)."
}

var (
	dateRE = regexp.MustCompile(`^\d{1,2}\.\d{1,2}\.\d{4}$`)
	timeRE = regexp.MustCompile(`^\d{1,2}:\d{2}$`)
)

// Hearing (POST /gericht/verfahren/{id}/termin) sets a hearing: the date,
// time and room or video link are the event's data, and a Terminsverfügung
// (PDF, Dokumentklasse Verfügung) is its document.
func (c *Court) Hearing(w http.ResponseWriter, r *http.Request) {
	sub, ok := c.courtPost(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	f := r.PostForm
	form := &courtForm{Name: "termin", Errors: map[string]string{}, Values: f}
	var at time.Time
	date, clock := strings.TrimSpace(f.Get("datum")), strings.TrimSpace(f.Get("uhrzeit"))
	if !dateRE.MatchString(date) {
		form.Errors["datum"] = "Bitte geben Sie das Datum des Termins an, zum Beispiel 15.01.2027."
	}
	if !timeRE.MatchString(clock) {
		form.Errors["uhrzeit"] = "Bitte geben Sie die Uhrzeit an, zum Beispiel 09:30."
	}
	if len(form.Errors) == 0 {
		t, err := time.ParseInLocation("2.1.2006 15:04", date+" "+clock, frist.Germany)
		switch {
		case err != nil:
			form.Errors["datum"] = "Dieses Datum oder diese Uhrzeit gibt es nicht."
		case !t.After(c.now()):
			form.Errors["datum"] = "Der Termin muss in der Zukunft liegen."
		}
		at = t
	}
	room, video := strings.TrimSpace(f.Get("ort")), strings.TrimSpace(f.Get("video"))
	if room == "" && video == "" {
		form.Errors["ort"] = "Bitte geben Sie den Sitzungssaal oder den Link der Videoverhandlung an."
	}
	if video != "" {
		if u, err := url.Parse(video); err != nil || u.Scheme != "https" || u.Host == "" {
			form.Errors["video"] = "Bitte geben Sie einen Link an, der mit https:// beginnt."
		}
	}
	if len(form.Errors) > 0 {
		c.renderCase(w, r, sub, http.StatusUnprocessableEntity, form)
		return
	}
	k, parties, err := c.rubrum(ctx, sub, akte.CaseID(r.PathValue("id")))
	if err != nil {
		c.p.fail(w, r, err)
		return
	}
	if !c.allowed(ctx, w, r, sub, k, "terminsbestimmung") {
		return
	}
	when := at.Format("02.01.2006") + " um " + at.Format("15:04") + " Uhr"
	blocks := []pdfdoc.Block{{Paragraph: "In dem Rechtsstreit"}, {Pairs: parties},
		{Paragraph: "wird Termin zur mündlichen Verhandlung bestimmt auf"}, {Paragraph: when}}
	data := map[string]string{"termin": at.UTC().Format(time.RFC3339)}
	if room != "" {
		blocks = append(blocks, pdfdoc.Block{Pairs: []pdfdoc.Pair{{Label: "Ort", Value: room}}})
		data["ort"] = room
	}
	if video != "" {
		blocks = append(blocks, pdfdoc.Block{Paragraph: "Die Verhandlung findet als Videoverhandlung statt (§ 128a ZPO, § 1127 Abs. 3 ZPO). Zugang: " + video})
		data["video"] = video
	}
	blocks = append(blocks, pdfdoc.Block{Paragraph: sub.Name})
	doc := pdfdoc.Document{Sender: c.p.courtName(k), Title: "Terminsverfügung", Date: c.now(),
		Meta:   []pdfdoc.Pair{{Label: "Aktenzeichen", Value: k.Aktenzeichen.String()}, {Label: "Datum", Value: c.now().In(frist.Germany).Format("02.01.2006")}},
		Blocks: blocks, Footer: c.p.courtName(k) + " · " + k.Aktenzeichen.String(), Author: c.p.courtName(k), Subject: "Terminsverfügung"}
	if err := c.decide(ctx, w, r, sub, k, "terminsbestimmung", "terminsverfuegung.pdf", "Verfuegung", doc, data, form, "ort"); err != nil {
		return
	}
	c.done(w, r, "termin")
}

// Decision (POST /gericht/verfahren/{id}/urteil) records a decision: an
// Urteil PDF from the template (Rubrum with court, Aktenzeichen and
// parties; Tenor and Gründe from the form), filed as Dokumentklasse
// Urteil, and the chosen event (urteil, versaeumnisurteil_schriftlich,
// anerkenntnisurteil, …) with it.
func (c *Court) Decision(w http.ResponseWriter, r *http.Request) {
	sub, ok := c.courtPost(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	f := r.PostForm
	form := &courtForm{Name: "urteil", Errors: map[string]string{}, Values: f}
	event := f.Get("entscheidung")
	tenor, reasons := strings.TrimSpace(f.Get("tenor")), strings.TrimSpace(f.Get("gruende"))
	if event == "" {
		form.Errors["entscheidung"] = "Bitte wählen Sie die Art der Entscheidung."
	}
	if tenor == "" {
		form.Errors["tenor"] = "Bitte geben Sie den Tenor an."
	}
	if reasons == "" {
		form.Errors["gruende"] = "Bitte geben Sie die Gründe an."
	}
	if len(tenor) > 20000 || len(reasons) > 200000 {
		form.Errors["gruende"] = "Der Text ist zu lang."
	}
	if len(form.Errors) > 0 {
		c.renderCase(w, r, sub, http.StatusUnprocessableEntity, form)
		return
	}
	k, parties, err := c.rubrum(ctx, sub, akte.CaseID(r.PathValue("id")))
	if err != nil {
		c.p.fail(w, r, err)
		return
	}
	if !c.allowed(ctx, w, r, sub, k, event) {
		return
	}
	title := "Urteil"
	switch event {
	case "versaeumnisurteil", "versaeumnisurteil_schriftlich":
		title = "Versäumnisurteil"
	case "anerkenntnisurteil":
		title = "Anerkenntnisurteil"
	case "zweites_versaeumnisurteil":
		title = "Zweites Versäumnisurteil"
	}
	court := c.p.courtName(k)
	today := c.now().In(frist.Germany).Format("02.01.2006")
	doc := pdfdoc.Document{Sender: court, Title: title, Date: c.now(),
		Meta: []pdfdoc.Pair{{Label: "Aktenzeichen", Value: k.Aktenzeichen.String()}, {Label: "Datum", Value: today}},
		Blocks: []pdfdoc.Block{
			{Heading: "Im Namen des Volkes"},
			{Paragraph: "In dem Rechtsstreit"},
			{Pairs: parties},
			{Paragraph: "hat das " + court + " durch " + sub.Name + " am " + today + " ohne mündliche Verhandlung für Recht erkannt:"},
			{Heading: "Tenor"},
			{Paragraph: tenor},
			{Heading: "Gründe"},
			{Paragraph: reasons},
			{Note: "Rechtsbehelfsbelehrung: Gegen dieses Urteil ist die Berufung nur statthaft, wenn der Wert des Beschwerdegegenstandes 600 Euro übersteigt oder das Gericht sie zugelassen hat (§ 511 ZPO). Sie ist binnen eines Monats nach Zustellung beim Landgericht einzulegen (§ 517 ZPO). Gegen ein Versäumnisurteil ist der Einspruch binnen zwei Wochen nach Zustellung statthaft (§§ 338, 339 ZPO)."},
			{Paragraph: sub.Name},
		},
		Footer: court + " · " + k.Aktenzeichen.String(), Author: court, Subject: title}
	if err := c.decide(ctx, w, r, sub, k, event, strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(title, "ä", "ae"), " ", "-"))+".pdf",
		"Urteil", doc, nil, form, "gruende"); err != nil {
		return
	}
	c.done(w, r, "urteil")
}

// allowed checks that the subject may fire event now; if not, it answers
// with the procedure's reason and reports false, before anything is filed.
func (c *Court) allowed(ctx context.Context, w http.ResponseWriter, r *http.Request, sub authz.Subject, k akte.Case, event string) bool {
	err := c.refusal(ctx, sub, k.ID, event)
	if err == nil {
		return true
	}
	c.p.refuse(w, r, err)
	return false
}

// refusal is nil when sub may fire event on proceeding id now, else the
// procedure's refusal (verfahren.Refusal, with its German reason). It
// decides with the pure Definition.Decide, as if the event carried the
// documents it needs, so that nothing is fired to learn the reason.
func (c *Court) refusal(ctx context.Context, sub authz.Subject, id akte.CaseID, event string) error {
	st, history, err := c.p.d.Verfahren.Status(ctx, sub, id)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(st.Allowed, func(e verfahren.EventDef) bool { return e.Name == event }) {
		return nil
	}
	def, err := c.p.d.Verfahren.Registry().Get(st.Procedure)
	if err != nil {
		return err
	}
	ps, err := c.p.d.Akte.Participants(ctx, sub, id)
	if err != nil {
		return err
	}
	var g verfahren.GuardContext
	for _, p := range ps {
		g.Participants = append(g.Participants, p.Role)
	}
	for _, f := range st.Fristen {
		if f.Expired {
			g.ExpiredFristen = append(g.ExpiredFristen, f.Name)
		}
	}
	for _, e := range def.Events {
		if e.Name == event {
			g.Documents = e.Guards.Documents
		}
	}
	next := verfahren.Event{Seq: len(history) + 1, Name: event, At: c.now().UTC(), By: sub.ID, Role: st.Role}
	if err := def.Decide(history, next, g); err != nil {
		return err
	}
	// Allowed and Decide disagree only if the proceeding moved on meanwhile.
	return fmt.Errorf("event %s: %w", event, errs.ErrConflict)
}

// decide renders doc, files it with class and fires event with it. A text
// the PDF font cannot print comes back as an error of field.
func (c *Court) decide(ctx context.Context, w http.ResponseWriter, r *http.Request, sub authz.Subject, k akte.Case, event, filename, class string,
	doc pdfdoc.Document, data map[string]string, form *courtForm, field string) error {
	pdf, err := pdfdoc.Bytes(doc)
	if err != nil {
		form.Errors[field] = "Der Text enthält ein Zeichen, das das Dokument nicht drucken kann. Bitte ersetzen Sie es."
		c.renderCase(w, r, sub, http.StatusUnprocessableEntity, form)
		return err
	}
	d, err := c.p.d.Akte.AddDocument(ctx, sub, akte.NewDocument{Case: k.ID, Filename: filename, ContentType: "application/pdf",
		Body: bytes.NewReader(pdf), Class: class})
	if err != nil {
		c.p.fail(w, r, err)
		return err
	}
	c.note(r, sub, "document.create", &d)
	if _, err := c.p.d.Verfahren.Fire(ctx, sub, k.ID, verfahren.Command{Event: event, Documents: []akte.DocumentID{d.ID}, Data: data}); err != nil {
		c.p.refuse(w, r, err)
		return err
	}
	c.note(r, sub, "event.append", nil)
	return nil
}

// rubrum returns the case of the request and its parties for a court
// document's Rubrum.
func (c *Court) rubrum(ctx context.Context, sub authz.Subject, id akte.CaseID) (akte.Case, []pdfdoc.Pair, error) {
	k, err := c.p.d.Akte.Case(ctx, sub, id)
	if err != nil {
		return k, nil, err
	}
	ps, err := c.p.d.Akte.Participants(ctx, sub, id)
	if err != nil {
		return k, nil, err
	}
	var pairs []pdfdoc.Pair
	for _, p := range ps {
		switch p.Role {
		case "klaeger", "beklagter", "prozessbevollmaechtigter":
			v := p.Name
			if p.Address != "" {
				v += ", " + strings.ReplaceAll(p.Address, "\n", ", ")
			}
			pairs = append(pairs, pdfdoc.Pair{Label: roleTitle(p.Role), Value: v})
		}
	}
	return k, pairs, nil
}
