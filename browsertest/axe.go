// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package browsertest

import (
	"context"
	_ "embed"
	"fmt"
	"strings"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// AxeVersion is the version of the vendored axe-core (scripts/vendor-axe.sh).
const AxeVersion = "4.14.1"

//go:embed testdata/axe/axe.min.js
var axeSource string

// AxeTags are the rule sets every page must pass: WCAG 2.0 and 2.1, levels A
// and AA (what BITV 2.0 requires through EN 301 549).
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// Violation is one failed axe rule with the elements that fail it.
type Violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// String is the violation as a report line per element.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s — %s", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    %s  %s", n.Target, n.HTML)
		if n.Summary != "" {
			fmt.Fprintf(&b, "\n      %s", strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
	}
	return b.String()
}

// axeRunJS runs axe on the document and returns the violations in the
// shape of Violation. The page's own scripts may be disabled: DevTools
// evaluations run regardless.
var axeRunJS = `(async () => {
	const r = await axe.run(document, {runOnly: {type: 'tag', values: ` + jsList(AxeTags) + `}, resultTypes: ['violations']});
	return r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({target: n.target.flat(Infinity).join(' '), html: n.html, summary: n.failureSummary || ''}))}));
})()`

func jsList(s []string) string {
	return "['" + strings.Join(s, "','") + "']"
}

// axeCheck injects axe-core into the current document when it is not
// there yet and runs it.
//
// axe schedules its work with timers, which do not fire while the page's
// scripts are disabled; with scriptsOff, script execution is enabled for the
// run and disabled again afterwards. The page's own scripts stay unexecuted
// (enabling does not run what the parser skipped), and nothing interacts
// with the page meanwhile.
func axeCheck(scriptsOff bool) chromedp.Action[[]Violation] {
	return func(ctx context.Context, t *chromedp.Target) (_ []Violation, err error) {
		if scriptsOff {
			if err := setScripts(ctx, t, true); err != nil {
				return nil, err
			}
			defer func() {
				if e := setScripts(ctx, t, false); err == nil {
					err = e
				}
			}()
		}
		loaded, err := chromedp.Evaluate[bool](`typeof axe !== 'undefined'`)(ctx, t)
		if err != nil {
			return nil, err
		}
		if !loaded {
			if _, err := chromedp.Evaluate[chromedp.Void](axeSource)(ctx, t); err != nil {
				return nil, fmt.Errorf("inject axe-core: %w", err)
			}
		}
		return chromedp.Evaluate[[]Violation](axeRunJS, chromedp.EvalAwaitPromise)(ctx, t)
	}
}

func setScripts(ctx context.Context, t *chromedp.Target, on bool) error {
	_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
	return err
}
