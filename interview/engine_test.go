// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package interview

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"justizcloud/akte"
	"justizcloud/errs"
)

// now is the fixed time of the tests.
var now = time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC)

// step is one posted page of a journey.
type step struct {
	page   string
	values map[string]string
	files  map[string][]Upload
}

// walk posts the steps in order, checking that each page is the one Next
// leads to and that it validates, and returns the answers.
func walk(t *testing.T, d *Definition, steps []step) Answers {
	t.Helper()
	a := Answers{}
	page := d.Next(a, "")
	for _, s := range steps {
		if page != s.page {
			t.Fatalf("Next = %q, want %q (answers %v)", page, s.page, a)
		}
		vals := map[string][]string{}
		for k, v := range s.values {
			vals[k] = []string{v}
		}
		var problems []FieldError
		a, problems = d.Validate(s.page, a, Form{Values: vals, Files: s.files, Now: now})
		if len(problems) > 0 {
			t.Fatalf("Validate(%s): %+v", s.page, problems)
		}
		page = d.Next(a, s.page)
	}
	if page != "" {
		t.Fatalf("after the last step Next = %q, want the summary", page)
	}
	return a
}

func roundTrip(t *testing.T, a Answers) Answers {
	t.Helper()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var back Answers
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, back); diff != "" {
		t.Fatalf("JSON round trip (-before +after):\n%s", diff)
	}
	return back
}

var pdf = Upload{Ref: "blob-1", Name: "rechnung.pdf", ContentType: "application/pdf", Size: 12345, SHA256: strings.Repeat("ab", 32)}

func geldSteps(ort string, gericht string) []step {
	return []step{
		{page: "start", values: map[string]string{"hinweise_gelesen": "on"}},
		{page: "klaeger", values: map[string]string{"klaeger_vorname": "Erika", "klaeger_nachname": "Mustermann",
			"klaeger_strasse": "Heidestraße 17", "klaeger_plz": "51147", "klaeger_ort": "Köln", "klaeger_email": "erika@example.org"}},
		{page: "beklagter", values: map[string]string{"beklagter_art": "unternehmen", "beklagter_name": "Muster GmbH",
			"beklagter_vertreter": "Max Muster", "beklagter_strasse": "Zeil 1", "beklagter_plz": "60313", "beklagter_ort": ort}},
		{page: "forderung", values: map[string]string{"forderung": "1.234,56", "forderung_grund": "werklohn", "faellig_seit": "01.02.2026", "zinsen": "on"}},
		{page: "begruendung", values: map[string]string{"sachverhalt": "Ich habe im Januar die Küche renoviert; die Rechnung ist unbezahlt.", "gemahnt": "nein"}},
		{page: "beweise", files: map[string][]Upload{"belege": {pdf}}},
		{page: "gericht", values: map[string]string{"gericht": gericht}},
		{page: "kosten", values: map[string]string{"kosten_akzeptiert": "true", "klaeger_iban": "de02 1203 0000 0000 2020 51"}},
		{page: "erklaerung", values: map[string]string{"wahrheit": "true"}},
	}
}

