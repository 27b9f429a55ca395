// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Options configure a Page.
type Options struct {
	// Origin is the server under test ("http://127.0.0.1:41234"). Paths
	// starting with "/" are relative to it, and only its pages are checked
	// with axe (a login provider's pages are someone else's).
	Origin string
	// JS runs the pages' own scripts; false disables them for the whole tab.
	JS bool
	// Dir is the screenshot folder; "" means ScreenshotDir(tb).
	Dir string
	// Timeout bounds every step (navigation, query, wait); default 20 s.
	Timeout time.Duration
}

// Page is one browser tab in a browser context of its own (own cookies),
// driven by one test. Its methods fail the test on error; they are not for
// concurrent use.
type Page struct {
	tb     testing.TB
	ctx    context.Context
	cancel context.CancelFunc
	opt    Options
	shots  int

	mu      sync.Mutex
	console []string // page errors not yet reported
}

// NewPage opens a tab in a fresh browser context. It closes when the test
// ends.
func (b *Browser) NewPage(tb testing.TB, opt Options) *Page {
	tb.Helper()
	if opt.Timeout == 0 {
		opt.Timeout = 20 * time.Second
	}
	if opt.Dir == "" {
		opt.Dir = ScreenshotDir(tb)
	}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	p := &Page{tb: tb, ctx: ctx, cancel: cancel, opt: opt}
	tb.Cleanup(cancel)
	// The first Do creates the tab, without a deadline (a deadline would
	// close the tab with it).
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("browser: open tab: %v", err)
	}
	if !opt.JS {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			tb.Fatalf("browser: disable JavaScript: %v", err)
		}
	}
	// A failed test leaves a screenshot of what the browser showed last.
	// (Cleanups run last-in first-out: this one before the tab closes.)
	// Without JUSTIZCLOUD_SCREENSHOTS it goes to a folder that is kept.
	tb.Cleanup(func() {
		if !tb.Failed() || ctx.Err() != nil {
			return
		}
		if os.Getenv("JUSTIZCLOUD_SCREENSHOTS") == "" {
			dir, err := os.MkdirTemp("", "justizcloud-screenshot-")
			if err != nil {
				tb.Errorf("screenshot folder: %v", err)
				return
			}
			p.opt.Dir = dir
		}
		tb.Logf("the browser at the end: %s", p.Screenshot("am-ende"))
	})
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == chromedp.ConsoleError && strings.Contains(m.Text, "Content Security Policy") {
				p.mu.Lock()
				msg := m.String()
				if len(msg) > 240 {
					msg = msg[:240] + "…"
				}
				p.console = append(p.console, msg)
				p.mu.Unlock()
			}
		}
	}()
	return p
}

// ScreenshotDir is the test's screenshot folder:
// $JUSTIZCLOUD_SCREENSHOTS/<test name> when the variable is set (the folder
// is emptied first and kept afterwards), else a temporary folder removed at
// the end of the test. The log names it.
func ScreenshotDir(tb testing.TB) string {
	tb.Helper()
	root := os.Getenv("JUSTIZCLOUD_SCREENSHOTS")
	if root == "" {
		dir := tb.TempDir()
		tb.Logf("screenshots in %s (removed after the test; set JUSTIZCLOUD_SCREENSHOTS=DIR to keep them)", dir)
		return dir
	}
	dir, err := filepath.Abs(filepath.Join(root, filepath.FromSlash(tb.Name())))
	if err == nil {
		err = os.RemoveAll(dir)
	}
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		tb.Fatalf("screenshot folder: %v", err)
	}
	tb.Logf("screenshots in %s", dir)
	return dir
}

// JS reports whether the page's scripts run.
func (p *Page) JS() bool { return p.opt.JS }

// step returns a context bounded by the step timeout.
func (p *Page) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(p.ctx, p.opt.Timeout)
}

func (p *Page) url(path string) string {
	if strings.HasPrefix(path, "/") {
		return p.opt.Origin + path
	}
	return path
}

// Open navigates to path (relative to the origin, or a full URL), waits for
// the load and checks the page (see Check); the status must be below 400.
func (p *Page) Open(path string) {
	p.tb.Helper()
	p.OpenStatus(path, 0)
}

// OpenStatus is Open for a page whose status must be want (0: any below 400).
func (p *Page) OpenStatus(path string, want int64) {
	p.tb.Helper()
	ctx, cancel := p.step()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(p.url(path)))
	if err != nil {
		p.tb.Fatalf("open %s: %v", path, err)
	}
	p.checkStatus("open "+path, resp, want)
	p.Check()
}

