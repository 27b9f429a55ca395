// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package verfahren

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"justizcloud/errs"
)

// Prefixes reaching each state of zivil-online, used by the path table and
// by the exhaustive refusal tests.
var (
	zEingetragen = []string{"eintragung"}
	zZugestellt  = []string{"eintragung", "zustellung"}
	zErwidert    = []string{"eintragung", "zustellung", "klageerwiderung"}
	zTerminiert  = []string{"eintragung", "zustellung", "klageerwiderung", "terminsbestimmung"}
	zVerhandelt  = []string{"eintragung", "zustellung", "klageerwiderung", "terminsbestimmung", "verhandlung"}
	zAnerkannt   = []string{"eintragung", "zustellung", "anerkenntnis"}
	zVU          = []string{"eintragung", "zustellung", "versaeumnisurteil_schriftlich"}
	zEntschieden = []string{"eintragung", "zustellung", "klageerwiderung", "urteil"}
	zBerufung    = []string{"eintragung", "zustellung", "klageerwiderung", "urteil", "zustellung_urteil", "berufung"}
	zRechtskraft = []string{"eintragung", "zustellung", "klageerwiderung", "urteil", "zustellung_urteil", "rechtskraft"}
	zRuecknahme  = []string{"klageruecknahme"}
	zVergleich   = []string{"eintragung", "zustellung", "vergleich"}
	zAbgeschl    = []string{"klageruecknahme", "abschluss"}
	zUeberleit   = []string{"ueberleitung"}
)

func cat(parts ...[]string) []string { return slices.Concat(parts...) }

