// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"justizcloud/akte"
	"justizcloud/audit"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

// auditActions names the audit action of every route that touches case
// data; New wraps exactly these routes with recordAudit. A test checks that
// every route under /api/v1/cases, /documents, /search, /inbox,
// /wiedervorlagen and /xjustiz is listed.
var auditActions = map[string]string{
	"POST /api/v1/cases":                           "case.create",
	"GET /api/v1/cases":                            "case.list",
	"GET /api/v1/cases/{id}":                       "case.read",
	"POST /api/v1/cases/{id}/documents":            "document.create",
	"GET /api/v1/cases/{id}/documents":             "document.list",
	"POST /api/v1/cases/{id}/events":               "event.append",
	"GET /api/v1/cases/{id}/history":               "event.read",
	"PUT /api/v1/cases/{id}/hold":                  "hold.set",
	"DELETE /api/v1/cases/{id}/hold":               "hold.clear",
	"POST /api/v1/cases/{id}/participants":         "participant.create",
	"GET /api/v1/cases/{id}/participants":          "participant.list",
	"PUT /api/v1/cases/{id}/participants/{pid}":    "participant.update",
	"DELETE /api/v1/cases/{id}/participants/{pid}": "participant.delete",
	"PUT /api/v1/cases/{id}/judge":                 "judge.assign",
	"GET /api/v1/cases/{id}/access":                "access.list",
	"POST /api/v1/cases/{id}/access":               "access.grant",
	"DELETE /api/v1/cases/{id}/access/{rid}":       "access.revoke",
	"POST /api/v1/cases/{id}/wiedervorlagen":       "wiedervorlage.create",
	"GET /api/v1/cases/{id}/wiedervorlagen":        "wiedervorlage.list",
	"POST /api/v1/wiedervorlagen/{wid}/done":       "wiedervorlage.complete",
	"GET /api/v1/cases/{id}/xjustiz":               "xjustiz.export",
	"POST /api/v1/xjustiz/messages":                "xjustiz.import",
	"POST /api/v1/cases/{id}/transfer":             "case.transfer",
	"GET /api/v1/cases/{id}/transfer":              "case.transfer.read",
	"GET /api/v1/cases/{id}/transfer-package":      "case.transfer.package",
	"POST /api/v1/xjustiz/transfers":               "xjustiz.transfer.accept",
	"GET /api/v1/inbox":                            "inbox.read",
	"GET /api/v1/search":                           "search",
	"GET /api/v1/documents/{id}":                   "document.read",
	"GET /api/v1/documents/{id}/content":           "document.content.read",
	"GET /api/v1/documents/{id}/proof":             "document.proof.read",
	"GET /api/v1/cases/{id}/access-log":            "case.access_log.read",
	"POST /api/v1/cases/{id}/zustellungen":         "zustellung.order",
	"GET /api/v1/cases/{id}/zustellungen":          "zustellung.list",
	"GET /api/v1/zustellungen/{zid}":               "zustellung.read",
	"POST /api/v1/zustellungen/{zid}/acknowledge":  "zustellung.acknowledge",
	"GET /api/v1/zustellungen/{zid}/eeb":           "zustellung.eeb.read",
	"POST /api/v1/access-codes/redeem":             "access_code.redeem",
	"PUT /api/v1/services/anonymize/policy":        "anon.policy.set",
	"DELETE /api/v1/services/anonymize/policy":     "anon.policy.reset",
}

// auditCaptureLimit bounds the response bytes kept to find ids and hashes.
const auditCaptureLimit = 64 << 10

