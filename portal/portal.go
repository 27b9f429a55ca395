// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package portal

import (
	"bytes"
	"compress/gzip"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"justizcloud/akte"
	"justizcloud/audit"
	"justizcloud/authz"
	"justizcloud/blob"
	"justizcloud/errs"
	"justizcloud/interview"
	"justizcloud/login"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
)

// Deps are what the portal's pages call.
type Deps struct {
	Akte       *akte.Service
	Verfahren  *verfahren.Service
	Interviews *interview.Registry
	Catalog    *tenancy.Catalog
	// Drafts keeps the records of saved interviews; Blobs (the encrypting
	// store) their answers and uploads, under tenant DraftTenant.
	Drafts DraftStore
	Blobs  blob.Store
	// Audit records filings, case pages and downloads; nil: not recorded.
	Audit  *audit.Log
	Assets *Assets
	Logger *slog.Logger
	Now    func() time.Time
	// DraftTTL is how long a draft is kept after its last change (default
	// 30 days).
	DraftTTL time.Duration
}

// Portal renders the citizens' pages: the start page, the guided
// interviews with save and resume, the filing and its receipt, "Meine
// Verfahren". Its handlers expect httpapi's authentication in front of
// them (authz.SubjectFrom, login.SessionFrom); see docs/portal.md.
type Portal struct {
	d      Deps
	log    *slog.Logger
	now    func() time.Time
	drafts *drafts
	pages  map[string]*template.Template
	css    []string
	// filing serializes the filings of one draft within this process, so
	// that a double click does not file twice.
	filing sync.Map
	// maxBody limits a posted page: the largest uploads a page allows, plus
	// its values.
	maxBody int64
}

//go:embed templates/*.html
var templateFS embed.FS

var pageNames = []string{"start", "antrag", "seite", "zusammenfassung", "verfahren", "fall", "info", "fehler"}

// New parses the templates and returns the portal.
func New(d Deps) (*Portal, error) {
	if d.Akte == nil || d.Verfahren == nil || d.Interviews == nil || d.Catalog == nil || d.Drafts == nil || d.Blobs == nil || d.Assets == nil {
		return nil, fmt.Errorf("portal: %w: missing dependencies", errs.ErrInvalid)
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.DraftTTL <= 0 {
		d.DraftTTL = 30 * 24 * time.Hour
	}
	p := &Portal{d: d, log: d.Logger, now: d.Now, pages: map[string]*template.Template{},
		drafts: &drafts{st: d.Drafts, blobs: d.Blobs, now: d.Now, ttl: d.DraftTTL},
		css:    []string{d.Assets.Path("fonts.css"), d.Assets.Path("kern.min.css"), d.Assets.Path("portal.css")}}
	p.maxBody = maxFormValues
	for _, n := range d.Interviews.Names() {
		def, err := d.Interviews.Get(n)
		if err != nil {
			return nil, fmt.Errorf("portal: %w", err)
		}
		for _, pg := range def.Pages() {
			var page int64
			for _, f := range pg.Fields {
				if f.Type == interview.File {
					page += f.MaxSize * int64(f.MaxFiles)
				}
			}
			p.maxBody = max(p.maxBody, page+maxFormValues)
		}
	}
	funcs := template.FuncMap{"inc": func(i int) int { return i + 1 }}
	for _, n := range pageNames {
		t, err := template.New(n).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/fields.html", "templates/"+n+".html")
		if err != nil {
			return nil, fmt.Errorf("portal: template %s: %w", n, err)
		}
		p.pages[n] = t
	}
	return p, nil
}

// view is what every page's template gets.
type view struct {
	Title string // the whole <title>
	CSS   []string
	User  *userView
	Path  string // the request path, for the login link's return
	// Errors feed the error summary of a form.
	Errors []errorLink
	Data   any
}

type userView struct {
	Name, ID, CSRF string
}

// errorLink is one entry of an error summary: the message and the link to
// the field ("#id" on the same page).
type errorLink struct {
	Href, Message string
}

// base fills the view's common part for the request.
func (p *Portal) base(r *http.Request, title string) *view {
	v := &view{Title: title + " – Justizcloud", CSS: p.css, Path: r.URL.Path}
	if sub, ok := authz.SubjectFrom(r.Context()); ok && sub.User != "" {
		u := &userView{Name: sub.Name, ID: sub.User}
		if u.Name == "" {
			u.Name = sub.User
		}
		if sess, ok := login.SessionFrom(r.Context()); ok {
			u.CSRF = sess.CSRF
		}
		v.User = u
	}
	return v
}

// gzipWriters are reused: a gzip.Writer's state is a few hundred KB.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return zw
}}