func TestGeldEinklagenJourney(t *testing.T) {
	d := mustDef(t, "geld-einklagen")
	a := walk(t, d, geldSteps("Frankfurt am Main", "M1201"))
	a = roundTrip(t, a)

	// The court field proposes the Amtsgericht Frankfurt for "Frankfurt am Main".
	cands, unique, all := d.CourtOptions("gericht", a)
	if len(cands) != 1 || cands[0].Value != "M1201" || !unique || len(all) < 600 {
		t.Errorf("CourtOptions = %v, unique %v, %d in all; want M1201 alone", cands, unique, len(all))
	}
	// The court fee for 1.234,56 €: 3 × 82,00 € (KostBRÄG 2025 table).
	if got := d.Shown("kosten", a); len(got) != 1 || got[0].Value != "246,00 €" {
		t.Errorf("Shown(kosten) = %+v, want the fee 246,00 €", got)
	}
	f, err := d.Output(a)
	if err != nil {
		t.Fatal(err)
	}
	want := Filing{
		Interview: "geld-einklagen",
		Procedure: "zivil-online",
		Case: akte.NewCase{Court: "M1201", Register: "C", Procedure: "zivil-online",
			Subject: "Zahlungsklage über 1.234,56 €: Werklohn oder Dienstleistung"},
		Participants: []akte.NewParticipant{
			{Role: "klaeger", Name: "Erika Mustermann", Address: "Heidestraße 17, 51147 Köln"},
			{Role: "beklagter", Name: "Muster GmbH", Address: "Zeil 1, 60313 Frankfurt am Main"},
		},
		Data: map[string]string{
			"forderung": "123456", "forderung_grund": "werklohn", "faellig_seit": "2026-02-01", "zinsen": "true",
			"sachverhalt": "Ich habe im Januar die Küche renoviert; die Rechnung ist unbezahlt.", "gemahnt": "nein",
			"beklagter_art": "unternehmen", "beklagter_vertreter": "Max Muster", "klaeger_email": "erika@example.org",
			"klaeger_iban": "DE02120300000000202051", "gerichtskosten": "24600",
		},
		Attachments: []Upload{pdf},
	}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("Output (-want +got):\n%s", diff)
	}

	// The summary lists every page with its answers and the fee.
	sum := d.Summary(a)
	if len(sum) != len(d.Pages()) {
		t.Fatalf("Summary has %d sections, want %d", len(sum), len(d.Pages()))
	}
	var fee, forderung, vertreter bool
	for _, s := range sum {
		for _, it := range s.Items {
			switch {
			case it.ID == "gerichtskosten" && it.Value == "246,00 €" && it.Computed:
				fee = true
			case it.ID == "forderung" && it.Value == "1.234,56 €" && s.Page == "forderung":
				forderung = true
			case it.ID == "beklagter_vertreter" && it.Value == "Max Muster":
				vertreter = true
			}
			if it.Missing {
				t.Errorf("Summary: %s missing", it.ID)
			}
		}
	}
	if !fee || !forderung || !vertreter {
		t.Errorf("Summary lacks fee %v, forderung %v, vertreter %v: %+v", fee, forderung, vertreter, sum)
	}
}

func TestGeldEinklagenCorrection(t *testing.T) {
	d := mustDef(t, "geld-einklagen")
	a := walk(t, d, geldSteps("Frankfurt am Main", "M1201"))
	// Correct the defendant: now a private person; the representative
	// disappears from the output although the stale answer is kept.
	vals := map[string][]string{"beklagter_art": {"person"}, "beklagter_name": {"Max Muster"},
		"beklagter_vertreter": {"Ignoriert"}, "beklagter_strasse": {"Zeil 1"}, "beklagter_plz": {"60313"}, "beklagter_ort": {"Frankfurt"}}
	a, problems := d.Validate("beklagter", a, Form{Values: vals, Now: now})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if _, ok := a["beklagter_vertreter"]; ok {
		t.Error("hidden field beklagter_vertreter kept its answer")
	}
	// "Frankfurt" is ambiguous: both Frankfurts are proposed.
	cands, unique, _ := d.CourtOptions("gericht", a)
	if unique || len(cands) != 2 {
		t.Errorf("CourtOptions for Frankfurt = %v, want two candidates", cands)
	}
	f, err := d.Output(a)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := f.Data["beklagter_vertreter"]; ok {
		t.Error("Output files the representative of a private person")
	}
	if f.Participants[1].Name != "Max Muster" {
		t.Errorf("beklagter = %+v", f.Participants[1])
	}
	// Saying "gemahnt: ja" makes the date required: Output refuses until given.
	a, _ = d.Validate("begruendung", a, Form{Values: map[string][]string{"sachverhalt": {"Ich habe im Januar die Küche renoviert."}, "gemahnt": {"ja"}, "mahnung_datum": {""}}, Now: now})
	miss := d.Missing(a)
	if len(miss) != 1 || miss[0].Field != "mahnung_datum" || miss[0].Page != "begruendung" {
		t.Errorf("Missing = %+v, want mahnung_datum on begruendung", miss)
	}
	if _, err := d.Output(a); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("Output with a missing answer: error %v, want ErrInvalid", err)
	}
}