// recordAudit appends one audit entry per request, after the handler, with
// the subject, the route, the case and document named by the path or the
// answer, the document's SHA-256 where the answer names it, and the status.
//
// Failure policy: a write's answer is held back until its entry is stored;
// if the append fails, the client gets 500 instead (the change itself is
// stored, but nobody is told it succeeded, and the server log has the entry).
// A read's answer is streamed as usual; if its append fails, the error and
// the entry are logged.
func (s *Server) recordAudit(method, pattern string, next http.HandlerFunc) http.HandlerFunc {
	action, route := auditActions[method+" "+pattern], method+" "+pattern
	if method == http.MethodGet || method == http.MethodHead {
		return func(w http.ResponseWriter, r *http.Request) {
			cw := &auditCapture{ResponseWriter: w, status: http.StatusOK, keep: pattern == "/api/v1/documents/{id}"}
			r = withAuditNote(r)
			defer s.auditPanic(r, action, route)
			next(cw, r)
			e := s.auditEntry(r, action, route, cw.status, w.Header(), cw.body.Bytes())
			if !s.auditTenant(r, &e) {
				return
			}
			if _, err := s.deps.Audit.Append(r.Context(), e); err != nil {
				s.log.ErrorContext(r.Context(), "audit append failed; read answered anyway", "err", err, "entry", fmt.Sprintf("%+v", e))
			}
		}
	}
	return func(w http.ResponseWriter, r *http.Request) {
		bw := &auditBuffer{ResponseWriter: w, header: http.Header{}}
		r = withAuditNote(r)
		defer s.auditPanic(r, action, route)
		next(bw, r)
		status := bw.status
		if !bw.wrote {
			status = 499 // the handler gave up without an answer: the client went away
		}
		e := s.auditEntry(r, action, route, status, bw.header, bw.body.Bytes())
		if !s.auditTenant(r, &e) {
			bw.flush(w)
			return
		}
		if _, err := s.deps.Audit.Append(r.Context(), e); err != nil {
			s.log.ErrorContext(r.Context(), "audit append failed; write answered 500", "err", err, "entry", fmt.Sprintf("%+v", e))
			writeError(w, r, s.log, fmt.Errorf("audit append: %w", err))
			return
		}
		bw.flush(w)
	}
}

// auditPanic records a request whose handler panicked (status 500, or 499
// when the client went away) and lets the panic go on to ServeHTTP.
func (s *Server) auditPanic(r *http.Request, action, route string) {
	p := recover()
	if p == nil {
		return
	}
	status := http.StatusInternalServerError
	if p == http.ErrAbortHandler {
		status = 499
	}
	e := s.auditEntry(r, action, route, status, http.Header{}, nil)
	if !s.auditTenant(r, &e) {
		panic(p)
	}
	if _, err := s.deps.Audit.Append(r.Context(), e); err != nil {
		s.log.ErrorContext(r.Context(), "audit append failed after a panic", "err", err, "entry", fmt.Sprintf("%+v", e))
	}
	panic(p)
}

// auditEntry builds the entry of a finished request.
func (s *Server) auditEntry(r *http.Request, action, route string, status int, h http.Header, body []byte) audit.Entry {
	sub := subject(r)
	e := audit.Entry{Tenant: sub.Tenant, Subject: sub.ID, Role: string(sub.Role), Court: string(sub.Court),
		User: sub.User, Name: sub.Name,
		Action: action, Route: route, Outcome: audit.OutcomeOf(status), Status: status, RequestID: requestID(r.Context())}
	_, pattern, _ := strings.Cut(route, " ")
	switch {
	case strings.HasPrefix(pattern, "/api/v1/cases/{id}"):
		e.Case = r.PathValue("id")
	case strings.HasPrefix(pattern, "/api/v1/documents/{id}"):
		e.Document = r.PathValue("id")
	}
	if sha, err := parseReprDigest(h.Get("Repr-Digest")); err == nil && sha != nil {
		e.SHA256 = hex.EncodeToString(sha)
	} else if et := strings.Trim(h.Get("ETag"), `"`); e.Document != "" && isSHA256Hex(et) {
		e.SHA256 = et
	}
	if status < 300 && len(body) > 0 && len(body) < auditCaptureLimit && bytes.HasPrefix(body, []byte("{")) {
		var ans struct {
			ID     string `json:"id"`
			Case   string `json:"case"`
			SHA256 string `json:"sha256"`
		}
		if json.Unmarshal(body, &ans) == nil {
			switch action {
			case "case.create":
				e.Case = ans.ID
			case "document.create", "document.read":
				e.Document, e.Case = ans.ID, ans.Case
				if isSHA256Hex(ans.SHA256) {
					e.SHA256 = ans.SHA256
				}
			}
		}
	}
	if n := auditNoteOf(r); n != nil && status < 400 {
		if n.tenant != "" {
			e.Tenant = n.tenant
		}
		if e.Case == "" {
			e.Case = n.caseID
		}
		if e.SHA256 == "" {
			e.SHA256 = n.sha256
		}
	}
	if n := auditNoteOf(r); n != nil && status < 400 && e.Document == "" && n.document != "" {
		e.Document, e.SHA256 = n.document, n.sha256
	}
	if n := auditNoteOf(r); n != nil && n.always && e.Tenant == "" {
		e.Tenant = n.tenant
	}
	return e
}

