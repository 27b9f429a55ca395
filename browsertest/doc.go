// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package browsertest drives a headless Chromium (Debian's chromium, through
// the DevTools protocol with github.com/chromedp/chromedp) for end-to-end
// tests of the server-rendered pages: open a page, fill fields by id or
// label, press buttons, read what a person would see.
//
// Every page of the server under test that a Page reaches is checked on the
// way: the HTTP status is below 400, it has a title, axe-core (vendored in
// testdata/axe, no network needed) finds no violation of the WCAG 2.0/2.1
// A and AA rules — each violation is reported with rule id, impact, target
// and help — and a full-page screenshot is written, numbered in the order of
// the journey, to the test's screenshot folder: $JUSTIZCLOUD_SCREENSHOTS/
// <test name>/ when that variable is set (kept), else a temporary folder of
// the test (removed afterwards; the log names it).
//
// A Page runs with JavaScript on or off (Emulation.setScriptExecutionDisabled:
// the page's own scripts never run, while the test's DevTools evaluations,
// axe among them, still do), so that one journey written once proves that the
// pages work without script.
//
// One browser serves a whole test binary (Shared); every Page is a fresh
// browser context with its own cookies, so parallel tests do not see each
// other's sessions. The browser is /usr/bin/chromium or the first of
// chromium, chromium-browser, google-chrome on $PATH; JUSTIZCLOUD_CHROMIUM
// names another. Chromium missing: the test is skipped, or fails when the
// environment variable CI is set (scripts/deps.sh installs it). Only tests
// import this package; it is never linked into the server.
package browsertest
