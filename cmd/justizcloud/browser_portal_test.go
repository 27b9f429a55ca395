// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"net/http"
	"strings"
	"testing"

	"justizcloud/browsertest"
	"justizcloud/kosten"
	"justizcloud/login/oidctest"
)

// The three interviews of the Digitale Rechtsantragstelle in a real
// browser (routes and ids: docs/portal.md): wrong input and its German
// messages with the values kept, corrections, the summary with "Ändern",
// filing, the receipt, "Meine Verfahren", and the proceeding with its
// documents through the API.

// TestBrowserGeldEinklagen: a monetary claim against a person in Munich,
// with every kind of wrong input on the way, a change from the summary,
// filing at the Amtsgericht München, the receipt and Meine Verfahren.
func TestBrowserGeldEinklagen(t *testing.T) {
	users := map[string]oidctest.User{
		"mit-js":  browserCitizen("bt-geld-1", "Erika", "Mustermann"),
		"ohne-js": browserCitizen("bt-geld-2", "Jonas", "Schmidt"),
	}
	w := startBrowserWorld(t, users["mit-js"], users["ohne-js"])
	beleg := browserPDF("Rechnung Nr. 2026-117 ueber 1.250,00 EUR")
	inBrowserModes(t, w.srv.url, func(t *testing.T, p *browsertest.Page, m browserMode) {
		u := users[m.name]
		j := &browserJourney{t: t, p: p, w: w, interview: "geld-einklagen"}
		// Not logged in: the interview sends the person to the login first
		// and back afterwards.
		p.Open("/antrag/geld-einklagen")
		if !strings.HasPrefix(p.Path(), "/login") {
			t.Fatalf("without a session /antrag/geld-einklagen shows %s, want the login", p.Path())
		}
		browserLogIn(t, p, u)
		if got := p.Path(); got != "/antrag/geld-einklagen" {
			t.Errorf("after the login at %s, want back at /antrag/geld-einklagen", got)
		}
		j.begin("Geld einklagen")

		j.invalid(map[string]string{"hinweise_gelesen": "Bitte bestätigen Sie, dass Sie die Hinweise gelesen haben."})
		j.fill("hinweise_gelesen", "ja")
		j.next("klaeger")

		j.fill("Vorname", u.FirstName, "Straße und Hausnummer", "Lindenstraße 12",
			"Postleitzahl", "1011", "Ort", "Berlin", "klaeger_email", u.Email)
		j.invalid(map[string]string{
			"klaeger_nachname": "Bitte geben Sie Ihren Nachnamen an.",
			"klaeger_plz":      "Bitte geben Sie eine fünfstellige Postleitzahl an, zum Beispiel 10115.",
		})
		j.kept(map[string]string{"klaeger_vorname": u.FirstName, "klaeger_plz": "1011", "klaeger_ort": "Berlin",
			"klaeger_strasse": "Lindenstraße 12"})
		j.fill("klaeger_nachname", u.LastName, "klaeger_plz", "10115")
		j.next("beklagter")

		j.fill("beklagter_art-1", "ja", "beklagter_name", "Max Schuldner", "beklagter_strasse", "Marienplatz 8",
			"beklagter_plz", "80331", "beklagter_ort", "München")
		j.next("forderung")

		j.fill("forderung", "12.000,00", "forderung_grund", "Werklohn oder Dienstleistung", "faellig_seit", "31.02.2026")
		j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
		for _, id := range []string{"forderung", "faellig_seit"} {
			if msg := p.TextOf("#" + id + "-error"); msg == "" {
				t.Errorf("no message beside %s", id)
			}
		}
		p.SeeIn("#forderung-error", "10.000,00")
		j.kept(map[string]string{"forderung": "12.000,00", "faellig_seit": "31.02.2026", "forderung_grund": "werklohn"})
		j.fill("forderung", "1.250,00", "faellig_seit", "15.09.2026", "zinsen", "ja")
		j.next("begruendung")

		// "Ja, gemahnt" makes the date of the reminder required on the same page.
		j.fill("sachverhalt", "Ich habe im August 2026 für Herrn Schuldner die Küche renoviert. Die Rechnung über "+
			"1.250,00 Euro vom 1. September 2026 hat er trotz Mahnung nicht bezahlt.", "gemahnt-1", "ja")
		j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
		if !p.Has("#mahnung_datum") || p.TextOf("#mahnung_datum-error") == "" {
			t.Errorf("after \"gemahnt: ja\" the page does not ask for the date of the reminder with a message")
		}
		j.fill("mahnung_datum", "01.10.2026")
		j.next("beweise")

		// A text file is not allowed; a PDF is.
		j.fill("belege", uploadFile(t, "notiz.txt", []byte("Das ist keine Rechnung.\n")))
		j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
		if p.TextOf("#belege-error") == "" {
			t.Errorf("a text file was not refused with a message beside the field")
		}
		j.fill("belege", uploadFile(t, "rechnung.pdf", beleg))
		j.next("gericht")

		j.fill("gericht", "Amtsgericht München")
		j.next("kosten")
		fee, err := kosten.Verfahrensgebuehr(125000)
		if err != nil {
			t.Fatal(err)
		}
		p.See(fee.String())
		j.invalid(map[string]string{"kosten_akzeptiert": ""})
		j.fill("kosten_akzeptiert", "ja")
		j.next("erklaerung")
		j.fill("wahrheit", "ja")
		j.next("")

		// The summary, and a change through "Ändern".
		p.See(u.FirstName, u.LastName, "Max Schuldner", "1.250,00 €", "Amtsgericht München", "rechnung.pdf")
		p.Press("Ändern: Ihre Forderung")
		j.at("forderung")
		j.fill("forderung", "1.350,00")
		p.Press("weiter")
		j.at("")
		p.See("1.350,00 €")
		p.NotSee("1.250,00 €")

		id, az := j.file("Amtsgericht München")
		p.See("rechnung.pdf", "klage.pdf")
		j.receipt(id)
		j.meineVerfahren(id, az, "Amtsgericht München", "1.350,00 €")
		j.checkFiled(id, "DE-BY", "Amtsgericht München", map[string][]byte{"rechnung.pdf": beleg})
	})
}

