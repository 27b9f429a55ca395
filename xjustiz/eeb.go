// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz

import (
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"justizcloud/errs"
)

// EEB is an electronic acknowledgement of receipt (elektronisches
// Empfangsbekenntnis, nachricht.eeb.zuruecklaufend.2200007): the recipient
// of a message confirms the day it received the documents of that message,
// or reports why it cannot (Störungsmeldung). It names the message it
// answers by that message's own id, not the documents one by one.
type EEB struct {
	Version   string // as the message declares it
	MessageID string // the eEB's own id (eigeneNachrichtenID)
	// Acknowledges is the id of the message whose receipt is confirmed
	// (fremdeNachrichtenID): the eigeneNachrichtenID of the message sent.
	Acknowledges string
	Created      string // erstellungszeitpunkt, as sent

	// Sender acknowledges (the addressee of the original message, e.g. a
	// lawyer); Recipient sent the original message (e.g. the court).
	Sender, Recipient Party
	// SenderAktenzeichen is the acknowledging side's reference,
	// RecipientAktenzeichen the reference of the original sender (the case).
	SenderAktenzeichen, RecipientAktenzeichen string

	// Received is the day of receipt (empfangsbestaetigung); zero for a
	// Störungsmeldung.
	Received time.Time
	// Refusal is set instead of Received when the recipient reports a fault.
	Refusal *EEBRefusal
	// RecipientDiffers is zustellungsempfaenger.abweichend, when given: the
	// person acknowledging is not the addressee named in the original message.
	RecipientDiffers *bool
}

// EEBRefusal is the Störungsmeldung of an eEB.
type EEBRefusal struct {
	Code   string // EEB.StoerungsID: 1, 2 or 3
	Reason string // stoerungsGrund, free text, if any
}

// Name returns the code's meaning (code list EEB.StoerungsID).
func (r EEBRefusal) Name() string {
	switch r.Code {
	case "1":
		return "Zustellungsempfänger nicht am Verfahren beteiligt"
	case "2":
		return "Inhalt der Sendung unklar oder unvollständig"
	case "3":
		return "Zertifikatsprüfung fehlgeschlagen"
	}
	return "unbekannte Störung " + r.Code
}

// IsEEB reports whether a validation report is of an eEB message.
func IsEEB(rep *Report) bool { return strings.HasPrefix(rep.Root, "nachricht.eeb.zuruecklaufend.") }

// ParseEEB maps an eEB message that Validator.Validate found valid, of any
// supported version. Other messages fail with errs.ErrInvalid.
func ParseEEB(doc []byte, rep *Report) (*EEB, error) {
	if !IsEEB(rep) {
		return nil, fmt.Errorf("%w: %s is not an eEB (nachricht.eeb.zuruecklaufend)", errs.ErrInvalid, rep.Root)
	}
	if !rep.Valid() {
		return nil, &InvalidError{Report: rep}
	}
	root, err := parseTree(doc)
	if err != nil {
		return nil, err
	}
	e := &EEB{Version: rep.Version}
	kopf := root.child("nachrichtenkopf")
	e.Created = kopf.child("erstellungszeitpunkt").str()
	if abs := kopf.child("absender"); abs != nil && abs.child("informationen") != nil { // 3.6
		emp := kopf.child("empfaenger")
		e.Sender = partyOf(abs.find("auswahl_kommunikationspartner"))
		e.Recipient = partyOf(emp.find("auswahl_kommunikationspartner"))
		e.SenderAktenzeichen = abs.child("aktenzeichen").str()
		e.RecipientAktenzeichen = emp.path("auswahl_aktenzeichen", "aktenzeichen.freitext").str()
		e.MessageID = abs.child("eigeneNachrichtenID").str()
		e.Acknowledges = emp.child("fremdeNachrichtenID").str()
	} else { // 2.4 to 3.5: a flat head
		e.Sender, e.Recipient = oldParty(kopf, "absender"), oldParty(kopf, "empfaenger")
		e.SenderAktenzeichen = kopf.child("aktenzeichen.absender").str()
		e.RecipientAktenzeichen = kopf.child("aktenzeichen.empfaenger").str()
		e.MessageID = firstText(kopf, "eigeneNachrichtenID", "eigene_Nachrichten_ID")
		e.Acknowledges = firstText(kopf, "fremdeNachrichtenID", "fremde_Nachrichten_ID")
	}
	fach := root.child("fachdaten")
	if s := fach.child("stoerungsmeldung"); s != nil {
		id := s.find("stoerungsID")
		if id == nil {
			id = s.find("stoerungs_ID")
		}
		code := id.code()
		if code == "" {
			code = id.str()
		}
		e.Refusal = &EEBRefusal{Code: code, Reason: firstText(s, "stoerungsGrund", "stoerungsgrund")}
	} else if d := fach.child("empfangsbestaetigung").str(); d != "" {
		// xs:date may carry a zone; the day is what counts.
		t, err := time.Parse("2006-01-02", d[:min(len(d), 10)])
		if err != nil {
			return nil, fmt.Errorf("%w: empfangsbestaetigung %q is not a date", errs.ErrInvalid, d)
		}
		e.Received = t
	}
	for _, name := range []string{"zustellungsempfaenger.abweichend", "zustellungsempfaenger_abweichend"} {
		if n := fach.child(name); n != nil {
			b := n.str() == "true" || n.str() == "1"
			e.RecipientDiffers = &b
		}
	}
	if e.MessageID == "" || e.Acknowledges == "" {
		return nil, fmt.Errorf("%w: the eEB names no message id or no message it acknowledges", errs.ErrInvalid)
	}
	return e, nil
}

