// Package event is what a chamber organises: fairs and exhibitions,
// seminars, trainings, awareness sessions, meetings and celebrations, with
// their lifecycle PLANNED → OPEN_FOR_APPLICATIONS → APPLICATIONS_CLOSED →
// RUNNING → ENDED → EVALUATED, or CANCELLED. A fair also carries its booth
// quota rules and the crafts it admits; an evaluated event carries the
// figures frozen when it was evaluated.
package event

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/lifecycle"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
)

// Collection is the collection segment of event names.
const Collection = "events"

// Kind of event.
type Kind string

// Kinds.
const (
	Fair             Kind = "FAIR"
	Exhibition       Kind = "EXHIBITION"
	Seminar          Kind = "SEMINAR"
	Training         Kind = "TRAINING"
	AwarenessSession Kind = "AWARENESS_SESSION"
	Meeting          Kind = "MEETING"
	Celebration      Kind = "CELEBRATION"
)

// Kinds lists every kind, for filters.
var Kinds = []string{"FAIR", "EXHIBITION", "SEMINAR", "TRAINING", "AWARENESS_SESSION", "MEETING", "CELEBRATION"}

// Scope is the geographic reach of an event.
type Scope string

// Scopes.
const (
	Local         Scope = "LOCAL"
	Provincial    Scope = "PROVINCIAL"
	Regional      Scope = "REGIONAL"
	National      Scope = "NATIONAL"
	International Scope = "INTERNATIONAL"
)

// Scopes lists every scope, for filters.
var Scopes = []string{"LOCAL", "PROVINCIAL", "REGIONAL", "NATIONAL", "INTERNATIONAL"}

// State of an event.
type State string

// States.
const (
	Planned             State = "PLANNED"
	OpenForApplications State = "OPEN_FOR_APPLICATIONS"
	ApplicationsClosed  State = "APPLICATIONS_CLOSED"
	Running             State = "RUNNING"
	Ended               State = "ENDED"
	Evaluated           State = "EVALUATED"
	Cancelled           State = "CANCELLED"
)

// States lists every state, for filters.
var States = []string{"PLANNED", "OPEN_FOR_APPLICATIONS", "APPLICATIONS_CLOSED", "RUNNING", "ENDED", "EVALUATED", "CANCELLED"}

// Venue is where an event takes place.
type Venue struct {
	Province string `json:"province,omitempty"`
	City     string `json:"city,omitempty"`
	Address  string `json:"address,omitempty"`
}

// Partner co-organises or supports an event.
type Partner struct {
	Name l10n.Text `json:"name"`
	Role string    `json:"role,omitempty"`
}

// Criterion says which exhibitors a quota rule is about.
type Criterion string

// Criteria.
const (
	Women         Criterion = "WOMEN"
	Rural         Criterion = "RURAL"
	OutsideRegion Criterion = "OUTSIDE_REGION"
)

// Limit says how a quota's number of booths applies.
type Limit string

// Limits.
const (
	// Reserved booths are kept for exhibitors meeting the criterion: others
	// are not accepted into them.
	Reserved Limit = "RESERVED"
	// Maximum caps the exhibitors meeting the criterion.
	Maximum Limit = "MAXIMUM"
)

// QuotaRule is one booth quota of a fair, e.g. "12 booths reserved for
// women" or "at most 12 exhibitors from outside the region".
type QuotaRule struct {
	Criterion Criterion `json:"criterion"`
	Booths    int       `json:"booths"`
	Limit     Limit     `json:"limit"`
}

// FairSettings are the rules of a fair or exhibition.
type FairSettings struct {
	Quotas []QuotaRule `json:"quotas,omitempty"`
	// Crafts are activity codes or code prefixes (e.g. "F1.B02") the
	// exhibitors must work in; empty admits every craft.
	Crafts []string `json:"crafts,omitempty"`
}

