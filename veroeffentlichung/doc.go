// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package veroeffentlichung publishes court decisions: a decision of the
// eAkte (an Urteil or Beschluss) is prepared for publication, its text is
// pseudonymized by the tenant's anon.Service, a person of the court reviews
// the suggested spans (accepts or rejects each, adds spans by selecting a
// text), and publishes the result. The published text and its metadata
// (court, date, Aktenzeichen, title) are public; everything else is not.
//
// A Publication moves from Pruefung (under review) to Veroeffentlicht
// (published, read-only) or Verworfen (discarded). The decision's text and
// the spans, which hold personal data, lie encrypted in the blob store
// (one blob per saved version) until the publication is published or
// discarded; then the blob is deleted and only the published text and the
// anonymization record (kinds, sources, offsets and SHA-256 of the replaced
// texts, counts per kind, who approved when) remain. Publishing appends an
// audit entry (action decision.publish) that names the case and carries
// the record's SHA-256; the record names the decision and its SHA-256.
//
// Every change carries the version it was made on; a stale version is
// refused (ErrStale), so that two reviewers cannot overwrite each other.
// Only subjects that authz allows decision.publish on the case (the court's
// Geschäftsstelle and Richter, the assigned judge) see, review or publish.
package veroeffentlichung