// Press clicks the button or link named by what — an element id, or its
// visible text (buttons, links, submit inputs) — waits for the page that
// follows and checks it (see Check).
func (p *Page) Press(what string) {
	p.tb.Helper()
	p.PressStatus(what, 0)
}

// PressStatus is Press for a page whose status must be want (0: any below
// 400).
func (p *Page) PressStatus(what string, want int64) {
	p.tb.Helper()
	sel := p.clickable(what)
	p.settle()
	ctx, cancel := p.step()
	defer cancel()
	t0 := time.Now()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(sel, chromedp.NodeVisible))
	if err != nil {
		p.tb.Fatalf("press %q on %s: %v", what, p.URL(), err)
	}
	p.tb.Logf("press %q: %d ms", what, time.Since(t0).Milliseconds())
	p.checkStatus("press "+what, resp, want)
	p.Check()
}

// settle waits until the page stops scrolling (at most a second): a
// smooth scroll the page started (KERN-UX sets scroll-behavior: smooth, so
// a skip link or an anchor animates) would move the element under a click
// aimed at its coordinates.
func (p *Page) settle() {
	p.tb.Helper()
	var last [2]float64
	p.eval(`[scrollX, scrollY]`, &last)
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); {
		time.Sleep(40 * time.Millisecond)
		var now [2]float64
		p.eval(`[scrollX, scrollY]`, &now)
		if now == last {
			return
		}
		last = now
	}
}

func (p *Page) checkStatus(what string, resp *network.Response, want int64) {
	p.tb.Helper()
	if resp == nil {
		p.tb.Fatalf("%s: no response", what)
	}
	if want == 0 && resp.Status >= 400 || want != 0 && resp.Status != want {
		p.tb.Errorf("%s: %s = %d %s, want %s", what, resp.URL, resp.Status, resp.StatusText, wantStatus(want))
	}
}

func wantStatus(want int64) string {
	if want == 0 {
		return "< 400"
	}
	return fmt.Sprint(want)
}

// clickable resolves what to a selector: an element with that id, else the
// one visible button, link or submit input whose text (or value, or
// aria-label) is what.
func (p *Page) clickable(what string) chromedp.CSS {
	p.tb.Helper()
	var r struct {
		Sel, Err string
	}
	p.eval(fmt.Sprintf(findClickableJS, jsonString(what)), &r)
	if r.Err != "" {
		p.tb.Fatalf("press %q on %s: %s", what, p.URL(), r.Err)
	}
	return chromedp.CSS(r.Sel)
}

// findClickableJS marks the element to click with a data attribute, so that
// a CSS selector finds exactly it.
const findClickableJS = `(function(key) {
	const norm = s => (s || '').replace(/\s+/g, ' ').trim();
	document.querySelectorAll('[data-bt-click]').forEach(e => e.removeAttribute('data-bt-click'));
	let el = document.getElementById(key);
	if (!el) {
		const all = [...document.querySelectorAll('button, a[href], input[type=submit], input[type=button], summary')]
			.filter(e => e.getClientRects().length > 0);
		const tight = s => (s || '').replace(/\s+/g, '');
		const hits = all.filter(e => norm(e.innerText || e.value) === key || tight(e.innerText || e.value) === tight(key) ||
			norm(e.getAttribute('aria-label')) === key);
		if (hits.length > 1) return {err: 'more than one element with the text "' + key + '"'};
		if (hits.length === 0) return {err: 'no button or link "' + key + '"; there are: ' + all.map(e => '"' + norm(e.innerText || e.value) + '"').join(', ')};
		el = hits[0];
	}
	el.setAttribute('data-bt-click', '1');
	return {sel: '[data-bt-click="1"]'};
})(%s)`

// field describes a form control found by id or label.
type field struct {
	ID, Tag, Type, Err string
}

// findFieldJS finds a form control by id, else by the exact text of its
// label, else by the one label that starts with the text.
const findFieldJS = `(function(key) {
	const norm = s => (s || '').replace(/\s+/g, ' ').trim();
	let el = document.getElementById(key);
	if (!el) {
		const labels = [...document.querySelectorAll('label')].filter(l => l.control);
		let hits = labels.filter(l => norm(l.innerText || l.textContent) === key);
		if (hits.length === 0) hits = labels.filter(l => norm(l.innerText || l.textContent).startsWith(key));
		if (hits.length > 1) return {err: 'more than one field labelled "' + key + '": ' + hits.map(l => '"' + norm(l.textContent) + '"').join(', ')};
		if (hits.length === 0) return {err: 'no field with the id or label "' + key + '"; labels: ' + labels.map(l => '"' + norm(l.textContent) + '"').join(', ')};
		el = hits[0].control;
	}
	if (!el.id) return {err: 'field "' + key + '" has no id'};
	return {id: el.id, tag: el.tagName.toLowerCase(), type: (el.type || '').toLowerCase()};
})(%s)`

