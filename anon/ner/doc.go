// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package ner is a German legal named-entity tagger: an averaged structured
// perceptron over hashed word, shape, affix and context features, decoded with
// a first-order Viterbi search restricted to valid BIO transitions.
//
// The tag set is the 19 fine classes of the German LER corpus (PER, RR, AN, LD,
// ST, STR, LDS, ORG, UN, INN, GRT, MRK, GS, VO, EUN, VS, VT, RS, LIT) in IOB2
// encoding. The package also reads and writes CoNLL files and scores tag
// sequences with the conlleval rules (see Evaluate).
//
// A Model is immutable after training or loading and safe for concurrent use.
// Default decodes the model trained on the LER train part that is embedded in
// the binary.
package ner