// TestBrowserFluggastrechte: a cancelled flight Frankfurt–New York (600 €
// under Art. 7(1)(c) of Regulation (EC) No 261/2004), wrong flight number
// and date, the airline's excuse asked for on the same page, a missing
// upload, a change from the summary, filing at the Amtsgericht Frankfurt
// (GDS.Gerichte M1201, the court of Frankfurt am Main).
func TestBrowserFluggastrechte(t *testing.T) {
	users := map[string]oidctest.User{
		"mit-js":  browserCitizen("bt-flug-1", "Aylin", "Kaya"),
		"ohne-js": browserCitizen("bt-flug-2", "Lukas", "Weber"),
	}
	w := startBrowserWorld(t, users["mit-js"], users["ohne-js"])
	buchung := browserPDF("Buchungsbestaetigung LH 400 FRA-JFK")
	inBrowserModes(t, w.srv.url, func(t *testing.T, p *browsertest.Page, m browserMode) {
		u := users[m.name]
		j := &browserJourney{t: t, p: p, w: w, interview: "fluggastrechte"}
		browserLogIn(t, p, u)
		j.begin("Entschädigung für einen Flug einklagen")
		j.fill("hinweise_gelesen", "ja")
		j.next("flug")

		j.fill("flugnummer", "L", "flugdatum", "24.12.2099", "von", "FRA", "nach", "JFK", "buchungsnummer", "X7K2QP")
		j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
		p.SeeIn("#fehler", "Bitte geben Sie die Flugnummer an, zum Beispiel LH 400.")
		p.SeeIn("#flugnummer-error", "Bitte geben Sie die Flugnummer an, zum Beispiel LH 400.")
		if p.TextOf("#flugdatum-error") == "" {
			t.Errorf("a flight date in 2099 was not refused beside the field")
		}
		j.kept(map[string]string{"flugnummer": "L", "flugdatum": "24.12.2099", "von": "FRA", "nach": "JFK", "buchungsnummer": "X7K2QP"})
		flown := daysAgo(20)
		j.fill("flugnummer", "LH 400", "flugdatum", flown)
		j.next("fluggesellschaft")

		j.fill("airline_name", "Deutsche Lufthansa AG", "airline_anschrift", "Venloer Straße 151–153, 50672 Köln")
		j.next("ereignis")
		j.fill("ereignis-1", "ja") // annulliert
		j.next("annullierung")
		j.fill("mitteilung-1", "ja") // weniger als sieben Tage vorher
		j.next("ersatz")
		j.fill("ersatzbefoerderung-2", "ja") // kein Ersatzflug
		j.next("umstaende")
		p.See("600,00 €")

		// "Yes, the airline claimed extraordinary circumstances" asks what it said.
		j.fill("umstaende_geltend-1", "ja")
		j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
		if !p.Has("#umstaende_angabe") || p.TextOf("#umstaende_angabe-error") == "" {
			t.Errorf("after \"außergewöhnliche Umstände: ja\" the page does not ask what the airline said, with a message")
		}
		j.fill("umstaende_angabe", "Ein technischer Defekt am Flugzeug.",
			"umstaende_stellungnahme", "Ein technischer Defekt gehört zum gewöhnlichen Betrieb (EuGH C-549/07).")
		j.next("belege")

		j.invalid(map[string]string{"belege": "Bitte laden Sie mindestens die Buchungsbestätigung hoch."})
		j.fill("belege", uploadFile(t, "buchung.pdf", buchung))
		j.next("fluggast")

		j.fill("vorname", u.FirstName, "nachname", u.LastName, "strasse", "Bergstraße 3", "plz", "60311",
			"ort", "Frankfurt am Main", "email", u.Email)
		j.next("gericht")
		j.fill("gerichtsort", "Frankfurt am Main", "gericht", "Amtsgericht Frankfurt")
		j.next("erklaerung")
		p.See("600,00 €")
		j.fill("wahrheit", "ja")
		j.next("")

		p.See("LH 400", flown, "Deutsche Lufthansa AG", "buchung.pdf", "Amtsgericht Frankfurt")
		p.Press("Ändern: Ihr Flug")
		j.at("flug")
		j.fill("buchungsnummer", "X7K2QR")
		p.Press("weiter")
		j.at("")
		p.See("X7K2QR")

		id, az := j.file("Amtsgericht Frankfurt")
		p.See("buchung.pdf")
		j.receipt(id)
		j.meineVerfahren(id, az, "Amtsgericht Frankfurt")
		j.checkFiled(id, "DE-HE", "Amtsgericht Frankfurt", map[string][]byte{"buchung.pdf": buchung})
	})
}