func TestGeldEinklagenLimit(t *testing.T) {
	d := mustDef(t, "geld-einklagen")
	_, problems := d.Validate("forderung", Answers{}, Form{Values: map[string][]string{
		"forderung": {"10.000,01"}, "forderung_grund": {"kaufpreis"}}, Now: now})
	want := []FieldError{{Page: "forderung", Field: "forderung", Label: "Betrag, den Sie verlangen (in Euro)",
		Message: "Der Betrag darf 10.000,00 € nicht übersteigen.", Entered: "10.000,01"}}
	if diff := cmp.Diff(want, problems); diff != "" {
		t.Errorf("Validate 10.000,01 € (-want +got):\n%s", diff)
	}
	_, problems = d.Validate("forderung", Answers{}, Form{Values: map[string][]string{"forderung": {""}, "forderung_grund": {"kaufpreis"}}, Now: now})
	if len(problems) != 1 || problems[0].Message != "Bitte geben Sie einen Betrag an." {
		t.Errorf("Validate empty amount = %+v", problems)
	}
	a, problems := d.Validate("forderung", Answers{}, Form{Values: map[string][]string{"forderung": {"10.000,00"}, "forderung_grund": {"kaufpreis"}}, Now: now})
	if len(problems) != 0 || a["forderung"].Value != "1000000" {
		t.Errorf("Validate 10.000,00 € = %v, %+v", a["forderung"], problems)
	}
}

func fluggastSteps(von, nach, ereignis string, extra ...step) []step {
	steps := []step{
		{page: "start", values: map[string]string{"hinweise_gelesen": "on"}},
		{page: "flug", values: map[string]string{"flugnummer": "LH 400", "flugdatum": "2026-02-10", "von": von, "nach": nach}},
	}
	steps = append(steps, extra[0]) // fluggesellschaft
	steps = append(steps, step{page: "ereignis", values: map[string]string{"ereignis": ereignis}})
	steps = append(steps, extra[1:]...)
	return steps
}

var fluggastTail = []step{
	{page: "umstaende", values: map[string]string{"umstaende_geltend": "ja", "umstaende_angabe": "Technischer Defekt."}},
	{page: "belege", files: map[string][]Upload{"belege": {pdf}}},
	{page: "fluggast", values: map[string]string{"vorname": "Erika", "nachname": "Mustermann", "strasse": "Heidestraße 17", "plz": "51147", "ort": "Köln"}},
	{page: "gericht", values: map[string]string{"gerichtsort": "Frankfurt am Main", "gericht": "M1201"}},
	{page: "erklaerung", values: map[string]string{"wahrheit": "on"}},
}

func TestFluggastJourneys(t *testing.T) {
	d := mustDef(t, "fluggastrechte")
	airline := step{page: "fluggesellschaft", values: map[string]string{"airline_name": "Deutsche Lufthansa AG", "airline_anschrift": "Venloer Straße 151-153, 50672 Köln"}}
	tests := []struct {
		name   string
		steps  []step
		amount string // Data["forderung"], cents
		fee    string
	}{
		// FRA–JFK 6189 km, 5 hours late: 600 € (Art. 7(1)(c), Sturgeon); fee 3 × 61,00 €.
		{"delay long haul", fluggastSteps("FRA", "JFK", "verspaetung", airline,
			step{page: "ankunft", values: map[string]string{"verspaetung_minuten": "300"}}), "60000", "18300"},
		// MUC–BER cancelled 3 days ahead, rerouted 1 h earlier and 90 minutes late:
		// excluded by Art. 5(1)(c)(iii). Here: rerouted 3 h late: 250 €, fee 3 × 40,00 €.
		{"cancellation short haul", fluggastSteps("MUC", "BER", "annullierung", airline,
			step{page: "annullierung", values: map[string]string{"mitteilung": "unter_7_tagen"}},
			step{page: "ersatz", values: map[string]string{"ersatzbefoerderung": "ja", "frueherer_abflug_minuten": "0"}},
			step{page: "ankunft", values: map[string]string{"verspaetung_minuten": "180"}}), "25000", "12000"},
		// Frankfurt–Gran Canaria, denied boarding, rerouted 2 h late: 400 € halved (Art. 7(1)(b), 7(2)(b)).
		{"denied boarding intra-EU", fluggastSteps("FRA", "LPA", "nichtbefoerderung", airline,
			step{page: "ersatz", values: map[string]string{"ersatzbefoerderung": "ja"}},
			step{page: "ankunft", values: map[string]string{"verspaetung_minuten": "120"}}), "20000", "12000"},
		// New York–Frankfurt with an EU carrier (Art. 3(1)(b)): the question is asked.
		{"inbound EU carrier", fluggastSteps("JFK", "FRA", "annullierung",
			step{page: "fluggesellschaft", values: map[string]string{"airline_name": "Deutsche Lufthansa AG", "airline_anschrift": "Köln", "eu_fluggesellschaft": "ja"}},
			step{page: "annullierung", values: map[string]string{"mitteilung": "unter_7_tagen"}},
			step{page: "ersatz", values: map[string]string{"ersatzbefoerderung": "nein"}}), "60000", "18300"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := walk(t, d, append(tt.steps, fluggastTail...))
			roundTrip(t, a)
			f, err := d.Output(a)
			if err != nil {
				t.Fatal(err)
			}
			if f.Data["forderung"] != tt.amount || f.Data["gerichtskosten"] != tt.fee {
				t.Errorf("forderung %s, gerichtskosten %s; want %s, %s (%s)", f.Data["forderung"], f.Data["gerichtskosten"], tt.amount, tt.fee, f.Data["begruendung_anspruch"])
			}
			if f.Case.Register != "C" || f.Case.Court != "M1201" || len(f.Participants) != 2 || f.Participants[1].Role != "beklagter" {
				t.Errorf("Output = %+v", f)
			}
			if !strings.Contains(f.Data["begruendung_anspruch"], "VO (EG) Nr. 261/2004") {
				t.Errorf("begruendung_anspruch = %q", f.Data["begruendung_anspruch"])
			}
		})
	}
}

