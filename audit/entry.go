// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package audit

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"justizcloud/errs"
	"justizcloud/tenancy"
)

// Outcome says whether a request was carried out.
type Outcome string

// Outcomes, derived from the HTTP status by OutcomeOf.
const (
	Allowed Outcome = "allowed" // status below 400
	Denied  Outcome = "denied"  // 401, 403 or 404: the subject may not (or may not know)
	Failed  Outcome = "failed"  // any other status of 400 or more: bad input, conflict, server error
)

// OutcomeOf classifies an HTTP status.
func OutcomeOf(status int) Outcome {
	switch {
	case status < 400:
		return Allowed
	case status == 401 || status == 403 || status == 404:
		return Denied
	default:
		return Failed
	}
}

// Entry is one record of the log: who did what to which object, and how it ended.
type Entry struct {
	Seq       uint64     // leaf index in the tenant's tree; assigned by Append
	Time      time.Time  // UTC, microseconds; assigned by Append when zero
	Tenant    tenancy.ID // the tenant whose log holds the entry (the subject's)
	Subject   string     // token or user id
	Role      string     // the role the subject acted in
	Court     string     // the subject's court, empty when not bound to one
	User      string     // the person behind the subject (authz.Subject.User); empty for role tokens
	Name      string     // the person's display name (authz.Subject.Name); empty for role tokens
	Action    string     // e.g. document.read, document.create, case.read, event.append
	Route     string     // method and route pattern, e.g. "GET /api/v1/documents/{id}"
	Case      string     // case id, empty when none
	Document  string     // document id, empty when none
	SHA256    string     // lowercase hex SHA-256 of the document's content, empty when none
	Outcome   Outcome
	Status    int    // HTTP status answered
	RequestID string // X-Request-Id, to find the request in the server log
}

// The versions of the encoding, stored in every entry as "v". Version 2
// adds the keys "name" and "user"; an entry without a person (both empty)
// is encoded as version 1, so that every entry has exactly one canonical
// encoding and the entries stored before version 2 still decode (and their
// leaf hashes, taken over the stored bytes, still verify).
const (
	formatV1 = 1
	formatV2 = 2
)

// timeLayout fixes the time to UTC with exactly six fractional digits.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// wire is the canonical encoding. Its fields are in the byte order of their
// JSON keys, so encoding/json writes the keys sorted; every key of the
// version is always present; there is no whitespace. Name and User are
// pointers so that version 1 omits them and version 2 always has them.
type wire struct {
	Action    string  `json:"action"`
	Case      string  `json:"case"`
	Court     string  `json:"court"`
	Document  string  `json:"document"`
	DocSHA256 string  `json:"document_sha256"`
	Name      *string `json:"name,omitempty"`
	Outcome   string  `json:"outcome"`
	RequestID string  `json:"request_id"`
	Role      string  `json:"role"`
	Route     string  `json:"route"`
	Seq       uint64  `json:"seq"`
	Status    int     `json:"status"`
	Subject   string  `json:"subject"`
	Tenant    string  `json:"tenant"`
	Time      string  `json:"time"`
	User      *string `json:"user,omitempty"`
	V         int     `json:"v"`
}

// Encode returns the canonical encoding of e: a JSON object with the keys
// action, case, court, document, document_sha256, outcome, request_id, role,
// route, seq, status, subject, tenant, time and v, in that (sorted) order,
// with no whitespace; strings escaped as Go's encoding/json does (including
// <, > and & as \u003c, \u003e, \u0026); time as UTC with six fractional
// digits; v is the format version. When e names a person (User or Name
// set), v is 2 and the keys name (after document_sha256) and user (after
// time) are added; otherwise v is 1. The leaf hash is HashLeaf(Encode(e)).
func Encode(e Entry) ([]byte, error) {
	if err := e.validate(); err != nil {
		return nil, err
	}
	w := wire{
		Action: e.Action, Case: e.Case, Court: e.Court, Document: e.Document, DocSHA256: e.SHA256,
		Outcome: string(e.Outcome), RequestID: e.RequestID, Role: e.Role, Route: e.Route, Seq: e.Seq,
		Status: e.Status, Subject: e.Subject, Tenant: string(e.Tenant),
		Time: e.Time.UTC().Truncate(time.Microsecond).Format(timeLayout), V: formatV1,
	}
	if e.User != "" || e.Name != "" {
		w.V, w.User, w.Name = formatV2, &e.User, &e.Name
	}
	return json.Marshal(w)
}

// Decode parses an encoding made by Encode. It refuses anything that is not
// byte for byte the canonical encoding of the entry it describes, so that
// two different byte strings never decode to the same entry.
func Decode(data []byte) (Entry, error) {
	var w wire
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Entry{}, fmt.Errorf("audit: decode entry: %w: %w", errs.ErrInvalid, err)
	}
	if w.V != formatV1 && w.V != formatV2 {
		return Entry{}, fmt.Errorf("audit: decode entry: %w: format %d", errs.ErrInvalid, w.V)
	}
	t, err := time.Parse(timeLayout, w.Time)
	if err != nil {
		return Entry{}, fmt.Errorf("audit: decode entry: %w: time: %w", errs.ErrInvalid, err)
	}
	e := Entry{Seq: w.Seq, Time: t, Tenant: tenancy.ID(w.Tenant), Subject: w.Subject, Role: w.Role,
		Court: w.Court, Action: w.Action, Route: w.Route, Case: w.Case, Document: w.Document,
		SHA256: w.DocSHA256, Outcome: Outcome(w.Outcome), Status: w.Status, RequestID: w.RequestID}
	if w.User != nil {
		e.User = *w.User
	}
	if w.Name != nil {
		e.Name = *w.Name
	}
	again, err := Encode(e)
	if err != nil {
		return Entry{}, fmt.Errorf("audit: decode entry: %w", err)
	}
	if !bytes.Equal(again, data) {
		return Entry{}, fmt.Errorf("audit: decode entry: %w: not in canonical form", errs.ErrInvalid)
	}
	return e, nil
}

func (e Entry) validate() error {
	switch {
	case e.Tenant == "":
		return fmt.Errorf("audit: entry: %w: no tenant", errs.ErrInvalid)
	case e.Action == "":
		return fmt.Errorf("audit: entry: %w: no action", errs.ErrInvalid)
	case e.Time.IsZero():
		return fmt.Errorf("audit: entry: %w: no time", errs.ErrInvalid)
	case e.Outcome != Allowed && e.Outcome != Denied && e.Outcome != Failed:
		return fmt.Errorf("audit: entry: %w: outcome %q", errs.ErrInvalid, e.Outcome)
	}
	if e.SHA256 != "" {
		if b, err := hex.DecodeString(e.SHA256); err != nil || len(b) != 32 || hex.EncodeToString(b) != e.SHA256 {
			return fmt.Errorf("audit: entry: %w: document_sha256 must be 64 lowercase hex digits", errs.ErrInvalid)
		}
	}
	return nil
}