// TestBrowserBeratungshilfe: an application for Beratungshilfe in a
// tenancy matter: the stop page for a pending court case and the way back,
// save and resume, a short description, an impossible birth date, income
// that is no amount, the missing proof, an empty file, a wrong file removed
// again, a change from the summary, filing at the Amtsgericht Köln.
func TestBrowserBeratungshilfe(t *testing.T) {
	users := map[string]oidctest.User{
		"mit-js":  browserCitizen("bt-berh-1", "Sabine", "Becker"),
		"ohne-js": browserCitizen("bt-berh-2", "Mehmet", "Yılmaz"),
	}
	w := startBrowserWorld(t, users["mit-js"], users["ohne-js"])
	bescheid := browserPDF("Bescheid Buergergeld November 2026")
	inBrowserModes(t, w.srv.url, func(t *testing.T, p *browsertest.Page, m browserMode) {
		u := users[m.name]
		j := &browserJourney{t: t, p: p, w: w, interview: "beratungshilfe"}
		browserLogIn(t, p, u)
		j.begin("Beratungshilfe beantragen")
		j.fill("hinweise_gelesen", "ja")
		j.next("angelegenheit")

		j.fill("rechtsgebiet", "Zivilrecht", "sachverhalt", "Miete zu hoch", "gegner", "Wohnbau Köln GmbH",
			"gerichtsverfahren-2", "ja", "frueher_beantragt-1", "ja")
		j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
		if p.TextOf("#sachverhalt-error") == "" {
			t.Errorf("a description of 13 characters was not refused beside the field")
		}
		j.kept(map[string]string{"rechtsgebiet": "zivilrecht", "sachverhalt": "Miete zu hoch", "gegner": "Wohnbau Köln GmbH"})
		j.fill("sachverhalt", "Mein Vermieter verlangt nach einer Modernisierung 180 Euro mehr Miete im Monat. "+
			"Ich möchte wissen, ob die Erhöhung rechtmäßig ist.")
		// A pending court case rules Beratungshilfe out: the stop page, and back.
		j.next("ausgeschlossen")
		p.See("Beratungshilfe ist hier nicht möglich")
		if p.Has("#weiter") {
			t.Errorf("the stop page offers to go on")
		}
		p.Press("Angaben ändern")
		j.at("angelegenheit")
		j.fill("gerichtsverfahren-1", "ja")
		j.next("andere_hilfe")

		j.fill("rechtsschutz-1", "ja", "mitgliedschaft-1", "ja")
		j.next("person")

		j.fill("vorname", u.FirstName, "nachname", u.LastName, "geburtsdatum", "31.02.1980", "strasse", "Venloer Straße 40",
			"plz", "50672", "ort", "Köln", "familienstand", "ledig", "email", u.Email)
		j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
		if p.TextOf("#geburtsdatum-error") == "" {
			t.Errorf("the birth date 31.02.1980 was not refused beside the field")
		}
		j.kept(map[string]string{"geburtsdatum": "31.02.1980", "nachname": u.LastName, "familienstand": "ledig"})
		j.fill("geburtsdatum", "12.03.1980")
		j.next("einkommen")

		// Save, leave, come back: the draft resumes at the first open page.
		p.Press("speichern")
		if got := p.Path(); got != "/antrag/beratungshilfe?gespeichert=1" {
			t.Errorf("after saving at %s, want /antrag/beratungshilfe?gespeichert=1", got)
		}
		p.See("Ihre Angaben sind gespeichert.")
		p.Open("/")
		p.Press("Beratungshilfe beantragen")
		p.See("Weitermachen")
		p.Press("beginnen")
		j.at("einkommen")

		j.fill("einkommen_art-4", "ja", "einkommen_netto", "viel", "wohnkosten", "450,00", "unterhalt_personen", "0")
		j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
		if p.TextOf("#einkommen_netto-error") == "" {
			t.Errorf("the income \"viel\" was not refused beside the field")
		}
		j.kept(map[string]string{"einkommen_netto": "viel", "wohnkosten": "450,00 €"}) // valid: in display form
		j.fill("einkommen_netto", "563,00")
		j.next("vermoegen")
		j.fill("vermoegen_vorhanden-1", "ja")
		j.next("nachweise")

		j.invalid(map[string]string{"belege": "Bitte laden Sie Nachweise über Ihr Einkommen hoch."})
		// An empty file is refused with its reason.
		j.fill("belege", uploadFile(t, "leer.pdf", nil))
		j.p.PressStatus("weiter", http.StatusUnprocessableEntity)
		p.SeeIn("#belege-error", "leer.pdf", "leer")
		// The wrong file: uploaded, then back, removed, replaced.
		j.fill("belege", uploadFile(t, "alt.pdf", browserPDF("Kontoauszug vom falschen Monat")))
		j.next("gericht")
		p.Press("zurueck")
		j.at("nachweise")
		p.See("alt.pdf")
		p.Press("„alt.pdf“ entfernen")
		j.at("nachweise")
		p.NotSee("alt.pdf")
		j.fill("belege", uploadFile(t, "bescheid.pdf", bescheid))
		j.next("gericht")
		j.fill("gericht", "Amtsgericht Köln")
		j.next("erklaerung")
		j.invalid(map[string]string{"versicherung": "Bitte geben Sie die Versicherung ab; ohne sie kann das Gericht den Antrag nicht bearbeiten."})
		j.fill("versicherung", "ja")
		j.next("")

		p.See(u.FirstName, u.LastName, "12.03.1980", "563,00 €", "450,00 €", "bescheid.pdf", "Amtsgericht Köln")
		p.Press("Ändern: Einkommen und Ausgaben")
		j.at("einkommen")
		j.fill("wohnkosten", "480,00")
		p.Press("weiter")
		j.at("")
		p.See("480,00 €")

		id, az := j.file("Amtsgericht Köln")
		p.See("bescheid.pdf")
		j.receipt(id)
		j.meineVerfahren(id, az, "Amtsgericht Köln")
		j.checkFiled(id, "DE-NW", "Amtsgericht Köln", map[string][]byte{"bescheid.pdf": bescheid}, "alt.pdf", "leer.pdf")
	})
}
