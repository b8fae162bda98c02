// Package fair is what happens at a fair or exhibition: the booth inventory,
// exhibitor applications and their selection under the booth count and the
// quota rules, booth allocation, daily visitor counts and declared sales.
//
// Booths, exhibitors and visitor counts are nested under their event; their
// store ids are nested keys ("{event}.{id}", see package nested).
package fair

import (
	"context"
	"math"
	"strconv"
	"strings"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/lifecycle"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/nested"
)

// Collections of the nested resources.
const (
	BoothCollection        = "booths"
	ExhibitorCollection    = "exhibitors"
	VisitorCountCollection = "visitorCounts"
)

// Booth is one booth of a fair's inventory.
type Booth struct {
	resource.Meta
	Number      string  `json:"number"`
	AreaM2      float64 `json:"area_m2"`
	Zone        string  `json:"zone,omitempty"`
	FeeCentimes int64   `json:"fee_centimes"`
}

// NestedName is the booth's parsed name.
func (b *Booth) NestedName() nested.Name {
	return nested.FromKey(b.Chamber, event.Collection, BoothCollection, b.ID)
}

// Name is the resource name.
func (b *Booth) Name() string { return b.NestedName().String() }

// Event is the id of the booth's fair.
func (b *Booth) Event() string { return b.NestedName().Parent }

// Validate checks the booth's own rules.
func (b *Booth) Validate() error {
	var vs fault.Violations
	if strings.TrimSpace(b.Number) == "" {
		vs.Add("booth.number", RuleBoothNumberRequired, "a booth needs its number on the site plan")
	}
	if b.AreaM2 < 0 || math.IsNaN(b.AreaM2) || math.IsInf(b.AreaM2, 0) {
		vs.Add("booth.area_m2", RuleBoothArea, "must be a non-negative number of square metres")
	}
	if b.FeeCentimes < 0 {
		vs.Add("booth.fee_centimes", fault.RuleMoneyNonNegative, "must not be negative")
	}
	return vs.Err()
}

// ApplicantType is what the applicant is in the registry.
type ApplicantType string

// Applicant types.
const (
	Artisan     ApplicantType = "ARTISAN"
	Cooperative ApplicantType = "COOPERATIVE"
	Association ApplicantType = "ASSOCIATION"
	Enterprise  ApplicantType = "ENTERPRISE"
)

// Gender of an artisan applicant.
type Gender string

// Genders ("" for organisations).
const (
	Female Gender = "FEMALE"
	Male   Gender = "MALE"
)

// Standing is what the registry says about a registrant's right to take
// part, reduced to what the selection rules need.
type Standing string

// Standings.
const (
	// Live: registered and in good standing.
	Live Standing = "LIVE"
	// NotRegistered: known but not (yet) registered, e.g. an APPLICANT
	// artisan or a FORMING cooperative.
	NotRegistered Standing = "NOT_REGISTERED"
	// Inactive: suspended, dormant, stagnant, in liquidation, dissolved or closed.
	Inactive Standing = "INACTIVE"
	// StruckOff: struck off the register.
	StruckOff Standing = "STRUCK_OFF"
)

// Applicant is what the registry says about an applicant, at application time.
type Applicant struct {
	Name        string // registry resource name
	Chamber     string // chamber whose register holds it
	Type        ApplicantType
	DisplayName string
	Gender      Gender
	// Women: counted under the WOMEN quota (a woman artisan, a
	// women-majority cooperative, a women's association).
	Women    bool
	Province string
	Activity string
	Standing Standing
	State    string // the registry's own state name, for messages
}