// render writes a page, gzip-compressed when the browser accepts it. The
// pages reflect no input of third parties (a cross-site post is refused
// before anything is rendered, and nothing of the query is echoed), so
// compressing them beside the CSRF token does not open BREACH.
func (p *Portal) render(w http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	var buf bytes.Buffer
	if err := p.pages[page].ExecuteTemplate(&buf, "layout", v); err != nil {
		p.log.ErrorContext(r.Context(), "portal: render", "page", page, "err", err)
		http.Error(w, "Interner Fehler", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept-Encoding")
	body := buf.Bytes()
	if len(body) > 1024 && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		zw := gzipWriters.Get().(*gzip.Writer)
		var z bytes.Buffer
		z.Grow(len(body) / 4)
		zw.Reset(&z)
		zw.Write(body)
		if zw.Close() == nil {
			h.Set("Content-Encoding", "gzip")
			body = z.Bytes()
		}
		gzipWriters.Put(zw)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// fail shows the German error page for err: the one place where the
// portal turns errors into pages. Internal errors are logged in detail and
// shown as "Interner Fehler".
func (p *Portal) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, title, msg := http.StatusInternalServerError, "Interner Fehler",
		"Bei der Bearbeitung ist ein Fehler aufgetreten. Bitte versuchen Sie es später erneut."
	switch {
	case errors.Is(err, errs.ErrNotFound):
		status, title, msg = http.StatusNotFound, "Seite nicht gefunden", "Diese Seite gibt es nicht, oder Sie haben keinen Zugriff darauf."
	case errors.Is(err, errs.ErrForbidden):
		status, title, msg = http.StatusForbidden, "Keine Berechtigung", "Diese Aktion ist Ihnen nicht erlaubt."
	case errors.Is(err, errs.ErrUnauthenticated):
		status, title, msg = http.StatusUnauthorized, "Bitte melden Sie sich an", "Für diese Seite müssen Sie angemeldet sein."
	case errors.Is(err, errs.ErrTooLarge):
		status, title, msg = http.StatusRequestEntityTooLarge, "Zu große Anfrage", "Die gesendeten Daten sind zu groß. Bitte laden Sie kleinere Dateien hoch."
	case errors.Is(err, errs.ErrConflict):
		status, title, msg = http.StatusConflict, "Nicht möglich", "Das ist im jetzigen Stand des Verfahrens nicht möglich."
	case errors.Is(err, errs.ErrInvalid):
		status, title, msg = http.StatusBadRequest, "Ungültige Anfrage", "Die Anfrage ist ungültig."
	}
	if status == http.StatusInternalServerError {
		p.log.ErrorContext(r.Context(), "portal: internal error", "path", r.URL.Path, "err", err)
	} else {
		p.log.DebugContext(r.Context(), "portal: refused", "path", r.URL.Path, "status", status, "err", err)
	}
	v := p.base(r, title)
	data := map[string]string{"Heading": title, "Message": msg}
	if status == http.StatusUnauthorized {
		data["Login"] = "/login"
	}
	v.Data = data
	p.render(w, r, status, "fehler", v)
}

// NotFound answers a path under the portal's prefixes that has no page.
func (p *Portal) NotFound(w http.ResponseWriter, r *http.Request) {
	p.fail(w, r, errs.ErrNotFound)
}

// person returns the logged-in person, or redirects a GET to the login
// page (with this path to return to) and answers anything else with 401.
func (p *Portal) person(w http.ResponseWriter, r *http.Request) (authz.Subject, bool) {
	sub, ok := authz.SubjectFrom(r.Context())
	if ok && sub.User != "" {
		return sub, true
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		http.Redirect(w, r, "/login?"+url.Values{"return": {login.LocalPath(r.URL.RequestURI())}}.Encode(), http.StatusSeeOther)
		return authz.Subject{}, false
	}
	p.fail(w, r, errs.ErrUnauthenticated)
	return authz.Subject{}, false
}

// record appends an audit entry of a portal request on case data; a
// failure is logged (the request has been answered or the change made).
func (p *Portal) record(ctx context.Context, r *http.Request, sub authz.Subject, action string, t tenancy.ID, caseID, docID, sha string, status int) {
	if p.d.Audit == nil || t == "" {
		return
	}
	e := audit.Entry{Tenant: t, Subject: sub.ID, Role: string(sub.Role), Court: string(sub.Court), User: sub.User, Name: sub.Name,
		Action: action, Route: r.Method + " " + r.Pattern, Case: caseID, Document: docID, SHA256: sha,
		Outcome: audit.OutcomeOf(status), Status: status, RequestID: r.Header.Get("X-Request-Id")}
	if _, err := p.d.Audit.Append(context.WithoutCancel(ctx), e); err != nil {
		p.log.ErrorContext(ctx, "portal: audit append failed", "err", err, "entry", fmt.Sprintf("%+v", e))
	}
}

// Assets are the stylesheets and fonts the pages link to.
func (p *Portal) Assets() *Assets { return p.d.Assets }