// zivilPaths drives every path of zivil-online, side paths included; the
// coverage test below checks that together they fire every event in every
// state it is allowed in.
var zivilPaths = []struct {
	name   string
	events []string
	want   State
}{
	{"nothing happened yet", nil, "eingereicht"},
	{"registered", zEingetragen, "eingetragen"},
	{"served: Fristen run", zZugestellt, "zugestellt"},
	{"notice of defence keeps the state", cat(zZugestellt, []string{"verteidigungsanzeige"}), "zugestellt"},
	{"defence filed", cat(zZugestellt, []string{"verteidigungsanzeige", "klageerwiderung"}), "erwidert"},
	{"judgment without hearing (§ 1127 Abs. 1), final after the appeal period",
		cat(zZugestellt, []string{"verteidigungsanzeige", "klageerwiderung", "urteil", "zustellung_urteil", "rechtskraft", "abschluss"}), "abgeschlossen"},
	{"video hearing (§ 1127 Abs. 3, § 128a), judgment, final",
		cat(zVerhandelt, []string{"urteil", "zustellung_urteil", "rechtskraft", "abschluss"}), "abgeschlossen"},
	{"second hearing after the first", cat(zVerhandelt, []string{"terminsbestimmung", "verhandlung", "urteil"}), "entschieden"},
	{"early first hearing straight after service", cat(zZugestellt, []string{"terminsbestimmung", "verhandlung", "urteil"}), "entschieden"},
	{"Versäumnisurteil without hearing (§ 1128 Abs. 2), no Einspruch, final",
		cat(zVU, []string{"zustellung_versaeumnisurteil", "rechtskraft_versaeumnisurteil", "abschluss"}), "abgeschlossen"},
	{"Einspruch restores the contested procedure (§ 342)", cat(zVU, []string{"zustellung_versaeumnisurteil", "einspruch"}), "erwidert"},
	{"Einspruch, then judgment without hearing (§ 1128 Abs. 3)", cat(zVU, []string{"zustellung_versaeumnisurteil", "einspruch", "urteil"}), "entschieden"},
	{"Einspruch before the VU is served", cat(zVU, []string{"einspruch"}), "erwidert"},
	{"Einspruch, hearing, zweites Versäumnisurteil (§ 345), final",
		cat(zVU, []string{"zustellung_versaeumnisurteil", "einspruch", "terminsbestimmung", "zweites_versaeumnisurteil", "zustellung_urteil", "rechtskraft", "abschluss"}), "abgeschlossen"},
	{"Versäumnisurteil in the hearing (§ 331 Abs. 1)", cat(zTerminiert, []string{"versaeumnisurteil"}), "versaeumnisurteil"},
	{"Versäumnisurteil in the hearing, Einspruch, new hearing, judgment",
		cat(zTerminiert, []string{"versaeumnisurteil", "zustellung_versaeumnisurteil", "einspruch", "terminsbestimmung", "verhandlung", "urteil"}), "entschieden"},
	{"Anerkenntnis after service, Anerkenntnisurteil (§ 307), final",
		cat(zAnerkannt, []string{"anerkenntnisurteil", "zustellung_urteil", "rechtskraft", "abschluss"}), "abgeschlossen"},
	{"Anerkenntnis after the defence", cat(zErwidert, []string{"anerkenntnis"}), "anerkannt"},
	{"Anerkenntnis in the hearing", cat(zTerminiert, []string{"anerkenntnis"}), "anerkannt"},
	{"Anerkenntnis after the hearing", cat(zVerhandelt, []string{"anerkenntnis"}), "anerkannt"},
	{"appeal, Rechtskraft after the appeal", cat(zBerufung, []string{"rechtskraft_nach_berufung", "abschluss"}), "abgeschlossen"},
	{"appeal, remitted (§ 538 Abs. 2), new judgment", cat(zBerufung, []string{"zurueckverweisung", "urteil"}), "entschieden"},
	{"judgment not appealable (§ 511 Abs. 2)", cat(zEntschieden, []string{"rechtskraft_ohne_rechtsmittel", "abschluss"}), "abgeschlossen"},
	{"Rechtskraft", zRechtskraft, "rechtskraeftig"},
	{"Klagerücknahme before registration", cat(zRuecknahme, []string{"abschluss"}), "abgeschlossen"},
	{"Klagerücknahme after registration", cat(zEingetragen, []string{"klageruecknahme"}), "zurueckgenommen"},
	{"Klagerücknahme after service", cat(zZugestellt, []string{"klageruecknahme"}), "zurueckgenommen"},
	{"Klagerücknahme after the defence", cat(zErwidert, []string{"klageruecknahme"}), "zurueckgenommen"},
	{"Klagerücknahme with a hearing set", cat(zTerminiert, []string{"klageruecknahme"}), "zurueckgenommen"},
	{"Klagerücknahme after the hearing", cat(zVerhandelt, []string{"klageruecknahme"}), "zurueckgenommen"},
	{"Klagerücknahme after an Anerkenntnis", cat(zAnerkannt, []string{"klageruecknahme"}), "zurueckgenommen"},
	{"Klagerücknahme after a Versäumnisurteil", cat(zVU, []string{"klageruecknahme"}), "zurueckgenommen"},
	{"Klagerücknahme after the judgment, before Rechtskraft", cat(zEntschieden, []string{"klageruecknahme", "abschluss"}), "abgeschlossen"},
	{"Vergleich after service (§ 278 Abs. 6)", cat(zVergleich, []string{"abschluss"}), "abgeschlossen"},
	{"Vergleich after the defence", cat(zErwidert, []string{"vergleich"}), "verglichen"},
	{"Vergleich in the hearing", cat(zTerminiert, []string{"vergleich"}), "verglichen"},
	{"Vergleich after the hearing", cat(zVerhandelt, []string{"vergleich"}), "verglichen"},
	{"Vergleich after a Versäumnisurteil", cat(zVU, []string{"vergleich"}), "verglichen"},
	{"outside § 1122 Abs. 2 at filing", zUeberleit, "uebergeleitet"},
	{"outside § 1122 Abs. 2 after registration", cat(zEingetragen, []string{"ueberleitung"}), "uebergeleitet"},
	{"outside § 1122 Abs. 2 after service", cat(zZugestellt, []string{"ueberleitung"}), "uebergeleitet"},
	{"outside § 1122 Abs. 2 after the defence", cat(zErwidert, []string{"ueberleitung"}), "uebergeleitet"},
}

