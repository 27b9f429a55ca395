// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package portal

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"justizcloud/akte"
	"justizcloud/anon"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/frist"
	"justizcloud/veroeffentlichung"
)

// Publications renders the review and publication of decisions: the
// court's pages under /gericht/veroeffentlichungen and the public,
// read-only pages under /entscheidungen. See docs/portal.md,
// "Veröffentlichung".
type Publications struct {
	c   *Court
	svc *veroeffentlichung.Service
}

var publicationPageNames = []string{"gericht-veroeffentlichung", "gericht-veroeffentlichungen", "entscheidungen", "entscheidung"}

// publicationsPerPage is the page size of the lists.
const publicationsPerPage = 50

// NewPublications parses the pages into c's portal and shows the
// "Zur Veröffentlichung vorbereiten" button on the case pages. Call it
// before the portal serves requests.
func NewPublications(c *Court, svc *veroeffentlichung.Service) (*Publications, error) {
	if c == nil || svc == nil {
		return nil, fmt.Errorf("portal: publications: %w: missing dependencies", errs.ErrInvalid)
	}
	funcs := template.FuncMap{"inc": func(i int) int { return i + 1 }}
	for _, n := range publicationPageNames {
		t, err := template.New(n).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/fields.html", "templates/"+n+".html")
		if err != nil {
			return nil, fmt.Errorf("portal: template %s: %w", n, err)
		}
		c.p.pages[n] = t
	}
	c.publishing = true
	return &Publications{c: c, svc: svc}, nil
}

// kindTitles are the German names of the span kinds.
var kindTitles = map[anon.Kind]string{
	anon.Person: "Person", anon.Judge: "Richterin / Richter", anon.Lawyer: "Anwältin / Anwalt", anon.Country: "Land",
	anon.City: "Ort", anon.Street: "Straße", anon.Landscape: "Landschaft", anon.Organization: "Organisation",
	anon.Company: "Unternehmen", anon.Institution: "Behörde", anon.Court: "Gericht", anon.Brand: "Marke",
	anon.Law: "Gesetz", anon.Ordinance: "Verordnung", anon.EUNorm: "EU-Norm", anon.Regulation: "Vorschrift",
	anon.Contract: "Vertrag", anon.CaseCitation: "Entscheidung", anon.Literature: "Literatur",
	anon.Email: "E-Mail-Adresse", anon.Phone: "Telefonnummer", anon.IBAN: "IBAN", anon.BirthDate: "Geburtsdatum",
	anon.LicencePlate: "Kfz-Kennzeichen", anon.TaxID: "Steuernummer", anon.SocialSecurity: "Sozialversicherungsnummer",
	anon.Address: "Anschrift",
}

func kindTitle(k anon.Kind) string {
	if t, ok := kindTitles[k]; ok {
		return t
	}
	return string(k)
}

var sourceTitles = map[string]string{"model": "Modell", "rule": "Regel", veroeffentlichung.SourceReviewer: "von Hand"}

var stateTitles = map[veroeffentlichung.State]string{veroeffentlichung.Pruefung: "in Prüfung",
	veroeffentlichung.Veroeffentlicht: "veröffentlicht", veroeffentlichung.Verworfen: "verworfen"}

// publicationDone are the success notices of the review page (?erledigt=…).
var publicationDone = map[string]string{
	"vorbereitet":     "Die Entscheidung ist zur Veröffentlichung vorbereitet. Bitte prüfen Sie die Vorschläge.",
	"gespeichert":     "Die Prüfung ist gespeichert.",
	"veroeffentlicht": "Die Entscheidung ist veröffentlicht.",
	"verworfen":       "Die Veröffentlichung ist verworfen.",
}

