// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package bench

import (
	"fmt"
	mrand "math/rand/v2"
	"strings"
)

// The synthetic corpus: German names, places and the sentences of civil
// pleadings, combined at random. Word frequencies are deliberately uneven —
// a few words occur in almost every document (Klage, Beklagte), subjects in a
// few per cent, surnames and streets rarely — so that searches over the
// dataset meet the spread of hit counts real queries meet.

var firstNames = []string{
	"Anna", "Maria", "Sabine", "Petra", "Julia", "Katharina", "Monika", "Claudia", "Andrea", "Stefanie",
	"Lena", "Sophie", "Leonie", "Hannah", "Emma", "Mia", "Laura", "Sarah", "Nicole", "Birgit",
	"Thomas", "Michael", "Andreas", "Stefan", "Peter", "Klaus", "Jürgen", "Frank", "Markus", "Christian",
	"Alexander", "Lukas", "Jonas", "Felix", "Maximilian", "Paul", "Tobias", "Florian", "Sebastian", "Uwe",
	"Mehmet", "Ayşe", "Fatma", "Ali", "Olga", "Dmitri", "Agnieszka", "Piotr", "Giuseppe", "Elena",
}

var lastNames = []string{
	"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
	"Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
	"Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier",
	"Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
	"Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert",
	"Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz",
	"Baumann", "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin",
	"Yılmaz", "Kaya", "Demir", "Nowak", "Kowalski", "Popescu", "Rossi", "Ivanova", "Papadopoulos", "Novak",
}

var companies = []string{
	"Stadtwerke", "Wohnbau", "Autohaus", "Reisebüro", "Versicherung", "Elektro", "Bauunternehmung",
	"Möbelhaus", "Fluggesellschaft", "Telekommunikation", "Hausverwaltung", "Fitnessstudio", "Energieversorgung",
}

var streets = []string{
	"Hauptstraße", "Schulstraße", "Gartenstraße", "Bahnhofstraße", "Dorfstraße", "Bergstraße", "Birkenweg",
	"Lindenstraße", "Kirchstraße", "Waldstraße", "Ringstraße", "Schillerstraße", "Goethestraße", "Am Markt",
	"Mühlenweg", "Friedhofstraße", "Rosenstraße", "Feldstraße", "Amselweg", "Lessingstraße",
}

// subject is what a proceeding is about: the case's subject line and the
// words its pleadings use.
type subject struct {
	title string
	words []string
}

var subjects = []subject{
	{"Zahlung rückständiger Miete", []string{"Mietrückstand", "Mietvertrag", "Wohnung", "Vermieter", "Mieter", "Betriebskosten"}},
	{"Mietminderung wegen Schimmelbefalls", []string{"Mietminderung", "Schimmel", "Feuchtigkeit", "Mangel", "Gutachten", "Wohnung"}},
	{"Kaufpreiszahlung", []string{"Kaufvertrag", "Kaufpreis", "Lieferung", "Rechnung", "Ware", "Zahlungsverzug"}},
	{"Werklohnforderung", []string{"Werkvertrag", "Werklohn", "Abnahme", "Handwerker", "Rechnung", "Nachbesserung"}},
	{"Schadensersatz aus Verkehrsunfall", []string{"Verkehrsunfall", "Fahrzeug", "Reparaturkosten", "Haftpflichtversicherung", "Kreuzung", "Gutachter"}},
	{"Ausgleichszahlung nach der Fluggastrechteverordnung", []string{"Flug", "Verspätung", "Annullierung", "Ausgleichszahlung", "Fluggesellschaft", "Buchung"}},
	{"Rückzahlung eines Darlehens", []string{"Darlehen", "Darlehensvertrag", "Rückzahlung", "Zinsen", "Kündigung", "Überweisung"}},
	{"Reisepreisminderung", []string{"Pauschalreise", "Reisemangel", "Hotel", "Reiseveranstalter", "Minderung", "Urlaub"}},
	{"Rückabwicklung eines Gebrauchtwagenkaufs", []string{"Gebrauchtwagen", "Rücktritt", "Sachmangel", "Kilometerstand", "Getriebe", "Händler"}},
	{"Zahlung von Handwerkerleistungen", []string{"Heizung", "Installation", "Kostenvoranschlag", "Rechnung", "Arbeitsstunden", "Material"}},
	{"Erstattung einer Mietkaution", []string{"Mietkaution", "Kaution", "Auszug", "Übergabeprotokoll", "Renovierung", "Schönheitsreparaturen"}},
	{"Schmerzensgeld nach Hundebiss", []string{"Hund", "Hundehalter", "Verletzung", "Schmerzensgeld", "Arztbericht", "Tierhalterhaftung"}},
	{"Zahlung aus Energieliefervertrag", []string{"Stromlieferung", "Abschlag", "Zählerstand", "Jahresabrechnung", "Energieversorger", "Sperrung"}},
	{"Rückzahlung von Fitnessstudiobeiträgen", []string{"Fitnessstudio", "Mitgliedschaft", "Beiträge", "Kündigung", "Lastschrift", "Vertragslaufzeit"}},
	{"Herausgabe eines Pkw", []string{"Herausgabe", "Eigentum", "Fahrzeugbrief", "Besitz", "Leasingvertrag", "Rückgabe"}},
}