func TestZivilOnlinePaths(t *testing.T) {
	d := mustDefinition(t, "zivil-online")
	seen := map[edgeKey]bool{}
	for _, tt := range zivilPaths {
		t.Run(tt.name, func(t *testing.T) {
			h := mustRun(t, d, tt.events, seen)
			got, err := d.Fold(h)
			if err != nil {
				t.Fatalf("Fold: %v", err)
			}
			if got != tt.want {
				t.Errorf("State = %v, want %v", got, tt.want)
			}
		})
	}
	// Every transition of the definition is on some path.
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

// zivilStates maps each state to a history reaching it.
var zivilStates = map[State][]string{
	"eingereicht":        nil,
	"eingetragen":        zEingetragen,
	"zugestellt":         zZugestellt,
	"erwidert":           zErwidert,
	"terminiert":         zTerminiert,
	"verhandelt":         zVerhandelt,
	"anerkannt":          zAnerkannt,
	"versaeumnisurteil":  zVU,
	"entschieden":        zEntschieden,
	"berufung_eingelegt": zBerufung,
	"rechtskraeftig":     zRechtskraft,
	"zurueckgenommen":    zRuecknahme,
	"verglichen":         zVergleich,
	"abgeschlossen":      zAbgeschl,
	"uebergeleitet":      zUeberleit,
}

func TestZivilOnlineWrongState(t *testing.T) {
	d := mustDefinition(t, "zivil-online")
	if len(zivilStates) != len(d.States) {
		t.Fatalf("zivilStates has %d states, definition %d", len(zivilStates), len(d.States))
	}
	for _, st := range d.States {
		h := mustRun(t, d, zivilStates[st.Name], nil)
		for _, ev := range d.Events {
			if slices.Contains(ev.From, st.Name) {
				continue
			}
			t.Run(fmt.Sprintf("%s in %s", ev.Name, st.Name), func(t *testing.T) {
				next := Event{Seq: len(h) + 1, Name: ev.Name, Role: ev.Roles[0]}
				err := d.Decide(h, next, fullContext(d, h, ev))
				assertRefusal(t, err, ReasonState, errs.ErrConflict)
			})
		}
	}
}

func TestZivilOnlineWrongRole(t *testing.T) {
	d := mustDefinition(t, "zivil-online")
	roles := append(Roles(), "leser", "", "Richter")
	for _, ev := range d.Events {
		// A history in which the event is allowed: the state of its first From.
		h := mustRun(t, d, zivilStates[ev.From[0]], nil)
		for _, role := range roles {
			if slices.Contains(ev.Roles, role) {
				continue
			}
			t.Run(fmt.Sprintf("%s by %q", ev.Name, role), func(t *testing.T) {
				next := Event{Seq: len(h) + 1, Name: ev.Name, Role: role}
				err := d.Decide(h, next, fullContext(d, h, ev))
				assertRefusal(t, err, ReasonRole, errs.ErrForbidden)
			})
		}
	}
}

// zivilReady maps the events whose history guards need more than their
// first From state to a history in which they may fire.
var zivilReady = map[string][]string{
	"rechtskraft":                   cat(zEntschieden, []string{"zustellung_urteil"}),
	"rechtskraft_versaeumnisurteil": cat(zVU, []string{"zustellung_versaeumnisurteil"}),
	"zweites_versaeumnisurteil":     cat(zVU, []string{"einspruch", "terminsbestimmung"}),
}

// TestZivilOnlineMissingGuard drops each guard item of each event in turn,
// from a history and context in which the event is allowed.
func TestZivilOnlineMissingGuard(t *testing.T) {
	d := mustDefinition(t, "zivil-online")
	for _, ev := range d.Events {
		prefix, ok := zivilReady[ev.Name]
		if !ok {
			prefix = zivilStates[ev.From[0]]
		}
		h := mustRun(t, d, prefix, nil)
		next := Event{Seq: len(h) + 1, Name: ev.Name, Role: ev.Roles[0]}
		if err := d.Decide(h, next, fullContext(d, h, ev)); err != nil {
			t.Errorf("%s with every guard met: Decide = %v, want nil", ev.Name, err)
			continue
		}
		for _, p := range ev.Guards.Participants {
			t.Run(ev.Name+" without participant "+p, func(t *testing.T) {
				ctx := fullContext(d, h, ev)
				ctx.Participants = slices.DeleteFunc(slices.Clone(ctx.Participants), func(s string) bool { return s == p })
				err := d.Decide(h, next, ctx)
				r := assertRefusal(t, err, ReasonParticipants, errs.ErrConflict)
				if r != nil && !slices.Equal(r.Missing, []string{p}) {
					t.Errorf("Missing = %v, want [%s]", r.Missing, p)
				}
			})
		}
		for _, c := range ev.Guards.Documents {
			t.Run(ev.Name+" without document "+c, func(t *testing.T) {
				ctx := fullContext(d, h, ev)
				ctx.Documents = []string{"014"} // Technische Information: never required
				err := d.Decide(h, next, ctx)
				assertRefusal(t, err, ReasonDocuments, errs.ErrConflict)
			})
		}
		for _, f := range ev.Guards.FristExpired {
			t.Run(ev.Name+" before Frist "+f+" expired", func(t *testing.T) {
				ctx := fullContext(d, h, ev)
				ctx.ExpiredFristen = nil
				err := d.Decide(h, next, ctx)
				assertRefusal(t, err, ReasonFrist, errs.ErrConflict)
			})
		}
	}
}

func TestZivilOnlineRefusals(t *testing.T) {
	d := mustDefinition(t, "zivil-online")
	all := PartyRoles()
	tests := []struct {
		name    string
		history []string
		event   string
		role    string
		ctx     GuardContext
		reason  string
		de, en  string
	}{
		{
			name: "judgment on a claim just filed", event: "urteil", role: "richter",
			ctx: GuardContext{Documents: []string{"Urteil"}}, reason: ReasonState,
			de: "Ereignis „urteil“ ist im Zustand „eingereicht“ nicht zulässig",
			en: `event "urteil" is not allowed in state "eingereicht"`,
		},
		{
			name: "claimant gives judgment", history: zErwidert, event: "urteil", role: "klaeger",
			ctx: GuardContext{Documents: []string{"006"}}, reason: ReasonRole,
			de: "Ereignis „urteil“ darf nicht in der Rolle „klaeger“ ausgelöst werden",
			en: `event "urteil" may not be fired by role "klaeger"`,
		},
		{
			name: "service without a defendant", history: zEingetragen, event: "zustellung", role: "geschaeftsstelle",
			ctx: GuardContext{Participants: []string{"klaeger"}, Documents: []string{"Zustellungsnachweis"}}, reason: ReasonParticipants,
			de: "Ereignis „zustellung“ erfordert Beteiligte in der Rolle „beklagter“",
			en: `event "zustellung" requires participants with role "beklagter"`,
		},
		{
			name: "service without proof of service", history: zEingetragen, event: "zustellung", role: "geschaeftsstelle",
			ctx: GuardContext{Participants: all, Documents: []string{"Schriftsatz"}}, reason: ReasonDocuments,
			de: "Ereignis „zustellung“ erfordert ein Dokument der Klasse „Zustellungsnachweis (012)“",
			en: `event "zustellung" requires a document of class "Zustellungsnachweis (012)"`,
		},
		{
			name: "judgment without a judgment document", history: zErwidert, event: "urteil", role: "richter",
			reason: ReasonDocuments,
			en:     `event "urteil" requires a document of class "Urteil (006)"`,
		},
		{
			name: "default judgment before the Notfrist has run", history: zZugestellt, event: "versaeumnisurteil_schriftlich", role: "richter",
			ctx: GuardContext{Documents: []string{"Urteil"}}, reason: ReasonFrist,
			de: "Ereignis „versaeumnisurteil_schriftlich“ ist erst nach Ablauf der Frist „verteidigungsanzeige“ zulässig",
			en: `event "versaeumnisurteil_schriftlich" is allowed only after Frist "verteidigungsanzeige" has expired`,
		},
		{
			name: "default judgment after a timely notice of defence (§ 331 Abs. 3)", history: cat(zZugestellt, []string{"verteidigungsanzeige"}),
			event: "versaeumnisurteil_schriftlich", role: "richter",
			ctx:    GuardContext{Documents: []string{"Urteil"}, ExpiredFristen: []string{"verteidigungsanzeige"}},
			reason: ReasonNotAfter,
			de:     "Ereignis „versaeumnisurteil_schriftlich“ ist nach dem Ereignis „verteidigungsanzeige“ nicht mehr zulässig",
			en:     `event "versaeumnisurteil_schriftlich" is not allowed after event "verteidigungsanzeige"`,
		},
		{
			name: "notice of defence twice", history: cat(zZugestellt, []string{"verteidigungsanzeige"}), event: "verteidigungsanzeige", role: "beklagter",
			ctx: GuardContext{Documents: []string{"Schriftsatz"}}, reason: ReasonNotAfter,
		},
		{
			name: "Rechtskraft before the judgment is served", history: zEntschieden, event: "rechtskraft", role: "geschaeftsstelle",
			ctx: GuardContext{ExpiredFristen: []string{"berufungsfrist"}}, reason: ReasonAfter,
			de: "Ereignis „rechtskraft“ setzt das Ereignis „zustellung_urteil“ voraus",
			en: `event "rechtskraft" requires a previous event "zustellung_urteil"`,
		},
		{
			name: "Rechtskraft while the Berufungsfrist runs", history: cat(zEntschieden, []string{"zustellung_urteil"}), event: "rechtskraft", role: "geschaeftsstelle",
			reason: ReasonFrist,
		},
		{
			name: "Rechtskraft of a VU while the Einspruchsfrist runs", history: cat(zVU, []string{"zustellung_versaeumnisurteil"}),
			event: "rechtskraft_versaeumnisurteil", role: "geschaeftsstelle", reason: ReasonFrist,
		},
		{
			name: "Rechtskraft of a VU never served: the Einspruchsfrist has not started", history: zVU,
			event: "rechtskraft_versaeumnisurteil", role: "geschaeftsstelle",
			ctx: GuardContext{ExpiredFristen: []string{"einspruchsfrist"}}, reason: ReasonFrist,
		},
		{
			name: "zweites Versäumnisurteil without an Einspruch", history: zTerminiert, event: "zweites_versaeumnisurteil", role: "richter",
			ctx: GuardContext{Documents: []string{"Urteil"}}, reason: ReasonAfter,
		},
		{
			name: "Einspruch against a contested judgment", history: zEntschieden, event: "einspruch", role: "beklagter",
			ctx: GuardContext{Documents: []string{"Schriftsatz"}}, reason: ReasonState,
		},
		{
			name: "nothing after abgeschlossen", history: zAbgeschl, event: "abschluss", role: "geschaeftsstelle", reason: ReasonState,
			de: "Ereignis „abschluss“ ist im Zustand „abgeschlossen“ nicht zulässig",
		},
		{
			name: "no Klagerücknahme after Rechtskraft", history: zRechtskraft, event: "klageruecknahme", role: "klaeger", reason: ReasonState,
		},
		{
			name: "read-only role", history: zErwidert, event: "urteil", role: "leser", reason: ReasonRole,
		},
		{
			name: "unknown event", event: "mahnbescheid", role: "richter", reason: ReasonEvent,
			de: "Ereignis „mahnbescheid“ ist im Verfahren „zivil-online“ nicht vorgesehen",
			en: `event "mahnbescheid" is not defined in procedure "zivil-online"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := mustRun(t, d, tt.history, nil)
			err := d.Decide(h, Event{Seq: len(h) + 1, Name: tt.event, Role: tt.role}, tt.ctx)
			want := errs.ErrConflict
			switch tt.reason {
			case ReasonRole:
				want = errs.ErrForbidden
			case ReasonEvent:
				want = errs.ErrInvalid
			}
			r := assertRefusal(t, err, tt.reason, want)
			if r == nil {
				return
			}
			if tt.de != "" && r.DE != tt.de {
				t.Errorf("DE = %q, want %q", r.DE, tt.de)
			}
			if tt.en != "" && r.EN != tt.en {
				t.Errorf("EN = %q, want %q", r.EN, tt.en)
			}
			if r.DE == "" || r.EN == "" || r.Error() != r.EN {
				t.Errorf("DE = %q, EN = %q, Error() = %q: want both set and Error() = EN", r.DE, r.EN, r.Error())
			}
			if r.Event != tt.event || r.Role != tt.role {
				t.Errorf("Event, Role = %q, %q, want %q, %q", r.Event, r.Role, tt.event, tt.role)
			}
		})
	}
}

func assertRefusal(t *testing.T, err error, reason string, sentinel error) *Refusal {
	t.Helper()
	var r *Refusal
	if !errors.As(err, &r) {
		t.Errorf("Decide = %v, want a *Refusal (%s)", err, reason)
		return nil
	}
	if r.Reason != reason {
		t.Errorf("Reason = %q, want %q (%s)", r.Reason, reason, r.EN)
	}
	if !errors.Is(err, sentinel) {
		t.Errorf("errors.Is(%v, %v) = false", err, sentinel)
	}
	return r
}

func TestFoldCorruptHistory(t *testing.T) {
	d := mustDefinition(t, "zivil-online")
	valid := mustRun(t, d, zErwidert, nil)
	ev := func(seq int, name string) Event { return Event{Seq: seq, Name: name, Role: "richter"} }
	tests := []struct {
		name    string
		history []Event
		want    string
	}{
		{"event not allowed in the replayed state", []Event{ev(1, "urteil")}, `not allowed in state "eingereicht"`},
		{"event unknown to the definition", append(slices.Clone(valid), ev(4, "mahnbescheid")), "no such event"},
		{"gap in Seq", append(slices.Clone(valid), ev(5, "urteil")), "seq 5, want 4"},
		{"Seq repeated", append(slices.Clone(valid), ev(3, "urteil")), "seq 3, want 4"},
		{"Seq from zero", []Event{ev(0, "eintragung")}, "seq 0, want 1"},
		{"event after a terminal state", append(mustRun(t, d, zAbgeschl, nil), ev(3, "eintragung")), `not allowed in state "abgeschlossen"`},
		{"a step skipped", []Event{ev(1, "eintragung"), ev(2, "klageerwiderung")}, `not allowed in state "eingetragen"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := d.Fold(tt.history)
			if err == nil {
				t.Fatalf("Fold = %q, nil; want an error", st)
			}
			if !errors.Is(err, errs.ErrInvalid) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "history corrupt") {
				t.Errorf("Fold error = %v, want ErrInvalid with %q", err, tt.want)
			}
			// Decide refuses to build on a corrupt history, and not with a Refusal.
			err = d.Decide(tt.history, ev(len(tt.history)+1, "abschluss"), GuardContext{})
			var r *Refusal
			if err == nil || errors.As(err, &r) {
				t.Errorf("Decide on corrupt history = %v, want the corruption error", err)
			}
			if got := d.Allowed(tt.history, "richter", GuardContext{}); got != nil {
				t.Errorf("Allowed on corrupt history = %v, want nil", got)
			}
		})
	}
	// The history passed in is never modified.
	before := slices.Clone(valid)
	_, _ = d.Fold(valid)
	_ = d.Decide(valid, ev(4, "urteil"), GuardContext{Documents: []string{"Urteil"}})
	if diff := cmp.Diff(before, valid); diff != "" {
		t.Errorf("history changed (-before +after):\n%s", diff)
	}
}

