// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package zustellung

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/frist"
	"justizcloud/xjustiz"
)

// eebNamespace derives the eEB's message id from the Zustellung's, so that
// the same Zustellung always exports the same message.
var eebNamespace = uuid.MustParse("0b8f2f5e-5c1e-4d7a-9a43-7c1f0d6e2a11")

// EEB exports a Zustellung served by acknowledgement as the XJustiz eEB
// that the recipient's software would have sent (3.6.2
// nachricht.eeb.zuruecklaufend.2200007, written by xjustiz.MarshalEEB):
// sender is the recipient, addressee the court, the day of receipt the day
// of service in Germany, and the acknowledged message the Zustellung
// itself (its id as fremdeNachrichtenID; service by access sends no XJustiz
// message). Whoever may read the case may export it; a Zustellung not
// served, or not by eEB, is errs.ErrConflict.
func (s *Service) EEB(ctx context.Context, sub authz.Subject, id ID) ([]byte, string, error) {
	z, c, err := s.load(ctx, sub, id)
	if err != nil {
		return nil, "", err
	}
	if z.Method != EEB || !z.Served() {
		return nil, "", fmt.Errorf("eEB of %s: %w: only a Zustellung acknowledged by eEB has one", id, errs.ErrConflict)
	}
	ps, err := s.cases.ParticipantsOf(ctx, sub, c)
	if err != nil {
		return nil, "", fmt.Errorf("eEB of %s: %w", id, err)
	}
	var recipient akte.Participant
	if i := slices.IndexFunc(ps, func(p akte.Participant) bool { return p.ID == z.Recipient }); i >= 0 {
		recipient = ps[i]
	}
	mid := uuid.NewSHA1(eebNamespace, []byte(z.ID)).String()
	doc, err := xjustiz.MarshalEEB(xjustiz.EEB{
		MessageID:             mid,
		Acknowledges:          string(z.ID),
		Sender:                xjustiz.Party{Name: recipient.Name},
		Recipient:             xjustiz.Party{Court: string(c.Court)},
		RecipientAktenzeichen: c.Aktenzeichen.String(),
		Received:              frist.Day(z.ServedAt),
	}, z.ServedAt)
	if err != nil {
		return nil, "", fmt.Errorf("eEB of %s: %w", id, err)
	}
	return doc, mid, nil
}
