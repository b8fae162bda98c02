// Package vitality sorts the chambers' associations and cooperatives into
// ACTIVE, STAGNANT or UNKNOWN from the evidence the platform holds (the law
// knows no dormant association, so the sorting must rest on evidence):
// the last general assembly, the last bureau renewal, participation in the
// chamber's events and documents filed in the desk's archive. The standing
// is computed when it is read, from the evidence projected from the
// producers' events, because time alone changes it: an association whose
// last assembly was 23 months ago is active today and stagnant in two
// months without any event. A manual mark in the registry
// (`:markStagnant`) overrides the evidence and names who made it and why.
package vitality

import (
	"context"
	"fmt"
	"time"

	"github.com/hirfa/hirfa/pkg/l10n"
)

// Standing is an organisation's computed standing.
type Standing string

// Standings.
const (
	Active   Standing = "ACTIVE"
	Stagnant Standing = "STAGNANT"
	Unknown  Standing = "UNKNOWN"
)

// Standings are the standings, in display order.
var Standings = []Standing{Active, Stagnant, Unknown}

// Organisation types the inventory holds (projection registrant types).
const (
	Association = "ASSOCIATION"
	Cooperative = "COOPERATIVE"
)

// Reason codes: each names the piece of evidence (or its absence) that
// produced a standing.
const (
	// MarkedStagnant: the chamber marked the association stagnant (or the
	// cooperative dormant) in the registry; the override wins over the
	// evidence.
	MarkedStagnant = "MARKED_STAGNANT"
	// RecentAssembly / AssemblyOutdated: the last general assembly is
	// within / beyond Rules.AssemblyMonths.
	RecentAssembly   = "RECENT_ASSEMBLY"
	AssemblyOutdated = "ASSEMBLY_OUTDATED"
	// RecentBureauRenewal / BureauOutdated: the last bureau renewal is
	// within / beyond Rules.BureauMonths.
	RecentBureauRenewal = "RECENT_BUREAU_RENEWAL"
	BureauOutdated      = "BUREAU_OUTDATED"
	// RecentParticipation / ParticipationOutdated: the last participation
	// in a chamber's event is within / beyond Rules.ActivityMonths.
	RecentParticipation   = "RECENT_PARTICIPATION"
	ParticipationOutdated = "PARTICIPATION_OUTDATED"
	// RecentDocument / DocumentOutdated: the last document filed in the
	// archive is within / beyond Rules.ActivityMonths.
	RecentDocument   = "RECENT_DOCUMENT"
	DocumentOutdated = "DOCUMENT_OUTDATED"
	// RecentlyFounded: declared (associations) or created (cooperatives)
	// within Rules.AssemblyMonths: too young to have missed an assembly.
	RecentlyFounded = "RECENTLY_FOUNDED"
	// NoEvidence: nothing the platform holds speaks for or against.
	NoEvidence = "NO_EVIDENCE"
	// DefinitiveReceiptOverdue: the definitive receipt is still missing
	// after the day it was due (the registry's rule: 60 days after the
	// provisional one). A flag beside the standing, not a standing.
	DefinitiveReceiptOverdue = "DEFINITIVE_RECEIPT_OVERDUE"
)

// Rules are the configurable thresholds of the sorting.
type Rules struct {
	// AssemblyMonths: a general assembly older than this is outdated.
	AssemblyMonths int
	// BureauMonths: a bureau renewal older than this is outdated.
	BureauMonths int
	// ActivityMonths: participation and documents older than this are outdated.
	ActivityMonths int
	// AssemblyRequired: an association whose last assembly is outdated is
	// stagnant whatever else it did (its statutes oblige it to meet).
	AssemblyRequired bool
}

// DefaultRules are the rules without configuration.
func DefaultRules() Rules {
	return Rules{AssemblyMonths: 24, BureauMonths: 48, ActivityMonths: 24, AssemblyRequired: true}
}

// Validate checks the rules are usable.
func (r Rules) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"assembly months", r.AssemblyMonths}, {"bureau months", r.BureauMonths}, {"activity months", r.ActivityMonths}} {
		if f.v < 1 || f.v > 1200 {
			return fmt.Errorf("vitality rules: %s must be between 1 and 1200, got %d", f.name, f.v)
		}
	}
	return nil
}

// Evidence is what the platform holds about one organisation. Dates are
// YYYY-MM-DD, "" when unknown.
type Evidence struct {
	Type    string // Association or Cooperative
	Chamber string
	ID      string
	// State is the registry's lifecycle state; StateReason and StateActor
	// the reason and author of the last move that needed one, StateDate
	// its day.
	State       string
	StateReason string
	StateActor  string
	StateDate   string
	// FoundedDate: the provisional receipt (associations) or the record's
	// creation (cooperatives).
	FoundedDate     string
	DefinitiveDate  string // associations: the definitive receipt
	ReceiptDue      string // associations: the day the definitive receipt is due (computed by the registry)
	AssemblyDate    string // last general assembly (registry, or minutes filed)
	BureauDate      string // last bureau renewal
	Participation   string // last participation in a chamber's event
	DocumentDate    string // last document filed in the archive
	DefinitiveFiled bool   // a definitive receipt is in the archive
}

