// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package portal

import (
	"net/http"
	"slices"
	"strings"

	"justizcloud/errs"
	"justizcloud/interview"
)

// serviceOrder is the order of the interviews on the start page; others
// follow by name.
var serviceOrder = []string{"geld-einklagen", "fluggastrechte", "beratungshilfe"}

// teasers say in a sentence what each interview is for.
var teasers = map[string]string{
	"geld-einklagen": "Jemand schuldet Ihnen Geld, bis 10.000 Euro? Verklagen Sie ihn online beim Amtsgericht – ohne Anwältin oder Anwalt.",
	"fluggastrechte": "Ihr Flug wurde annulliert, war stark verspätet oder Sie wurden nicht befördert? Fordern Sie die Ausgleichszahlung von 250 bis 600 Euro ein.",
	"beratungshilfe": "Sie brauchen rechtlichen Rat, können ihn sich aber nicht leisten? Beantragen Sie Beratungshilfe beim Amtsgericht.",
}

// teaser is the short description of an interview.
func teaser(d *interview.Definition) string {
	if t, ok := teasers[d.Name]; ok {
		return t
	}
	if ps := paragraphs(d.Description); len(ps) > 0 {
		return ps[0]
	}
	return d.Title
}

// Start (GET /) shows the three services, "Meine Verfahren" and who is
// logged in.
func (p *Portal) Start(w http.ResponseWriter, r *http.Request) {
	names := p.d.Interviews.Names()
	slices.SortStableFunc(names, func(a, b string) int {
		ia, ib := slices.Index(serviceOrder, a), slices.Index(serviceOrder, b)
		if ia < 0 {
			ia = len(serviceOrder)
		}
		if ib < 0 {
			ib = len(serviceOrder)
		}
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a, b)
	})
	v := p.base(r, "Digitale Rechtsantragstelle")
	type service struct {
		Name, Title, Teaser string
		Draft               bool
	}
	var services []service
	for _, n := range names {
		d, err := p.d.Interviews.Get(n)
		if err != nil {
			continue
		}
		s := service{Name: d.Name, Title: d.Title, Teaser: teaser(d)}
		if v.User != nil {
			if _, _, err := p.drafts.load(r.Context(), v.User.ID, d.Name); err == nil {
				s.Draft = true
			}
		}
		services = append(services, s)
	}
	v.Data = map[string]any{"Services": services}
	p.render(w, r, http.StatusOK, "start", v)
}

type infoSection struct {
	Heading    string
	Paragraphs []string
}

var infoPages = map[string]struct {
	title    string
	sections []infoSection
}{
	"impressum": {"Impressum", []infoSection{
		{"", []string{"Die Justizcloud ist eine gemeinsame Plattform der Justiz des Bundes und der Länder. Dies ist eine Demonstrationsinstanz; sie nimmt keine echten Klagen oder Anträge entgegen."}},
		{"Verantwortlich", []string{"Der Betreiber der jeweiligen Installation. Tragen Sie hier Namen, Anschrift und Kontakt der betreibenden Stelle ein (§ 5 DDG)."}},
	}},
	"datenschutz": {"Datenschutz", []infoSection{
		{"", []string{"Wir verarbeiten Ihre Angaben, um Ihre Klage oder Ihren Antrag an das Gericht zu übermitteln (Art. 6 Abs. 1 Buchst. e DSGVO in Verbindung mit den Vorschriften der Prozessordnungen)."}},
		{"Gespeicherte Entwürfe", []string{"Angefangene Anträge werden verschlüsselt gespeichert und 30 Tage nach der letzten Änderung automatisch gelöscht, ebenso die dazu hochgeladenen Dateien. Mit dem Einreichen werden sie aus dem Entwurfsspeicher gelöscht und liegen dann in der elektronischen Akte des Gerichts."}},
		{"Anmeldung", []string{"Für die Anmeldung setzen wir ein technisch notwendiges Sitzungs-Cookie. Es gibt keine Werbe- oder Analyse-Cookies und keine eingebundenen Dienste Dritter."}},
	}},
	"barrierefreiheit": {"Erklärung zur Barrierefreiheit", []infoSection{
		{"", []string{"Die Seiten der Justizcloud sollen der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und den Web Content Accessibility Guidelines (WCAG 2.1, Stufe AA) entsprechen. Sie funktionieren ohne JavaScript, sind mit der Tastatur bedienbar und werden automatisch mit axe-core geprüft."}},
		{"Bekannte Einschränkungen", []string{"Die Auswahl des Amtsgerichts enthält eine lange Liste; nutzen Sie die Vorschläge oder die Suche Ihres Browsers."}},
		{"Barrieren melden", []string{"Wenn Ihnen Barrieren auffallen, wenden Sie sich an die betreibende Stelle (siehe Impressum)."}},
	}},
}

// Info (GET /impressum, /datenschutz, /barrierefreiheit) shows a short
// static page.
func (p *Portal) Info(w http.ResponseWriter, r *http.Request) {
	pg, ok := infoPages[strings.TrimPrefix(r.URL.Path, "/")]
	if !ok {
		p.fail(w, r, errs.ErrNotFound)
		return
	}
	v := p.base(r, pg.title)
	v.Data = map[string]any{"Heading": pg.title, "Sections": pg.sections}
	p.render(w, r, http.StatusOK, "info", v)
}