// oldParty reads the sender or recipient of a 2.4 to 3.5 head:
// absender_Gericht / absender.gericht (a court code), absender_Sonstige /
// absender.sonstige (a name), or another kind with its code
// (absender.rvTraeger 15).
func oldParty(kopf *node, side string) Party {
	for _, n := range kopf.findAll("auswahl_" + side) {
		kopf = n // 3.x: the choice is wrapped
	}
	for _, k := range kopf.kids {
		kind, ok := strings.CutPrefix(k.name, side+".")
		if !ok {
			kind, ok = strings.CutPrefix(k.name, side+"_")
		}
		if !ok {
			continue
		}
		switch strings.ToLower(kind) {
		case "gericht":
			return Party{Court: k.code()}
		case "sonstige":
			return Party{Name: k.str()}
		}
		if c := k.code(); c != "" {
			return Party{Name: kind + " " + c}
		}
		return Party{Name: k.str()}
	}
	return Party{}
}

// MarshalEEB writes e as a 3.6.2 nachricht.eeb.zuruecklaufend.2200007. An
// empty MessageID gets a new UUID, a zero created time now. It checks only
// what the schema cannot say about e; validate the result before sending it.
func MarshalEEB(e EEB, created time.Time) ([]byte, error) {
	if e.Acknowledges == "" {
		return nil, fmt.Errorf("eEB: %w: the id of the message acknowledged is required", errs.ErrInvalid)
	}
	if e.Received.IsZero() == (e.Refusal == nil) {
		return nil, fmt.Errorf("eEB: %w: give either the day of receipt or a Störungsmeldung", errs.ErrInvalid)
	}
	if e.MessageID == "" {
		e.MessageID = uuid.NewString()
	}
	if created.IsZero() {
		created = time.Now()
	}
	var w xmlWriter
	w.b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	const root = "nachricht.eeb.zuruecklaufend.2200007"
	w.open(root, "xmlns:tns", Namespace)
	w.open("nachrichtenkopf", "xjustizVersion", "3.6.2")
	w.text("erstellungszeitpunkt", created.UTC().Format("2006-01-02T15:04:05Z"))
	w.open("absender")
	w.party(e.Sender)
	if e.SenderAktenzeichen != "" {
		w.text("aktenzeichen", e.SenderAktenzeichen)
	}
	w.text("eigeneNachrichtenID", e.MessageID)
	w.close("absender")
	w.open("empfaenger")
	w.party(e.Recipient)
	w.open("auswahl_aktenzeichen")
	if e.RecipientAktenzeichen != "" {
		w.text("aktenzeichen.freitext", e.RecipientAktenzeichen)
	} else {
		w.text("aktenzeichen.unbekannt", "true")
	}
	w.close("auswahl_aktenzeichen")
	w.text("fremdeNachrichtenID", e.Acknowledges)
	w.close("empfaenger")
	w.open("herstellerinformation")
	w.text("nameDesProdukts", "Justizcloud")
	w.text("herstellerDesProdukts", "Justizcloud")
	w.text("version", "1")
	w.close("herstellerinformation")
	w.close("nachrichtenkopf")
	w.open("fachdaten")
	if e.Refusal != nil {
		w.open("stoerungsmeldung")
		w.open("stoerungsID")
		w.b.WriteString("<code>")
		w.escape(e.Refusal.Code)
		w.b.WriteString("</code>")
		w.close("stoerungsID")
		if e.Refusal.Reason != "" {
			w.text("stoerungsGrund", e.Refusal.Reason)
		}
		w.close("stoerungsmeldung")
	} else {
		w.text("empfangsbestaetigung", e.Received.Format("2006-01-02"))
	}
	if e.RecipientDiffers != nil {
		w.text("zustellungsempfaenger.abweichend", fmt.Sprint(*e.RecipientDiffers))
	}
	w.close("fachdaten")
	w.close(root)
	return w.b.Bytes(), nil
}

// party writes the informationen of a 3.6 sender or recipient.
func (w *xmlWriter) party(p Party) {
	w.open("informationen")
	w.open("auswahl_kommunikationspartner")
	if p.Court != "" {
		w.code("gericht", "3.7", p.Court)
	} else {
		name := p.Name
		if name == "" {
			name = "unbekannt"
		}
		w.text("sonstige", name)
	}
	w.close("auswahl_kommunikationspartner")
	w.close("informationen")
}

func (w *xmlWriter) escape(s string) { xml.EscapeText(&w.b, []byte(s)) }
