// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package akte

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/google/uuid"

	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

// ParticipantID identifies a participant (Beteiligter) of a case.
type ParticipantID string

// Participant is a Beteiligter of a proceeding.
type Participant struct {
	ID         ParticipantID
	Tenant     tenancy.ID
	Case       CaseID
	Role       string // a key of ParticipantRoles
	Name       string
	Address    string
	Represents ParticipantID // for a Prozessbevollmächtigter: the party represented
	// Account links the participant to a user or organisation
	// (authz.UserRef, authz.OrgRef): while the participant is on record,
	// that account may read the file (restricted documents excepted) and
	// file documents.
	Account   string
	CreatedAt time.Time
}

// ParticipantRole is a role a participant can have, with its code in the
// XJustiz code list GDS.Rollenbezeichnung 3.6, so that exports map one to one.
type ParticipantRole struct {
	Key   string // used in the API and in procedure definitions
	Code  string // GDS.Rollenbezeichnung
	Title string // the code list's value
	Party bool   // a party that counsel can represent
}

var participantRoles = []ParticipantRole{
	{"klaeger", "101", "Kläger(in)", true},
	{"beklagter", "028", "Beklagte(r)", true},
	{"antragsteller", "016", "Antragsteller(in)", true},
	{"prozessbevollmaechtigter", "132", "Prozessbevollmächtigte(r)", false},
	{"zeuge", "202", "Zeuge (Zeugin)", false},
	{"sachverstaendiger", "142", "Sachverständige(r)", false},
}

// ParticipantRoles lists the roles participants can have.
func ParticipantRoles() []ParticipantRole { return slices.Clone(participantRoles) }

func participantRole(key string) (ParticipantRole, error) {
	for _, r := range participantRoles {
		if r.Key == key {
			return r, nil
		}
	}
	keys := make([]string, len(participantRoles))
	for i, r := range participantRoles {
		keys[i] = r.Key
	}
	return ParticipantRole{}, fmt.Errorf("%w: field \"role\": unknown participant role %q (want one of %v)", errs.ErrInvalid, key, keys)
}

// NewParticipant is the input of AddParticipant and UpdateParticipant.
type NewParticipant struct {
	Role       string
	Name       string
	Address    string
	Represents ParticipantID
	Account    string // authz.UserRef or authz.OrgRef; empty: no account
}

var accountRE = regexp.MustCompile(`^(user|org):[A-Za-z0-9._~-]{1,100}$`)

// checkParticipant validates in against the case's other participants.
func checkParticipant(in NewParticipant, others []Participant, self ParticipantID) (NewParticipant, error) {
	role, err := participantRole(in.Role)
	if err != nil {
		return in, err
	}
	if in.Name, err = checkText("name", in.Name, 200, true); err != nil {
		return in, err
	}
	if in.Address, err = checkText("address", in.Address, 500, false); err != nil {
		return in, err
	}
	if in.Account != "" && !accountRE.MatchString(in.Account) {
		return in, fmt.Errorf("%w: field \"account\": %q is not user:ID or org:ID", errs.ErrInvalid, in.Account)
	}
	switch {
	case role.Key == "prozessbevollmaechtigter" && in.Represents == "":
		return in, fmt.Errorf("%w: field \"represents\": a Prozessbevollmächtigter must name the party represented", errs.ErrInvalid)
	case role.Key != "prozessbevollmaechtigter" && in.Represents != "":
		return in, fmt.Errorf("%w: field \"represents\": only a Prozessbevollmächtigter represents a party", errs.ErrInvalid)
	case in.Represents != "":
		i := slices.IndexFunc(others, func(p Participant) bool { return p.ID == in.Represents && p.ID != self })
		if i < 0 {
			return in, fmt.Errorf("%w: field \"represents\": %s is not a participant of this case", errs.ErrInvalid, in.Represents)
		}
		if r, _ := participantRole(others[i].Role); !r.Party {
			return in, fmt.Errorf("%w: field \"represents\": %s is a %s, not a party", errs.ErrInvalid, in.Represents, others[i].Role)
		}
	}
	return in, nil
}

