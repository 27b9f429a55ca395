// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"time"

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/tenancy"
	"justizcloud/zustellung"
)

type zustellungInDTO struct {
	Recipient string   `json:"recipient"`
	Documents []string `json:"documents"`
	Event     string   `json:"event"`
}

type zustellungDocumentDTO struct {
	ID       string `json:"id"`
	Filename string `json:"filename"`
	SHA256   string `json:"sha256"`
}

// zustellungDTO never carries the access code or its hash.
type zustellungDTO struct {
	ID             string                  `json:"id"`
	Case           string                  `json:"case"`
	Recipient      string                  `json:"recipient"`
	Method         string                  `json:"method"`
	Documents      []zustellungDocumentDTO `json:"documents"`
	Event          string                  `json:"event,omitempty"`
	OrderedAt      time.Time               `json:"ordered_at"`
	OrderedBy      string                  `json:"ordered_by"`
	Served         bool                    `json:"served"`
	ServedAt       *time.Time              `json:"served_at,omitempty"`
	ServedBy       string                  `json:"served_by,omitempty"`
	ProofDocument  string                  `json:"proof_document,omitempty"`
	LetterDocument string                  `json:"letter_document,omitempty"`
	CodeExpiresAt  *time.Time              `json:"code_expires_at,omitempty"`
	CodeUsedAt     *time.Time              `json:"code_used_at,omitempty"`
	EventSeq       int                     `json:"event_seq,omitempty"`
	EventError     string                  `json:"event_error,omitempty"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func toZustellung(z zustellung.Zustellung) zustellungDTO {
	return zustellungDTO{ID: string(z.ID), Case: string(z.Case), Recipient: string(z.Recipient), Method: string(z.Method),
		Documents: mapSlice(z.Documents, func(d zustellung.Document) zustellungDocumentDTO {
			return zustellungDocumentDTO{ID: string(d.ID), Filename: d.Filename, SHA256: fmt.Sprintf("%x", d.SHA256)}
		}),
		Event: z.Event, OrderedAt: z.OrderedAt, OrderedBy: z.OrderedBy, Served: z.Served(), ServedAt: timePtr(z.ServedAt),
		ServedBy: z.ServedBy, ProofDocument: string(z.Proof), LetterDocument: string(z.Letter),
		CodeExpiresAt: timePtr(z.CodeExpires), CodeUsedAt: timePtr(z.CodeUsedAt), EventSeq: z.EventSeq, EventError: z.EventError}
}

// zustellungen returns the service, or answers 500 when it is not wired.
func (s *Server) zustellungen(w http.ResponseWriter, r *http.Request) *zustellung.Service {
	if s.deps.Zustellung == nil {
		writeError(w, r, s.log, errors.New("zustellung service not configured"))
	}
	return s.deps.Zustellung
}

func (s *Server) orderZustellung(w http.ResponseWriter, r *http.Request) {
	svc := s.zustellungen(w, r)
	if svc == nil {
		return
	}
	var in zustellungInDTO
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	n := zustellung.New{Recipient: akte.ParticipantID(in.Recipient), Event: in.Event}
	for _, d := range in.Documents {
		n.Documents = append(n.Documents, akte.DocumentID(d))
	}
	z, err := svc.Order(r.Context(), subject(r), akte.CaseID(r.PathValue("id")), n)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.Header().Set("Location", "/api/v1/zustellungen/"+string(z.ID))
	writeJSON(w, http.StatusCreated, toZustellung(z))
}

func (s *Server) listZustellungen(w http.ResponseWriter, r *http.Request) {
	svc := s.zustellungen(w, r)
	if svc == nil {
		return
	}
	zs, err := svc.List(r.Context(), subject(r), akte.CaseID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, list[zustellungDTO]{Items: mapSlice(zs, toZustellung)})
}

func (s *Server) getZustellung(w http.ResponseWriter, r *http.Request) {
	svc := s.zustellungen(w, r)
	if svc == nil {
		return
	}
	z, err := svc.Get(r.Context(), subject(r), zustellung.ID(r.PathValue("zid")))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	noteAudit(r, z.Tenant, string(z.Case), "")
	writeJSON(w, http.StatusOK, toZustellung(z))
}

func (s *Server) acknowledgeZustellung(w http.ResponseWriter, r *http.Request) {
	svc := s.zustellungen(w, r)
	if svc == nil {
		return
	}
	z, err := svc.Acknowledge(r.Context(), subject(r), zustellung.ID(r.PathValue("zid")))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	s.noteServed(r, z)
	writeJSON(w, http.StatusOK, toZustellung(z))
}

type redeemInDTO struct {
	Code string `json:"code"`
}

// redeemAccessCode redeems a letter's access code. Every attempt, failed
// ones too, is in the audit log of the Land the code names, so guessing is
// visible there; after too many failures the answer is 429.
func (s *Server) redeemAccessCode(w http.ResponseWriter, r *http.Request) {
	svc := s.zustellungen(w, r)
	if svc == nil {
		return
	}
	var in redeemInDTO
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if t, ok := zustellung.CodeTenant(in.Code); ok {
		noteAuditTenant(r, t)
	}
	z, err := svc.Redeem(r.Context(), subject(r), clientAddr(r), in.Code)
	var tm *zustellung.TooManyAttemptsError
	switch {
	case errors.As(err, &tm):
		s.log.WarnContext(r.Context(), "access code redemption locked out", "user", subject(r).User, "client", clientAddr(r))
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(tm.RetryAfter.Seconds()))))
		writeJSONStatus(w, "application/problem+json", http.StatusTooManyRequests, problem{
			Type: "about:blank", Title: http.StatusText(http.StatusTooManyRequests), Status: http.StatusTooManyRequests,
			Detail: tm.Error(), Instance: r.URL.Path, RequestID: requestID(r.Context()),
		})
		return
	case err != nil:
		if errors.Is(err, errs.ErrInvalid) {
			s.log.InfoContext(r.Context(), "access code redemption failed", "user", subject(r).User, "client", clientAddr(r))
		}
		writeError(w, r, s.log, err)
		return
	}
	s.noteServed(r, z)
	writeJSON(w, http.StatusOK, toZustellung(z))
}

// noteServed files the entry of a request that served z under its case and
// its Zustellungsnachweis with the Nachweis's SHA-256, so that the
// Nachweis's proof bundle (GET /documents/{id}/proof) holds the moment of
// service.
func (s *Server) noteServed(r *http.Request, z zustellung.Zustellung) {
	noteAudit(r, z.Tenant, string(z.Case), "")
	if z.Proof == "" {
		return
	}
	d, err := s.deps.Akte.Document(r.Context(), subject(r), z.Proof)
	if err != nil {
		return
	}
	if n := auditNoteOf(r); n != nil {
		n.document, n.sha256 = string(d.ID), fmt.Sprintf("%x", d.SHA256)
	}
}

// clientAddr is the client's IP address as the connection gives it.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// noteAuditTenant files the request's entry in tenant t's log whatever its
// outcome, for a subject of no tenant whose request names the tenant (an
// access code's prefix): a failed redemption is then in the log of the
// Land whose code was tried, not only in the server log.
func noteAuditTenant(r *http.Request, t tenancy.ID) {
	if n := auditNoteOf(r); n != nil {
		n.tenant, n.always = t, true
	}
}

// getZustellungEEB exports a Zustellung acknowledged by eEB as the XJustiz
// eEB message (nachricht.eeb.zuruecklaufend, 3.6.2).
func (s *Server) getZustellungEEB(w http.ResponseWriter, r *http.Request) {
	svc := s.zustellungen(w, r)
	if svc == nil {
		return
	}
	sub := subject(r)
	id := zustellung.ID(r.PathValue("zid"))
	doc, mid, err := svc.EEB(r.Context(), sub, id)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if z, err := svc.Get(r.Context(), sub, id); err == nil {
		noteAudit(r, z.Tenant, string(z.Case), "")
	}
	h := w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Disposition", `attachment; filename="eeb-`+string(id)+`.xml"`)
	h.Set("XJustiz-Message-Id", mid)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(doc)
}
