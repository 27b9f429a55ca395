// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import "net/http"

// route is one entry of the route table. The OpenAPI document lists exactly
// these routes (checked by a test).
type route struct {
	method  string
	pattern string
	auth    bool
	handler http.HandlerFunc
}

// routes is the one route table of the API.
func (s *Server) routes() []route {
	return []route{
		{"GET", "/healthz", false, s.healthz},
		{"GET", "/readyz", false, s.readyz},
		{"GET", "/api/v1/openapi.json", true, s.openapi},
		{"GET", "/api/v1/tenants", true, s.listTenants},
		{"GET", "/api/v1/courts", true, s.listCourts},
		{"GET", "/api/v1/courts/{id}", true, s.getCourt},
		{"GET", "/api/v1/fristen", true, s.computeFrist},
		{"GET", "/api/v1/procedures", true, s.listProcedures},
		{"POST", "/api/v1/cases", true, s.createCase},
		{"GET", "/api/v1/cases", true, s.listCases},
		{"GET", "/api/v1/cases/{id}", true, s.getCase},
		{"POST", "/api/v1/cases/{id}/documents", true, s.addDocument},
		{"GET", "/api/v1/cases/{id}/documents", true, s.listDocuments},
		{"POST", "/api/v1/cases/{id}/events", true, s.fireEvent},
		{"GET", "/api/v1/cases/{id}/history", true, s.getHistory},
		{"PUT", "/api/v1/cases/{id}/hold", true, s.setHold},
		{"DELETE", "/api/v1/cases/{id}/hold", true, s.clearHold},
		{"POST", "/api/v1/cases/{id}/participants", true, s.addParticipant},
		{"GET", "/api/v1/cases/{id}/participants", true, s.listParticipants},
		{"PUT", "/api/v1/cases/{id}/participants/{pid}", true, s.updateParticipant},
		{"DELETE", "/api/v1/cases/{id}/participants/{pid}", true, s.removeParticipant},
		{"PUT", "/api/v1/cases/{id}/judge", true, s.assignJudge},
		{"GET", "/api/v1/cases/{id}/access", true, s.listAccess},
		{"POST", "/api/v1/cases/{id}/access", true, s.grantAccess},
		{"DELETE", "/api/v1/cases/{id}/access/{rid}", true, s.revokeAccess},
		{"POST", "/api/v1/cases/{id}/wiedervorlagen", true, s.addWiedervorlage},
		{"GET", "/api/v1/cases/{id}/wiedervorlagen", true, s.listWiedervorlagen},
		{"POST", "/api/v1/wiedervorlagen/{wid}/done", true, s.completeWiedervorlage},
		{"GET", "/api/v1/inbox", true, s.getInbox},
		{"GET", "/api/v1/search", true, s.search},
		{"GET", "/api/v1/documents/{id}", true, s.getDocument},
		{"GET", "/api/v1/documents/{id}/content", true, s.getContent},
		{"GET", "/api/v1/documents/{id}/proof", true, s.getDocumentProof},
		{"GET", "/api/v1/cases/{id}/access-log", true, s.getAccessLog},
		{"POST", "/api/v1/xjustiz/messages", true, s.importXJustiz},
		{"GET", "/api/v1/cases/{id}/xjustiz", true, s.exportXJustiz},
		{"POST", "/api/v1/cases/{id}/transfer", true, s.transferCase},
		{"GET", "/api/v1/cases/{id}/transfer", true, s.getTransfer},
		{"GET", "/api/v1/cases/{id}/transfer-package", true, s.getTransferPackage},
		{"POST", "/api/v1/xjustiz/transfers", true, s.acceptTransfer},
		{"POST", "/api/v1/services/anonymize", true, s.anonymize},
		{"GET", "/api/v1/services/anonymize/policy", true, s.getAnonPolicy},
		{"PUT", "/api/v1/services/anonymize/policy", true, s.putAnonPolicy},
		{"DELETE", "/api/v1/services/anonymize/policy", true, s.deleteAnonPolicy},
		{"GET", "/api/v1/me", true, s.me},
		{"POST", "/api/v1/users", true, s.createUser},
		{"GET", "/api/v1/users", true, s.listUsers},
		{"GET", "/api/v1/users/{uid}", true, s.getUser},
		{"PATCH", "/api/v1/users/{uid}", true, s.patchUser},
		{"GET", "/api/v1/audit/checkpoint", true, s.getAuditCheckpoint},
		{"GET", "/api/v1/audit/proof", true, s.getAuditProof},
		{"GET", "/api/v1/audit/consistency", true, s.getAuditConsistency},
		{"POST", "/api/v1/cases/{id}/zustellungen", true, s.orderZustellung},
		{"GET", "/api/v1/cases/{id}/zustellungen", true, s.listZustellungen},
		{"GET", "/api/v1/zustellungen/{zid}", true, s.getZustellung},
		{"POST", "/api/v1/zustellungen/{zid}/acknowledge", true, s.acknowledgeZustellung},
		{"GET", "/api/v1/zustellungen/{zid}/eeb", true, s.getZustellungEEB},
		{"POST", "/api/v1/access-codes/redeem", true, s.redeemAccessCode},
	}
}