// AdmitsActivity reports whether an activity code is one of the fair's
// crafts (always true when the fair names none).
func (f FairSettings) AdmitsActivity(activity string) bool {
	if len(f.Crafts) == 0 {
		return true
	}
	for _, c := range f.Crafts {
		if activity == c || strings.HasPrefix(activity, c+".") {
			return true
		}
	}
	return false
}

// Evaluation is the figures of an event. Counts of exhibitors are of
// accepted exhibitors; money is centimes of MAD.
type Evaluation struct {
	Exhibitors              int       `json:"exhibitors"`
	Artisans                int       `json:"artisans"`
	Cooperatives            int       `json:"cooperatives"`
	Associations            int       `json:"associations"`
	Enterprises             int       `json:"enterprises"`
	WomenArtisans           int       `json:"women_artisans"`
	MenArtisans             int       `json:"men_artisans"`
	WomenExhibitors         int       `json:"women_exhibitors"`
	RuralExhibitors         int       `json:"rural_exhibitors"`
	OutsideRegionExhibitors int       `json:"outside_region_exhibitors"`
	Booths                  int       `json:"booths"`
	BoothsUsed              int       `json:"booths_used"`
	Visitors                int64     `json:"visitors"`
	SalesCentimes           int64     `json:"sales_centimes"`
	Applications            int       `json:"applications"`
	Rejected                int       `json:"rejected"`
	Waitlisted              int       `json:"waitlisted"`
	Registered              int       `json:"registered"`
	Attended                int       `json:"attended"`
	ComputeTime             time.Time `json:"compute_time"`
}

// Add sums o into e (ComputeTime is left alone).
func (e *Evaluation) Add(o Evaluation) {
	e.Exhibitors += o.Exhibitors
	e.Artisans += o.Artisans
	e.Cooperatives += o.Cooperatives
	e.Associations += o.Associations
	e.Enterprises += o.Enterprises
	e.WomenArtisans += o.WomenArtisans
	e.MenArtisans += o.MenArtisans
	e.WomenExhibitors += o.WomenExhibitors
	e.RuralExhibitors += o.RuralExhibitors
	e.OutsideRegionExhibitors += o.OutsideRegionExhibitors
	e.Booths += o.Booths
	e.BoothsUsed += o.BoothsUsed
	e.Visitors += o.Visitors
	e.SalesCentimes += o.SalesCentimes
	e.Applications += o.Applications
	e.Rejected += o.Rejected
	e.Waitlisted += o.Waitlisted
	e.Registered += o.Registered
	e.Attended += o.Attended
}

// Event is one event organised by a chamber (Meta.Chamber).
type Event struct {
	resource.Meta
	Kind        Kind          `json:"kind"`
	Scope       Scope         `json:"scope,omitempty"`
	Title       l10n.Text     `json:"title"`
	StartDate   resource.Date `json:"start_date,omitempty"`
	EndDate     resource.Date `json:"end_date,omitempty"`
	Venue       Venue         `json:"venue"`
	Partners    []Partner     `json:"partners,omitempty"`
	Capacity    int           `json:"capacity"`
	Fair        FairSettings  `json:"fair"`
	State       State         `json:"state"`
	StateReason string        `json:"state_reason,omitempty"`
	Evaluation  *Evaluation   `json:"evaluation,omitempty"`
	// Demo marks a record the demo profile seeded (invented data); only
	// the seed sets it, and the API shows it.
	Demo bool `json:"demo,omitempty"`
}

// Name is the resource name.
func (e *Event) Name() string {
	return resource.Name{Chamber: e.Chamber, Collection: Collection, ID: e.ID}.String()
}

// IsFair reports whether the event has booths and exhibitors.
func (e *Event) IsFair() bool { return e.Kind == Fair || e.Kind == Exhibition }

// Places reports whether the event takes registrations (every kind but
// fairs and exhibitions, which take exhibitors).
func (e *Event) Places() bool { return !e.IsFair() }

// Places checks whether a province is known and lies in a chamber's
// territory; the composition root supplies the territory.
type Places interface {
	HasProvince(id string) bool
	InChamber(chamber, province string) bool
}

