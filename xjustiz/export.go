// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
)

// Exporter writes a case as an XJustiz transfer package.
type Exporter struct {
	v         *Validator
	svc       *akte.Service
	classCode func(name string) (string, bool)
	now       func() time.Time
}

// NewExporter returns an exporter. classCode maps a document class name to
// its GDS.Dokumentklasse code; nil exports no classes.
func NewExporter(v *Validator, svc *akte.Service, classCode func(string) (string, bool)) *Exporter {
	if classCode == nil {
		classCode = func(string) (string, bool) { return "", false }
	}
	return &Exporter{v: v, svc: svc, classCode: classCode, now: time.Now}
}

// ExportVersions are the versions Export writes.
var ExportVersions = []string{"3.6.2"}

// ExportResult describes a written package.
type ExportResult struct {
	MessageID string
	Message   []byte            // the XML, as in the ZIP
	Files     map[string]string // ZIP file name → document ID
	Documents []akte.Document   // the documents exported, in filing order
	Names     []string          // their ZIP file names, in the same order
}

// Export writes the case as a ZIP: nachricht.xml, a
// nachricht.gds.uebermittlungSchriftgutobjekte.0005005 of the given version,
// plus one file per document. The message is validated (schema and code
// lists) before anything is written; an export that does not validate is an
// error, never a package.
func (ex *Exporter) Export(ctx context.Context, sub authz.Subject, id akte.CaseID, version string, w io.Writer) (*ExportResult, error) {
	zw := zip.NewWriter(w)
	res, err := ex.exportTo(ctx, sub, id, version, zw)
	if err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return res, nil
}

// exportTo writes the entries of Export to zw, which the caller closes (a
// transfer package adds its manifest). Every document's content is checked
// against its recorded SHA-256 on the way.
func (ex *Exporter) exportTo(ctx context.Context, sub authz.Subject, id akte.CaseID, version string, zw *zip.Writer) (*ExportResult, error) {
	if version != "3.6.2" {
		return nil, fmt.Errorf("export: %w: version %q (export writes %v)", errs.ErrInvalid, version, ExportVersions)
	}
	c, err := ex.svc.Case(ctx, sub, id)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	parts, err := ex.svc.Participants(ctx, sub, id)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	docs, err := ex.svc.Documents(ctx, sub, id)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	msgID := uuid.NewString()
	names := zipNames(docs)
	msg := ex.message362(c, parts, docs, names, msgID)
	rep, err := ex.v.Validate(msg)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if !rep.Valid() {
		first, _ := rep.First()
		return nil, fmt.Errorf("export: the generated message does not validate: %s", first)
	}
	mw, err := zw.CreateHeader(&zip.FileHeader{Name: "nachricht.xml", Method: zip.Deflate, Modified: ex.now()})
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if _, err := mw.Write(msg); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	res := &ExportResult{MessageID: msgID, Message: msg, Files: map[string]string{}, Documents: docs, Names: names}
	for i, d := range docs {
		_, body, err := ex.svc.Content(ctx, sub, d.ID)
		if err != nil {
			return nil, fmt.Errorf("export: document %s: %w", d.ID, err)
		}
		h := sha256.New()
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: names[i], Method: zip.Deflate, Modified: d.CreatedAt})
		if err == nil {
			_, err = io.Copy(io.MultiWriter(fw, h), body)
		}
		body.Close()
		if err != nil {
			return nil, fmt.Errorf("export: document %s: %w", d.ID, err)
		}
		if got := h.Sum(nil); !bytes.Equal(got, d.SHA256[:]) {
			return nil, fmt.Errorf("export: document %s: stored content has SHA-256 %x, recorded %x", d.ID, got, d.SHA256)
		}
		res.Files[names[i]] = string(d.ID)
	}
	return res, nil
}

// zipNames gives every document a unique, safe file name: its own where
// possible.
func zipNames(docs []akte.Document) []string {
	seen := map[string]bool{"nachricht.xml": true}
	out := make([]string, len(docs))
	for i, d := range docs {
		name := strings.Map(func(r rune) rune {
			if r == '/' || r == '\\' || r < 0x20 {
				return '_'
			}
			return r
		}, d.Filename)
		if name == "" || checkZipName(name) != nil || seen[name] {
			name = strconv.Itoa(i+1) + "_" + strings.TrimLeft(name, ".")
		}
		if name == strconv.Itoa(i+1)+"_" || checkZipName(name) != nil {
			name = strconv.Itoa(i+1) + "_dokument"
		}
		seen[name] = true
		out[i] = name
	}
	return out
}

// xmlWriter writes the elements of a message with the tns prefix.
type xmlWriter struct{ b bytes.Buffer }

func (w *xmlWriter) open(name string, attrs ...string) {
	w.b.WriteString("<tns:" + name)
	for i := 0; i+1 < len(attrs); i += 2 {
		w.b.WriteString(" " + attrs[i] + `="`)
		xml.EscapeText(&w.b, []byte(attrs[i+1]))
		w.b.WriteString(`"`)
	}
	w.b.WriteString(">")
}

