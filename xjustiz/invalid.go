// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz

import (
	"justizcloud/errs"
	"justizcloud/xjustiz/xsd"
)

// InvalidError is a message refused because the schema or a code list says
// it is invalid. It wraps errs.ErrInvalid and carries the whole report, so
// that callers can show every error with its line, element and reason.
type InvalidError struct {
	Report *Report
}

func (e *InvalidError) Error() string {
	first, _ := e.Report.First()
	return errs.ErrInvalid.Error() + ": " + first.String()
}

func (e *InvalidError) Unwrap() error { return errs.ErrInvalid }

// Errors returns the errors of the report, without warnings.
func (e *InvalidError) Errors() []xsd.Error {
	var out []xsd.Error
	for _, x := range e.Report.Errors {
		if !x.Warning {
			out = append(out, x)
		}
	}
	return out
}
