// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package portal

import (
	"encoding/hex"
	"mime"
	"net/http"
	"strconv"

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/verfahren"
)

// caseRow is one line of "Meine Verfahren".
type caseRow struct {
	ID, Aktenzeichen, Court, Subject, State, Created string
}

// courtName is the name of a court, or its ID.
func (p *Portal) courtName(c akte.Case) string {
	if ct, err := p.d.Catalog.Court(c.Court); err == nil {
		return ct.Name
	}
	return string(c.Court)
}

// stateTitle is the German title of a proceeding's state.
func (p *Portal) stateTitle(c akte.Case, st verfahren.State) string {
	if c.Procedure == "" {
		return "–"
	}
	if def, err := p.d.Verfahren.Registry().Get(c.Procedure); err == nil {
		for _, s := range def.States {
			if s.Name == st {
				return s.Title
			}
		}
	}
	return string(st)
}

// Cases (GET /verfahren) lists the proceedings the user may see, with
// Aktenzeichen, court and state.
func (p *Portal) Cases(w http.ResponseWriter, r *http.Request) {
	sub, ok := p.person(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	cs, err := p.d.Akte.Cases(ctx, sub, akte.CaseFilter{Limit: 100})
	if err != nil {
		p.fail(w, r, err)
		return
	}
	rows := make([]caseRow, 0, len(cs))
	for i := len(cs) - 1; i >= 0; i-- { // newest first (IDs are time-ordered)
		c := cs[i]
		state := "–"
		if c.Procedure != "" {
			st, _, err := p.d.Verfahren.Status(ctx, sub, c.ID)
			if err != nil {
				p.fail(w, r, err)
				return
			}
			state = p.stateTitle(c, st.State)
		}
		rows = append(rows, caseRow{ID: string(c.ID), Aktenzeichen: c.Aktenzeichen.String(), Court: p.courtName(c),
			Subject: c.Subject, State: state, Created: berlinTime(c.CreatedAt)})
	}
	v := p.base(r, "Meine Verfahren")
	v.Data = map[string]any{"Cases": rows}
	p.render(w, r, http.StatusOK, "verfahren", v)
}

type docRow struct {
	Name, Created, Size, SHA256, Link string
}

type eventRow struct{ At, Title string }

type fristRow struct {
	Title, End string
	Expired    bool
}

// Case (GET /verfahren/{id}) shows one proceeding as far as the user may
// see it: facts, state, the documents they may read (with download links
// and SHA-256), Fristen and history. With ?eingereicht=1 it is the
// receipt page after a filing. Another person's proceeding is 404.
func (p *Portal) Case(w http.ResponseWriter, r *http.Request) {
	sub, ok := p.person(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	id := akte.CaseID(r.PathValue("id"))
	c, err := p.d.Akte.Case(ctx, sub, id)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	ds, err := p.d.Akte.Documents(ctx, sub, id)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	data := map[string]any{"Aktenzeichen": c.Aktenzeichen.String(), "Court": p.courtName(c), "Subject": c.Subject,
		"Created": berlinTime(c.CreatedAt), "IsClaim": c.Procedure == "zivil-online", "State": "–",
		"Receipt": r.URL.Query().Get("eingereicht") == "1"}
	if c.Procedure != "" {
		st, history, err := p.d.Verfahren.Status(ctx, sub, id)
		if err != nil {
			p.fail(w, r, err)
			return
		}
		data["State"] = p.stateTitle(c, st.State)
		if st.Role != "" && !sub.Role.Staff() {
			data["Answer"] = "/verfahren/" + string(c.ID) + "/antwort"
		}
		if st.Role != "" && !sub.Role.Staff() {
			data["Role"] = roleTitle(st.Role)
		}
		var events []eventRow
		def, _ := p.d.Verfahren.Registry().Get(c.Procedure)
		for _, e := range history {
			title := e.Name
			if def != nil {
				for _, ed := range def.Events {
					if ed.Name == e.Name {
						title = ed.Title
					}
				}
			}
			events = append(events, eventRow{At: berlinTime(e.At), Title: title})
		}
		data["History"] = events
		var fristen []fristRow
		for _, f := range st.Fristen {
			fristen = append(fristen, fristRow{Title: f.Title, End: f.End.Format("02.01.2006"), Expired: f.Expired})
		}
		data["Fristen"] = fristen
	}
	var docs []docRow
	for _, d := range ds {
		row := docRow{Name: d.Filename, Created: berlinTime(d.CreatedAt), Size: humanSize(d.Size),
			SHA256: hex.EncodeToString(d.SHA256[:]), Link: "/verfahren/" + string(c.ID) + "/dokumente/" + string(d.ID)}
		docs = append(docs, row)
		if d.Filename == receiptFilename && d.CreatedBy == sub.ID {
			data["ReceiptDoc"] = row
		}
	}
	data["Documents"] = docs
	p.record(ctx, r, sub, "case.read", c.Tenant, string(c.ID), "", "", http.StatusOK)
	v := p.base(r, "Verfahren "+c.Aktenzeichen.String())
	v.Data = data
	p.render(w, r, http.StatusOK, "fall", v)
}

// Download (GET /verfahren/{id}/dokumente/{doc}) streams a document the
// user may read, as an attachment (Range requests work).
func (p *Portal) Download(w http.ResponseWriter, r *http.Request) {
	sub, ok := p.person(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	if r.Method == http.MethodHead {
		// HEAD answers from the metadata and reads nothing, so that it is
		// not the recipient's access (service by access counts downloads).
		d, err := p.d.Akte.Document(ctx, sub, akte.DocumentID(r.PathValue("doc")))
		if err != nil || string(d.Case) != r.PathValue("id") {
			p.fail(w, r, errs.ErrNotFound)
			return
		}
		h := w.Header()
		h.Set("Content-Type", d.ContentType)
		h.Set("Content-Length", strconv.FormatInt(d.Size, 10))
		h.Set("Accept-Ranges", "bytes")
		h.Set("Cache-Control", "private, no-store")
		return
	}
	d, content, err := p.d.Akte.Content(ctx, sub, akte.DocumentID(r.PathValue("doc")))
	if err != nil {
		p.fail(w, r, err)
		return
	}
	defer content.Close()
	if string(d.Case) != r.PathValue("id") {
		p.fail(w, r, errs.ErrNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.Filename}))
	h.Set("Cache-Control", "private, no-store")
	p.record(ctx, r, sub, "document.content.read", d.Tenant, string(d.Case), string(d.ID), hex.EncodeToString(d.SHA256[:]), http.StatusOK)
	http.ServeContent(w, r, "", d.CreatedAt, content)
}