// Admit checks that an applicant may exhibit at fair: live in the registry
// and, when the fair names crafts, working in one of them. Associations
// carry no activity in the register, so the craft rule does not apply to
// them. Each refusal is FAILED_PRECONDITION with its own reason.
func (a Applicant) Admit(f *event.Event) error {
	meta := map[string]string{"resource": a.Name, "state": a.State}
	switch a.Standing {
	case Live:
	case NotRegistered:
		return &fault.PreconditionError{Reason: ReasonApplicantNotRegistered, Msg: a.Name + " is not registered yet (" + a.State + ")", Meta: meta}
	case StruckOff:
		return &fault.PreconditionError{Reason: ReasonApplicantStruckOff, Msg: a.Name + " was struck off the register", Meta: meta}
	default:
		return &fault.PreconditionError{Reason: ReasonApplicantNotActive, Msg: a.Name + " is " + a.State + " in the register", Meta: meta}
	}
	if a.Type != Association && !f.Fair.AdmitsActivity(a.Activity) {
		return &fault.PreconditionError{Reason: ReasonCraftNotAdmitted,
			Msg:  a.Name + " works in " + a.Activity + ", which is not among the crafts of " + f.Name() + " (" + strings.Join(f.Fair.Crafts, ", ") + ")",
			Meta: map[string]string{"resource": a.Name, "activity": a.Activity}}
	}
	return nil
}

// State of an exhibitor application.
type State string

// States.
const (
	Applied    State = "APPLIED"
	Accepted   State = "ACCEPTED"
	Waitlisted State = "WAITLISTED"
	Rejected   State = "REJECTED"
	Withdrawn  State = "WITHDRAWN"
)

// Exhibitor is an application to exhibit at a fair and the participation
// that follows. The registry facts are copied at application time: the
// evaluation reports who exhibited then, whatever the register says later.
type Exhibitor struct {
	resource.Meta
	Applicant     string        `json:"applicant"`
	ApplicantType ApplicantType `json:"applicant_type"`
	DisplayName   string        `json:"display_name,omitempty"`
	Gender        Gender        `json:"gender,omitempty"`
	Women         bool          `json:"women"`
	Rural         bool          `json:"rural"`
	OutsideRegion bool          `json:"outside_region"`
	Province      string        `json:"province,omitempty"`
	Activity      string        `json:"activity,omitempty"`
	Products      string        `json:"products,omitempty"`
	State         State         `json:"state"`
	StateReason   string        `json:"state_reason,omitempty"`
	Booth         string        `json:"booth,omitempty"` // booth id in the same fair
	SalesCentimes int64         `json:"sales_centimes"`
}

// NestedName is the exhibitor's parsed name.
func (x *Exhibitor) NestedName() nested.Name {
	return nested.FromKey(x.Chamber, event.Collection, ExhibitorCollection, x.ID)
}

// Name is the resource name.
func (x *Exhibitor) Name() string { return x.NestedName().String() }

// Event is the id of the exhibitor's fair.
func (x *Exhibitor) Event() string { return x.NestedName().Parent }

// BoothName is the allocated booth's resource name, or "".
func (x *Exhibitor) BoothName() string {
	if x.Booth == "" {
		return ""
	}
	n := x.NestedName()
	n.Collection, n.ID = BoothCollection, x.Booth
	return n.String()
}

// Fill copies the registry facts of a onto the application; organiser is
// the chamber organising the fair.
func (x *Exhibitor) Fill(a Applicant, organiser string) {
	x.Applicant, x.ApplicantType, x.DisplayName = a.Name, a.Type, a.DisplayName
	x.Gender, x.Women, x.Province, x.Activity = a.Gender, a.Women, a.Province, a.Activity
	x.OutsideRegion = a.Chamber != organiser
	x.State, x.StateReason, x.Booth, x.SalesCentimes = Applied, "", "", 0
}

// Flags are the facts the quota rules look at.
type Flags struct{ Women, Rural, OutsideRegion bool }

// Flags returns the exhibitor's quota facts.
func (x *Exhibitor) Flags() Flags {
	return Flags{Women: x.Women, Rural: x.Rural, OutsideRegion: x.OutsideRegion}
}

// Meets reports whether f falls under criterion c.
func (f Flags) Meets(c event.Criterion) bool {
	switch c {
	case event.Women:
		return f.Women
	case event.Rural:
		return f.Rural
	case event.OutsideRegion:
		return f.OutsideRegion
	}
	return false
}

// Action is a selection action on an application.
type Action string

// Actions on an application.
const (
	Accept   Action = "accept"
	Reject   Action = "reject"
	Waitlist Action = "waitlist"
	Withdraw Action = "withdraw"
)