// auditTenant makes sure e goes into a tenant's log. Court staff act within
// their tenant, whose log holds their entries. A subject of no tenant (a
// lawyer, an authority, a citizen) is recorded in the log of the tenant
// that owns the case or document it reached, found with the subject's own
// rights; when it reached none (a refused request for an object it may not
// see), there is no tenant whose log could hold the entry: it is written to
// the server log at level WARN instead, and auditTenant reports false.
//
// Staff who reach proceedings of other Länder (a share with their court, a
// judge's assignment) are recorded in the log of the case's tenant, so that
// the Land whose file it is sees who read it.
func (s *Server) auditTenant(r *http.Request, e *audit.Entry) bool {
	if e.Tenant != "" {
		if s.reachesAbroad(r, e) {
			s.objectTenant(r, e)
		}
		return true
	}
	if e.Outcome == audit.Allowed {
		s.objectTenant(r, e)
	}
	if e.Tenant == "" {
		s.log.WarnContext(r.Context(), "audit: request of a subject without a tenant reached no tenant's object; not in any audit log", "entry", fmt.Sprintf("%+v", *e))
		return false
	}
	return true
}

// objectTenant sets e's tenant (and case) to those of the case or document
// e names, looked up with the subject's own rights; it leaves e alone when
// the lookup fails.
func (s *Server) objectTenant(r *http.Request, e *audit.Entry) {
	if s.deps.Akte == nil {
		return
	}
	sub := subject(r)
	switch {
	case e.Case != "":
		if c, err := s.deps.Akte.Case(r.Context(), sub, akte.CaseID(e.Case)); err == nil {
			e.Tenant = c.Tenant
		}
	case e.Document != "":
		if d, err := s.deps.Akte.Document(r.Context(), sub, akte.DocumentID(e.Document)); err == nil {
			e.Tenant, e.Case = d.Tenant, string(d.Case)
		}
	}
}

// reachesAbroad reports whether e is an allowed access to a case or
// document by a subject who reaches proceedings of tenants other than e's.
func (s *Server) reachesAbroad(r *http.Request, e *audit.Entry) bool {
	if e.Outcome != audit.Allowed || e.Case == "" && e.Document == "" || s.deps.Akte == nil {
		return false
	}
	ts, err := s.deps.Akte.Authorizer().Tenants(r.Context(), subject(r))
	if err != nil {
		return false
	}
	for _, t := range ts {
		if t != e.Tenant {
			return true
		}
	}
	return false
}

// auditNote is what a handler tells the audit hook about the object of its
// request, when neither the path nor the answer says it: the tenant that
// owns the object (whose log gets the entry), its case, and the document's
// SHA-256. It is read only for successful requests.
type auditNote struct {
	tenant tenancy.ID
	caseID string
	sha256 string
	always bool // the tenant applies to refused and failed requests too (noteAuditTenant)
	// document names the document a write produced (with sha256), when
	// neither the path nor the answer does (a Zustellungsnachweis).
	document string
}

type auditNoteKey struct{}

func withAuditNote(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), auditNoteKey{}, &auditNote{}))
}

func auditNoteOf(r *http.Request) *auditNote {
	n, _ := r.Context().Value(auditNoteKey{}).(*auditNote)
	return n
}

// noteAudit records the object of the request for its audit entry; it
// does nothing on a route that is not recorded.
func noteAudit(r *http.Request, t tenancy.ID, caseID, sha256 string) {
	if n := auditNoteOf(r); n != nil {
		n.tenant, n.caseID, n.sha256 = t, caseID, sha256
	}
}

func isSHA256Hex(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == 32 && hex.EncodeToString(b) == s
}

// auditCapture passes a read's answer through and keeps its status and, for
// small JSON answers of routes that need it, the first bytes.
type auditCapture struct {
	http.ResponseWriter
	status int
	wrote  bool
	keep   bool
	body   bytes.Buffer
}

