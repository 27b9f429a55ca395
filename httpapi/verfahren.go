// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"net/http"
	"time"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/verfahren"
)

type procedureDTO struct {
	Name        string        `json:"name"`
	Title       string        `json:"title"`
	Description string        `json:"description"`
	Initial     string        `json:"initial"`
	States      []stateDTO    `json:"states"`
	Events      []eventDefDTO `json:"events"`
	Fristen     []fristDefDTO `json:"fristen"`
}

type stateDTO struct {
	Name     string `json:"name"`
	Title    string `json:"title"`
	Terminal bool   `json:"terminal"`
}

type eventDefDTO struct {
	Name  string   `json:"name"`
	Title string   `json:"title"`
	From  []string `json:"from"`
	To    string   `json:"to,omitempty"`
	Roles []string `json:"roles"`
}

type fristDefDTO struct {
	Name   string `json:"name"`
	Title  string `json:"title"`
	Period string `json:"period"`
}

func toProcedure(d *verfahren.Definition) procedureDTO {
	out := procedureDTO{Name: d.Name, Title: d.Title, Description: d.Description, Initial: string(d.Initial),
		States: []stateDTO{}, Events: []eventDefDTO{}, Fristen: []fristDefDTO{}}
	for _, s := range d.States {
		out.States = append(out.States, stateDTO{Name: string(s.Name), Title: s.Title, Terminal: s.Terminal})
	}
	for _, e := range d.Events {
		out.Events = append(out.Events, toEventDef(e))
	}
	for _, f := range d.Fristen {
		out.Fristen = append(out.Fristen, fristDefDTO{Name: f.Name, Title: f.Title, Period: f.Period.String()})
	}
	return out
}

func toEventDef(e verfahren.EventDef) eventDefDTO {
	out := eventDefDTO{Name: e.Name, Title: e.Title, To: string(e.To), Roles: e.Roles, From: []string{}}
	for _, f := range e.From {
		out.From = append(out.From, string(f))
	}
	if out.Roles == nil {
		out.Roles = []string{}
	}
	return out
}

type eventInDTO struct {
	Event     string            `json:"event"`
	Documents []string          `json:"documents"`
	Data      map[string]string `json:"data"`
	Version   int               `json:"version"`
}

type eventDTO struct {
	Seq       int               `json:"seq"`
	Event     string            `json:"event"`
	At        time.Time         `json:"at"`
	By        string            `json:"by"`
	Role      string            `json:"role"`
	Documents []string          `json:"documents"`
	Data      map[string]string `json:"data"`
}

type fristStatusDTO struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Start   string `json:"start"`
	End     string `json:"end"`
	Expired bool   `json:"expired"`
}

type statusDTO struct {
	Procedure string           `json:"procedure"`
	State     string           `json:"state"`
	Version   int              `json:"version"`
	Allowed   []eventDefDTO    `json:"allowed"`
	Fristen   []fristStatusDTO `json:"fristen"`
	Role      string           `json:"role"`
}

type historyDTO struct {
	statusDTO
	Events []eventDTO `json:"events"`
}

func toStatus(st verfahren.Status) statusDTO {
	out := statusDTO{Procedure: st.Procedure, State: string(st.State), Version: st.Version,
		Allowed: mapSlice(st.Allowed, toEventDef), Fristen: []fristStatusDTO{}, Role: st.Role}
	for _, f := range st.Fristen {
		out.Fristen = append(out.Fristen, fristStatusDTO{Name: f.Name, Title: f.Title,
			Start: f.Start.Format(time.DateOnly), End: f.End.Format(time.DateOnly), Expired: f.Expired})
	}
	return out
}

func toEvent(e verfahren.Event) eventDTO {
	out := eventDTO{Seq: e.Seq, Event: e.Name, At: e.At, By: e.By, Role: e.Role, Documents: e.Documents, Data: e.Data}
	if out.Documents == nil {
		out.Documents = []string{}
	}
	if out.Data == nil {
		out.Data = map[string]string{}
	}
	return out
}

func (s *Server) listProcedures(w http.ResponseWriter, r *http.Request) {
	if err := s.may(r, authz.ReadCourts, authz.Resource{}); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	reg := s.deps.Verfahren.Registry()
	var out []procedureDTO
	for _, n := range reg.Names() {
		d, err := reg.Get(n)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		out = append(out, toProcedure(d))
	}
	writeJSON(w, http.StatusOK, list[procedureDTO]{Items: out})
}

func (s *Server) fireEvent(w http.ResponseWriter, r *http.Request) {
	var in eventInDTO
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	docs := make([]akte.DocumentID, len(in.Documents))
	for i, d := range in.Documents {
		docs[i] = akte.DocumentID(d)
	}
	st, err := s.deps.Verfahren.Fire(r.Context(), subject(r), akte.CaseID(r.PathValue("id")),
		verfahren.Command{Event: in.Event, Documents: docs, Data: in.Data, Version: in.Version})
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, toStatus(st))
}

func (s *Server) getHistory(w http.ResponseWriter, r *http.Request) {
	st, events, err := s.deps.Verfahren.Status(r.Context(), subject(r), akte.CaseID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, historyDTO{statusDTO: toStatus(st), Events: mapSlice(events, toEvent)})
}
