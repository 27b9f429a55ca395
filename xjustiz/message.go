// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"justizcloud/errs"
)

// Message is what the import takes from a GDS message, the same for every
// supported version. Codes are code list keys as sent.
type Message struct {
	Version string
	Root    string
	ID      string // eigeneNachrichtenID (3.x) or eigene_Nachrichten_ID (2.4)
	Created string // erstellungszeitpunkt, as sent

	Sender, Recipient Party
	// SenderAktenzeichen is the sender's own reference (aktenzeichen.absender
	// in 2.4 to 3.5, absender/aktenzeichen in 3.6).
	SenderAktenzeichen string

	Court        string // the Instanzbehörde's court code (first instanzdaten)
	Aktenzeichen Aktenzeichen
	Sachgebiet   string
	Subject      string // kurzrubrum or verfahrensgegenstand, if any

	Participants []Participant
	Documents    []Document
}

// Party is a sender or recipient: a court code or another body's name.
type Party struct {
	Court string
	Name  string
}

func (p Party) String() string {
	if p.Court != "" {
		return "Gericht " + p.Court
	}
	return p.Name
}

// Aktenzeichen is the Aktenzeichen of the instanzdaten: free text, or the
// parts of a structured one.
type Aktenzeichen struct {
	Text       string // as sent (free text), or composed from the parts
	Department string // Abteilung
	Register   string // Registerzeichen
	Number     string // laufende Nummer
	Year       string
}

// Participant is a Beteiligter with the role of its beteiligung.
type Participant struct {
	Number   string // beteiligtennummer
	RoleCode string // GDS.Rollenbezeichnung
	Name     string
	Address  string
}

// Document is a dokument of the schriftgutobjekte with its files.
type Document struct {
	ID    string
	Title string // anzeigename, else the first file name
	Class string // GDS.Dokumentklasse code
	Files []File
}

// File is a datei of a document.
type File struct {
	Name        string // dateiname: the file in the ZIP or directory
	Bestandteil string // GDS.Bestandteiltyp code
}

// node is a parsed element: local name, attributes, text and children.
type node struct {
	name string
	text string
	kids []*node
}

func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// path follows a chain of child names.
func (n *node) path(names ...string) *node {
	for _, name := range names {
		n = n.child(name)
	}
	return n
}

// find returns the first descendant (depth first) with the name.
func (n *node) find(name string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
		if f := k.find(name); f != nil {
			return f
		}
	}
	return nil
}

// findAll returns every descendant with the name, not descending into matches.
func (n *node) findAll(name string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
			continue
		}
		out = append(out, k.findAll(name)...)
	}
	return out
}

func (n *node) str() string {
	if n == nil {
		return ""
	}
	return strings.Join(strings.Fields(n.text), " ")
}

// code returns the <code> of a code-typed element.
func (n *node) code() string { return n.child("code").str() }