func TestFluggastStop(t *testing.T) {
	d := mustDef(t, "fluggastrechte")
	a := Answers{
		"hinweise_gelesen": {Value: "true"}, "flugnummer": {Value: "LH 1"}, "flugdatum": {Value: "2026-02-10"},
		"von": {Value: "FRA"}, "nach": {Value: "JFK"}, "airline_name": {Value: "X"}, "airline_anschrift": {Value: "Y"},
		"ereignis": {Value: "verspaetung"}, "verspaetung_minuten": {Value: "170"},
	}
	b := a.Clone()
	delete(b, "verspaetung_minuten")
	if p, ok := d.Stopped(b); ok {
		t.Errorf("Stopped before the delay is answered = %q, want none yet", p)
	}
	if next := d.Next(a, "ankunft"); next != "kein_anspruch" {
		t.Fatalf("Next after a delay of 2:50 = %q, want kein_anspruch", next)
	}
	if p, ok := d.Stopped(a); !ok || p != "kein_anspruch" {
		t.Errorf("Stopped = %q, %v", p, ok)
	}
	if next := d.Next(a, "kein_anspruch"); next != "" {
		t.Errorf("Next from a stop page = %q, want none", next)
	}
	if got := d.Shown("kein_anspruch", a); len(got) != 1 || !strings.Contains(got[0].Value, "Sturgeon") {
		t.Errorf("Shown(kein_anspruch) = %+v", got)
	}
	if _, err := d.Output(a); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("Output on a stop page: %v, want ErrInvalid", err)
	}
	// Correcting the delay to 3 hours leaves the stop page behind.
	a["verspaetung_minuten"] = Answer{Value: "180"}
	if next := d.Next(a, "ankunft"); next != "umstaende" {
		t.Errorf("Next after a delay of 3:00 = %q, want umstaende", next)
	}
	// A flight from outside the EU asks for the carrier (Art. 3(1)(b)).
	a["von"], a["nach"] = Answer{Value: "JFK"}, Answer{Value: "FRA"}
	fields := d.ShownFields("fluggesellschaft", a)
	if len(fields) != 3 || fields[2].ID != "eu_fluggesellschaft" {
		t.Errorf("ShownFields(fluggesellschaft) for JFK–FRA = %d fields, want the carrier question", len(fields))
	}
	a["eu_fluggesellschaft"] = Answer{Value: "nein"}
	if p, ok := d.Stopped(a); !ok || p != "kein_anspruch" {
		t.Errorf("JFK–FRA with a non-EU carrier: Stopped = %q, %v; want kein_anspruch", p, ok)
	}
}