// sentences of pleadings; %[1]s plaintiff, %[2]s defendant, %[3]s a
// subject word, %[4]s another, %[5]s an amount, %[6]s a date, %[7]s a place.
var sentences = []string{
	"Die Klägerin %[1]s begehrt von der Beklagten %[2]s die Zahlung von %[5]s nebst Zinsen.",
	"Der Anspruch ergibt sich aus dem zwischen den Parteien geschlossenen Vertrag über %[3]s vom %[6]s.",
	"Die Beklagte hat trotz Mahnung vom %[6]s nicht gezahlt und befindet sich seit diesem Tag in Verzug.",
	"Zum Beweis der %[3]s wird auf die Anlage K1 Bezug genommen; hilfsweise wird Zeugnis des %[1]s angeboten.",
	"Die %[4]s wurde ordnungsgemäß angezeigt, eine Reaktion der Beklagten blieb jedoch aus.",
	"Das Amtsgericht %[7]s ist nach § 29 ZPO örtlich zuständig, da der Erfüllungsort in seinem Bezirk liegt.",
	"Die Klage ist zulässig und begründet, weil die Beklagte ihre Pflichten aus dem Vertrag verletzt hat.",
	"Die Beklagte bestreitet die %[3]s mit Nichtwissen und beantragt, die Klage abzuweisen.",
	"Der geltend gemachte Betrag von %[5]s setzt sich aus der Hauptforderung und vorgerichtlichen Kosten zusammen.",
	"Im Termin vom %[6]s erschienen für die Klägerin %[1]s und für die Beklagte niemand.",
	"Es wird beantragt, im schriftlichen Vorverfahren ein Versäumnisurteil zu erlassen, falls die Beklagte nicht rechtzeitig anzeigt.",
	"Die Parteien streiten über die %[4]s in der Wohnung in %[7]s.",
	"Der Sachverständige hat in seinem Gutachten vom %[6]s festgestellt, dass die %[3]s nicht fachgerecht war.",
	"Mit Schreiben vom %[6]s forderte der Kläger %[1]s die Beklagte unter Fristsetzung zur Zahlung auf.",
	"Die Einrede der Verjährung greift nicht durch, da die Frist erst mit dem Schluss des Jahres begann.",
	"Hinsichtlich der %[4]s trägt die Beklagte die Darlegungs- und Beweislast.",
	"Die Kosten des Rechtsstreits trägt die Beklagte, § 91 Abs. 1 ZPO.",
	"Das Urteil ist gegen Sicherheitsleistung in Höhe von 110 Prozent des jeweils zu vollstreckenden Betrages vorläufig vollstreckbar.",
	"Ergänzend wird auf die gewechselten Schriftsätze nebst Anlagen verwiesen.",
	"Eine gütliche Einigung über die %[3]s ist bislang an der Haltung der Beklagten %[2]s gescheitert.",
}

// documentKinds are the documents of a case file in filing order: file name
// and Dokumentklasse.
var documentKinds = []struct{ name, class string }{
	{"Klageschrift", "Klage"},
	{"Anlage K1", "Anlage"},
	{"Verfügung", "Verfügung"},
	{"Zustellungsnachweis", "Zustellungsnachweis"},
	{"Klageerwiderung", "Schriftsatz"},
	{"Replik", "Schriftsatz"},
	{"Protokoll", "Protokoll"},
	{"Beschluss", "Beschluss"},
}

func pick[T any](r *mrand.Rand, s []T) T { return s[r.IntN(len(s))] }

// personName is "Vorname Nachname"; one in five parties is a company.
func personName(r *mrand.Rand) string {
	if r.IntN(5) == 0 {
		return fmt.Sprintf("%s %s GmbH", pick(r, companies), pick(r, lastNames))
	}
	return pick(r, firstNames) + " " + pick(r, lastNames)
}

func address(r *mrand.Rand, city string) string {
	return fmt.Sprintf("%s %d, %05d %s", pick(r, streets), 1+r.IntN(120), 10000+r.IntN(89999), city)
}

// pleading writes about size bytes of German text for a case between the
// parties about subj, cut at a word boundary.
func pleading(r *mrand.Rand, b *strings.Builder, size int, plaintiff, defendant string, subj subject, city string) string {
	b.Reset()
	for b.Len() < size {
		amount := fmt.Sprintf("%d,%02d Euro", 100+r.IntN(9900), r.IntN(100))
		date := fmt.Sprintf("%d.%d.%d", 1+r.IntN(28), 1+r.IntN(12), 2023+r.IntN(3))
		fmt.Fprintf(b, pick(r, sentences), plaintiff, defendant, pick(r, subj.words), pick(r, subj.words), amount, date, city)
		b.WriteByte(' ')
	}
	s := b.String()
	if len(s) > size {
		cut := strings.LastIndexByte(s[:size], ' ')
		if cut > 0 {
			s = s[:cut]
		}
	}
	return s
}
