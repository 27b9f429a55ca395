// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package browsertest

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Check checks the page now shown: it writes a full-page screenshot and, for
// a page of the origin, requires a title and runs axe-core, failing the test
// with every violation (rule, impact, help, each failing element); errors
// of the page's scripts and Content-Security-Policy violations fail it too.
// Open and Press call it; call it after anything else that changes the
// page.
func (p *Page) Check() {
	p.tb.Helper()
	u := p.URL()
	t0 := time.Now()
	file := p.Screenshot("")
	shot := time.Since(t0)
	if strings.HasPrefix(u, p.opt.Origin+"/") || u == p.opt.Origin {
		if p.Title() == "" {
			p.tb.Errorf("%s has no title (screenshot %s)", u, file)
		}
		t0 = time.Now()
		vs := p.Axe()
		p.tb.Logf("%s: screenshot %d ms, axe %d ms", filepath.Base(file), shot.Milliseconds(), time.Since(t0).Milliseconds())
		if len(vs) > 0 {
			var b strings.Builder
			for _, v := range vs {
				b.WriteString("\n  ")
				b.WriteString(v.String())
			}
			p.tb.Errorf("axe-core %s: %d violation(s) of %s on %s (screenshot %s):%s",
				AxeVersion, len(vs), strings.Join(AxeTags, ", "), u, file, b.String())
		}
	}
	p.mu.Lock()
	msgs := p.console
	p.console = nil
	p.mu.Unlock()
	seen := map[string]bool{}
	for _, m := range msgs {
		if !seen[m] {
			seen[m] = true
			p.tb.Errorf("browser console on %s: %s", u, m)
		}
	}
}

// Axe runs axe-core on the page and returns the violations of the WCAG 2.0
// and 2.1 A and AA rules.
func (p *Page) Axe() []Violation {
	p.tb.Helper()
	ctx, cancel := p.step()
	defer cancel()
	vs, err := chromedp.Run(ctx, axeCheck(!p.opt.JS))
	if err != nil {
		p.tb.Fatalf("axe on %s: %v", p.URL(), err)
	}
	return vs
}

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9äöüÄÖÜß_-]+`)

// Screenshot writes a full-page PNG of the page, named after the journey's
// step number and the page's path (and label, when given), into the
// screenshot folder, and returns the file's path.
func (p *Page) Screenshot(label string) string {
	p.tb.Helper()
	ctx, cancel := p.step()
	defer cancel()
	// As chromedp.FullScreenshot(100), with the PNG encoder tuned for speed
	// (files about 30 % larger).
	shot, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format: page.CaptureScreenshotFormatPng, CaptureBeyondViewport: new(true), FromSurface: new(true),
		OptimizeForSpeed: new(true)})
	png := shot.Data
	if err != nil {
		p.tb.Fatalf("screenshot of %s: %v", p.URL(), err)
	}
	p.shots++
	name := "page"
	if u, err := url.Parse(p.URL()); err == nil {
		name = u.Path
		if u.Scheme+"://"+u.Host != p.opt.Origin {
			name = "extern-" + name
		}
	}
	if label != "" {
		name += "-" + label
	}
	if strings.HasPrefix(p.Title(), "Fehler") {
		name += "-fehler"
	}
	name = strings.Trim(unsafeName.ReplaceAllString(name, "-"), "-")
	if name == "" {
		name = "start"
	}
	if len(name) > 80 {
		name = name[:80]
	}
	file := filepath.Join(p.opt.Dir, fmt.Sprintf("%02d-%s.png", p.shots, name))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		p.tb.Fatalf("screenshot: %v", err)
	}
	return file
}