func (p *Page) field(key string) field {
	p.tb.Helper()
	var f field
	p.eval(fmt.Sprintf(findFieldJS, jsonString(key)), &f)
	if f.Err != "" {
		p.tb.Fatalf("field %q on %s: %s", key, p.URL(), f.Err)
	}
	return f
}

func idSel(id string) chromedp.CSS {
	return chromedp.CSS(fmt.Sprintf("[id=%s]", jsonString(id)))
}

// Fill sets the field named by key (its id or its label's text) to value
// the way a person would: it enters the text into text inputs and text
// areas (replacing what was there), picks the option of a select whose text or
// value is value, ticks a checkbox or radio button when value is not empty
// ("" unticks a checkbox), and attaches the file at path value to a file
// input.
func (p *Page) Fill(key, value string) {
	p.tb.Helper()
	f := p.field(key)
	sel := idSel(f.ID)
	ctx, cancel := p.step()
	defer cancel()
	var err error
	switch {
	case f.Tag == "select":
		var r struct{ Err string }
		p.eval(fmt.Sprintf(selectJS, jsonString(f.ID), jsonString(value)), &r)
		if r.Err != "" {
			p.tb.Fatalf("fill %q on %s: %s", key, p.URL(), r.Err)
		}
	case f.Type == "checkbox" || f.Type == "radio":
		var checked bool
		checked, err = chromedp.Run(ctx, chromedp.JavascriptAttribute[bool](sel, "checked"))
		if err == nil && checked != (value != "") {
			err = chromedp.Do(ctx, chromedp.Click(sel, chromedp.NodeVisible))
		}
	case f.Type == "file":
		err = chromedp.Do(ctx, chromedp.SetUploadFiles(sel, []string{value}))
	default:
		// Focus, empty, and insert the text as one input event (as a
		// paste or an input method does): typing key by key costs three
		// protocol round trips a character.
		var ok bool
		p.eval(fmt.Sprintf(`(function(el){ el.value = ''; return true; })(document.getElementById(%s))`, jsonString(f.ID)), &ok)
		err = chromedp.Do(ctx, chromedp.Focus(sel, chromedp.NodeVisible))
		if err == nil && value != "" {
			_, err = chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: value})
		}
	}
	if err != nil {
		p.tb.Fatalf("fill %q on %s: %v", key, p.URL(), err)
	}
}

const selectJS = `(function(id, want) {
	const norm = s => (s || '').replace(/\s+/g, ' ').trim();
	const el = document.getElementById(id);
	let opts = [...el.options].filter(o => o.value === want || norm(o.text) === want);
	if (opts.length === 0) opts = [...el.options].filter(o => norm(o.text).startsWith(want));
	opts = opts.filter((o, i) => opts.findIndex(x => x.value === o.value) === i); // a proposal may repeat an option of the full list
	if (opts.length !== 1) return {err: (opts.length ? 'more than one' : 'no') + ' option "' + want + '"; there are ' + el.options.length + ': ' + [...el.options].slice(0, 20).map(o => '"' + norm(o.text) + '"').join(', ')};
	el.value = opts[0].value;
	return {};
})(%s, %s)`

// Value returns the current value of the field named by key (for a
// checkbox or radio button: "on" when ticked, else "").
func (p *Page) Value(key string) string {
	p.tb.Helper()
	f := p.field(key)
	var v string
	p.eval(fmt.Sprintf(`(function(el){ return (el.type === 'checkbox' || el.type === 'radio') ? (el.checked ? 'on' : '') : el.value; })(document.getElementById(%s))`, jsonString(f.ID)), &v)
	return v
}

// Text returns the visible text of the page (innerText of the body) with
// runs of white space collapsed.
func (p *Page) Text() string {
	p.tb.Helper()
	return p.TextOf("body")
}

// TextOf returns the visible text of the first element matching the CSS
// selector, white space collapsed; "" when there is none.
func (p *Page) TextOf(css string) string {
	p.tb.Helper()
	var s string
	p.eval(fmt.Sprintf(`(function(e){ return e ? e.innerText : ''; })(document.querySelector(%s))`, jsonString(css)), &s)
	return collapse(s)
}

var spaces = regexp.MustCompile(`\s+`)

