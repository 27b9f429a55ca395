// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package portal

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"justizcloud/errs"
	"justizcloud/interview"
)

// definition returns the interview named in the path; unknown: 404.
func (p *Portal) definition(w http.ResponseWriter, r *http.Request) (*interview.Definition, bool) {
	d, err := p.d.Interviews.Get(r.PathValue("name"))
	if err != nil {
		p.fail(w, r, errs.ErrNotFound)
		return nil, false
	}
	return d, true
}

func antragPath(d *interview.Definition) string { return "/antrag/" + d.Name }

func pagePath(d *interview.Definition, page string, change bool) string {
	u := antragPath(d) + "/seite/" + page
	if change {
		u += "?aendern=1"
	}
	return u
}

func summaryPath(d *interview.Definition) string { return antragPath(d) + "/zusammenfassung" }

// paragraphs splits a text at blank lines.
func paragraphs(s string) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if para = strings.Join(strings.Fields(para), " "); para != "" {
			out = append(out, para)
		}
	}
	return out
}

// Overview (GET /antrag/{name}) introduces an interview and offers to
// start, resume or discard the user's draft.
func (p *Portal) Overview(w http.ResponseWriter, r *http.Request) {
	d, ok := p.definition(w, r)
	if !ok {
		return
	}
	sub, ok := p.person(w, r)
	if !ok {
		return
	}
	_, _, err := p.drafts.load(r.Context(), sub.User, d.Name)
	if err != nil && !errors.Is(err, errs.ErrNotFound) {
		p.fail(w, r, err)
		return
	}
	steps := 0
	for _, pg := range d.Pages() {
		if !pg.Stop {
			steps++
		}
	}
	v := p.base(r, d.Title)
	q := r.URL.Query()
	v.Data = map[string]any{"Name": d.Name, "Title": d.Title, "Intro": paragraphs(teaser(d)), "Legal": paragraphs(d.Description),
		"Pages": steps, "TTLDays": int(p.d.DraftTTL.Hours() / 24), "HasDraft": err == nil,
		"Saved": q.Has("gespeichert"), "Discarded": q.Has("verworfen")}
	p.render(w, r, http.StatusOK, "antrag", v)
}