func TestZivilOnlineRunningFristen(t *testing.T) {
	d := mustDefinition(t, "zivil-online")
	tests := []struct {
		name    string
		history []string
		want    []string // Frist names
		basis   []int    // Seq of each Frist's basis event
	}{
		{"none before service", zEingetragen, nil, nil},
		{"service starts both", zZugestellt, []string{"verteidigungsanzeige", "klageerwiderung"}, []int{2, 2}},
		{"notice of defence stops its Frist", cat(zZugestellt, []string{"verteidigungsanzeige"}), []string{"klageerwiderung"}, []int{2}},
		{"defence stops both", zErwidert, nil, nil},
		{"a hearing leaves them running", cat(zZugestellt, []string{"terminsbestimmung"}), []string{"verteidigungsanzeige", "klageerwiderung"}, []int{2, 2}},
		{"default judgment ends them", zVU, nil, nil},
		{"service of the VU starts the Einspruchsfrist", cat(zVU, []string{"zustellung_versaeumnisurteil"}), []string{"einspruchsfrist"}, []int{4}},
		{"Einspruch stops it", cat(zVU, []string{"zustellung_versaeumnisurteil", "einspruch"}), nil, nil},
		{"service of the judgment starts the Berufungsfrist", cat(zEntschieden, []string{"zustellung_urteil"}), []string{"berufungsfrist"}, []int{5}},
		{"Berufung stops it", zBerufung, nil, nil},
		{"Rechtskraft stops it", zRechtskraft, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := mustRun(t, d, tt.history, nil)
			got, err := d.RunningFristen(h)
			if err != nil {
				t.Fatalf("RunningFristen: %v", err)
			}
			var names []string
			var basis []int
			for _, f := range got {
				names = append(names, f.Name)
				basis = append(basis, f.Start.Seq)
				if f.Start.Name != f.Basis {
					t.Errorf("Frist %s: started by %q, want its basis %q", f.Name, f.Start.Name, f.Basis)
				}
				if f.Period == (Period{}) || f.Title == "" {
					t.Errorf("Frist %s: Period %v, Title %q: want both", f.Name, f.Period, f.Title)
				}
			}
			if !slices.Equal(names, tt.want) || !slices.Equal(basis, tt.basis) {
				t.Errorf("RunningFristen = %v at %v, want %v at %v", names, basis, tt.want, tt.basis)
			}
		})
	}
	t.Run("periods", func(t *testing.T) {
		want := map[string]string{"verteidigungsanzeige": "2w", "klageerwiderung": "4w", "einspruchsfrist": "2w", "berufungsfrist": "1m"}
		for name, p := range want {
			f, ok := d.Frist(name)
			if !ok || f.Period.String() != p {
				t.Errorf("Frist %s: Period = %v, want %s", name, f.Period, p)
			}
		}
	})
}