func TestBeratungshilfeJourney(t *testing.T) {
	d := mustDef(t, "beratungshilfe")
	steps := []step{
		{page: "start", values: map[string]string{"hinweise_gelesen": "on"}},
		{page: "angelegenheit", values: map[string]string{"rechtsgebiet": "zivilrecht", "sachverhalt": "Mein Vermieter behält die Kaution ein.",
			"gerichtsverfahren": "nein", "frueher_beantragt": "nein"}},
		{page: "andere_hilfe", values: map[string]string{"rechtsschutz": "nein", "mitgliedschaft": "nein"}},
		{page: "person", values: map[string]string{"vorname": "Erika", "nachname": "Mustermann", "geburtsdatum": "12.08.1964",
			"strasse": "Hauptstraße 1", "plz": "10785", "ort": "Berlin-Schöneberg", "familienstand": "ledig"}},
		{page: "einkommen", values: map[string]string{"einkommen_art": "buergergeld", "einkommen_netto": "563", "wohnkosten": "450,00", "unterhalt_personen": "0"}},
		{page: "vermoegen", values: map[string]string{"vermoegen_vorhanden": "nein"}},
		{page: "nachweise", files: map[string][]Upload{"belege": {pdf}}},
		{page: "gericht", values: map[string]string{"gericht": "F1106"}},
		{page: "erklaerung", values: map[string]string{"versicherung": "on"}},
	}
	a := walk(t, d, steps)
	roundTrip(t, a)
	cands, unique, _ := d.CourtOptions("gericht", a)
	if !unique || cands[0].Value != "F1106" || cands[0].Hint != "Berlin" {
		t.Errorf("CourtOptions for Berlin-Schöneberg = %+v", cands)
	}
	f, err := d.Output(a)
	if err != nil {
		t.Fatal(err)
	}
	if f.Procedure != "beratungshilfe" || f.Case.Register != "II" || f.Case.Court != "F1106" ||
		len(f.Participants) != 1 || f.Participants[0].Role != "antragsteller" || f.Participants[0].Name != "Erika Mustermann" {
		t.Errorf("Output = %+v", f)
	}
	if f.Data["einkommen_netto"] != "56300" || f.Data["geburtsdatum"] != "1964-08-12" {
		t.Errorf("Data = %v", f.Data)
	}
	// A pending court proceeding ends the interview.
	a["gerichtsverfahren"] = Answer{Value: "ja"}
	if next := d.Next(a, "angelegenheit"); next != "ausgeschlossen" {
		t.Errorf("Next with a pending proceeding = %q", next)
	}
	if _, err := d.Output(a); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("Output with a pending proceeding: %v", err)
	}
}

func TestNextPrev(t *testing.T) {
	d := mustDef(t, "fluggastrechte")
	a := Answers{"ereignis": {Value: "verspaetung"}}
	// annullierung and ersatz are skipped for a delay.
	if got := d.Next(a, "ereignis"); got != "ankunft" {
		t.Errorf("Next(ereignis) = %q, want ankunft", got)
	}
	if got := d.Prev(a, "ankunft"); got != "ereignis" {
		t.Errorf("Prev(ankunft) = %q, want ereignis", got)
	}
	if got := d.Prev(a, "start"); got != "" {
		t.Errorf("Prev(start) = %q, want none", got)
	}
	if got := d.Prev(a, ""); got != "erklaerung" {
		t.Errorf("Prev(summary) = %q, want erklaerung", got)
	}
	if got := d.Next(a, "nope"); got != "" {
		t.Errorf("Next(unknown) = %q", got)
	}
	if d.Visible("annullierung", a) || !d.Visible("ankunft", a) || d.Visible("nope", a) {
		t.Error("Visible is wrong for a delay")
	}
	if _, problems := d.Validate("annullierung", a, Form{Now: now}); len(problems) != 1 {
		t.Errorf("Validate on a hidden page: %+v, want one problem", problems)
	}
	if _, problems := d.Validate("nope", a, Form{Now: now}); len(problems) != 1 {
		t.Errorf("Validate on an unknown page: %+v", problems)
	}
}

func TestOutputRefusesForgedAnswers(t *testing.T) {
	d := mustDef(t, "geld-einklagen")
	a := walk(t, d, geldSteps("Köln", "R3306"))
	b := a.Clone()
	b["belege"] = Answer{Files: []Upload{{Ref: "x", Name: "a.exe", ContentType: "application/x-msdownload", Size: 10}}}
	if _, err := d.Output(b); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("Output with a forged upload: %v, want ErrInvalid", err)
	}
	for id, bad := range map[string]string{
		"forderung":   "1000001", // over the limit
		"klaeger_plz": "1234",
		"gericht":     "R3306G", // a Grundbuchamt
		"zinsen":      "yes",
	} {
		b := a.Clone()
		b[id] = Answer{Value: bad}
		if _, err := d.Output(b); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("Output with %s = %q: %v, want ErrInvalid", id, bad, err)
		}
	}
}