// Validate checks the event's own rules. Events of local, provincial or
// regional scope take place in the organising chamber's territory; national
// and international ones may be held anywhere in the country.
func (e *Event) Validate(places Places) error {
	var vs fault.Violations
	const p = "event."
	if !known(string(e.Kind), Kinds) {
		vs.Add(p+"kind", RuleKindRequired, "the kind of event is required")
	}
	if e.Scope != "" && !known(string(e.Scope), Scopes) {
		vs.Add(p+"scope", RuleScopeUnknown, "unknown scope %q", e.Scope)
	}
	e.Title.Require(&vs, p+"title")
	CheckDate(&vs, p+"start_date", e.StartDate)
	CheckDate(&vs, p+"end_date", e.EndDate)
	if e.StartDate == "" || e.EndDate == "" {
		vs.Add(p+"start_date", RuleDatesRequired, "an event needs its first and last day")
	} else if e.EndDate < e.StartDate {
		vs.Add(p+"end_date", fault.RuleDatesOrder, "the last day %s is before the first day %s", e.EndDate, e.StartDate)
	}
	if pr := e.Venue.Province; pr != "" {
		switch {
		case !places.HasProvince(pr):
			vs.Add(p+"venue.province", fault.RuleProvinceUnknown, "unknown province %q", pr)
		case e.Scope != National && e.Scope != International && !places.InChamber(e.Chamber, pr):
			vs.Add(p+"venue.province", RuleProvinceOutsideChamber, "province %q is outside the territory of chamber %q; only national and international events are held elsewhere", pr, e.Chamber)
		}
	}
	if e.Capacity < 0 {
		vs.Add(p+"capacity", RuleCapacityNonNegative, "must not be negative")
	}
	if !e.IsFair() && (len(e.Fair.Quotas) > 0 || len(e.Fair.Crafts) > 0) {
		vs.Add(p+"fair", RuleFairKind, "booth quotas and crafts apply to fairs and exhibitions only")
	}
	seen := map[Criterion]bool{}
	for i, q := range e.Fair.Quotas {
		f := p + "fair.quotas[" + strconv.Itoa(i) + "]"
		switch {
		case q.Criterion != Women && q.Criterion != Rural && q.Criterion != OutsideRegion:
			vs.Add(f+".criterion", RuleQuotaCriterion, "unknown criterion %q", q.Criterion)
		case seen[q.Criterion]:
			vs.Add(f+".criterion", RuleQuotaDuplicate, "criterion %s has two rules", q.Criterion)
		}
		seen[q.Criterion] = true
		if q.Limit != Reserved && q.Limit != Maximum {
			vs.Add(f+".limit", RuleQuotaLimit, "limit must be RESERVED or MAXIMUM")
		}
		if q.Booths < 0 {
			vs.Add(f+".booths", RuleQuotaBooths, "must not be negative")
		}
	}
	return vs.Err()
}

// CheckDate adds a violation when d is set and not a calendar date.
func CheckDate(vs *fault.Violations, field string, d resource.Date) {
	if d == "" {
		return
	}
	if _, err := time.Parse(time.DateOnly, string(d)); err != nil {
		vs.Add(field, fault.RuleDate, "must be a calendar date YYYY-MM-DD, got %q", string(d))
	}
}

