// Package agreement is a chamber's partnership agreements: the parties
// (chambers, public bodies, associations, banks, foreign chambers…), the
// subject, the general-assembly resolution that approved it, financial
// commitments in centimes of MAD, and the lifecycle DRAFT → APPROVED →
// SIGNED → ACTIVE → EXPIRED, or TERMINATED.
package agreement

import (
	"context"
	"strconv"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/lifecycle"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
)

// Collection is the collection segment of agreement names.
const Collection = "agreements"

// PartyKind is what a party is.
type PartyKind string

// Party kinds.
const (
	Chamber        PartyKind = "CHAMBER"
	PublicBody     PartyKind = "PUBLIC_BODY"
	Association    PartyKind = "ASSOCIATION"
	Bank           PartyKind = "BANK"
	ForeignChamber PartyKind = "FOREIGN_CHAMBER"
	Cooperative    PartyKind = "COOPERATIVE"
	Enterprise     PartyKind = "ENTERPRISE"
	Other          PartyKind = "OTHER"
)

var partyKinds = map[PartyKind]bool{Chamber: true, PublicBody: true, Association: true, Bank: true,
	ForeignChamber: true, Cooperative: true, Enterprise: true, Other: true}

// State of an agreement.
type State string

// States.
const (
	Draft      State = "DRAFT"
	Approved   State = "APPROVED"
	Signed     State = "SIGNED"
	Active     State = "ACTIVE"
	Expired    State = "EXPIRED"
	Terminated State = "TERMINATED"
)

// States lists every state, for filters.
var States = []string{"DRAFT", "APPROVED", "SIGNED", "ACTIVE", "EXPIRED", "TERMINATED"}

// Party is one party to an agreement.
type Party struct {
	Name    l10n.Text `json:"name"`
	Kind    PartyKind `json:"kind"`
	Country string    `json:"country,omitempty"`
}

// Commitment is a party's financial commitment.
type Commitment struct {
	Party          int    `json:"party"` // index in Parties
	Description    string `json:"description,omitempty"`
	AmountCentimes int64  `json:"amount_centimes"`
}

// Agreement is a partnership agreement of a chamber.
type Agreement struct {
	resource.Meta
	Title               l10n.Text     `json:"title"`
	Subject             string        `json:"subject,omitempty"`
	Parties             []Party       `json:"parties"`
	Commitments         []Commitment  `json:"commitments,omitempty"`
	StartDate           resource.Date `json:"start_date,omitempty"`
	EndDate             resource.Date `json:"end_date,omitempty"`
	ApprovingResolution string        `json:"approving_resolution,omitempty"`
	State               State         `json:"state"`
	StateReason         string        `json:"state_reason,omitempty"`
}

// Name is the resource name.
func (a *Agreement) Name() string {
	return resource.Name{Chamber: a.Chamber, Collection: Collection, ID: a.ID}.String()
}

// Total sums the commitments, in centimes.
func (a *Agreement) Total() int64 {
	var t int64
	for _, c := range a.Commitments {
		t += c.AmountCentimes
	}
	return t
}

// Validate checks the agreement's own rules.
func (a *Agreement) Validate() error {
	var vs fault.Violations
	const p = "agreement."
	a.Title.Require(&vs, p+"title")
	if len(a.Parties) < 2 {
		vs.Add(p+"parties", RulePartiesMinimum, "an agreement has at least two parties, got %d", len(a.Parties))
	}
	for i, pt := range a.Parties {
		f := p + "parties[" + strconv.Itoa(i) + "]"
		pt.Name.Require(&vs, f+".display_name")
		if !partyKinds[pt.Kind] {
			vs.Add(f+".kind", RulePartyKind, "unknown kind of party %q", pt.Kind)
		}
	}
	for i, c := range a.Commitments {
		f := p + "commitments[" + strconv.Itoa(i) + "]"
		if c.Party < 0 || c.Party >= len(a.Parties) {
			vs.Add(f+".party", RuleCommitmentParty, "party %d is not one of the %d parties", c.Party, len(a.Parties))
		}
		if c.AmountCentimes < 0 {
			vs.Add(f+".amount_centimes", fault.RuleMoneyNonNegative, "must not be negative")
		}
	}
	for _, d := range []struct {
		field string
		v     resource.Date
	}{{"start_date", a.StartDate}, {"end_date", a.EndDate}} {
		if d.v == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, string(d.v)); err != nil {
			vs.Add(p+d.field, fault.RuleDate, "must be a calendar date YYYY-MM-DD, got %q", d.v)
		}
	}
	if a.StartDate != "" && a.EndDate != "" && a.EndDate < a.StartDate {
		vs.Add(p+"end_date", fault.RuleDatesOrder, "the end date %s is before the start date %s", a.EndDate, a.StartDate)
	}
	return vs.Err()
}