func TestZivilOnlineAllowed(t *testing.T) {
	d := mustDefinition(t, "zivil-online")
	names := func(evs []EventDef) []string {
		var out []string
		for _, e := range evs {
			out = append(out, e.Name)
		}
		return out
	}
	all := GuardContext{Participants: PartyRoles()}
	tests := []struct {
		name    string
		history []string
		role    string
		ctx     GuardContext
		want    []string
	}{
		{"clerk on a new claim", nil, "geschaeftsstelle", all, []string{"eintragung"}},
		{"clerk on a new claim without a defendant", nil, "geschaeftsstelle", GuardContext{Participants: []string{"klaeger"}}, nil},
		{"judge on a new claim", nil, "richter", all, []string{"ueberleitung"}},
		{"claimant on a new claim", nil, "klaeger", all, []string{"klageruecknahme"}},
		{"defendant after service", zZugestellt, "beklagter", all, []string{"verteidigungsanzeige", "klageerwiderung", "anerkenntnis"}},
		{"judge after service, Notfrist running", zZugestellt, "richter", all, []string{"terminsbestimmung", "anerkenntnis", "vergleich", "ueberleitung"}},
		{"judge after service, Notfrist expired", zZugestellt, "richter",
			GuardContext{Participants: PartyRoles(), ExpiredFristen: []string{"verteidigungsanzeige"}},
			[]string{"versaeumnisurteil_schriftlich", "terminsbestimmung", "anerkenntnis", "vergleich", "ueberleitung"}},
		{"clerk after the judgment", zEntschieden, "geschaeftsstelle", all, []string{"zustellung_urteil", "berufung"}},
		{"reader never", zErwidert, "leser", all, nil},
		{"nothing after abgeschlossen", zAbgeschl, "geschaeftsstelle", all, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := mustRun(t, d, tt.history, nil)
			if got := names(d.Allowed(h, tt.role, tt.ctx)); !slices.Equal(got, tt.want) {
				t.Errorf("Allowed = %v, want %v", got, tt.want)
			}
		})
	}
}
