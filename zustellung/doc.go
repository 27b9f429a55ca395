// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package zustellung serves documents by access instead of by post: the
// court orders service (Zustellung) of documents of a proceeding to one
// participant, who gets access to the file rather than a copy, and the
// moment the recipient takes notice is recorded as the moment of service.
//
// The method follows from the recipient's account (akte.Participant.Account):
//
//   - eeb: a lawyer, an authority or an organisation acknowledges receipt
//     (elektronisches Empfangsbekenntnis); the acknowledgement is service.
//   - zugang: a citizen with an account; the first download of a served
//     document by the recipient is service (akte.Options.OnContent).
//   - brief: a participant without an account gets a letter, printed and
//     posted by the court, with a one-time access code. Redeeming the code
//     links the participant to the citizen's account, and that is service.
//
// When served, the service files a Zustellungsnachweis (PDF naming every
// served document's SHA-256) in the case and fires the procedure event the
// order named, at the moment of service, so that the Fristen run from it.
// Authorization is authz.May throughout: ordering needs authz.ServeCase;
// acknowledging and redeeming are decided from the relation tuples (see
// Service.Acknowledge and Service.Redeem). docs/zustellung.md has the whole
// design.
package zustellung
