// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package portal

import (
	"context"
	"encoding/hex"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/identity"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
	"justizcloud/veroeffentlichung"
	"justizcloud/zustellung"
)

// CourtDeps are what the court's workplace needs besides the portal.
type CourtDeps struct {
	// Zustellung orders service and redeems access codes.
	Zustellung *zustellung.Service
	// Judges lists the enabled richter accounts that may be assigned to a
	// proceeding of court in tenant t.
	Judges func(ctx context.Context, t tenancy.ID, court tenancy.CourtID) ([]identity.User, error)
	// Now is the proceedings' clock (dates of court documents, hearings in
	// the future); nil: the portal's.
	Now func() time.Time
}

// Court renders the court's workplace (/gericht: inbox and case pages
// with the actions allowed now) and the defendant's pages (/zugangscode,
// /verfahren/{id}/antwort). See docs/portal.md, section "Gericht".
type Court struct {
	p      *Portal
	z      *zustellung.Service
	judges func(ctx context.Context, t tenancy.ID, court tenancy.CourtID) ([]identity.User, error)
	pages  *pageCounter
	now    func() time.Time
	// publishing: decisions can be prepared for publication (NewPublications).
	publishing bool
}

var courtPageNames = []string{"gericht-eingang", "gericht-akte", "beklagt-antwort", "beklagt-zugangscode"}

// docsPerPage is the page size of the eAkte's document list.
const docsPerPage = 50

// NewCourt parses the court's templates into p and returns the workplace.
// Call it before p serves requests.
func NewCourt(p *Portal, d CourtDeps) (*Court, error) {
	if p == nil || d.Zustellung == nil || d.Judges == nil {
		return nil, fmt.Errorf("portal: court: %w: missing dependencies", errs.ErrInvalid)
	}
	funcs := template.FuncMap{"inc": func(i int) int { return i + 1 }, "pairs": formPairs}
	for _, n := range courtPageNames {
		t, err := template.New(n).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/fields.html", "templates/"+n+".html")
		if err != nil {
			return nil, fmt.Errorf("portal: template %s: %w", n, err)
		}
		p.pages[n] = t
	}
	if d.Now == nil {
		d.Now = p.now
	}
	return &Court{p: p, z: d.Zustellung, judges: d.Judges, pages: newPageCounter(), now: d.Now}, nil
}

// staff returns the logged-in member of court staff who may work here.
func (c *Court) staff(w http.ResponseWriter, r *http.Request) (authz.Subject, bool) {
	sub, ok := c.p.person(w, r)
	if !ok {
		return sub, false
	}
	switch sub.Role {
	case authz.Geschaeftsstelle, authz.Richter, authz.Rechtspfleger, authz.Gerichtsadmin, authz.Landesadmin:
		return sub, true
	}
	c.p.fail(w, r, fmt.Errorf("court workplace: %w", errs.ErrForbidden))
	return sub, false
}

type inboxRow struct {
	Kind, Date, Title, Aktenzeichen, Subject, Court, Link string
	Overdue                                               bool
}

type courtCaseRow struct {
	Aktenzeichen, Subject, Court, Created, Link string
}

var inboxKinds = map[verfahren.InboxKind]string{
	verfahren.InboxFiling:        "Neuer Eingang",
	verfahren.InboxFrist:         "Frist",
	verfahren.InboxWiedervorlage: "Wiedervorlage",
}