func collapse(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// See fails the test unless the page shows each text (white space
// collapsed).
func (p *Page) See(texts ...string) {
	p.tb.Helper()
	page := p.Text()
	for _, s := range texts {
		if !strings.Contains(page, collapse(s)) {
			p.tb.Errorf("%s (%s) does not show %q; it shows:\n%s", p.URL(), p.Title(), s, page)
		}
	}
}

// SeeIn fails the test unless the element matching css shows each text.
func (p *Page) SeeIn(css string, texts ...string) {
	p.tb.Helper()
	got := p.TextOf(css)
	for _, s := range texts {
		if !strings.Contains(got, collapse(s)) {
			p.tb.Errorf("%s: %s does not show %q; it shows: %q", p.URL(), css, s, got)
		}
	}
}

// NotSee fails the test if the page shows any of the texts.
func (p *Page) NotSee(texts ...string) {
	p.tb.Helper()
	page := p.Text()
	for _, s := range texts {
		if strings.Contains(page, collapse(s)) {
			p.tb.Errorf("%s (%s) shows %q", p.URL(), p.Title(), s)
		}
	}
}

// Texts returns the visible texts of every element matching css.
func (p *Page) Texts(css string) []string {
	p.tb.Helper()
	var out []string
	p.eval(fmt.Sprintf(`[...document.querySelectorAll(%s)].map(e => e.innerText)`, jsonString(css)), &out)
	for i := range out {
		out[i] = collapse(out[i])
	}
	return out
}

// Focused describes the element that has the keyboard focus.
type Focused struct {
	ID, Tag, Text string // Text: visible text or value, white space collapsed
	// Indicator: the element shows that it has the focus (an outline or a
	// box shadow), as WCAG 2.4.7 requires.
	Indicator bool
}

// Key sends keys as key presses to the page (kb.Tab, kb.Enter, text) and
// returns the element that has the focus afterwards. A key that loads a
// new page is not for Key: use Press.
func (p *Page) Key(keys string) Focused {
	p.tb.Helper()
	ctx, cancel := p.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(keys)); err != nil {
		p.tb.Fatalf("keys %q on %s: %v", keys, p.URL(), err)
	}
	var f Focused
	p.eval(`(function(e) {
		if (!e || e === document.body) return {tag: 'body'};
		const cs = getComputedStyle(e);
		const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
		return {id: e.id, tag: e.tagName.toLowerCase(), text: (e.innerText || e.value || '').replace(/\s+/g, ' ').trim(),
			indicator: outline || (cs.boxShadow && cs.boxShadow !== 'none')};
	})(document.activeElement)`, &f)
	return f
}

// Link is a link of the page.
type Link struct {
	Text string // visible, white space collapsed
	Href string // path and query when on the origin, else the full URL
}

// Links returns the links (a[href]) matching css.
func (p *Page) Links(css string) []Link {
	p.tb.Helper()
	var out []Link
	p.eval(fmt.Sprintf(`[...document.querySelectorAll(%s)].filter(e => e.href).map(e => ({text: e.innerText,
		href: e.origin === location.origin ? e.pathname + e.search + e.hash : e.href}))`, jsonString(css)), &out)
	for i := range out {
		out[i].Text = collapse(out[i].Text)
	}
	return out
}

// Has reports whether an element matches css.
func (p *Page) Has(css string) bool {
	p.tb.Helper()
	var ok bool
	p.eval(fmt.Sprintf(`document.querySelector(%s) !== null`, jsonString(css)), &ok)
	return ok
}

// Title returns the page's title.
func (p *Page) Title() string {
	p.tb.Helper()
	var s string
	p.eval(`document.title`, &s)
	return s
}

// URL returns the page's address.
func (p *Page) URL() string {
	var s string
	ctx, cancel := p.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown: " + err.Error() + ")"
	}
	return s
}

// Path returns the page's address without the origin.
func (p *Page) Path() string {
	return strings.TrimPrefix(p.URL(), p.opt.Origin)
}

// Cookies returns the browser's cookies for the origin, for requests a test
// makes beside the browser (a download, the API).
func (p *Page) Cookies() []*http.Cookie {
	p.tb.Helper()
	ctx, cancel := p.step()
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{p.opt.Origin + "/"}})
	if err != nil {
		p.tb.Fatalf("cookies: %v", err)
	}
	var out []*http.Cookie
	for _, c := range res.Cookies {
		out = append(out, &http.Cookie{Name: c.Name, Value: c.Value})
	}
	return out
}

// eval evaluates a DevTools expression (it runs even when the page's
// scripts are disabled) and decodes its JSON result into v.
func (p *Page) eval(js string, v any) {
	p.tb.Helper()
	ctx, cancel := p.step()
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](js))
	if err == nil {
		err = json.Unmarshal(raw, v)
	}
	if err != nil {
		p.tb.Fatalf("evaluate on %s: %v\n%s", p.URL(), err, js)
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
