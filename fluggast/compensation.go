// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package fluggast

import (
	"fmt"
	"time"

	"justizcloud/errs"
)

// Band is a distance class of Art. 7(1) Regulation (EC) No 261/2004.
type Band int

const (
	// BandA: all flights of 1500 km or less, Art. 7(1)(a): 250 €.
	BandA Band = iota + 1
	// BandB: intra-Community flights of more than 1500 km and all other
	// flights between 1500 and 3500 km, Art. 7(1)(b): 400 €.
	BandB
	// BandC: all other flights, Art. 7(1)(c): 600 €.
	BandC
)

// Amount returns the compensation of Art. 7(1) for the band, in euros.
func (b Band) Amount() int {
	switch b {
	case BandA:
		return 250
	case BandB:
		return 400
	case BandC:
		return 600
	}
	return 0
}

// RerouteLimit is the arrival delay of a rerouted passenger up to which the
// carrier may halve the compensation (Art. 7(2)(a)–(c)): 2, 3 or 4 hours.
func (b Band) RerouteLimit() time.Duration {
	switch b {
	case BandA:
		return 2 * time.Hour
	case BandB:
		return 3 * time.Hour
	case BandC:
		return 4 * time.Hour
	}
	return 0
}

// Article cites the letter of Art. 7(1) of the band.
func (b Band) Article() string {
	switch b {
	case BandA:
		return "Art. 7 Abs. 1 Buchst. a VO (EG) Nr. 261/2004"
	case BandB:
		return "Art. 7 Abs. 1 Buchst. b VO (EG) Nr. 261/2004"
	case BandC:
		return "Art. 7 Abs. 1 Buchst. c VO (EG) Nr. 261/2004"
	}
	return ""
}

// BandFor classifies a flight by its great-circle distance and whether it
// is intra-Community (both airports where the Regulation applies). A flight
// of exactly 1500 km is in band A ("1500 kilometres or less"); one of
// exactly 3500 km is in band B ("between 1500 and 3500 kilometres", read
// inclusively).
func BandFor(km float64, intraCommunity bool) Band {
	switch {
	case km <= 1500:
		return BandA
	case intraCommunity || km <= 3500:
		return BandB
	default:
		return BandC
	}
}

// Incident is what happened to the flight.
type Incident int

const (
	// Cancellation: the flight was cancelled (Art. 5).
	Cancellation Incident = iota + 1
	// Delay: the passenger reached the final destination late (Art. 6 and
	// Sturgeon).
	Delay
	// DeniedBoarding: boarding was denied against the passenger's will
	// (Art. 4(3)).
	DeniedBoarding
)

// Notice is when the passenger was told of a cancellation (Art. 5(1)(c)).
type Notice int

const (
	// NoticeUnder7Days: less than seven days before scheduled departure,
	// or not at all.
	NoticeUnder7Days Notice = iota
	// Notice7To14Days: between two weeks and seven days before.
	Notice7To14Days
	// Notice14DaysOrMore: at least two weeks before.
	Notice14DaysOrMore
)

// Claim describes a disrupted journey. From and To are the airport of
// departure and the final destination of the booking: with connecting
// flights the distance is that between the first departure and the final
// destination (CJEU, judgment of 7 September 2017, Bossen, C-559/16,
// EU:C:2017:644).
type Claim struct {
	From, To Airport
	Incident Incident
	// CommunityCarrier: the operating carrier holds a valid operating
	// licence of a Member State (Art. 2(c)). Needed only for flights from
	// outside into the Community (Art. 3(1)(b)).
	CommunityCarrier bool
	// ArrivalDelay is how late the passenger reached the final destination
	// compared with the scheduled arrival of the booked flight (for a delay:
	// the delay; for a cancellation or denied boarding: with the rerouting
	// flight). The time of arrival is when a door opens (CJEU, judgment of
	// 4 September 2014, Germanwings, C-452/13, EU:C:2014:2141).
	ArrivalDelay time.Duration
	// Rerouted: the carrier offered and the passenger took rerouting under
	// Art. 8(1)(b) (cancellation, denied boarding).
	Rerouted bool
	// Notice and EarlierDeparture matter for a cancellation: when the
	// passenger was told, and how much earlier than the booked flight the
	// offered rerouting departed (Art. 5(1)(c)(ii), (iii)).
	Notice           Notice
	EarlierDeparture time.Duration
}

// Result is the compensation owed for a Claim, unless the carrier proves
// extraordinary circumstances (Art. 5(3)).
type Result struct {
	DistanceKm     float64
	IntraCommunity bool
	Band           Band
	Owed           bool   // false: no compensation; Reason says why
	Amount         int    // euros after any reduction; 0 when not owed
	Reduced        bool   // halved under Art. 7(2)
	Reason         string // German, with the articles applied
}

