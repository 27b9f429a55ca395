// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"justizcloud/errs"
)

func TestBeratungshilfePaths(t *testing.T) {
	d := mustDefinition(t, "beratungshilfe")
	tests := []struct {
		name   string
		events []string
		want   State
	}{
		{"application received", nil, "eingegangen"},
		{"granted at once (§ 6 Abs. 1 BerHG)", []string{"bewilligung"}, "bewilligt"},
		{"help by the court itself (§ 3 Abs. 2 BerHG)", []string{"erledigung_durch_gericht"}, "erledigt"},
		{"more information requested (§ 4 Abs. 4 BerHG)", []string{"nachforderung"}, "nachforderung"},
		{"requested twice", []string{"nachforderung", "nachforderung"}, "nachforderung"},
		{"supplied, then granted", []string{"nachforderung", "nachreichung", "bewilligung"}, "bewilligt"},
		{"granted while the request runs", []string{"nachforderung", "bewilligung"}, "bewilligt"},
		{"not supplied in time, refused (§ 4 Abs. 5 BerHG)", []string{"nachforderung", "zurueckweisung"}, "zurueckgewiesen"},
		{"refused, no Erinnerung, closed", []string{"zurueckweisung", "abschluss"}, "abgeschlossen"},
		{"Erinnerung (§ 7 BerHG), remedied by the Rechtspfleger", []string{"zurueckweisung", "erinnerung", "abhilfe"}, "bewilligt"},
		{"Erinnerung granted by the judge (§ 11 Abs. 2 RPflG)", []string{"zurueckweisung", "erinnerung", "erinnerung_stattgegeben"}, "bewilligt"},
		{"Erinnerung rejected by the judge", []string{"nachforderung", "zurueckweisung", "erinnerung", "erinnerung_zurueckgewiesen"}, "abgeschlossen"},
		{"withdrawn", []string{"ruecknahme"}, "zurueckgenommen"},
		{"withdrawn while the request runs", []string{"nachforderung", "ruecknahme"}, "zurueckgenommen"},
	}
	seen := map[edgeKey]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := mustRun(t, d, tt.events, seen)
			if got, err := d.Fold(h); err != nil || got != tt.want {
				t.Errorf("State = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
	var missing []string
	for _, e := range d.Events {
		for _, f := range e.From {
			if !seen[edgeKey{f, e.Name}] {
				missing = append(missing, fmt.Sprintf("%s in %s", e.Name, f))
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("transitions on no path: %s", strings.Join(missing, "; "))
	}
}

func TestBeratungshilfeRefusals(t *testing.T) {
	d := mustDefinition(t, "beratungshilfe")
	tests := []struct {
		name    string
		history []string
		event   string
		role    string
		ctx     GuardContext
		reason  string
	}{
		{"the clerk may not grant", nil, "bewilligung", "geschaeftsstelle", GuardContext{Participants: []string{"antragsteller"}}, ReasonRole},
		{"the judge decides only on the Erinnerung", nil, "bewilligung", "richter", GuardContext{Participants: []string{"antragsteller"}}, ReasonRole},
		{"the applicant may not grant himself", nil, "bewilligung", "antragsteller", GuardContext{Participants: []string{"antragsteller"}}, ReasonRole},
		{"no grant without an applicant on the case", nil, "bewilligung", "rechtspfleger", GuardContext{}, ReasonParticipants},
		{"refusal needs a Beschluss", nil, "zurueckweisung", "rechtspfleger", GuardContext{Documents: []string{"Verfuegung"}}, ReasonDocuments},
		{"no Erinnerung before a refusal", nil, "erinnerung", "antragsteller", GuardContext{Documents: []string{"Schriftsatz"}}, ReasonState},
		{"no supply without a request", nil, "nachreichung", "antragsteller", GuardContext{Documents: []string{"Schriftsatz"}}, ReasonState},
		{"nothing after the grant", []string{"bewilligung"}, "zurueckweisung", "rechtspfleger", GuardContext{Documents: []string{"Beschluss"}}, ReasonState},
		{"the Rechtspfleger may not reject the Erinnerung", []string{"zurueckweisung", "erinnerung"}, "erinnerung_zurueckgewiesen", "rechtspfleger", GuardContext{Documents: []string{"Beschluss"}}, ReasonRole},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := mustRun(t, d, tt.history, nil)
			err := d.Decide(h, Event{Seq: len(h) + 1, Name: tt.event, Role: tt.role}, tt.ctx)
			want := errs.ErrConflict
			if tt.reason == ReasonRole {
				want = errs.ErrForbidden
			}
			assertRefusal(t, err, tt.reason, want)
		})
	}
}

func TestBeratungshilfeNachforderungsfrist(t *testing.T) {
	d := mustDefinition(t, "beratungshilfe")
	h := mustRun(t, d, []string{"nachforderung", "nachforderung"}, nil)
	got, err := d.RunningFristen(h)
	if err != nil {
		t.Fatal(err)
	}
	// A second request restarts the Frist from its own day.
	if len(got) != 1 || got[0].Name != "nachforderungsfrist" || got[0].Start.Seq != 2 || !got[0].Start.At.Equal(h[1].At) {
		t.Errorf("RunningFristen = %+v, want nachforderungsfrist from event 2", got)
	}
	h = mustRun(t, d, []string{"nachforderung", "nachreichung"}, nil)
	if got, _ := d.RunningFristen(h); len(got) != 0 {
		t.Errorf("RunningFristen after nachreichung = %+v, want none", got)
	}
	ev, _ := d.Event("nachforderung")
	if ev.Effects.Wiedervorlage.String() != "3w" || !slices.Equal(ev.Effects.Notify, []string{"antragsteller"}) {
		t.Errorf("nachforderung effects = %+v", ev.Effects)
	}
}