func (w *xmlWriter) close(name string) { w.b.WriteString("</tns:" + name + ">") }

func (w *xmlWriter) text(name, s string) {
	w.open(name)
	xml.EscapeText(&w.b, []byte(s))
	w.close(name)
}

// code writes a code-typed element.
func (w *xmlWriter) code(name, listVersion, code string) {
	w.open(name, "listVersionID", listVersion)
	w.b.WriteString("<code>")
	xml.EscapeText(&w.b, []byte(code))
	w.b.WriteString("</code>")
	w.close(name)
}

func (ex *Exporter) message362(c akte.Case, parts []akte.Participant, docs []akte.Document, names []string, msgID string) []byte {
	var w xmlWriter
	w.b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	const root = "nachricht.gds.uebermittlungSchriftgutobjekte.0005005"
	w.open(root, "xmlns:tns", Namespace)
	w.open("nachrichtenkopf", "xjustizVersion", "3.6.2")
	w.text("erstellungszeitpunkt", ex.now().UTC().Format("2006-01-02T15:04:05Z"))
	w.open("absender")
	w.open("informationen")
	w.open("auswahl_kommunikationspartner")
	w.code("gericht", "3.7", string(c.Court))
	w.close("auswahl_kommunikationspartner")
	w.close("informationen")
	w.text("aktenzeichen", c.Aktenzeichen.String())
	w.text("eigeneNachrichtenID", msgID)
	w.close("absender")
	w.open("empfaenger")
	w.open("informationen")
	w.open("auswahl_kommunikationspartner")
	w.text("sonstige", "Empfänger des Exports")
	w.close("auswahl_kommunikationspartner")
	w.close("informationen")
	w.open("auswahl_aktenzeichen")
	w.text("aktenzeichen.neu", "true")
	w.close("auswahl_aktenzeichen")
	w.close("empfaenger")
	w.code("ereignis", "1.13", "142") // Aktenübersendung
	w.open("herstellerinformation")
	w.text("nameDesProdukts", "Justizcloud")
	w.text("herstellerDesProdukts", "Justizcloud")
	w.text("version", "1")
	w.close("herstellerinformation")
	w.close("nachrichtenkopf")

	w.open("grunddaten")
	w.open("verfahrensdaten")
	w.open("instanzdaten")
	w.text("instanznummer", "1")
	w.open("auswahl_instanzbehoerde")
	w.code("gericht", "3.7", string(c.Court))
	w.close("auswahl_instanzbehoerde")
	w.open("aktenzeichen")
	w.open("auswahl_aktenzeichen")
	w.text("aktenzeichen.freitext", c.Aktenzeichen.String())
	w.close("auswahl_aktenzeichen")
	w.close("aktenzeichen")
	if c.Subject != "" {
		w.text("kurzrubrum", c.Subject)
	}
	w.close("instanzdaten")
	roles := map[string]string{}
	for _, r := range akte.ParticipantRoles() {
		roles[r.Key] = r.Code
	}
	for i, p := range parts {
		w.open("beteiligung")
		w.open("rolle")
		w.text("rollennummer", fmt.Sprintf("%03d", i+1))
		w.code("rollenbezeichnung", "3.6", roles[p.Role])
		w.close("rolle")
		w.open("beteiligter")
		w.text("beteiligtennummer", fmt.Sprintf("%03d", i+1))
		w.open("auswahl_beteiligter")
		w.open("organisation")
		w.open("bezeichnung")
		w.text("bezeichnung.aktuell", p.Name)
		w.close("bezeichnung")
		w.close("organisation")
		w.close("auswahl_beteiligter")
		w.close("beteiligter")
		w.close("beteiligung")
	}
	w.close("verfahrensdaten")
	w.close("grunddaten")

	if len(docs) > 0 {
		w.open("schriftgutobjekte")
		for i, d := range docs {
			w.open("dokument")
			w.open("identifikation")
			w.text("id", uuid.NewSHA1(uuid.NameSpaceURL, []byte("justizcloud:document:"+string(d.ID))).String())
			w.text("nummerImUebergeordnetenContainer", strconv.Itoa(i+1))
			w.close("identifikation")
			w.open("xjustiz.fachspezifischeDaten")
			code, ok := ex.classCode(d.Class)
			if !ok {
				code = "001" // Andere / Sonstige: the element is required
			}
			w.code("dokumentklasse", "1.4", code)
			w.text("anzeigename", d.Filename)
			w.open("datei")
			w.text("dateiname", names[i])
			w.code("bestandteil", "2.5", "001") // Original
			w.close("datei")
			w.close("xjustiz.fachspezifischeDaten")
			w.close("dokument")
		}
		w.close("schriftgutobjekte")
	}
	w.close(root)
	return w.b.Bytes()
}