// Compensate decides a Claim. It fails (errs.ErrInvalid) only for an
// unknown incident or a negative duration; a claim without compensation
// is a Result with Owed false and the reason.
func Compensate(c Claim) (Result, error) {
	if c.Incident < Cancellation || c.Incident > DeniedBoarding {
		return Result{}, fmt.Errorf("fluggast: %w: unknown incident %d", errs.ErrInvalid, c.Incident)
	}
	if c.ArrivalDelay < 0 || c.EarlierDeparture < 0 {
		return Result{}, fmt.Errorf("fluggast: %w: negative duration", errs.ErrInvalid)
	}
	r := Result{DistanceKm: Distance(c.From, c.To), IntraCommunity: c.From.EU && c.To.EU}
	r.Band = BandFor(r.DistanceKm, r.IntraCommunity)
	switch {
	case c.From.IATA == c.To.IATA:
		r.Reason = "Abflug- und Zielflughafen sind gleich."
		return r, nil
	case !c.From.EU && !c.To.EU:
		r.Reason = "Die Verordnung gilt nicht: Der Flug beginnt nicht in der EU und endet nicht dort (Art. 3 Abs. 1 VO (EG) Nr. 261/2004)."
		return r, nil
	case !c.From.EU && !c.CommunityCarrier:
		r.Reason = "Die Verordnung gilt für Flüge aus einem Drittstaat in die EU nur, wenn die ausführende Fluggesellschaft ein Luftfahrtunternehmen der Gemeinschaft ist (Art. 3 Abs. 1 Buchst. b VO (EG) Nr. 261/2004)."
		return r, nil
	}
	hours := func(d time.Duration) string { return fmt.Sprintf("%d Stunden", int(d/time.Hour)) }
	switch c.Incident {
	case Delay:
		if c.ArrivalDelay < 3*time.Hour {
			r.Reason = "Eine Ausgleichszahlung wegen Verspätung setzt voraus, dass das Endziel drei Stunden oder mehr nach der planmäßigen Ankunftszeit erreicht wird (EuGH, Urteil vom 19. November 2009, C-402/07 und C-432/07, Sturgeon)."
			return r, nil
		}
		r.Owed, r.Amount = true, r.Band.Amount()
		r.Reason = fmt.Sprintf("Ankunft drei Stunden oder mehr nach der planmäßigen Ankunftszeit (EuGH, Sturgeon, C-402/07 und C-432/07): %d € nach %s.", r.Amount, r.Band.Article())
		// Sturgeon applies Art. 7(2)(c) to long delays on band C flights:
		// 3 to 4 hours late halves the amount.
		if r.Band == BandC && c.ArrivalDelay <= r.Band.RerouteLimit() {
			r.Amount /= 2
			r.Reduced = true
			r.Reason += fmt.Sprintf(" Bei einer Verspätung von nicht mehr als %s kann die Fluggesellschaft sie um 50 %% kürzen (Art. 7 Abs. 2 Buchst. c VO (EG) Nr. 261/2004, EuGH, Sturgeon): %d €.", hours(r.Band.RerouteLimit()), r.Amount)
		}
		return r, nil
	case Cancellation:
		if ex := cancellationExcluded(c); ex != "" {
			r.Reason = ex
			return r, nil
		}
		r.Reason = fmt.Sprintf("Annullierung (Art. 5 Abs. 1 Buchst. c VO (EG) Nr. 261/2004): %d € nach %s.", r.Band.Amount(), r.Band.Article())
	case DeniedBoarding:
		r.Reason = fmt.Sprintf("Nichtbeförderung (Art. 4 Abs. 3 VO (EG) Nr. 261/2004): %d € nach %s.", r.Band.Amount(), r.Band.Article())
	}
	r.Owed, r.Amount = true, r.Band.Amount()
	if c.Rerouted && c.ArrivalDelay <= r.Band.RerouteLimit() {
		r.Amount /= 2
		r.Reduced = true
		r.Reason += fmt.Sprintf(" Mit der angebotenen anderweitigen Beförderung (Art. 8) lag die Ankunft nicht mehr als %s nach der planmäßigen Ankunftszeit; die Fluggesellschaft kann die Ausgleichsleistung um 50 %% kürzen (Art. 7 Abs. 2 VO (EG) Nr. 261/2004): %d €.", hours(r.Band.RerouteLimit()), r.Amount)
	}
	return r, nil
}

// cancellationExcluded returns why Art. 5(1)(c) excludes compensation for
// a cancellation, or "".
func cancellationExcluded(c Claim) string {
	switch c.Notice {
	case Notice14DaysOrMore:
		return "Die Annullierung wurde mindestens zwei Wochen vor der planmäßigen Abflugzeit mitgeteilt; dann besteht kein Anspruch auf Ausgleichszahlung (Art. 5 Abs. 1 Buchst. c Ziff. i VO (EG) Nr. 261/2004)."
	case Notice7To14Days:
		if c.Rerouted && c.EarlierDeparture <= 2*time.Hour && c.ArrivalDelay < 4*time.Hour {
			return "Die Annullierung wurde zwischen zwei Wochen und sieben Tagen vorher mitgeteilt und die angebotene Ersatzbeförderung startete höchstens zwei Stunden früher und kam weniger als vier Stunden später an (Art. 5 Abs. 1 Buchst. c Ziff. ii VO (EG) Nr. 261/2004)."
		}
	case NoticeUnder7Days:
		if c.Rerouted && c.EarlierDeparture <= time.Hour && c.ArrivalDelay < 2*time.Hour {
			return "Die Annullierung wurde weniger als sieben Tage vorher mitgeteilt und die angebotene Ersatzbeförderung startete höchstens eine Stunde früher und kam weniger als zwei Stunden später an (Art. 5 Abs. 1 Buchst. c Ziff. iii VO (EG) Nr. 261/2004)."
		}
	}
	return ""
}
