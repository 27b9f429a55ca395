// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ErrNoBrowser means that no Chromium executable was found.
var ErrNoBrowser = errors.New("chromium not found (scripts/deps.sh installs Debian's chromium)")

// execNames are tried in this order on $PATH; JUSTIZCLOUD_CHROMIUM names the
// executable explicitly.
var execNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// ExecPath returns the Chromium executable the tests use.
func ExecPath() (string, error) {
	if p := os.Getenv("JUSTIZCLOUD_CHROMIUM"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("JUSTIZCLOUD_CHROMIUM: %w: %w", ErrNoBrowser, err)
		}
		return path, nil
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	for _, n := range execNames {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// Browser is one headless Chromium process. Its methods are safe for
// concurrent use: each Page works in a tab of its own browser context.
type Browser struct {
	ctx    context.Context // has the browser; parent of every Page's context
	cancel context.CancelFunc
}

// Start launches Chromium headless with the flags of a quiet test machine:
// no sandbox (tests run as root in containers), no GPU, and none of the
// background traffic (QUIC, component updates, sync) a test must not depend
// on.
func Start() (*Browser, error) {
	path, err := ExecPath()
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "de-DE"),
		chromedp.WindowSize(1280, 900),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	// The first Do starts the browser; it runs without a timeout, as a
	// deadline here would end the browser with it. A watchdog stops a
	// browser that does not come up.
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	select {
	case err = <-done:
	case <-time.After(60 * time.Second):
		err = errors.New("no answer within 60 s")
	}
	if err != nil {
		cancel()
		acancel()
		return nil, fmt.Errorf("start %s: %w", path, err)
	}
	return &Browser{ctx: ctx, cancel: func() { cancel(); acancel() }}, nil
}

// Close ends the browser and every Page in it.
func (b *Browser) Close() {
	b.cancel()
}

var shared struct {
	once sync.Once
	b    *Browser
	err  error
}

// Shared returns the browser of this test binary, starting it at the first
// call (about a second). When Chromium is missing the test is skipped, or
// fails when CI is set. Call CloseShared from TestMain after m.Run; without
// it the browser dies with the test process anyway (parent-death signal).
func Shared(tb testing.TB) *Browser {
	tb.Helper()
	shared.once.Do(func() { shared.b, shared.err = Start() })
	if shared.err != nil {
		if os.Getenv("CI") != "" || !errors.Is(shared.err, ErrNoBrowser) {
			tb.Fatalf("browser: %v", shared.err)
		}
		tb.Skipf("browser: %v", shared.err)
	}
	return shared.b
}

// CloseShared ends the shared browser if it was started.
func CloseShared() {
	if shared.b != nil {
		shared.b.Close()
	}
}