// Transitions is the application's state machine: each action, the states
// it may start from, the state it leads to and the event it records.
var Transitions = lifecycle.Table[Action, State]{
	{Action: Accept, From: []State{Applied, Waitlisted}, To: Accepted, Event: "Accepted"},
	{Action: Reject, From: []State{Applied, Waitlisted}, To: Rejected, Event: "Rejected"},
	{Action: Waitlist, From: []State{Applied}, To: Waitlisted, Event: "Waitlisted"},
	{Action: Withdraw, From: []State{Applied, Accepted, Waitlisted}, To: Withdrawn, Event: "Withdrawn"},
}

// Apply performs a selection action. Withdrawing frees the booth.
func (x *Exhibitor) Apply(action Action, reason string) error {
	t, err := Transitions.Next(x.Name(), x.State, action)
	if err != nil {
		return err
	}
	x.State, x.StateReason = t.To, reason
	if t.To == Withdrawn {
		x.Booth = ""
	}
	return nil
}

// Allocate gives the exhibitor a booth of its fair (moving it if it had
// another). Whether the booth is free is the store's unique index's call.
func (x *Exhibitor) Allocate(booth string) error {
	if x.State != Accepted {
		return &fault.PreconditionError{Reason: ReasonExhibitorNotAccepted,
			Msg:  x.Name() + " is " + string(x.State) + ": only accepted exhibitors get a booth",
			Meta: map[string]string{"resource": x.Name(), "state": string(x.State)}}
	}
	x.Booth = booth
	return nil
}

// DeclareSales records the exhibitor's declared sales (replacing any earlier
// declaration).
func (x *Exhibitor) DeclareSales(centimes int64) error {
	if centimes < 0 {
		return fault.Invalid("sales_centimes", fault.RuleMoneyNonNegative, "sales must not be negative, got %d", centimes)
	}
	if x.State != Accepted {
		return &fault.PreconditionError{Reason: ReasonExhibitorNotAccepted,
			Msg:  x.Name() + " is " + string(x.State) + ": only accepted exhibitors declare sales",
			Meta: map[string]string{"resource": x.Name(), "state": string(x.State)}}
	}
	x.SalesCentimes = centimes
	return nil
}

// Selection is what an acceptance is checked against: the fair's booth
// count and quota rules, and the exhibitors accepted so far.
type Selection struct {
	Booths   int
	Quotas   []event.QuotaRule
	Accepted []Flags
}