// Inbox (GET /gericht) is the workplace's start: what is due (new
// filings, Fristen, Wiedervorlagen; verfahren.Service.Inbox, 50 a page)
// and the court's proceedings (50 a page).
func (c *Court) Inbox(w http.ResponseWriter, r *http.Request) {
	sub, ok := c.staff(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	days := verfahren.DefaultInboxDays
	if n, err := strconv.Atoi(q.Get("tage")); err == nil && n >= 1 && n <= verfahren.MaxInboxDays {
		days = n
	}
	page, err := c.p.d.Verfahren.Inbox(ctx, sub, verfahren.InboxQuery{Limit: verfahren.DefaultInboxLimit, After: q.Get("nach"), Days: days})
	if err != nil {
		c.p.fail(w, r, err)
		return
	}
	today := c.now()
	var items []inboxRow
	for _, it := range page.Items {
		row := inboxRow{Kind: inboxKinds[it.Kind], Date: it.Date.Format("02.01.2006"), Title: it.Title,
			Aktenzeichen: it.Case.Aktenzeichen.String(), Subject: it.Case.Subject, Court: c.p.courtName(it.Case),
			Link: "/gericht/verfahren/" + string(it.Case.ID)}
		if it.Kind == verfahren.InboxFiling {
			row.Date = berlinTime(it.Case.CreatedAt)
			if row.Title == "" {
				row.Title = "Eingang"
			}
		} else if it.Date.Before(today.UTC().Truncate(24 * 60 * 60 * 1e9)) {
			row.Overdue = true
		}
		items = append(items, row)
	}
	data := map[string]any{"Items": items, "Days": days}
	if page.Next != "" {
		data["Next"] = "/gericht?" + url.Values{"nach": {page.Next}, "tage": {strconv.Itoa(days)}}.Encode()
	}
	if q.Get("nach") != "" {
		data["First"] = "/gericht?tage=" + strconv.Itoa(days)
	}
	cs, err := c.p.d.Akte.Cases(ctx, sub, akte.CaseFilter{Court: sub.Court, After: akte.CaseID(q.Get("ab")), Limit: docsPerPage})
	if err != nil {
		c.p.fail(w, r, err)
		return
	}
	var rows []courtCaseRow
	for _, k := range cs {
		rows = append(rows, courtCaseRow{Aktenzeichen: k.Aktenzeichen.String(), Subject: k.Subject, Court: c.p.courtName(k),
			Created: berlinTime(k.CreatedAt), Link: "/gericht/verfahren/" + string(k.ID)})
	}
	data["Cases"] = rows
	if len(cs) == docsPerPage {
		data["MoreCases"] = "/gericht?" + url.Values{"ab": {string(cs[len(cs)-1].ID)}}.Encode()
	}
	data["RoleTitle"] = staffRoleTitle(sub.Role)
	v := c.p.base(r, "Gerichtsarbeitsplatz")
	v.Data = data
	c.p.render(w, r, http.StatusOK, "gericht-eingang", v)
}

func staffRoleTitle(r authz.Role) string {
	switch r {
	case authz.Geschaeftsstelle:
		return "Geschäftsstelle"
	case authz.Richter:
		return "Richterin / Richter"
	case authz.Rechtspfleger:
		return "Rechtspflegerin / Rechtspfleger"
	case authz.Gerichtsadmin:
		return "Gerichtsverwaltung"
	case authz.Landesadmin:
		return "Landesverwaltung"
	}
	return string(r)
}

type akteDoc struct {
	N                                                   int
	ID, Name, Class, Created, Size, Pages, SHA256, Link string
	Restricted                                          bool
	// Publish: the decision can be prepared for publication here.
	Publish bool
}

type partyRow struct {
	ID, Role, Name, Address, Account string
	Party                            bool
}

type zustellungRow struct {
	Recipient, Method, Documents, Event, Ordered, Served, Proof, Letter, Expires, Error string
}

type eventButton struct{ Name, Title string }

type judgeOption struct {
	ID, Name string
	Selected bool
}

// courtForm is what a posted form of the case page brings back when it
// has errors: the form's name, the messages and the values.
type courtForm struct {
	Name   string
	Errors map[string]string
	Values url.Values
}

// Case (GET /gericht/verfahren/{id}) is the eAkte with the actions allowed
// now. ?seite=N pages through the documents, 50 a page.
func (c *Court) Case(w http.ResponseWriter, r *http.Request) {
	sub, ok := c.staff(w, r)
	if !ok {
		return
	}
	c.renderCase(w, r, sub, http.StatusOK, nil)
}

func (c *Court) renderCase(w http.ResponseWriter, r *http.Request, sub authz.Subject, status int, form *courtForm) {
	ctx := r.Context()
	id := akte.CaseID(r.PathValue("id"))
	k, err := c.p.d.Akte.Case(ctx, sub, id)
	if err != nil {
		c.p.fail(w, r, err)
		return
	}
	ds, err := c.p.d.Akte.Documents(ctx, sub, id)
	if err != nil {
		c.p.fail(w, r, err)
		return
	}
	ps, err := c.p.d.Akte.Participants(ctx, sub, id)
	if err != nil {
		c.p.fail(w, r, err)
		return
	}
	base := "/gericht/verfahren/" + string(k.ID)
	data := map[string]any{"ID": string(k.ID), "Base": base, "Aktenzeichen": k.Aktenzeichen.String(), "Court": c.p.courtName(k),
		"Subject": k.Subject, "Created": berlinTime(k.CreatedAt), "State": "–", "Procedure": k.Procedure}
	if form != nil {
		data["Form"] = form.Name
		data["Values"] = form.Values
		data["FieldErrors"] = form.Errors
	} else {
		data["Values"] = url.Values{}
		data["FieldErrors"] = map[string]string{}
	}
	q := r.URL.Query()
	if n := q.Get("erledigt"); n != "" {
		data["Done"] = doneMessages[n]
	}

	// Documents: one page of the file, in the order filed.
	nPages := max(1, (len(ds)+docsPerPage-1)/docsPerPage)
	pg, _ := strconv.Atoi(q.Get("seite"))
	pg = min(max(pg, 1), nPages)
	from, to := (pg-1)*docsPerPage, min(pg*docsPerPage, len(ds))
	docs := make([]akteDoc, 0, to-from)
	byID := make(map[string]akte.Document, len(ds))
	for _, d := range ds {
		byID[string(d.ID)] = d
	}
	publish := c.publishing && c.p.d.Akte.Authorizer().May(ctx, sub, authz.PublishDecision, akte.CaseResource(k)) == nil
	for i := from; i < to; i++ {
		d := ds[i]
		row := akteDoc{N: i + 1, ID: string(d.ID), Name: d.Filename, Class: classTitle(d.Class), Created: berlinTime(d.CreatedAt),
			Size: humanSize(d.Size), SHA256: hex.EncodeToString(d.SHA256[:]), Link: base + "/dokumente/" + string(d.ID),
			Restricted: d.Restricted, Pages: "–", Publish: publish && veroeffentlichung.IsDecision(d)}
		if d.ContentType == "application/pdf" {
			if n := c.pages.count(ctx, c.p.d.Akte, sub, d); n > 0 {
				row.Pages = strconv.Itoa(n)
			}
		}
		docs = append(docs, row)
	}
	data["Documents"] = docs
	data["DocCount"] = len(ds)
	if nPages > 1 {
		data["PageInfo"] = fmt.Sprintf("Seite %d von %d", pg, nPages)
		if pg > 1 {
			data["PrevPage"] = fmt.Sprintf("%s?seite=%d#dokumente-titel", base, pg-1)
		}
		if pg < nPages {
			data["NextPage"] = fmt.Sprintf("%s?seite=%d#dokumente-titel", base, pg+1)
		}
	}

	// Participants.
	var parties []partyRow
	names := map[akte.ParticipantID]string{}
	for _, p := range ps {
		names[p.ID] = p.Name
		account := "kein Konto (Zustellung per Brief mit Zugangscode)"
		if p.Account != "" {
			account = "Konto " + p.Account
		}
		parties = append(parties, partyRow{ID: string(p.ID), Role: roleTitle(p.Role), Name: p.Name, Address: p.Address,
			Account: account, Party: p.Role == "klaeger" || p.Role == "beklagter" || p.Role == "antragsteller" || p.Role == "prozessbevollmaechtigter"})
	}
	data["Participants"] = parties

	// The judge assigned (the relation tuples, if the subject may see them).
	judge := ""
	if rels, err := c.p.d.Akte.Access(ctx, sub, id); err == nil {
		now := c.now()
		for _, t := range rels {
			if t.Relation == authz.JudgeOf && t.Active(now) {
				judge = strings.TrimPrefix(t.Holder, "user:")
			}
		}
	}
	data["Judge"] = "noch keine Richterin / kein Richter zugewiesen"

	// Proceeding: state, history, Fristen, allowed events.
	var st verfahren.Status
	var def *verfahren.Definition
	if k.Procedure != "" {
		var history []verfahren.Event
		st, history, err = c.p.d.Verfahren.Status(ctx, sub, id)
		if err != nil {
			c.p.fail(w, r, err)
			return
		}
		def, _ = c.p.d.Verfahren.Registry().Get(k.Procedure)
		data["State"] = c.p.stateTitle(k, st.State)
		data["Version"] = st.Version
		var events []historyRow
		for _, e := range history {
			row := historyRow{Seq: e.Seq, At: berlinTime(e.At), Title: eventTitle(def, e.Name), By: e.By, Role: e.Role}
			for _, did := range e.Documents {
				if d, ok := byID[did]; ok {
					row.Docs = append(row.Docs, docLink{Name: d.Filename, Link: base + "/dokumente/" + did})
				}
			}
			for _, key := range slices.Sorted(mapKeys(e.Data)) {
				row.Data = append(row.Data, eventDataTitle(key)+": "+e.Data[key])
			}
			events = append(events, row)
		}
		data["History"] = events
		var fristen []fristRow
		for _, f := range st.Fristen {
			fristen = append(fristen, fristRow{Title: f.Title, End: f.End.Format("02.01.2006"), Expired: f.Expired})
		}
		data["Fristen"] = fristen
	}

	// Zustellungen.
	zs, err := c.z.List(ctx, sub, id)
	if err != nil {
		c.p.fail(w, r, err)
		return
	}
	var zrows []zustellungRow
	for _, z := range zs {
		row := zustellungRow{Recipient: names[z.Recipient], Method: methodTitle(z.Method), Event: eventTitle(def, z.Event),
			Ordered: berlinTime(z.OrderedAt), Served: "noch nicht zugestellt", Error: z.EventError}
		var dn []string
		for _, d := range z.Documents {
			dn = append(dn, d.Filename)
		}
		row.Documents = strings.Join(dn, ", ")
		if z.Served() {
			row.Served = berlinTime(z.ServedAt)
		}
		if z.Proof != "" {
			row.Proof = base + "/dokumente/" + string(z.Proof)
		}
		if z.Letter != "" && !z.Served() {
			row.Letter = base + "/dokumente/" + string(z.Letter)
			row.Expires = berlinTime(z.CodeExpires)
		}
		zrows = append(zrows, row)
	}
	data["Zustellungen"] = zrows

	// Wiedervorlagen (open ones).
	if wvs, err := c.p.d.Akte.Wiedervorlagen(ctx, sub, id); err == nil {
		var open []string
		for _, wv := range wvs {
			if wv.DoneAt.IsZero() {
				s := wv.Due.Format("02.01.2006")
				if wv.Note != "" {
					s += ": " + wv.Note
				}
				open = append(open, s)
			}
		}
		data["Wiedervorlagen"] = open
	}

	// The actions allowed now: authz first, then the procedure definition.
	res := akte.CaseResource(k)
	z := c.p.d.Akte.Authorizer()
	if z.May(ctx, sub, authz.AssignJudge, res) == nil {
		js, err := c.judges(ctx, k.Tenant, k.Court)
		if err != nil {
			c.p.fail(w, r, err)
			return
		}
		var opts []judgeOption
		for _, u := range js {
			opts = append(opts, judgeOption{ID: u.ID, Name: u.Name, Selected: u.ID == judge})
		}
		data["Judges"] = opts
	}
	if judge != "" {
		data["Judge"] = judge
		if js, err := c.judges(ctx, k.Tenant, k.Court); err == nil {
			for _, u := range js {
				if u.ID == judge {
					data["Judge"] = u.Name
				}
			}
		}
	}
	if def != nil && z.May(ctx, sub, authz.FireEvent, res) == nil {
		var simple []eventButton
		var urteil []eventButton
		for _, e := range st.Allowed {
			switch {
			case len(e.Guards.Documents) == 0:
				simple = append(simple, eventButton{e.Name, e.Title})
			case slices.Contains(e.Guards.Documents, codeUrteil):
				urteil = append(urteil, eventButton{e.Name, e.Title})
			case e.Name == "terminsbestimmung":
				data["Termin"] = true
			}
		}
		data["Events"] = simple
		data["UrteilEvents"] = urteil
	}
	if z.May(ctx, sub, authz.ServeCase, res) == nil && len(ps) > 0 {
		var serveEvents []eventButton
		if def != nil {
			for _, e := range def.Events {
				if slices.Contains(e.From, st.State) && slices.Contains(e.Roles, "geschaeftsstelle") &&
					slices.Contains(e.Guards.Documents, codeZustellungsnachweis) {
					serveEvents = append(serveEvents, eventButton{e.Name, e.Title})
				}
			}
		}
		var servable []akteDoc
		for _, d := range docs {
			if !d.Restricted {
				servable = append(servable, d)
			}
		}
		data["Serve"] = map[string]any{"Events": serveEvents, "Documents": servable}
	}
	c.p.record(ctx, r, sub, "case.read", k.Tenant, string(k.ID), "", "", status)
	title := "Akte " + k.Aktenzeichen.String()
	if form != nil && len(form.Errors) > 0 {
		title = "Fehler: " + title
	}
	v := c.p.base(r, title)
	if form != nil {
		for _, key := range formFieldOrder[form.Name] {
			if msg, ok := form.Errors[key]; ok {
				v.Errors = append(v.Errors, errorLink{Href: "#" + key, Message: msg})
			}
		}
		if msg, ok := form.Errors[""]; ok {
			v.Errors = append(v.Errors, errorLink{Message: msg})
		}
	}
	v.Data = data
	c.p.render(w, r, status, "gericht-akte", v)
}

type historyRow struct {
	Seq                 int
	At, Title, By, Role string
	Docs                []docLink
	Data                []string
}

type docLink struct{ Name, Link string }

// Dokumentklasse codes the case page looks for in guards.
const (
	codeUrteil              = "006"
	codeZustellungsnachweis = "012"
)

var classTitles = map[string]string{"Klage": "Klage", "Antrag": "Antrag", "Schriftsatz": "Schriftsatz", "Urteil": "Urteil",
	"Beschluss": "Beschluss", "Verfuegung": "Verfügung", "Protokoll": "Protokoll", "Zustellungsnachweis": "Zustellungsnachweis",
	"Anlage": "Anlage"}

func classTitle(c string) string {
	if t, ok := classTitles[c]; ok {
		return t
	}
	if c == "" {
		return "–"
	}
	return c
}

func methodTitle(m zustellung.Method) string {
	switch m {
	case zustellung.EEB:
		return "elektronisches Empfangsbekenntnis"
	case zustellung.Zugang:
		return "Zugang im Konto (erster Abruf)"
	case zustellung.Brief:
		return "Brief mit Zugangscode"
	}
	return string(m)
}

func eventTitle(def *verfahren.Definition, name string) string {
	if name == "" {
		return "–"
	}
	if def != nil {
		for _, e := range def.Events {
			if e.Name == name {
				return e.Title
			}
		}
	}
	return name
}

func eventDataTitle(key string) string {
	switch key {
	case "termin":
		return "Termin"
	case "ort":
		return "Sitzungssaal"
	case "video":
		return "Videoverhandlung"
	}
	return key
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// View (GET /gericht/verfahren/{id}/dokumente/{doc}) streams a document
// for reading in the browser: inline, with the API's sandbox CSP (a
// document can run nothing and reach nothing), Range requests work.
func (c *Court) View(w http.ResponseWriter, r *http.Request) {
	sub, ok := c.p.person(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	d, content, err := c.p.d.Akte.Content(ctx, sub, akte.DocumentID(r.PathValue("doc")))
	if err != nil {
		c.p.fail(w, r, err)
		return
	}
	defer content.Close()
	if string(d.Case) != r.PathValue("id") {
		c.p.fail(w, r, errs.ErrNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": d.Filename}))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-store")
	c.p.record(ctx, r, sub, "document.content.read", d.Tenant, string(d.Case), string(d.ID), hex.EncodeToString(d.SHA256[:]), http.StatusOK)
	http.ServeContent(w, r, "", d.CreatedAt, content)
}

type formPair struct{ ID, Label string }

// formPairs turns (id, label, id, label, …) into the fields of a form.
func formPairs(kv ...string) []formPair {
	var out []formPair
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, formPair{kv[i], kv[i+1]})
	}
	return out
}
