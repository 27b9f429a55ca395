// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/tenancy"
	"justizcloud/xjustiz"
)

// The transfer endpoints (Abgabe, Verweisung): docs/xjustiz.md#cross-land-transfer.

type transferRequestDTO struct {
	ToCourt string `json:"to_court"`
}

type transferRefDTO struct {
	Tenant         string    `json:"tenant"`
	Court          string    `json:"court"`
	CourtName      string    `json:"court_name"`
	Case           string    `json:"case"`
	Aktenzeichen   string    `json:"aktenzeichen"`
	At             time.Time `json:"at"`
	By             string    `json:"by"`
	Message        string    `json:"message_id"`
	ManifestSHA256 string    `json:"manifest_sha256"`
}

type transferStateDTO struct {
	Case            caseDTO         `json:"case"`
	State           string          `json:"state"` // "", "pending" or "done"
	ReadOnly        bool            `json:"read_only"`
	TransferredTo   *transferRefDTO `json:"transferred_to"`
	TransferredFrom *transferRefDTO `json:"transferred_from"`
}

type transferDocumentDTO struct {
	From   string `json:"from"`
	To     string `json:"to"`
	SHA256 string `json:"sha256"`
}

type transferResultDTO struct {
	Repeated       bool                  `json:"repeated,omitempty"`
	From           transferRefDTO        `json:"from"`
	To             transferRefDTO        `json:"to"`
	Case           caseDTO               `json:"case"` // the case at the receiving court
	State          string                `json:"state"`
	Events         int                   `json:"events"`
	Participants   int                   `json:"participants"`
	Documents      []transferDocumentDTO `json:"documents"`
	MessageID      string                `json:"message_id"`
	ManifestSHA256 string                `json:"manifest_sha256"`
}

var errNoTransfer = errors.New("httpapi: transfers need the XJustiz endpoints and the audit log")

// transfer returns the transfer service over the server's dependencies:
// the XJustiz importer and exporter, the case and proceeding services, and
// the audit log, whose key is the one every tenant of this platform trusts.
func (s *Server) transfer() (*xjustiz.Transfer, error) {
	x := s.deps.XJustiz
	if x == nil || x.Importer == nil || x.Exporter == nil || s.deps.Audit == nil {
		return nil, errNoTransfer
	}
	return xjustiz.NewTransfer(x.Exporter, x.Importer, s.deps.Akte, s.deps.Verfahren, s.deps.Audit, xjustiz.SameLog(s.deps.Audit), s.log), nil
}

func (s *Server) toTransferRef(r akte.TransferRef) transferRefDTO {
	name := ""
	if s.deps.Catalog != nil {
		if c, err := s.deps.Catalog.Court(r.Court); err == nil {
			name = c.Name
		}
	}
	return transferRefDTO{Tenant: string(r.Tenant), Court: string(r.Court), CourtName: name, Case: string(r.Case),
		Aktenzeichen: r.Aktenzeichen, At: r.At, By: r.By, Message: r.Message, ManifestSHA256: r.Manifest}
}

func auditInfo(r *http.Request, pattern string) xjustiz.AuditInfo {
	return xjustiz.AuditInfo{Route: r.Method + " " + pattern, RequestID: requestID(r.Context())}
}

// transferCase hands the case over to a court of another tenant within the
// platform: 201 with the new case's Location; the case here stays
// readable and refuses every write with 409 from now on.
func (s *Server) transferCase(w http.ResponseWriter, r *http.Request) {
	var in transferRequestDTO
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if in.ToCourt == "" {
		writeError(w, r, s.log, fmt.Errorf("%w: field \"to_court\" is required", errs.ErrInvalid))
		return
	}
	tr, err := s.transfer()
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	sp, err := newSpool(s.deps.XJustiz.TempDir)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	defer sp.Close()
	sub := subject(r)
	h, err := tr.Handover(r.Context(), sub, akte.CaseID(r.PathValue("id")), tenancy.CourtID(in.ToCourt), sp,
		auditInfo(r, "/api/v1/cases/{id}/transfer"))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	acc := h.Accepted
	out := transferResultDTO{
		From: s.toTransferRef(acc.From), To: s.toTransferRef(akte.TransferRef{Tenant: acc.Case.Tenant, Court: acc.Case.Court, Case: acc.Case.ID,
			Aktenzeichen: acc.Case.Aktenzeichen.String(), At: acc.From.At, By: sub.ID, Message: h.MessageID, Manifest: h.Manifest}),
		Case: toCase(acc.Case), State: string(acc.State), Events: acc.Events, MessageID: h.MessageID, ManifestSHA256: h.Manifest,
	}
	s.fillTransferResult(&out, acc)
	w.Header().Set("Location", "/api/v1/cases/"+string(acc.Case.ID))
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) fillTransferResult(out *transferResultDTO, acc *xjustiz.Accepted) {
	out.Documents = []transferDocumentDTO{}
	if acc.Import != nil {
		out.Participants = len(acc.Import.Participants)
		for _, d := range acc.Import.Documents {
			from := ""
			for old, id := range acc.Documents {
				if id == d.ID {
					from = old
				}
			}
			out.Documents = append(out.Documents, transferDocumentDTO{From: from, To: string(d.ID), SHA256: fmt.Sprintf("%x", d.SHA256)})
		}
	}
}

