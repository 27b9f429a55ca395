// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package zustellung

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"justizcloud/akte"
	"justizcloud/frist"
	"justizcloud/pdfdoc"
	"justizcloud/verfahren"
)

// serve records z as served at at by by — once: a Zustellung served
// already is errs.ErrConflict — and then files the Zustellungsnachweis and
// fires the ordered event at the moment of service. Those two steps come
// after the service is recorded; when one fails, the Zustellung stays
// served and says so (no proof, or EventError), and the error is returned.
func (s *Service) serve(ctx context.Context, c akte.Case, z Zustellung, at time.Time, by string) (Zustellung, error) {
	if err := s.store.MarkServed(ctx, z.Tenant, z.ID, at, by); err != nil {
		return Zustellung{}, err
	}
	z.ServedAt, z.ServedBy = s.normTime(at), by
	// The rest must happen even if the client goes away now.
	ctx = context.WithoutCancel(ctx)
	sys := system(c, z.ID)
	ps, err := s.cases.ParticipantsOf(ctx, sys, c)
	if err != nil {
		return z, fmt.Errorf("zustellung %s served, proof not filed: %w", z.ID, err)
	}
	var recipient akte.Participant
	if i := slices.IndexFunc(ps, func(p akte.Participant) bool { return p.ID == z.Recipient }); i >= 0 {
		recipient = ps[i]
	}
	pdf, err := s.proof(c, recipient, z)
	if err != nil {
		return z, fmt.Errorf("zustellung %s served, proof not filed: %w", z.ID, err)
	}
	d, err := s.cases.AddDocument(ctx, sys, akte.NewDocument{Case: c.ID, Filename: "Zustellungsnachweis.pdf",
		ContentType: "application/pdf", Body: bytes.NewReader(pdf), Class: "Zustellungsnachweis"})
	if err != nil {
		return z, fmt.Errorf("zustellung %s served, proof not filed: %w", z.ID, err)
	}
	if err := s.store.SetProof(ctx, z.Tenant, z.ID, d.ID); err != nil {
		return z, fmt.Errorf("zustellung %s served, proof %s not recorded: %w", z.ID, d.ID, err)
	}
	z.Proof = d.ID
	if z.Event == "" || s.proc == nil {
		return z, nil
	}
	st, ferr := s.proc.Fire(ctx, sys, c.ID, verfahren.Command{Event: z.Event, Documents: []akte.DocumentID{d.ID}, At: z.ServedAt})
	if ferr != nil {
		z.EventError = ferr.Error()
		s.o.Logger.WarnContext(ctx, "zustellung: served, but the event could not be fired", "zustellung", z.ID, "event", z.Event, "err", ferr)
	} else {
		z.EventSeq = st.Version
	}
	if err := s.store.SetEventResult(ctx, z.Tenant, z.ID, z.EventSeq, z.EventError); err != nil {
		return z, fmt.Errorf("zustellung %s served: event result not recorded: %w", z.ID, err)
	}
	return z, nil
}

// normTime is the time as the store keeps it (microseconds, UTC).
func (s *Service) normTime(t time.Time) time.Time { return time.UnixMicro(t.UnixMicro()).UTC() }

// courtName names the court of c for letters and proofs.
func (s *Service) courtName(c akte.Case) string {
	if s.o.Catalog != nil {
		if ct, err := s.o.Catalog.Court(c.Court); err == nil {
			return ct.Name
		}
	}
	return string(c.Court)
}

// methodTitle says in German how a Zustellung was made.
func methodTitle(m Method) string {
	switch m {
	case EEB:
		return "Elektronisches Empfangsbekenntnis (Zugang zur elektronischen Akte)"
	case Zugang:
		return "Zugang zur elektronischen Akte: erster Abruf eines zugestellten Dokuments"
	case Brief:
		return "Brief mit Zugangscode: Einlösung des Codes, Zugang zur elektronischen Akte"
	}
	return string(m)
}

// germanTime formats t in German civil time.
func germanTime(t time.Time) string {
	return t.In(frist.Germany).Format("02.01.2006, 15:04:05 Uhr (MST)")
}