// Reason is one piece of evidence behind a standing.
type Reason struct {
	Code string
	Date string // the evidence's day, when it has one
	// Text and Actor: the override's reason and author (MarkedStagnant).
	Text  string
	Actor string
}

// Assessment is an organisation's standing and why.
type Assessment struct {
	Standing Standing
	Reasons  []Reason
	// ReceiptOverdue flags an association still without its definitive
	// receipt after the day it was due.
	ReceiptOverdue bool
}

// Assess sorts e as of today (a UTC day).
func Assess(r Rules, e Evidence, today time.Time) Assessment {
	a := standing(r, e, today)
	if receipt := receiptOverdue(e, today); receipt != nil {
		a.ReceiptOverdue = true
		a.Reasons = append(a.Reasons, *receipt)
	}
	return a
}

// standing weighs the evidence; a manual mark wins.
func standing(r Rules, e Evidence, today time.Time) Assessment {
	var a Assessment
	if marked(e) {
		a.Standing = Stagnant
		a.Reasons = []Reason{{Code: MarkedStagnant, Date: e.StateDate, Text: e.StateReason, Actor: e.StateActor}}
		return a
	}
	type check struct {
		date          string
		months        int
		recent, stale string
	}
	checks := []check{
		{e.AssemblyDate, r.AssemblyMonths, RecentAssembly, AssemblyOutdated},
		{e.BureauDate, r.BureauMonths, RecentBureauRenewal, BureauOutdated},
		{e.Participation, r.ActivityMonths, RecentParticipation, ParticipationOutdated},
		{e.DocumentDate, r.ActivityMonths, RecentDocument, DocumentOutdated},
	}
	var recent, stale bool
	assemblyStale := false
	for i, c := range checks {
		d, ok := parse(c.date)
		if !ok {
			continue
		}
		if !d.Before(today.AddDate(0, -c.months, 0)) {
			recent = true
			a.Reasons = append(a.Reasons, Reason{Code: c.recent, Date: c.date})
			continue
		}
		stale = true
		assemblyStale = assemblyStale || i == 0
		a.Reasons = append(a.Reasons, Reason{Code: c.stale, Date: c.date})
	}
	if d, ok := parse(e.FoundedDate); ok && !d.Before(today.AddDate(0, -r.AssemblyMonths, 0)) {
		recent = true
		a.Reasons = append(a.Reasons, Reason{Code: RecentlyFounded, Date: e.FoundedDate})
	}
	switch {
	case r.AssemblyRequired && e.Type == Association && assemblyStale:
		a.Standing = Stagnant
	case recent:
		a.Standing = Active
	case stale:
		a.Standing = Stagnant
	default:
		a.Standing = Unknown
		a.Reasons = append(a.Reasons, Reason{Code: NoEvidence})
	}
	return a
}

// marked reports whether the registry holds a manual mark: an association
// marked stagnant, or a cooperative declared dormant.
func marked(e Evidence) bool {
	return (e.Type == Association && e.State == "STAGNANT") || (e.Type == Cooperative && e.State == "DORMANT")
}

// receiptOverdue is the overdue-receipt reason, or nil.
// The due day comes with the registry's events, so the delay is the
// registry's one rule (association.DefinitiveReceiptDays).
func receiptOverdue(e Evidence, today time.Time) *Reason {
	if e.Type != Association || e.DefinitiveDate != "" || e.DefinitiveFiled {
		return nil
	}
	due, ok := parse(e.ReceiptDue)
	if !ok || !today.After(due) {
		return nil
	}
	return &Reason{Code: DefinitiveReceiptOverdue, Date: e.ReceiptDue}
}

// Inventoried reports whether an organisation in this registry state
// belongs in the inventory: dissolved ones (and cooperatives in
// liquidation) are out of it.
func Inventoried(typ, state string) bool {
	switch state {
	case "DISSOLVED", "IN_LIQUIDATION", "":
		return false
	}
	return typ == Association || typ == Cooperative
}

func parse(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// Later returns the later of two YYYY-MM-DD days ("" is earliest).
func Later(a, b string) string {
	if a > b {
		return a
	}
	return b
}

// Entry is one organisation of the inventory with its evidence.
type Entry struct {
	Evidence
	DisplayName l10n.Text
	Province    string
}

// Name is the organisation's registry resource name.
func (e Entry) Name() string {
	collection := "associations"
	if e.Type == Cooperative {
		collection = "cooperatives"
	}
	return "chambers/" + e.Chamber + "/" + collection + "/" + e.ID
}

// Repository reads the inventory's evidence from the projections.
type Repository interface {
	// Inventory returns the organisations of chamber ("" for every
	// chamber) still in the register, ordered by chamber, type and id,
	// with the evidence dated up to today (YYYY-MM-DD).
	Inventory(ctx context.Context, chamber, today string) ([]Entry, error)
}