// Prepare (POST /gericht/verfahren/{id}/veroeffentlichung) prepares the
// decision named by the form's "dokument" for publication and opens its
// review.
func (pp *Publications) Prepare(w http.ResponseWriter, r *http.Request) {
	sub, ok := pp.c.courtPost(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	doc := akte.DocumentID(r.PostForm.Get("dokument"))
	d, err := pp.c.p.d.Akte.Document(ctx, sub, doc)
	if err == nil && string(d.Case) != r.PathValue("id") {
		err = fmt.Errorf("document %s: %w", doc, errs.ErrNotFound)
	}
	if err != nil {
		pp.c.p.fail(w, r, err)
		return
	}
	p, err := pp.svc.Prepare(ctx, sub, doc)
	if err != nil {
		pp.c.p.fail(w, r, err)
		return
	}
	pp.c.p.record(ctx, r, sub, "decision.prepare", p.Tenant, string(p.Case), string(p.Document), "", http.StatusOK)
	http.Redirect(w, r, "/gericht/veroeffentlichungen/"+string(p.ID)+"?erledigt=vorbereitet", http.StatusSeeOther)
}

type publicationRow struct {
	Title, Aktenzeichen, Court, Date, State, Link string
}

// List (GET /gericht/veroeffentlichungen) lists the publications of the
// subject's court.
func (pp *Publications) List(w http.ResponseWriter, r *http.Request) {
	sub, ok := pp.c.staff(w, r)
	if !ok {
		return
	}
	ps, err := pp.svc.Publications(r.Context(), sub, publicationsPerPage)
	if err != nil {
		pp.c.p.fail(w, r, err)
		return
	}
	var rows []publicationRow
	for _, p := range ps {
		rows = append(rows, publicationRow{Title: p.Title, Aktenzeichen: p.Aktenzeichen, Court: pp.c.p.courtName(akte.Case{Court: p.Court}),
			Date: berlinDate(p.DecidedAt), State: stateTitles[p.State], Link: "/gericht/veroeffentlichungen/" + string(p.ID)})
	}
	v := pp.c.p.base(r, "Veröffentlichungen")
	v.Data = map[string]any{"Rows": rows}
	pp.c.p.render(w, r, http.StatusOK, "gericht-veroeffentlichungen", v)
}

// segment is a piece of the decision's text: plain, or a span.
type segment struct {
	Text string
	Span *spanView
}

type spanView struct {
	N                                         int
	Index                                     int
	Text, Kind, Replacement, Source, Checkbox string
	Replace                                   bool
}

type kindOption struct {
	Kind, Title string
	Selected    bool
}

// Review (GET /gericht/veroeffentlichungen/{id}) shows the decision with
// the spans marked, the review form, the preview and the actions.
func (pp *Publications) Review(w http.ResponseWriter, r *http.Request) {
	sub, ok := pp.c.staff(w, r)
	if !ok {
		return
	}
	pp.renderReview(w, r, sub, http.StatusOK, nil)
}

// reviewForm is what a refused post brings back: messages by field ("" for
// the page) and the values.
type reviewForm struct {
	Errors map[string]string
	Values url.Values
}

func (pp *Publications) renderReview(w http.ResponseWriter, r *http.Request, sub authz.Subject, status int, form *reviewForm) {
	ctx := r.Context()
	id := veroeffentlichung.ID(r.PathValue("id"))
	p, rev, err := pp.svc.Publication(ctx, sub, id)
	if err != nil {
		pp.c.p.fail(w, r, err)
		return
	}
	base := "/gericht/veroeffentlichungen/" + string(p.ID)
	data := map[string]any{"Base": base, "Title": p.Title, "Aktenzeichen": p.Aktenzeichen, "Court": pp.c.p.courtName(akte.Case{Court: p.Court}),
		"Date": berlinDate(p.DecidedAt), "State": stateTitles[p.State], "Version": p.Version, "Open": p.State == veroeffentlichung.Pruefung,
		"Case": "/gericht/verfahren/" + string(p.Case), "ReviewedBy": p.ReviewedBy, "FieldErrors": map[string]string{}, "Values": url.Values{}}
	if msg, ok := publicationDone[r.URL.Query().Get("erledigt")]; ok && form == nil {
		data["Done"] = msg
	}
	if p.State == veroeffentlichung.Veroeffentlicht {
		data["Published"] = p.Text
		data["PublicLink"] = "/entscheidungen/" + string(p.ID)
		data["PublishedAt"] = berlinTime(p.PublishedAt)
	}
	if p.State == veroeffentlichung.Pruefung {
		res, err := rev.Apply()
		if err != nil {
			pp.c.p.fail(w, r, err)
			return
		}
		var segs []segment
		var spans []*spanView
		last := 0
		for i, s := range res.Spans {
			sv := &spanView{N: i + 1, Index: i, Text: s.Text, Kind: kindTitle(s.Kind), Replacement: s.Replacement,
				Source: sourceTitles[rev.Spans[i].Source], Replace: rev.Spans[i].Replace, Checkbox: "span-" + strconv.Itoa(i+1)}
			if sv.Source == "" {
				sv.Source = rev.Spans[i].Source
			}
			segs = append(segs, segment{Text: rev.Text[last:s.Start]}, segment{Span: sv})
			spans = append(spans, sv)
			last = s.End
		}
		segs = append(segs, segment{Text: rev.Text[last:]})
		data["Segments"] = segs
		data["Spans"] = spans
		data["Preview"] = res.Text
	}
	selected := anon.Person
	if form != nil {
		data["FieldErrors"] = form.Errors
		data["Values"] = form.Values
		if k := anon.Kind(form.Values.Get("art")); k != "" {
			selected = k
		}
	}
	var kinds []kindOption
	for _, k := range anon.AllKinds() {
		kinds = append(kinds, kindOption{Kind: string(k), Title: kindTitle(k), Selected: k == selected})
	}
	data["Kinds"] = kinds
	pp.c.p.record(ctx, r, sub, "decision.review.read", p.Tenant, string(p.Case), string(p.Document), "", status)
	title := p.Title + " " + p.Aktenzeichen + " veröffentlichen"
	if form != nil && len(form.Errors) > 0 {
		title = "Fehler: " + title
	}
	v := pp.c.p.base(r, title)
	if form != nil {
		for _, key := range []string{"text", "art", ""} {
			if msg, ok := form.Errors[key]; ok {
				href := ""
				if key != "" {
					href = "#" + key
				}
				v.Errors = append(v.Errors, errorLink{Href: href, Message: msg})
			}
		}
	}
	v.Data = data
	pp.c.p.render(w, r, status, "gericht-veroeffentlichung", v)
}

// Save (POST /gericht/veroeffentlichungen/{id}) stores the review: the
// checked spans are anonymized, a text to add is marked wherever it occurs.
func (pp *Publications) Save(w http.ResponseWriter, r *http.Request) {
	sub, ok := pp.c.courtPost(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	version, _ := strconv.Atoi(f.Get("version"))
	ch := veroeffentlichung.Change{Version: version, AddText: strings.TrimSpace(f.Get("text")), AddKind: anon.Kind(f.Get("art"))}
	for _, s := range f["span"] {
		i, err := strconv.Atoi(s)
		if err != nil {
			pp.c.p.fail(w, r, fmt.Errorf("span %q: %w", s, errs.ErrInvalid))
			return
		}
		ch.Anonymize = append(ch.Anonymize, i)
	}
	p, err := pp.svc.Save(r.Context(), sub, veroeffentlichung.ID(r.PathValue("id")), ch)
	if err != nil {
		pp.refused(w, r, sub, err)
		return
	}
	pp.c.p.record(r.Context(), r, sub, "decision.review", p.Tenant, string(p.Case), string(p.Document), "", http.StatusOK)
	http.Redirect(w, r, "/gericht/veroeffentlichungen/"+string(p.ID)+"?erledigt=gespeichert", http.StatusSeeOther)
}

// Publish (POST /gericht/veroeffentlichungen/{id}/veroeffentlichen)
// publishes the saved review of the posted version.
func (pp *Publications) Publish(w http.ResponseWriter, r *http.Request) {
	sub, ok := pp.c.courtPost(w, r)
	if !ok {
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	p, err := pp.svc.Publish(r.Context(), sub, veroeffentlichung.ID(r.PathValue("id")), version,
		veroeffentlichung.Origin{Route: r.Method + " " + r.Pattern, RequestID: r.Header.Get("X-Request-Id")})
	if err != nil {
		pp.refused(w, r, sub, err)
		return
	}
	http.Redirect(w, r, "/gericht/veroeffentlichungen/"+string(p.ID)+"?erledigt=veroeffentlicht", http.StatusSeeOther)
}

// Discard (POST /gericht/veroeffentlichungen/{id}/verwerfen) gives the
// publication up.
func (pp *Publications) Discard(w http.ResponseWriter, r *http.Request) {
	sub, ok := pp.c.courtPost(w, r)
	if !ok {
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	p, err := pp.svc.Discard(r.Context(), sub, veroeffentlichung.ID(r.PathValue("id")), version)
	if err != nil {
		pp.refused(w, r, sub, err)
		return
	}
	pp.c.p.record(r.Context(), r, sub, "decision.discard", p.Tenant, string(p.Case), string(p.Document), "", http.StatusOK)
	http.Redirect(w, r, "/gericht/veroeffentlichungen/"+string(p.ID)+"?erledigt=verworfen", http.StatusSeeOther)
}

// refused shows the review page again with the German reason of a refused
// post; other errors get the error page.
func (pp *Publications) refused(w http.ResponseWriter, r *http.Request, sub authz.Subject, err error) {
	form := &reviewForm{Errors: map[string]string{}, Values: r.PostForm}
	status := http.StatusConflict
	var leak *veroeffentlichung.LeakError
	switch {
	case errors.Is(err, veroeffentlichung.ErrStale):
		form.Errors[""] = "Die Veröffentlichung wurde inzwischen von einer anderen Person geändert. Ihre Angaben sind nicht übernommen; " +
			"unten sehen Sie den aktuellen Stand. Bitte prüfen Sie ihn und wiederholen Sie Ihre Änderung."
		form.Values = url.Values{}
	case errors.Is(err, veroeffentlichung.ErrNotReviewed):
		form.Errors[""] = "Bitte prüfen Sie die Vorschläge und speichern Sie die Prüfung, bevor Sie veröffentlichen."
	case errors.Is(err, veroeffentlichung.ErrReadOnly):
		form.Errors[""] = "Diese Veröffentlichung ist abgeschlossen und kann nicht mehr geändert werden."
	case errors.As(err, &leak):
		form.Errors[""] = "Nicht veröffentlicht: Diese anonymisierten Angaben stehen noch an anderen Stellen im Text: „" +
			strings.Join(leak.Texts, "“, „") + "“. Bitte fügen Sie sie als Stelle hinzu oder kreuzen Sie die Stellen an."
	case errors.Is(err, veroeffentlichung.ErrNotInText):
		status = http.StatusUnprocessableEntity
		form.Errors["text"] = "Dieser Text kommt in der Entscheidung nicht (als ganzes Wort) vor."
	case errors.Is(err, errs.ErrInvalid) && r.PostForm.Get("text") != "":
		status = http.StatusUnprocessableEntity
		form.Errors["art"] = "Bitte wählen Sie eine Art aus der Liste."
	default:
		pp.c.p.fail(w, r, err)
		return
	}
	pp.renderReview(w, r, sub, status, form)
}

// Public pages.

type decisionRow struct {
	Title, Aktenzeichen, Court, Date, Link string
}

// Decisions (GET /entscheidungen) lists the published decisions, newest
// first, 50 a page (?vor=… continues). It needs no login.
func (pp *Publications) Decisions(w http.ResponseWriter, r *http.Request) {
	var before time.Time
	if s := r.URL.Query().Get("vor"); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			pp.c.p.fail(w, r, fmt.Errorf("vor: %w", errs.ErrInvalid))
			return
		}
		before = t
	}
	ps, err := pp.svc.PublishedList(r.Context(), before, publicationsPerPage)
	if err != nil {
		pp.c.p.fail(w, r, err)
		return
	}
	var rows []decisionRow
	for _, p := range ps {
		rows = append(rows, decisionRow{Title: p.Title, Aktenzeichen: p.Aktenzeichen, Court: pp.c.p.courtName(akte.Case{Court: p.Court}),
			Date: berlinDate(p.DecidedAt), Link: "/entscheidungen/" + string(p.ID)})
	}
	data := map[string]any{"Rows": rows}
	if len(ps) == publicationsPerPage {
		data["Next"] = "/entscheidungen?" + url.Values{"vor": {ps[len(ps)-1].PublishedAt.UTC().Format(time.RFC3339Nano)}}.Encode()
	}
	v := pp.c.p.anonymous(r, "Veröffentlichte Entscheidungen")
	v.Data = data
	pp.c.p.render(w, r, http.StatusOK, "entscheidungen", v)
}

// decisionJSON is the public JSON of a published decision.
type decisionJSON struct {
	ID           string `json:"id"`
	Court        string `json:"court"`
	CourtID      string `json:"court_id"`
	DecisionDate string `json:"decision_date"`
	Aktenzeichen string `json:"aktenzeichen"`
	Title        string `json:"title"`
	Text         string `json:"text"`
	PublishedAt  string `json:"published_at"`
}

// Decision (GET /entscheidungen/{id}, /entscheidungen/{id}.json) shows a
// published decision: as HTML, or as JSON for the .json path or Accept:
// application/json. It needs no login and shows nothing but the published
// text and its metadata.
func (pp *Publications) Decision(w http.ResponseWriter, r *http.Request) {
	id, asJSON := strings.CutSuffix(r.PathValue("id"), ".json")
	asJSON = asJSON || strings.Contains(r.Header.Get("Accept"), "application/json")
	p, err := pp.svc.Published(r.Context(), veroeffentlichung.ID(id))
	if err != nil {
		if asJSON && errors.Is(err, errs.ErrNotFound) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":"not found"}` + "\n"))
			return
		}
		pp.c.p.fail(w, r, err)
		return
	}
	court := pp.c.p.courtName(akte.Case{Court: p.Court})
	w.Header().Add("Vary", "Accept")
	if asJSON {
		b, err := json.MarshalIndent(decisionJSON{ID: string(p.ID), Court: court, CourtID: string(p.Court),
			DecisionDate: p.DecidedAt.In(frist.Germany).Format(time.DateOnly), Aktenzeichen: p.Aktenzeichen, Title: p.Title,
			Text: p.Text, PublishedAt: p.PublishedAt.UTC().Format(time.RFC3339)}, "", " ")
		if err != nil {
			pp.c.p.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, _ = w.Write(append(b, '\n'))
		return
	}
	v := pp.c.p.anonymous(r, p.Title+" "+p.Aktenzeichen)
	v.Data = map[string]any{"Title": p.Title, "Aktenzeichen": p.Aktenzeichen, "Court": court, "Date": berlinDate(p.DecidedAt),
		"PublishedAt": berlinDate(p.PublishedAt), "Text": p.Text, "JSON": "/entscheidungen/" + string(p.ID) + ".json"}
	pp.c.p.render(w, r, http.StatusOK, "entscheidung", v)
}

// anonymous is base for the public pages: no person, whoever asks.
func (p *Portal) anonymous(r *http.Request, title string) *view {
	return &view{Title: title + " – Justizcloud", CSS: p.css, Path: r.URL.Path}
}

func berlinDate(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.In(frist.Germany).Format("02.01.2006")
}
