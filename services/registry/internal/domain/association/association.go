// Package association is the chambers' inventory of sector associations
// (dahir of 1958). The law knows no dormant association, so ACTIVE and
// STAGNANT are the chamber's sorting on evidence.
package association

import (
	"context"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/lifecycle"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
)

// Collection is the collection segment of association names.
const Collection = "associations"

// State of an association.
type State string

// States.
const (
	Declared  State = "DECLARED"
	Active    State = "ACTIVE"
	Stagnant  State = "STAGNANT"
	Dissolved State = "DISSOLVED"
)

// Category of association.
type Category string

// Categories.
var categories = map[Category]bool{"PROFESSIONAL": true, "DEVELOPMENT": true, "WOMEN": true, "YOUTH": true, "OTHER": true}

// DefinitiveReceiptDays is the delay of the definitive receipt after the
// provisional one.
const DefinitiveReceiptDays = 60

// Receipt is the declaration receipt.
type Receipt struct {
	Number          string        `json:"number,omitempty"`
	ProvisionalDate resource.Date `json:"provisional_date,omitempty"`
	DefinitiveDate  resource.Date `json:"definitive_date,omitempty"`
}

// Association is an association in a chamber's territory.
type Association struct {
	resource.Meta
	DisplayName             l10n.Text     `json:"display_name"`
	Object                  string        `json:"object,omitempty"`
	Province                string        `json:"province,omitempty"`
	Receipt                 Receipt       `json:"receipt"`
	President               string        `json:"president,omitempty"`
	LastGeneralAssemblyDate resource.Date `json:"last_general_assembly_date,omitempty"`
	Category                Category      `json:"category,omitempty"`
	Contact                 l10n.Contact  `json:"contact"`
	State                   State         `json:"state"`
	StateReason             string        `json:"state_reason,omitempty"`
	// BureauRenewalDate is the last election or renewal of the bureau.
	BureauRenewalDate resource.Date `json:"bureau_renewal_date,omitempty"`
	// StateActor is who made the last move that recorded a reason
	// (marking stagnant, dissolving): the manual sorting names its author.
	StateActor string `json:"state_actor,omitempty"`
	// Demo marks a record the demo profile seeded (invented data); only
	// the seeder sets it.
	Demo bool `json:"demo,omitempty"`
}

// DefinitiveReceiptDue is the day the definitive receipt is due, "" without
// a provisional receipt.
func (a *Association) DefinitiveReceiptDue() resource.Date {
	if a.Receipt.ProvisionalDate == "" {
		return ""
	}
	return resource.Date(a.Receipt.ProvisionalDate.Time().AddDate(0, 0, DefinitiveReceiptDays).Format(time.DateOnly))
}

// Name is the resource name.
func (a *Association) Name() string {
	return resource.Name{Chamber: a.Chamber, Collection: Collection, ID: a.ID}.String()
}

// Validate checks the association's own rules.
func (a *Association) Validate(now time.Time) error {
	var vs fault.Violations
	const p = "association."
	a.DisplayName.Require(&vs, p+"display_name")
	if strings.TrimSpace(a.Object) == "" {
		vs.Add(p+"object", fault.RuleRequired, "the object stated in the statutes is required")
	}
	if !categories[a.Category] {
		vs.Add(p+"category", fault.RuleRequired, "must be PROFESSIONAL, DEVELOPMENT, WOMEN, YOUTH or OTHER")
	}
	if a.Receipt.ProvisionalDate == "" {
		vs.Add(p+"receipt.provisional_date", fault.RuleRequired, "the date of the provisional receipt is required")
	} else if a.Receipt.ProvisionalDate.Time().After(now) {
		vs.Add(p+"receipt.provisional_date", fault.RuleDateFuture, "cannot be in the future")
	}
	if d := a.Receipt.DefinitiveDate; d != "" && a.Receipt.ProvisionalDate != "" && d.Time().Before(a.Receipt.ProvisionalDate.Time()) {
		vs.Add(p+"receipt.definitive_date", RuleReceiptOrder, "cannot be before the provisional receipt")
	}
	if d := a.LastGeneralAssemblyDate; d != "" && d.Time().After(now) {
		vs.Add(p+"last_general_assembly_date", fault.RuleDateFuture, "cannot be in the future")
	}
	if d := a.BureauRenewalDate; d != "" && d.Time().After(now) {
		vs.Add(p+"bureau_renewal_date", fault.RuleDateFuture, "cannot be in the future")
	}
	return vs.Err()
}

// Action is a lifecycle action on an association.
type Action string

// The lifecycle actions.
const (
	Activate     Action = "activate"
	MarkStagnant Action = "mark stagnant"
	Reactivate   Action = "reactivate"
	Dissolve     Action = "dissolve"
)

// Transitions is the association's state machine: each action, the states
// it may start from, the state it leads to and the event it records.
var Transitions = lifecycle.Table[Action, State]{
	{Action: Activate, From: []State{Declared}, To: Active, Event: "Activated"},
	{Action: MarkStagnant, From: []State{Active}, To: Stagnant, Event: "MarkedStagnant"},
	{Action: Reactivate, From: []State{Stagnant}, To: Active, Event: "Reactivated"},
	{Action: Dissolve, From: []State{Declared, Active, Stagnant}, To: Dissolved, Event: "Dissolved"},
}

// Apply performs a lifecycle action; reason is kept by the moves that
// record one (marking stagnant, dissolving).
func (a *Association) Apply(action Action, reason string) error {
	return a.ApplyBy(action, reason, "")
}

// ApplyBy performs a lifecycle action by actor (a token subject), who is
// kept with the reason.
func (a *Association) ApplyBy(action Action, reason, actor string) error {
	t, err := Transitions.Next(a.Name(), a.State, action)
	if err != nil {
		return err
	}
	if action == Activate && a.Receipt.DefinitiveDate == "" {
		return &fault.PreconditionError{Reason: ReasonDefinitiveReceiptMissing,
			Msg:  a.Name() + " has no definitive receipt date: record it before activating",
			Meta: map[string]string{"resource": a.Name()}}
	}
	if action == Activate || action == Reactivate {
		reason, actor = "", ""
	}
	a.State, a.StateReason, a.StateActor = t.To, reason, actor
	return nil
}

// Activate records that the definitive receipt was given.
func (a *Association) Activate() error { return a.Apply(Activate, "") }

// MarkStagnant sorts an active association as stagnant.
func (a *Association) MarkStagnant(reason string) error { return a.Apply(MarkStagnant, reason) }

// Reactivate sorts a stagnant association back as active.
func (a *Association) Reactivate() error { return a.Apply(Reactivate, "") }

// Dissolve records the dissolution.
func (a *Association) Dissolve(reason string) error { return a.Apply(Dissolve, reason) }

// Repository stores associations with their outbox events and audit records.
type Repository interface {
	Create(ctx context.Context, a *Association, w change.Write) (*Association, error)
	Get(ctx context.Context, n resource.Name) (*Association, error)
	List(ctx context.Context, q paging.ListQuery) (paging.Page[*Association], error)
	Update(ctx context.Context, n resource.Name, w change.Write, fn func(*Association) error) (*Association, error)
}