// AddParticipant adds a Beteiligter to a case.
func (s *Service) AddParticipant(ctx context.Context, sub authz.Subject, id CaseID, in NewParticipant) (Participant, error) {
	c, others, err := s.participantsFor(ctx, sub, id, authz.ManageParticipants)
	if err != nil {
		return Participant{}, err
	}
	if in, err = checkParticipant(in, others, ""); err != nil {
		return Participant{}, fmt.Errorf("add participant: %w", err)
	}
	pid, err := uuid.NewV7()
	if err != nil {
		return Participant{}, fmt.Errorf("add participant: %w", err)
	}
	p := Participant{ID: ParticipantID(pid.String()), Tenant: c.Tenant, Case: c.ID, Role: in.Role, Name: in.Name,
		Address: in.Address, Represents: in.Represents, Account: in.Account, CreatedAt: s.now().UTC()}
	if err := s.store.AddParticipant(ctx, p); err != nil {
		return Participant{}, fmt.Errorf("add participant: %w", err)
	}
	s.z.Forget(string(p.Case))
	s.changed(p.Tenant, p.Case, "")
	return p, nil
}

// UpdateParticipant changes a participant's role, name, address or representation.
func (s *Service) UpdateParticipant(ctx context.Context, sub authz.Subject, id CaseID, pid ParticipantID, in NewParticipant) (Participant, error) {
	_, others, err := s.participantsFor(ctx, sub, id, authz.ManageParticipants)
	if err != nil {
		return Participant{}, err
	}
	i := slices.IndexFunc(others, func(p Participant) bool { return p.ID == pid })
	if i < 0 {
		return Participant{}, fmt.Errorf("participant %s: %w", pid, errs.ErrNotFound)
	}
	if in, err = checkParticipant(in, others, pid); err != nil {
		return Participant{}, fmt.Errorf("update participant: %w", err)
	}
	p := others[i]
	if r, _ := participantRole(in.Role); !r.Party && representedBy(others, pid) {
		return Participant{}, fmt.Errorf("update participant: %w: %s is represented by counsel and must stay a party", errs.ErrConflict, pid)
	}
	p.Role, p.Name, p.Address, p.Represents, p.Account = in.Role, in.Name, in.Address, in.Represents, in.Account
	if err := s.store.UpdateParticipant(ctx, p); err != nil {
		return Participant{}, fmt.Errorf("update participant: %w", err)
	}
	s.z.Forget(string(p.Case))
	s.changed(p.Tenant, p.Case, "")
	return p, nil
}

// RemoveParticipant removes a participant; a party still represented by counsel cannot go.
func (s *Service) RemoveParticipant(ctx context.Context, sub authz.Subject, id CaseID, pid ParticipantID) error {
	c, others, err := s.participantsFor(ctx, sub, id, authz.ManageParticipants)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(others, func(p Participant) bool { return p.ID == pid }) {
		return fmt.Errorf("participant %s: %w", pid, errs.ErrNotFound)
	}
	if representedBy(others, pid) {
		return fmt.Errorf("remove participant: %w: %s is represented by counsel; remove the Prozessbevollmächtigte(n) first", errs.ErrConflict, pid)
	}
	if err := s.store.RemoveParticipant(ctx, c.Tenant, c.ID, pid); err != nil {
		return fmt.Errorf("remove participant: %w", err)
	}
	s.z.Forget(string(c.ID))
	s.changed(c.Tenant, c.ID, "")
	return nil
}

// Participants lists a case's participants in the order they were added.
func (s *Service) Participants(ctx context.Context, sub authz.Subject, id CaseID) ([]Participant, error) {
	_, ps, err := s.participantsFor(ctx, sub, id, authz.ReadCase)
	return ps, err
}

// ParticipantsOf is Participants for a case the caller has just read
// through this service: the case is not read again.
func (s *Service) ParticipantsOf(ctx context.Context, sub authz.Subject, c Case) ([]Participant, error) {
	return s.participantsOf(ctx, sub, c, authz.ReadCase)
}

func (s *Service) participantsFor(ctx context.Context, sub authz.Subject, id CaseID, a authz.Action) (Case, []Participant, error) {
	c, err := s.caseFor(ctx, sub, id, a)
	if err != nil {
		return Case{}, nil, err
	}
	ps, err := s.participantsOf(ctx, sub, c, a)
	if err != nil {
		return Case{}, nil, err
	}
	return c, ps, nil
}

func (s *Service) participantsOf(ctx context.Context, sub authz.Subject, c Case, a authz.Action) ([]Participant, error) {
	if err := s.z.May(ctx, sub, a, CaseResource(c)); err != nil {
		return nil, fmt.Errorf("case %s: %w", c.ID, err)
	}
	ps, err := s.store.Participants(ctx, c.Tenant, c.ID)
	if err != nil {
		return nil, fmt.Errorf("participants of %s: %w", c.ID, err)
	}
	return ps, nil
}

func representedBy(ps []Participant, party ParticipantID) bool {
	return slices.ContainsFunc(ps, func(p Participant) bool { return p.Represents == party })
}