// CheckDraft allows editing and deleting only drafts: what the assembly
// approved is what is signed.
func (a *Agreement) CheckDraft() error {
	if a.State != Draft {
		return &fault.PreconditionError{Reason: ReasonAgreementNotDraft, Msg: a.Name() + " is " + string(a.State) + ": only a DRAFT agreement can be changed or deleted",
			Meta: map[string]string{"resource": a.Name(), "state": string(a.State)}}
	}
	return nil
}

// Action is a lifecycle action on an agreement.
type Action string

// The lifecycle actions.
const (
	Approve   Action = "approve"
	Sign      Action = "sign"
	Activate  Action = "activate"
	Expire    Action = "expire"
	Terminate Action = "terminate"
)

// Transitions is the agreement's state machine: each action, the states it
// may start from, the state it leads to and the event it records.
var Transitions = lifecycle.Table[Action, State]{
	{Action: Approve, From: []State{Draft}, To: Approved, Event: "Approved"},
	{Action: Sign, From: []State{Approved}, To: Signed, Event: "Signed"},
	{Action: Activate, From: []State{Signed}, To: Active, Event: "Activated"},
	{Action: Expire, From: []State{Active}, To: Expired, Event: "Expired"},
	{Action: Terminate, From: []State{Approved, Signed, Active}, To: Terminated, Event: "Terminated"},
}

// Apply performs a lifecycle action, or returns a FAILED_PRECONDITION fault
// when the state or the agreement's own rules do not allow it: activation
// needs both dates, expiry an end date before today (the caller's calendar
// day), approval the adopting resolution (an agenda item name), which
// arg carries; termination keeps arg as its reason.
func (a *Agreement) Apply(action Action, arg string, today resource.Date) error {
	t, err := Transitions.Next(a.Name(), a.State, action)
	if err != nil {
		return err
	}
	switch action {
	case Approve:
		a.ApprovingResolution = arg
	case Activate:
		if a.StartDate == "" || a.EndDate == "" {
			return &fault.PreconditionError{Reason: ReasonDatesRequired, Msg: a.Name() + " needs its start and end dates to come into force",
				Meta: map[string]string{"resource": a.Name()}}
		}
	case Expire:
		if today <= a.EndDate {
			return &fault.PreconditionError{Reason: ReasonNotYetExpired, Msg: a.Name() + " runs until " + string(a.EndDate),
				Meta: map[string]string{"resource": a.Name(), "end_date": string(a.EndDate)}}
		}
	case Terminate:
		a.StateReason = arg
	}
	a.State = t.To
	return nil
}

// Approve records the adopting resolution (an agenda item name).
func (a *Agreement) Approve(resolution string) error { return a.Apply(Approve, resolution, "") }

// Sign records the signature.
func (a *Agreement) Sign() error { return a.Apply(Sign, "", "") }

// Activate puts a signed agreement into force; it needs its dates.
func (a *Agreement) Activate() error { return a.Apply(Activate, "", "") }

// Expire records that an active agreement ran out; today is the caller's
// calendar day.
func (a *Agreement) Expire(today resource.Date) error { return a.Apply(Expire, "", today) }

// Terminate ends an agreement early.
func (a *Agreement) Terminate(reason string) error { return a.Apply(Terminate, reason, "") }

// Repository stores agreements with their outbox events and audit records.
type Repository interface {
	Create(ctx context.Context, a *Agreement, w change.Write) (*Agreement, error)
	Get(ctx context.Context, n resource.Name) (*Agreement, error)
	List(ctx context.Context, q paging.ListQuery) (paging.Page[*Agreement], error)
	Update(ctx context.Context, n resource.Name, w change.Write, fn func(*Agreement) error) (*Agreement, error)
	Delete(ctx context.Context, n resource.Name, w change.Write, fn func(*Agreement) error) error
	// Expiring lists signed or active agreements ending in [from, to],
	// soonest first.
	Expiring(ctx context.Context, q paging.ListQuery, from, to resource.Date) (paging.Page[*Agreement], error)
}