func known(v string, list []string) bool {
	for _, s := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Action is a lifecycle action on an event.
type Action string

// Actions of the lifecycle.
const (
	OpenApplications  Action = "open applications"
	CloseApplications Action = "close applications"
	Start             Action = "start"
	End               Action = "end"
	Cancel            Action = "cancel"
	Evaluate          Action = "evaluate"
)

// Transitions is the event's state machine: each action, the states it may
// start from, the state it leads to and the event it records. A fair's
// evaluation is also recorded as FairEvaluated (see the app layer), which
// reporting projects.
var Transitions = lifecycle.Table[Action, State]{
	{Action: OpenApplications, From: []State{Planned}, To: OpenForApplications, Event: "ApplicationsOpened"},
	{Action: CloseApplications, From: []State{OpenForApplications}, To: ApplicationsClosed, Event: "ApplicationsClosed"},
	{Action: Start, From: []State{Planned, ApplicationsClosed}, To: Running, Event: "Started"},
	{Action: End, From: []State{Running}, To: Ended, Event: "Ended"},
	{Action: Cancel, From: []State{Planned, OpenForApplications, ApplicationsClosed, Running}, To: Cancelled, Event: "Cancelled"},
	{Action: Evaluate, From: []State{Ended}, To: Evaluated, Event: "Evaluated"},
}

// Apply performs a lifecycle action, or returns FAILED_PRECONDITION
// ILLEGAL_TRANSITION when the state does not allow it. Evaluate also needs
// the figures: see SetEvaluation.
func (e *Event) Apply(action Action, reason string) error {
	t, err := Transitions.Next(e.Name(), e.State, action)
	if err != nil {
		return err
	}
	e.State, e.StateReason = t.To, reason
	return nil
}

// SetEvaluation evaluates an ended event with its figures.
func (e *Event) SetEvaluation(ev Evaluation) error {
	if err := e.Apply(Evaluate, ""); err != nil {
		return err
	}
	e.Evaluation = &ev
	return nil
}

// CheckOpen refuses any change to an event, or to what belongs to it (its
// booths, exhibitors, counts, registrations), once it is evaluated or
// cancelled: evaluated figures are published and must not move.
func (e *Event) CheckOpen() error {
	switch e.State {
	case Evaluated:
		return &fault.PreconditionError{Reason: ReasonEventEvaluated, Msg: e.Name() + " is evaluated: its records can no longer change",
			Meta: map[string]string{"resource": e.Name(), "state": string(e.State)}}
	case Cancelled:
		return &fault.PreconditionError{Reason: ReasonEventCancelled, Msg: e.Name() + " is cancelled",
			Meta: map[string]string{"resource": e.Name(), "state": string(e.State)}}
	}
	return nil
}

// CheckIn reports a PreconditionError with reason unless the event is in
// one of states (after CheckOpen). what describes the refused operation.
func (e *Event) CheckIn(reason, what string, states ...State) error {
	if err := e.CheckOpen(); err != nil {
		return err
	}
	for _, s := range states {
		if e.State == s {
			return nil
		}
	}
	names := make([]string, len(states))
	for i, s := range states {
		names[i] = string(s)
	}
	return &fault.PreconditionError{Reason: reason,
		Msg:  e.Name() + " is " + string(e.State) + ": " + what + " only when it is " + strings.Join(names, " or "),
		Meta: map[string]string{"resource": e.Name(), "state": string(e.State)}}
}

// CheckFair refuses fair operations on events that are not fairs.
func (e *Event) CheckFair() error {
	if !e.IsFair() {
		return &fault.PreconditionError{Reason: ReasonNotAFair, Msg: e.Name() + " is a " + string(e.Kind) + ": booths and exhibitors belong to fairs and exhibitions",
			Meta: map[string]string{"resource": e.Name(), "kind": string(e.Kind)}}
	}
	return nil
}

// CheckDelete allows deleting only a PLANNED event.
func (e *Event) CheckDelete() error {
	if e.State != Planned {
		return fault.Precondition(fault.ReasonNotDeletable, "%s is %s: only a PLANNED event can be deleted; cancel it instead", e.Name(), e.State)
	}
	return nil
}

// Repository stores events with their outbox events and audit records.
type Repository interface {
	Create(ctx context.Context, e *Event, w change.Write) (*Event, error)
	Get(ctx context.Context, n resource.Name) (*Event, error)
	List(ctx context.Context, q paging.ListQuery) (paging.Page[*Event], error)
	Update(ctx context.Context, n resource.Name, w change.Write, fn func(*Event) error) (*Event, error)
	Delete(ctx context.Context, n resource.Name, w change.Write, fn func(*Event) error) error
}