// getTransfer answers a case's transfer state: where a handed-over case
// went, where a received one came from.
func (s *Server) getTransfer(w http.ResponseWriter, r *http.Request) {
	c, st, err := s.deps.Akte.Transfer(r.Context(), subject(r), akte.CaseID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	out := transferStateDTO{Case: toCase(c), State: st.State, ReadOnly: st.State != ""}
	if st.To != nil {
		ref := s.toTransferRef(*st.To)
		out.TransferredTo = &ref
	}
	if st.From != nil {
		ref := s.toTransferRef(*st.From)
		out.TransferredFrom = &ref
	}
	writeJSON(w, http.StatusOK, out)
}

// getTransferPackage answers the transfer package of a case for a court of
// another tenant (?to_court=ID) without handing the case over: for a
// receiver on another platform, which POSTs it to its
// /api/v1/xjustiz/transfers. Needs authz.TransferCase.
func (s *Server) getTransferPackage(w http.ResponseWriter, r *http.Request) {
	tr, err := s.transfer()
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	to := r.URL.Query().Get("to_court")
	if to == "" {
		writeError(w, r, s.log, fmt.Errorf("%w: query parameter \"to_court\" is required", errs.ErrInvalid))
		return
	}
	sp, err := newSpool(s.deps.XJustiz.TempDir)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	defer sp.Close()
	id := akte.CaseID(r.PathValue("id"))
	h := sha256.New()
	b, err := tr.Package(r.Context(), subject(r), id, tenancy.CourtID(to), io.MultiWriter(sp, h), auditInfo(r, "/api/v1/cases/{id}/transfer-package"))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	var sum [32]byte
	h.Sum(sum[:0])
	hdr := w.Header()
	hdr.Set("Content-Type", "application/zip")
	hdr.Set("Content-Length", strconv.FormatInt(sp.Size(), 10))
	hdr.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "transfer-" + string(id) + ".zip"}))
	hdr.Set("Repr-Digest", formatReprDigest(sum))
	hdr.Set("XJustiz-Message-Id", b.MessageID)
	hdr.Set("Transfer-Manifest-SHA256", b.Manifest)
	hdr.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, io.NewSectionReader(sp, 0, sp.Size())); err != nil {
		s.log.InfoContext(r.Context(), "transfer package not delivered", "case", id, "err", err)
	}
}

// acceptTransfer takes a transfer package (application/zip) over into the
// caller's tenant after verifying it: 201 with the new case, 200 for the
// same package again, 400 naming what does not verify (nothing stored).
func (s *Server) acceptTransfer(w http.ResponseWriter, r *http.Request) {
	tr, err := s.transfer()
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	x := s.deps.XJustiz
	sub := subject(r)
	if err := s.may(r, authz.ImportXJustiz, authz.Resource{Tenant: sub.Tenant}); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/zip" {
		writeError(w, r, s.log, fmt.Errorf("%w: Content-Type must be application/zip, not %q", errs.ErrInvalid, mt))
		return
	}
	max := x.maxBytes()
	if r.ContentLength > max {
		w.Header().Set("Connection", "close")
		writeError(w, r, s.log, fmt.Errorf("%w: package of %d bytes exceeds the limit of %d bytes", errs.ErrTooLarge, r.ContentLength, max))
		return
	}
	sp, err := newSpool(x.TempDir)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	defer sp.Close()
	if _, err := sp.fill(http.MaxBytesReader(w, r.Body, max), max); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	acc, err := tr.Accept(r.Context(), sub, sp, sp.Size(), auditInfo(r, "/api/v1/xjustiz/transfers"))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	noteAudit(r, acc.Case.Tenant, string(acc.Case.ID), acc.From.Manifest)
	out := transferResultDTO{Repeated: acc.Repeated, From: s.toTransferRef(acc.From),
		To:   s.toTransferRef(akte.TransferRef{Tenant: acc.Case.Tenant, Court: acc.Case.Court, Case: acc.Case.ID, Aktenzeichen: acc.Case.Aktenzeichen.String()}),
		Case: toCase(acc.Case), State: string(acc.State), Events: acc.Events, MessageID: acc.From.Message, ManifestSHA256: acc.From.Manifest}
	s.fillTransferResult(&out, acc)
	w.Header().Set("Location", "/api/v1/cases/"+string(acc.Case.ID))
	status := http.StatusCreated
	if acc.Repeated {
		status = http.StatusOK
	}
	writeJSON(w, status, out)
}