func (c *auditCapture) WriteHeader(code int) {
	if !c.wrote {
		c.status, c.wrote = code, true
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *auditCapture) Write(p []byte) (int, error) {
	c.wrote = true
	if c.keep && c.body.Len()+len(p) <= auditCaptureLimit {
		c.body.Write(p)
	}
	return c.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (c *auditCapture) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// auditBuffer holds a write's answer back until its audit entry is stored.
// Write answers are small JSON documents; uploads stream the request, not
// the answer.
type auditBuffer struct {
	http.ResponseWriter // for http.ResponseController (deadlines) only
	header              http.Header
	status              int
	wrote               bool
	body                bytes.Buffer
}

func (b *auditBuffer) Header() http.Header { return b.header }

func (b *auditBuffer) WriteHeader(code int) {
	if !b.wrote {
		b.status, b.wrote = code, true
	}
}

func (b *auditBuffer) Write(p []byte) (int, error) {
	if !b.wrote {
		b.status, b.wrote = http.StatusOK, true
	}
	return b.body.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (b *auditBuffer) Unwrap() http.ResponseWriter { return b.ResponseWriter }

func (b *auditBuffer) flush(w http.ResponseWriter) {
	if !b.wrote {
		return
	}
	for k, v := range b.header {
		w.Header()[k] = v
	}
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body.Bytes()) // the client may be gone; the entry is stored
}

// The audit endpoints.

type checkpointDTO struct {
	Tenant     string    `json:"tenant"`
	Size       uint64    `json:"size"`
	Root       string    `json:"root"`
	Time       time.Time `json:"time"`
	KeyID      string    `json:"key_id"`
	Signature  string    `json:"signature"`
	PublicKey  string    `json:"public_key"`
	SignedBody string    `json:"signed_body"`
}

func b64(h []byte) string { return base64.StdEncoding.EncodeToString(h) }

func hashes(hs []audit.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = b64(h[:])
	}
	return out
}

// auditLog checks that the caller may read its tenant's log.
func (s *Server) auditLog(r *http.Request) (*audit.Log, authz.Subject, error) {
	sub := subject(r)
	if err := s.may(r, authz.ReadAudit, authz.Resource{Tenant: sub.Tenant}); err != nil {
		return nil, sub, err
	}
	if s.deps.Audit == nil {
		return nil, sub, fmt.Errorf("audit log not configured")
	}
	return s.deps.Audit, sub, nil
}

func (s *Server) getAuditCheckpoint(w http.ResponseWriter, r *http.Request) {
	l, sub, err := s.auditLog(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	c, err := l.Checkpoint(r.Context(), sub.Tenant)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, checkpointDTO{Tenant: string(c.Tenant), Size: c.Size, Root: b64(c.Root[:]),
		Time: c.Time, KeyID: c.KeyID, Signature: b64(c.Signature), PublicKey: b64(l.PublicKey()),
		SignedBody: string(c.SignedBody())})
}

// uintParam reads a non-negative integer query parameter; def is used when it is absent.
func uintParam(r *http.Request, name string, def *uint64) (uint64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		if def == nil {
			return 0, fmt.Errorf("%w: parameter %s is required", errs.ErrInvalid, name)
		}
		return *def, nil
	}
	n, err := strconv.ParseUint(v, 10, 63)
	if err != nil {
		return 0, fmt.Errorf("%w: parameter %s must be a non-negative integer", errs.ErrInvalid, name)
	}
	return n, nil
}

func (s *Server) getAuditProof(w http.ResponseWriter, r *http.Request) {
	l, sub, err := s.auditLog(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	seq, err := uintParam(r, "seq", nil)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	size, err := uintParam(r, "size", nil)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	in, err := l.InclusionProof(r.Context(), sub.Tenant, seq, size)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	leaf := audit.HashLeaf(in.Entry)
	writeJSON(w, http.StatusOK, map[string]any{
		"tenant": sub.Tenant, "seq": in.Seq, "size": in.Size, "entry": b64(in.Entry),
		"leaf_hash": b64(leaf[:]), "proof": hashes(in.Proof), "root": b64(in.Root[:]),
	})
}

func (s *Server) getAuditConsistency(w http.ResponseWriter, r *http.Request) {
	l, sub, err := s.auditLog(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	from, err := uintParam(r, "from", nil)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	to, err := uintParam(r, "to", nil)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	c, err := l.ConsistencyProof(r.Context(), sub.Tenant, from, to)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"tenant": sub.Tenant, "from": c.From, "to": c.To, "from_root": b64(c.FromRoot[:]),
		"to_root": b64(c.ToRoot[:]), "proof": hashes(c.Proof),
	})
}
