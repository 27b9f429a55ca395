// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package interview runs guided interviews (the Digitale
// Rechtsantragstelle) that are defined as data: pages of fields with types
// and validation, conditions on earlier answers, values computed by named
// Go functions, a summary to review and correct, and an output mapping
// that turns the answers into a filing of the proceeding the interview
// starts (akte.NewCase, participants, structured data, attachments).
//
// Definitions are YAML files (definitions/*.yaml, embedded; the format is
// in docs/interviews.md). Parse reads one; Load also checks it against its
// environment: the procedure definitions (verfahren), the court catalog
// (tenancy), the court finder and the registered functions (Funcs). A
// definition whose output does not fit its procedure — a participant role
// the procedure's guards need is never produced, an unknown role or
// Registerzeichen, a reference to a field that does not exist or comes
// later, a cycle among computed values — is refused with the file, line
// and problem, like verfahren.Load.
//
// The engine is pure: every method of *Definition is a function of the
// definition and its arguments, with the time passed in (Form.Now). A
// *Definition is read-only after Load and safe for concurrent use. The
// portal calls, per request:
//
//	d.Next(answers, "")                 // first page
//	d.Visible(page, answers)            // is a page shown
//	d.Validate(page, answers, form)     // parse a posted page: new answers, errors in German
//	d.Next(answers, page)               // next page, "" for the summary
//	d.Summary(answers)                  // the review page, with links back per page
//	d.Output(answers)                   // the filing, once nothing is missing
//
// Answers are plain data (map of field ID to canonical string values and
// file references) and survive a round trip through encoding/json, for
// save and resume.
package interview
