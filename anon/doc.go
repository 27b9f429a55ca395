// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package anon pseudonymizes German court decisions before publication.
//
// A Pseudonymizer tokenizes running text (Tokenize), finds entities with the
// legal NER tagger of package anon/ner plus rules for what the tagger's
// training corpus lacks (e-mail addresses, phone numbers, IBANs, dates of
// birth, licence plates, tax and social security numbers, street addresses
// with house numbers, names after "Herr"/"Frau"), and replaces what its
// Policy says consistently within one document: the first person becomes
// "A.", the next "B.", the same street "[Straße 1]" wherever it recurs.
// Judges' names, courts, laws, authorities and case citations stay by
// default, as courts publish them.
//
// Service offers a Pseudonymizer to all tenants, each under its own Policy,
// and counts their use; the API's POST /api/v1/services/anonymize and the
// publication of decisions call it. A tenant's Policy is the default until
// its Landesadmin chooses another; the choice is kept in a PolicyStore and
// cached per tenant for PolicyTTL.
package anon