// Begin (POST /antrag/{name}) starts or resumes the draft (aktion=beginnen)
// or deletes it (aktion=verwerfen).
func (p *Portal) Begin(w http.ResponseWriter, r *http.Request) {
	d, ok := p.definition(w, r)
	if !ok {
		return
	}
	sub, ok := p.person(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	switch r.PostFormValue("aktion") {
	case "verwerfen":
		if err := p.drafts.remove(ctx, sub.User, d.Name); err != nil {
			p.fail(w, r, err)
			return
		}
		http.Redirect(w, r, antragPath(d)+"?verworfen=1", http.StatusSeeOther)
	case "beginnen":
		if _, err := p.drafts.create(ctx, sub.User, d.Name); err != nil {
			p.fail(w, r, err)
			return
		}
		_, a, err := p.drafts.load(ctx, sub.User, d.Name)
		if err != nil {
			p.fail(w, r, err)
			return
		}
		http.Redirect(w, r, p.resumePath(d, a), http.StatusSeeOther)
	default:
		p.fail(w, r, errs.ErrInvalid)
	}
}

// resumePath is where a draft continues: the stop page it ran into, the
// first page with a missing answer, or the summary.
func (p *Portal) resumePath(d *interview.Definition, a interview.Answers) string {
	if stop, ok := d.Stopped(a); ok {
		return pagePath(d, stop, false)
	}
	if len(a) == 0 {
		return pagePath(d, d.Next(a, ""), false)
	}
	if miss := d.Missing(a); len(miss) > 0 {
		return pagePath(d, miss[0].Page, false)
	}
	return summaryPath(d)
}

// draftFor loads the user's draft of d; without one the browser goes to
// the interview's overview.
func (p *Portal) draftFor(w http.ResponseWriter, r *http.Request, d *interview.Definition, user string) (Draft, interview.Answers, bool) {
	rec, a, err := p.drafts.load(r.Context(), user, d.Name)
	if errors.Is(err, errs.ErrNotFound) {
		http.Redirect(w, r, antragPath(d), http.StatusSeeOther)
		return Draft{}, nil, false
	}
	if err != nil {
		p.fail(w, r, err)
		return Draft{}, nil, false
	}
	return rec, a, true
}

// Page (GET /antrag/{name}/seite/{page}) shows one page of the interview
// with the answers saved so far.
func (p *Portal) Page(w http.ResponseWriter, r *http.Request) {
	d, ok := p.definition(w, r)
	if !ok {
		return
	}
	pg, found := d.Page(r.PathValue("page"))
	if !found {
		p.fail(w, r, errs.ErrNotFound)
		return
	}
	sub, ok := p.person(w, r)
	if !ok {
		return
	}
	_, a, ok := p.draftFor(w, r, d, sub.User)
	if !ok {
		return
	}
	if !d.Visible(pg.ID, a) {
		http.Redirect(w, r, p.resumePath(d, a), http.StatusSeeOther)
		return
	}
	p.renderPage(w, r, http.StatusOK, d, pg, a, nil, r.URL.Query().Get("aendern") == "1")
}

// PostPage (POST /antrag/{name}/seite/{page}) checks a posted page: with
// problems the page comes again with the messages and what was entered;
// otherwise the answers are saved and the next page (or the summary)
// follows. "Speichern" saves what is valid and returns to the overview;
// "entfernen" removes one upload. The pages post multipart/form-data, also
// without a file field: login.CheckCSRF parses a urlencoded body only up to
// 64 KB, which a long text in umlauts could exceed; a multipart body's
// token is read by PeekCSRF, and its limit is the portal's.
func (p *Portal) PostPage(w http.ResponseWriter, r *http.Request) {
	d, ok := p.definition(w, r)
	if !ok {
		return
	}
	pg, found := d.Page(r.PathValue("page"))
	if !found {
		p.fail(w, r, errs.ErrNotFound)
		return
	}
	sub, ok := p.person(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	rec, a, ok := p.draftFor(w, r, d, sub.User)
	if !ok {
		return
	}
	if !d.Visible(pg.ID, a) {
		http.Redirect(w, r, p.resumePath(d, a), http.StatusSeeOther)
		return
	}
	form, err := p.readForm(w, r, d, pg, a, sub.User)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	change := form.values.Get("aendern") == "1"
	next, problems := d.Validate(pg.ID, a, interview.Form{Values: form.values, Files: form.files, Now: p.now()})
	// A field with a problem keeps its earlier answer in the draft (Validate
	// drops it), and the new uploads of a refused file field are deleted.
	for _, fe := range problems {
		if prev, had := a[fe.Field]; had {
			next[fe.Field] = prev
		}
		for _, u := range form.files[fe.Field] {
			if u.Ref != "" {
				if err := p.drafts.removeFile(ctx, sub.User, d.Name, u.Ref); err != nil {
					p.log.WarnContext(ctx, "portal: delete refused upload", "err", err)
				}
			}
		}
	}
	if rm := form.values.Get("entfernen"); rm != "" {
		field, ref, _ := strings.Cut(rm, "/")
		if !slices.ContainsFunc(a[field].Files, func(u interview.Upload) bool { return u.Ref == ref }) {
			p.fail(w, r, errs.ErrNotFound) // not an upload of this user's draft
			return
		}
		next = next.RemoveFile(field, ref)
		if err := p.drafts.save(ctx, rec, next); err != nil {
			p.fail(w, r, err)
			return
		}
		if err := p.drafts.removeFile(ctx, sub.User, d.Name, ref); err != nil {
			p.log.WarnContext(ctx, "portal: delete removed upload", "err", err)
		}
		http.Redirect(w, r, pagePath(d, pg.ID, change), http.StatusSeeOther)
		return
	}
	if err := p.drafts.save(ctx, rec, next); err != nil {
		p.fail(w, r, err)
		return
	}
	switch {
	case form.values.Get("aktion") == "speichern":
		http.Redirect(w, r, antragPath(d)+"?gespeichert=1", http.StatusSeeOther)
	case len(problems) > 0:
		p.renderPage(w, r, http.StatusUnprocessableEntity, d, pg, next, problems, change)
	case change && len(d.Missing(next)) == 0:
		http.Redirect(w, r, summaryPath(d), http.StatusSeeOther)
	default:
		if n := d.Next(next, pg.ID); n != "" {
			http.Redirect(w, r, pagePath(d, n, change), http.StatusSeeOther)
			return
		}
		if stop, ok := d.Stopped(next); ok {
			http.Redirect(w, r, pagePath(d, stop, false), http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, summaryPath(d), http.StatusSeeOther)
	}
}

// renderPage renders an interview page for the answers, with the problems
// of a refused post.
func (p *Portal) renderPage(w http.ResponseWriter, r *http.Request, status int, d *interview.Definition, pg interview.Page,
	a interview.Answers, problems []interview.FieldError, change bool) {
	title := pg.Title + " – " + d.Title
	if len(problems) > 0 {
		title = "Fehler: " + title
	}
	v := p.base(r, title)
	byField := map[string]interview.FieldError{}
	for _, fe := range problems {
		byField[fe.Field] = fe
	}
	var fields []fieldView
	for _, f := range d.ShownFields(pg.ID, a) {
		fields = append(fields, p.fieldView(d, f, a, byField))
	}
	for _, fe := range problems {
		href := ""
		if fe.Field != "" {
			href = "#" + fe.Field
			if f, ok := d.Field(fe.Field); ok && f.Type == interview.Radio {
				href += "-1"
			}
		}
		v.Errors = append(v.Errors, errorLink{Href: href, Message: fe.Message})
	}
	step, steps := 0, 0
	for id := d.Next(a, ""); id != ""; id = d.Next(a, id) {
		steps++
		if id == pg.ID {
			step = steps
		}
	}
	if step == 0 { // a stop page ends the walk
		steps++
		step = steps
	}
	prev := antragPath(d)
	if id := d.Prev(a, pg.ID); id != "" {
		prev = pagePath(d, id, change)
	}
	if change {
		prev = summaryPath(d)
	}
	v.Data = map[string]any{"Interview": d.Title, "PageTitle": pg.Title, "Intro": paragraphs(pg.Intro), "Stop": pg.Stop,
		"Shown": d.Shown(pg.ID, a), "Fields": fields, "Step": step, "Steps": steps,
		"Action": pagePath(d, pg.ID, false), "Prev": prev, "Change": change}
	p.render(w, r, status, "seite", v)
}

// Summary (GET /antrag/{name}/zusammenfassung) lists every answer with a
// link back to its page, and offers to file when nothing is missing.
func (p *Portal) Summary(w http.ResponseWriter, r *http.Request) {
	d, ok := p.definition(w, r)
	if !ok {
		return
	}
	sub, ok := p.person(w, r)
	if !ok {
		return
	}
	_, a, ok := p.draftFor(w, r, d, sub.User)
	if !ok {
		return
	}
	p.renderSummary(w, r, http.StatusOK, d, a, nil)
}

func (p *Portal) renderSummary(w http.ResponseWriter, r *http.Request, status int, d *interview.Definition, a interview.Answers, extra []errorLink) {
	if stop, ok := d.Stopped(a); ok {
		http.Redirect(w, r, pagePath(d, stop, false), http.StatusSeeOther)
		return
	}
	type section struct {
		Title, Link string
		Items       []interview.Item
	}
	var sections []section
	for _, s := range d.Summary(a) {
		items := make([]interview.Item, 0, len(s.Items))
		for _, it := range s.Items {
			it.Files = slices.Clone(it.Files)
			for i, f := range it.Files {
				it.Files[i].Name = f.Name + " (" + humanSize(f.Size) + ")"
			}
			items = append(items, it)
		}
		if len(items) == 0 {
			continue
		}
		sections = append(sections, section{Title: s.Title, Link: pagePath(d, s.Page, true), Items: items})
	}
	missing := d.Missing(a)
	v := p.base(r, "Zusammenfassung – "+d.Title)
	v.Errors = extra
	for _, m := range missing {
		v.Errors = append(v.Errors, errorLink{Href: pagePath(d, m.Page, true) + "#" + m.Field, Message: m.Label + ": " + m.Message})
	}
	court := ""
	if cid, ok := d.Value(a, d.OutputMapping().Court); ok {
		court = d.Display(d.OutputMapping().Court, cid)
	}
	back := antragPath(d)
	if id := d.Prev(a, ""); id != "" {
		back = pagePath(d, id, false)
	}
	v.Data = map[string]any{"Interview": d.Title, "Name": d.Name, "Sections": sections, "Complete": len(missing) == 0,
		"Court": court, "IsClaim": d.Procedure == "zivil-online", "Back": back}
	p.render(w, r, status, "zusammenfassung", v)
}

// humanSize is a file size in German notation.
func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strings.Replace(strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64), ".", ",", 1) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt((n+512)>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " Bytes"
}