// proof renders the Zustellungsnachweis of a served Zustellung.
func (s *Service) proof(c akte.Case, p akte.Participant, z Zustellung) ([]byte, error) {
	var list []string
	for _, d := range z.Documents {
		list = append(list, fmt.Sprintf("%s (Dokument %s)\nSHA-256: %s", printable(d.Filename), d.ID, hex.EncodeToString(d.SHA256[:])))
	}
	return pdfdoc.Bytes(pdfdoc.Document{
		Sender: printable(s.courtName(c)),
		Title:  "Zustellungsnachweis",
		Meta: []pdfdoc.Pair{{Label: "Aktenzeichen", Value: c.Aktenzeichen.String()},
			{Label: "Zustellung", Value: string(z.ID)}},
		Blocks: []pdfdoc.Block{
			{Pairs: []pdfdoc.Pair{
				{Label: "Empfänger", Value: printable(participantLine(p))},
				{Label: "Art der Zustellung", Value: methodTitle(z.Method)},
				{Label: "Angeordnet", Value: germanTime(z.OrderedAt)},
				{Label: "Zugestellt", Value: germanTime(z.ServedAt)},
				{Label: "Bewirkt durch Konto", Value: printable(z.ServedBy)},
			}},
			{Heading: "Zugestellte Dokumente"},
			{List: list},
			{Note: "Die SHA-256-Prüfsummen sind die der Dokumente bei Anordnung der Zustellung; " +
				"jedes Dokument der Akte kann mit seiner Prüfsumme verglichen werden. " +
				"Der Zeitpunkt der Zustellung ist im Prüfprotokoll (Audit-Log) der Justizcloud verzeichnet."},
		},
		Footer:  "Zustellungsnachweis " + c.Aktenzeichen.String(),
		Date:    z.ServedAt,
		Author:  "Justizcloud",
		Subject: "Zustellungsnachweis",
	})
}

// letter renders the letter with the access code, for printing and posting.
func (s *Service) letter(c akte.Case, p akte.Participant, z Zustellung, code string) ([]byte, error) {
	var docs []string
	for _, d := range z.Documents {
		docs = append(docs, printable(d.Filename))
	}
	where := s.o.PublicURL
	if where == "" {
		where = "das Portal der Justizcloud"
	}
	return pdfdoc.Bytes(pdfdoc.Document{
		Sender: printable(s.courtName(c)),
		Title:  "Zustellung: Ihr Zugang zur elektronischen Akte",
		Meta: []pdfdoc.Pair{{Label: "Aktenzeichen", Value: c.Aktenzeichen.String()},
			{Label: "Datum", Value: z.OrderedAt.In(frist.Germany).Format("02.01.2006")}},
		Blocks: []pdfdoc.Block{
			{Pairs: []pdfdoc.Pair{{Label: "An", Value: printable(p.Name)}, {Label: "Anschrift", Value: printable(p.Address)}}},
			{Paragraph: "das Gericht stellt Ihnen in dem oben genannten Verfahren Dokumente zu. Sie erhalten keine Abschrift, " +
				"sondern Zugang zur elektronischen Akte. Melden Sie sich dazu unter " + where + " mit einem Konto als " +
				"Bürgerin oder Bürger an und geben Sie den folgenden Zugangscode ein. Ihr Konto wird damit mit dem Verfahren " +
				"verbunden; der Zeitpunkt der Einlösung gilt als Zeitpunkt der Zustellung."},
			{Pairs: []pdfdoc.Pair{{Label: "Zugangscode", Value: code},
				{Label: "Gültig bis", Value: z.CodeExpires.In(frist.Germany).Format("02.01.2006, 15:04 Uhr")}}},
			{Heading: "Zugestellte Dokumente"},
			{List: docs},
			{Note: "Der Zugangscode ist nur einmal verwendbar. Bewahren Sie ihn vertraulich auf. Groß- und Kleinschreibung " +
				"sowie Bindestriche spielen bei der Eingabe keine Rolle."},
		},
		Footer:  "Zustellung " + c.Aktenzeichen.String(),
		Date:    z.OrderedAt,
		Author:  "Justizcloud",
		Subject: "Zustellung mit Zugangscode",
	})
}

// participantLine names a participant with their role.
func participantLine(p akte.Participant) string {
	if p.Name == "" {
		return string(p.ID)
	}
	return p.Name + " (" + p.Role + ")"
}

// printable replaces what the PDF fonts cannot print (pdfdoc refuses it)
// with "?": names and filenames come from outside.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t',
			r >= 0x20 && r <= 0x7e, r >= 0xa0 && r <= 0x24f, r >= 0x370 && r <= 0x4ff, r >= 0x1e00 && r <= 0x1eff:
			return r
		}
		return '?'
	}, s)
}
