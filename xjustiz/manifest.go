// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"justizcloud/akte"
	"justizcloud/errs"
	"justizcloud/verfahren"
)

// The transfer package: a ZIP with the XJustiz export of the case
// (nachricht.xml and one file per document, as Export writes it) plus the
// two files below, which an XJustiz message cannot hold.
const (
	// ManifestName is the transfer manifest: what the proceeding is
	// besides the message (procedure type, history, participants with
	// their accounts, each document's SHA-256 and proof bundle).
	ManifestName = "justizcloud-transfer/manifest.json"
	// SealName is the proof bundle of the sender's audit entry that names
	// the manifest's SHA-256 (action case.transfer.seal), with its
	// inclusion proof and the signed checkpoint.
	SealName = "justizcloud-transfer/seal.json"
)

// manifestFormat names the manifest's encoding.
const manifestFormat = "justizcloud-transfer/v1"

// Audit actions of the explicit entries a transfer writes.
const (
	ActionDocumentTransfer = "document.transfer"         // sender: a document handed over, with its SHA-256
	ActionTransferSeal     = "case.transfer.seal"        // sender: the manifest's SHA-256
	ActionTransferReceive  = "case.transfer.receive"     // receiver: the new case and the manifest's SHA-256
	ActionDocumentReceive  = "document.transfer.receive" // receiver: a document taken over, with its SHA-256
)

// manifest is the transfer manifest. It is JSON with these keys; decoding
// refuses unknown ones.
type manifest struct {
	Format  string       `json:"format"`
	Created string       `json:"created"` // RFC 3339, UTC
	By      string       `json:"by"`      // the subject who handed the proceeding over
	From    manifestSide `json:"from"`
	To      manifestSide `json:"to"`
	Message struct {
		ID     string `json:"id"`
		File   string `json:"file"`
		SHA256 string `json:"sha256"`
	} `json:"message"`
	Case struct {
		Subject   string `json:"subject"`
		Procedure string `json:"procedure"`
		State     string `json:"state"` // what the history leads to; "" for a plain case file
	} `json:"case"`
	Participants []manifestParticipant `json:"participants"`
	Documents    []manifestDocument    `json:"documents"`
	Events       []manifestEvent       `json:"events"`
}

type manifestSide struct {
	Tenant       string `json:"tenant"`
	Court        string `json:"court"`
	Case         string `json:"case,omitempty"`
	Aktenzeichen string `json:"aktenzeichen,omitempty"`
}

type manifestParticipant struct {
	ID         string `json:"id"`
	Role       string `json:"role"`
	Name       string `json:"name"`
	Address    string `json:"address"`
	Represents string `json:"represents"`
	Account    string `json:"account"`
}

type manifestDocument struct {
	ID          string `json:"id"`
	File        string `json:"file"` // in the ZIP
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	Class       string `json:"class"`
	Restricted  bool   `json:"restricted"`
	Predecessor string `json:"predecessor"`
	Created     string `json:"created"`
	// Proof is the document's proof bundle (audit.EncodeBundle) from the
	// sender's log: its entries, among them the hand-over's, name the
	// SHA-256.
	Proof json.RawMessage `json:"proof"`
}

type manifestEvent struct {
	Seq       int               `json:"seq"`
	Name      string            `json:"name"`
	At        string            `json:"at"`
	By        string            `json:"by"`
	Role      string            `json:"role"`
	Documents []string          `json:"documents"`
	Data      map[string]string `json:"data"`
}

const manifestTime = time.RFC3339Nano

func encodeManifest(m *manifest) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func decodeManifest(data []byte) (*manifest, error) {
	var m manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%w: transfer manifest: %w", errs.ErrInvalid, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: transfer manifest: data after the manifest", errs.ErrInvalid)
	}
	if m.Format != manifestFormat {
		return nil, fmt.Errorf("%w: transfer manifest: format %q, want %q", errs.ErrInvalid, m.Format, manifestFormat)
	}
	return &m, nil
}

// history returns the manifest's events with document ids mapped by
// docs (sender's id → receiver's); an unknown document is an error.
func (m *manifest) history(docs map[string]akte.DocumentID) ([]verfahren.Event, error) {
	out := make([]verfahren.Event, 0, len(m.Events))
	for _, e := range m.Events {
		at, err := time.Parse(manifestTime, e.At)
		if err != nil {
			return nil, fmt.Errorf("%w: transfer manifest: event %d: time %q", errs.ErrInvalid, e.Seq, e.At)
		}
		ev := verfahren.Event{Seq: e.Seq, Name: e.Name, At: at.UTC(), By: e.By, Role: e.Role, Data: e.Data}
		for _, d := range e.Documents {
			id, ok := docs[d]
			if !ok {
				return nil, fmt.Errorf("%w: transfer manifest: event %d names document %s, which the manifest does not list", errs.ErrInvalid, e.Seq, d)
			}
			ev.Documents = append(ev.Documents, string(id))
		}
		out = append(out, ev)
	}
	return out, nil
}

// adjust replaces what the import planned from the XJustiz message with
// the manifest's richer data: the procedure type and subject, the
// participants (with accounts and representation) and the documents (with
// their own names, restriction and versions). The message must name
// exactly the manifest's files.
func (m *manifest) adjust(pl *importPlan, msg *Message) error {
	var named []string
	for _, d := range msg.Documents {
		for _, f := range d.Files {
			named = append(named, f.Name)
		}
	}
	var listed []string
	for _, d := range m.Documents {
		listed = append(listed, d.File)
	}
	slices.Sort(named)
	slices.Sort(listed)
	if !slices.Equal(named, listed) {
		return fmt.Errorf("%w: the message names the files %q, the transfer manifest %q", errs.ErrInvalid, named, listed)
	}
	pl.newCase.Procedure, pl.newCase.Subject = m.Case.Procedure, m.Case.Subject
	pl.participants, pl.participantIDs, pl.skipped = nil, nil, nil
	// Parties first, then counsel, so that whom counsel represents exists.
	for _, pass := range []bool{false, true} {
		for _, p := range m.Participants {
			if (p.Represents != "") != pass {
				continue
			}
			pl.participants = append(pl.participants, akte.NewParticipant{Role: p.Role, Name: p.Name, Address: p.Address,
				Represents: akte.ParticipantID(p.Represents), Account: p.Account})
			pl.participantIDs = append(pl.participantIDs, akte.ParticipantID(p.ID))
		}
	}
	file := map[string]string{} // sender's document id → file
	pl.documents = nil
	for _, d := range m.Documents {
		sum, _ := hex.DecodeString(d.SHA256) // checked by verify
		pd := plannedDocument{file: d.File, contentType: d.ContentType, class: d.Class, filename: d.Filename,
			restricted: d.Restricted, sha256: sum}
		if d.Predecessor != "" {
			if pd.predecessor = file[d.Predecessor]; pd.predecessor == "" {
				return fmt.Errorf("%w: transfer manifest: document %s names predecessor %s, which is not listed before it", errs.ErrInvalid, d.ID, d.Predecessor)
			}
		}
		file[d.ID] = d.File
		pl.documents = append(pl.documents, pd)
	}
	return nil
}