func parseTree(doc []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err != nil {
			if root != nil && len(stack) == 0 {
				return root, nil
			}
			return nil, fmt.Errorf("%w: %w", errs.ErrInvalid, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

// buildTree makes the element tree from the flat encoding of xsd.Doc.Tree.
func buildTree(flat []byte) (*node, error) {
	var stack []*node
	var root *node
	for i := 0; i < len(flat); {
		kind := flat[i]
		i++
		switch kind {
		case 0x01, 0x02:
			end := bytes.IndexByte(flat[i:], 0)
			if end < 0 {
				return nil, errors.New("tree: truncated")
			}
			s := string(flat[i : i+end])
			i += end + 1
			if kind == 0x02 {
				if len(stack) == 0 {
					return nil, errors.New("tree: text outside the root")
				}
				stack[len(stack)-1].text += s
				continue
			}
			n := &node{name: s}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else if root == nil {
				root = n
			} else {
				return nil, errors.New("tree: two roots")
			}
			stack = append(stack, n)
		case 0x03:
			if len(stack) == 0 {
				return nil, errors.New("tree: unbalanced")
			}
			stack = stack[:len(stack)-1]
		default:
			return nil, fmt.Errorf("tree: unknown record %#x", kind)
		}
	}
	if root == nil || len(stack) != 0 {
		return nil, errors.New("tree: incomplete")
	}
	return root, nil
}

// ParseMessage maps a message that Validator.Validate found valid. Only GDS
// messages (nachricht.gds.*) map to a proceeding; others fail with
// errs.ErrInvalid.
func ParseMessage(doc []byte, rep *Report) (*Message, error) {
	if !strings.HasPrefix(rep.Root, "nachricht.gds.") {
		return nil, fmt.Errorf("%w: %s is not a GDS message that carries a proceeding (eEB and Fachmodul messages are not imported)", errs.ErrInvalid, rep.Root)
	}
	root := rep.tree
	if root == nil {
		var err error
		if root, err = parseTree(doc); err != nil {
			return nil, err
		}
	}
	m := &Message{Version: rep.Version, Root: rep.Root}
	kopf := root.child("nachrichtenkopf")
	m.ID = kopf.find("eigeneNachrichtenID").str()
	if m.ID == "" {
		m.ID = kopf.find("eigene_Nachrichten_ID").str()
	}
	m.Created = kopf.child("erstellungszeitpunkt").str()
	if abs := kopf.child("absender"); abs != nil && abs.find("informationen") != nil { // 3.6
		m.Sender = partyOf(abs.find("auswahl_kommunikationspartner"))
		m.SenderAktenzeichen = abs.child("aktenzeichen").str()
		m.Recipient = partyOf(kopf.child("empfaenger").find("auswahl_kommunikationspartner"))
	} else {
		m.SenderAktenzeichen = kopf.child("aktenzeichen.absender").str()
		m.Sender = Party{Court: firstCode(kopf, "absender_Gericht", "absender.gericht"), Name: firstText(kopf, "absender_Sonstige", "absender.sonstige")}
		m.Recipient = Party{Court: firstCode(kopf, "empfaenger_Gericht", "empfaenger.gericht"), Name: firstText(kopf, "empfaenger_Sonstige", "empfaenger.sonstige")}
	}
	grund := root.child("grunddaten")
	inst := grund.find("instanzdaten")
	m.Sachgebiet = inst.child("sachgebiet").code()
	behoerde := inst.child("auswahl_instanzbehoerde")
	if behoerde == nil {
		behoerde = inst.child("instanzbehoerde")
	}
	m.Court = behoerde.child("gericht").code()
	m.Aktenzeichen = aktenzeichenOf(inst.child("aktenzeichen"))
	m.Subject = grund.find("kurzrubrum").str()
	if m.Subject == "" {
		m.Subject = grund.find("verfahrensgegenstand").find("gegenstand").str()
	}
	for _, b := range grund.findAll("beteiligung") {
		m.Participants = append(m.Participants, participantOf(b))
	}
	for _, d := range root.findAll("dokument") {
		m.Documents = append(m.Documents, documentOf(d))
	}
	if m.ID == "" {
		return nil, fmt.Errorf("%w: the message has no message id", errs.ErrInvalid)
	}
	return m, nil
}

func partyOf(n *node) Party {
	if n == nil {
		return Party{}
	}
	if g := n.child("gericht"); g != nil {
		return Party{Court: g.code()}
	}
	if s := n.child("sonstige"); s != nil {
		return Party{Name: s.str()}
	}
	for _, k := range n.kids {
		if c := k.code(); c != "" {
			return Party{Name: k.name + " " + c}
		}
		return Party{Name: k.str()}
	}
	return Party{}
}

func firstCode(n *node, names ...string) string {
	for _, name := range names {
		if c := n.find(name).code(); c != "" {
			return c
		}
	}
	return ""
}

func firstText(n *node, names ...string) string {
	for _, name := range names {
		if s := n.find(name).str(); s != "" {
			return s
		}
	}
	return ""
}

// aktenzeichenRE matches "12 C 345/26": Abteilung, Registerzeichen, laufende
// Nummer, Jahr.
var aktenzeichenRE = regexp.MustCompile(`^([0-9]{1,4}[a-zA-Z]{0,2})\s+([A-Za-zÄÖÜäöü]{1,5}(?:-[A-Za-z]{1,3})?)\s+([0-9]{1,6})/([0-9]{2}|[0-9]{4})$`)

func aktenzeichenOf(n *node) Aktenzeichen {
	if n == nil {
		return Aktenzeichen{}
	}
	var a Aktenzeichen
	if s := n.path("auswahl_aktenzeichen", "aktenzeichen.strukturiert"); s != nil {
		a = Aktenzeichen{Department: s.child("abteilung").str(), Register: s.child("register").code(),
			Number: s.child("laufendeNummer").str(), Year: s.child("jahr").str()}
		a.Text = strings.TrimSpace(fmt.Sprintf("%s %s %s/%s", a.Department, a.Register, a.Number, a.Year))
		return a
	}
	if f := n.find("aktenzeichen.freitext"); f != nil {
		a.Text = f.str()
	} else {
		a.Text = n.str() // 2.4: plain text
	}
	if m := aktenzeichenRE.FindStringSubmatch(a.Text); m != nil {
		a.Department, a.Register, a.Number, a.Year = m[1], m[2], m[3], m[4]
	}
	return a
}

func participantOf(b *node) Participant {
	p := Participant{RoleCode: b.find("rollenbezeichnung").code(), Number: b.find("beteiligtennummer").str()}
	bet := b.child("beteiligter")
	if np := bet.find("vollerName"); np != nil {
		p.Name = strings.TrimSpace(strings.Join([]string{np.child("vorname").str(), np.child("nachname").str()}, " "))
	}
	if p.Name == "" {
		p.Name = firstText(bet, "bezeichnung.aktuell", "nachname", "bezeichnung")
	}
	if an := bet.find("anschrift"); an != nil {
		street := strings.TrimSpace(an.child("strasse").str() + " " + an.child("hausnummer").str())
		town := strings.TrimSpace(an.child("postleitzahl").str() + " " + an.child("ort").str())
		p.Address = strings.Trim(street+", "+town, ", ")
	}
	return p
}

func documentOf(d *node) Document {
	doc := Document{ID: d.path("identifikation", "id").str(), Title: d.find("anzeigename").str(), Class: d.find("dokumentklasse").code()}
	for _, f := range d.findAll("datei") {
		doc.Files = append(doc.Files, File{Name: f.child("dateiname").str(), Bestandteil: f.child("bestandteil").code()})
	}
	if doc.Title == "" && len(doc.Files) > 0 {
		doc.Title = doc.Files[0].Name
	}
	return doc
}