// CheckAccept decides whether one more exhibitor with flags x may be
// accepted:
//
//   - every accepted exhibitor needs a booth, so no more are accepted than
//     the fair has booths (BOOTHS_EXHAUSTED);
//   - a MAXIMUM rule caps the exhibitors meeting its criterion
//     (QUOTA_EXCEEDED);
//   - RESERVED booths are kept for their criterion: after the acceptance,
//     the free booths must still cover what each reservation is short of
//     (BOOTHS_RESERVED). An exhibitor meeting a criterion fills its
//     reservation. When one exhibitor could fill two reservations the check
//     counts them apart, so it errs on the side of keeping booths free.
func (s Selection) CheckAccept(x Flags) error {
	after := len(s.Accepted) + 1
	if after > s.Booths {
		return &fault.PreconditionError{Reason: ReasonBoothsExhausted,
			Msg:  "all " + itoa(s.Booths) + " booths of the fair are taken by accepted exhibitors; wait-list the application instead",
			Meta: map[string]string{"booths": itoa(s.Booths)}}
	}
	meeting := func(c event.Criterion) int {
		n := 0
		for _, a := range s.Accepted {
			if a.Meets(c) {
				n++
			}
		}
		if x.Meets(c) {
			n++
		}
		return n
	}
	short := 0
	for _, q := range s.Quotas {
		n := meeting(q.Criterion)
		switch q.Limit {
		case event.Maximum:
			if x.Meets(q.Criterion) && n > q.Booths {
				return &fault.PreconditionError{Reason: ReasonQuotaExceeded,
					Msg:  "the quota of " + itoa(q.Booths) + " booths for " + string(q.Criterion) + " is full",
					Meta: map[string]string{"criterion": string(q.Criterion), "booths": itoa(q.Booths)}}
			}
		case event.Reserved:
			if n < q.Booths {
				short += q.Booths - n
			}
		}
	}
	if free := s.Booths - after; short > free {
		return &fault.PreconditionError{Reason: ReasonBoothsReserved,
			Msg:  "the remaining booths are reserved by the fair's quotas (" + itoa(short) + " reserved places still to fill, " + itoa(s.Booths-len(s.Accepted)) + " booths free)",
			Meta: map[string]string{"reserved_unfilled": itoa(short), "booths": itoa(s.Booths)}}
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// VisitorCount is the visitors of one day of a fair; its id is the day
// as yyyymmdd.
type VisitorCount struct {
	resource.Meta
	Date     resource.Date `json:"date"`
	Visitors int64         `json:"visitors"`
}

// NestedName is the count's parsed name.
func (v *VisitorCount) NestedName() nested.Name {
	return nested.FromKey(v.Chamber, event.Collection, VisitorCountCollection, v.ID)
}

// Name is the resource name.
func (v *VisitorCount) Name() string { return v.NestedName().String() }

// DayID is the id of a day's count: the date without dashes.
func DayID(d resource.Date) string { return strings.ReplaceAll(string(d), "-", "") }

// CheckDay checks a visitor count against its fair's dates.
func CheckDay(f *event.Event, d resource.Date, visitors int64) error {
	var vs fault.Violations
	event.CheckDate(&vs, "visitor_count.date", d)
	if d == "" {
		vs.Add("visitor_count.date", RuleDateRequired, "the day is required")
	}
	if visitors < 0 {
		vs.Add("visitor_count.visitors", RuleVisitorsNonNegative, "must not be negative")
	}
	if err := vs.Err(); err != nil {
		return err
	}
	if d < f.StartDate || d > f.EndDate {
		return fault.Invalid("visitor_count.date", RuleDateOutsideEvent, "%s is outside the fair's days (%s to %s)", d, f.StartDate, f.EndDate)
	}
	return nil
}

// Scope selects the fairs a figures query covers: one fair (Event set), or
// the fairs and exhibitions of a chamber (or every chamber, with
// resource.Wildcard) starting in [From, To], cancelled ones left out.
type Scope struct {
	Chamber  string
	Event    string
	From, To resource.Date
}

// Figures are the live figures of one fair.
type Figures struct {
	Chamber, Event string
	event.Evaluation
}

// Repository stores booths, exhibitors and visitor counts, and computes
// their figures.
type Repository interface {
	CreateBooth(ctx context.Context, b *Booth, w change.Write) (*Booth, error)
	GetBooth(ctx context.Context, n nested.Name) (*Booth, error)
	ListBooths(ctx context.Context, parent resource.Name, q paging.ListQuery) (paging.Page[*Booth], error)
	UpdateBooth(ctx context.Context, n nested.Name, w change.Write, fn func(*Booth) error) (*Booth, error)
	DeleteBooth(ctx context.Context, n nested.Name, w change.Write, fn func(*Booth) error) error
	CountBooths(ctx context.Context, parent resource.Name) (int, error)
	BoothAllocated(ctx context.Context, n nested.Name) (bool, error)

	CreateExhibitor(ctx context.Context, x *Exhibitor, w change.Write) (*Exhibitor, error)
	GetExhibitor(ctx context.Context, n nested.Name) (*Exhibitor, error)
	ListExhibitors(ctx context.Context, parent resource.Name, q paging.ListQuery) (paging.Page[*Exhibitor], error)
	UpdateExhibitor(ctx context.Context, n nested.Name, w change.Write, fn func(*Exhibitor) error) (*Exhibitor, error)
	// AcceptedFlags returns the quota facts of the fair's accepted exhibitors.
	AcceptedFlags(ctx context.Context, parent resource.Name) ([]Flags, error)

	// RecordVisitorCount creates the day's count or replaces it.
	RecordVisitorCount(ctx context.Context, v *VisitorCount, w change.Write) (*VisitorCount, error)
	ListVisitorCounts(ctx context.Context, parent resource.Name, q paging.ListQuery) (paging.Page[*VisitorCount], error)

	// Figures computes the live figures of the fairs in scope, by start
	// date; Registered and Attended are left zero.
	Figures(ctx context.Context, s Scope) ([]Figures, error)
	// DistinctExhibitors counts the different applicants accepted at the
	// fairs in scope.
	DistinctExhibitors(ctx context.Context, s Scope) (int, error)
}
