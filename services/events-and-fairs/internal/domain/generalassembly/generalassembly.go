// Package generalassembly is a chamber's general assembly (law 18.09):
// ordinary sessions in February, June and October, or extraordinary ones;
// the member roll frozen at convocation, so later changes to the roll never
// rewrite a past sitting; attendance and the quorum, checked before the
// sitting opens and again before any vote; agenda items decided by recorded
// public votes. The arithmetic of quorum and majority is pkg/assembly's,
// shared with the craft bodies' constitutive assemblies.
package generalassembly

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/lifecycle"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/nested"
)

// Collection is the collection segment of assembly names.
const Collection = "assemblies"

// SessionType is ordinary or extraordinary.
type SessionType string

// Session types.
const (
	Ordinary      SessionType = "ORDINARY"
	Extraordinary SessionType = "EXTRAORDINARY"
)

// OrdinarySession is the statutory month of an ordinary session.
type OrdinarySession string

// Ordinary sessions.
const (
	February OrdinarySession = "FEBRUARY"
	June     OrdinarySession = "JUNE"
	October  OrdinarySession = "OCTOBER"
)

// State of an assembly.
type State string

// States.
const (
	Convened  State = "CONVENED"
	InSession State = "IN_SESSION"
	Closed    State = "CLOSED"
	Cancelled State = "CANCELLED"
)

// Member is one member on the roll.
type Member struct {
	ID          string    `json:"id"`
	DisplayName l10n.Text `json:"display_name"`
	Registrant  string    `json:"registrant,omitempty"`
	Office      string    `json:"office,omitempty"`
}

// Quorum is the body's quorum setting, as stored.
type Quorum struct {
	Numerator         int `json:"numerator"`
	Denominator       int `json:"denominator"`
	SecondNumerator   int `json:"second_numerator,omitempty"`
	SecondDenominator int `json:"second_denominator,omitempty"`
	SecondMinimum     int `json:"second_minimum,omitempty"`
}

// Rule is the setting as pkg/assembly's rule.
func (q Quorum) Rule() assembly.QuorumRule {
	r := assembly.QuorumRule{Numerator: q.Numerator, Denominator: q.Denominator, SecondConvocationMinimum: q.SecondMinimum}
	if q.SecondNumerator != 0 {
		r.SecondConvocationFraction = assembly.Fraction{Numerator: q.SecondNumerator, Denominator: q.SecondDenominator}
	}
	return r
}

// Assembly is one general assembly of a chamber.
type Assembly struct {
	resource.Meta
	Title            l10n.Text            `json:"title"`
	SessionType      SessionType          `json:"session_type"`
	OrdinarySession  OrdinarySession      `json:"ordinary_session,omitempty"`
	Date             resource.Date        `json:"date,omitempty"`
	Venue            string               `json:"venue,omitempty"`
	Members          []Member             `json:"members"`
	President        string               `json:"president,omitempty"`
	Quorum           Quorum               `json:"quorum"`
	AbstentionsCount bool                 `json:"abstentions_count"`
	Convocation      assembly.Convocation `json:"convocation"`
	Present          []string             `json:"present"`
	State            State                `json:"state"`
	StateReason      string               `json:"state_reason,omitempty"`
	OpenTime         *time.Time           `json:"open_time,omitempty"`
	// Demo marks a record the demo profile seeded (invented data); only
	// the seed sets it, and the API shows it.
	Demo bool `json:"demo,omitempty"`
}

// Name is the resource name.
func (a *Assembly) Name() string {
	return resource.Name{Chamber: a.Chamber, Collection: Collection, ID: a.ID}.String()
}

// MemberIDs lists the roll's member ids in roll order.
func (a *Assembly) MemberIDs() []string {
	ids := make([]string, len(a.Members))
	for i, m := range a.Members {
		ids[i] = m.ID
	}
	return ids
}

// IsMember reports whether id is on the roll.
func (a *Assembly) IsMember(id string) bool {
	for _, m := range a.Members {
		if m.ID == id {
			return true
		}
	}
	return false
}

// Member returns the member with id.
func (a *Assembly) Member(id string) (Member, bool) {
	for _, m := range a.Members {
		if m.ID == id {
			return m, true
		}
	}
	return Member{}, false
}

// Validate checks the assembly as convened.
func (a *Assembly) Validate() error {
	var vs fault.Violations
	const p = "assembly."
	a.Title.Require(&vs, p+"title")
	switch a.SessionType {
	case Ordinary:
		if a.OrdinarySession != February && a.OrdinarySession != June && a.OrdinarySession != October {
			vs.Add(p+"ordinary_session", RuleSessionOrdinary, "an ordinary session is the February, June or October session")
		}
	case Extraordinary:
		if a.OrdinarySession != "" {
			vs.Add(p+"ordinary_session", RuleSessionExtraordinary, "an extraordinary session has no ordinary session month")
		}
	default:
		vs.Add(p+"session_type", RuleSessionRequired, "ORDINARY or EXTRAORDINARY is required")
	}
	if a.Date != "" {
		if _, err := time.Parse(time.DateOnly, string(a.Date)); err != nil {
			vs.Add(p+"date", fault.RuleDate, "must be a calendar date YYYY-MM-DD, got %q", a.Date)
		}
	}
	if len(a.Members) == 0 {
		vs.Add(p+"members", RuleMembersRequired, "the roll of members is required")
	}
	seen := map[string]bool{}
	for i, m := range a.Members {
		f := p + "members[" + strconv.Itoa(i) + "]"
		switch {
		case m.ID == "":
			vs.Add(f+".id", RuleMemberID, "a member needs an id")
		case seen[m.ID]:
			vs.Add(f+".id", RuleMemberDuplicate, "member %q is on the roll twice", m.ID)
		}
		seen[m.ID] = true
		m.DisplayName.Require(&vs, f+".display_name")
	}
	if a.President != "" && !seen[a.President] {
		vs.Add(p+"president", RulePresidentMember, "the president %q is not on the roll", a.President)
	}
	if err := a.Quorum.Rule().Validate(); err != nil {
		vs.Add(p+"quorum", RuleQuorumInvalid, "%s", err.Error())
	}
	return vs.Err()
}

func (a *Assembly) precondition(reason, msg string) error {
	return &fault.PreconditionError{Reason: reason, Msg: a.Name() + ": " + msg, Meta: map[string]string{"resource": a.Name(), "state": string(a.State)}}
}

// RecordAttendance marks members present and absent while the assembly is
// convened or sitting.
func (a *Assembly) RecordAttendance(present, absent []string) error {
	if a.State != Convened && a.State != InSession {
		return a.precondition(ReasonAssemblyNotSitting, "attendance is recorded only while the assembly is CONVENED or IN_SESSION, not "+string(a.State))
	}
	var vs fault.Violations
	for i, id := range present {
		if !a.IsMember(id) {
			vs.Add("present["+strconv.Itoa(i)+"]", RuleMemberUnknown, "%q is not on the roll", id)
		}
	}
	for i, id := range absent {
		if !a.IsMember(id) {
			vs.Add("absent["+strconv.Itoa(i)+"]", RuleMemberUnknown, "%q is not on the roll", id)
		}
	}
	if err := vs.Err(); err != nil {
		return err
	}
	set := map[string]bool{}
	for _, id := range a.Present {
		set[id] = true
	}
	for _, id := range present {
		set[id] = true
	}
	for _, id := range absent {
		delete(set, id)
	}
	// Keep roll order, so the minutes list members as the roll does.
	a.Present = a.Present[:0]
	for _, id := range a.MemberIDs() {
		if set[id] {
			a.Present = append(a.Present, id)
		}
	}
	return nil
}

// Required is the number of members needed present on the current convocation.
func (a *Assembly) Required() int {
	return a.Quorum.Rule().Required(len(a.Members), a.Convocation)
}

// CheckQuorum returns FAILED_PRECONDITION QUORUM_NOT_MET unless the members
// present meet the quorum on the current convocation.
func (a *Assembly) CheckQuorum() error {
	err := a.Quorum.Rule().Check(len(a.Members), len(a.Present), a.Convocation)
	var qe *assembly.QuorumError
	if errors.As(err, &qe) {
		return &fault.PreconditionError{Reason: ReasonQuorumNotMet, Msg: a.Name() + ": " + qe.Error(),
			Meta: map[string]string{"resource": a.Name(), "present": strconv.Itoa(qe.Present), "required": strconv.Itoa(qe.Required),
				"members": strconv.Itoa(qe.Members), "convocation": qe.Convocation.String()}}
	}
	if err != nil {
		return a.precondition(ReasonQuorumRuleInvalid, err.Error())
	}
	return nil
}

// Action is a lifecycle action on an assembly. Recording attendance and
// reconvening change the sitting, not its state, and are not actions.
type Action string

// The lifecycle actions.
const (
	Open   Action = "open the session"
	Close  Action = "close"
	Cancel Action = "cancel"
)

// Transitions is the assembly's state machine: each action, the states it
// may start from, the state it leads to and the event it records.
var Transitions = lifecycle.Table[Action, State]{
	{Action: Open, From: []State{Convened}, To: InSession, Event: "SessionOpened"},
	{Action: Close, From: []State{InSession}, To: Closed, Event: "Closed"},
	{Action: Cancel, From: []State{Convened}, To: Cancelled, Event: "Cancelled"},
}

func (a *Assembly) next(action Action) (State, error) {
	t, err := Transitions.Next(a.Name(), a.State, action)
	return t.To, err
}

// Open opens the sitting once the quorum is met.
func (a *Assembly) Open(now time.Time) error {
	to, err := a.next(Open)
	if err != nil {
		return err
	}
	if err := a.CheckQuorum(); err != nil {
		return err
	}
	a.State, a.OpenTime = to, &now
	return nil
}

// Reconvene calls a second convocation after a first sitting lacked its
// quorum: a new date, and attendance taken afresh.
func (a *Assembly) Reconvene(date resource.Date) error {
	if a.State != Convened || a.Convocation != assembly.FirstConvocation {
		return a.precondition(ReasonNotReconvenable, "only an assembly CONVENED on its first convocation can be called again")
	}
	a.Convocation, a.Date, a.Present = assembly.SecondConvocation, date, nil
	return nil
}

// Close closes the sitting; open votes are the caller's to check.
func (a *Assembly) Close() error {
	to, err := a.next(Close)
	if err != nil {
		return err
	}
	a.State = to
	return nil
}

// Cancel cancels a convened assembly.
func (a *Assembly) Cancel(reason string) error {
	to, err := a.next(Cancel)
	if err != nil {
		return err
	}
	a.State, a.StateReason = to, reason
	return nil
}

// CheckEditable allows changing the title, date or venue while convened.
func (a *Assembly) CheckEditable() error {
	if a.State != Convened {
		return a.precondition(ReasonAssemblyNotEditable, "only a CONVENED assembly can be changed")
	}
	return nil
}

// Repository stores assemblies with their outbox events and audit records.
type Repository interface {
	Create(ctx context.Context, a *Assembly, w change.Write) (*Assembly, error)
	Get(ctx context.Context, n resource.Name) (*Assembly, error)
	List(ctx context.Context, q paging.ListQuery) (paging.Page[*Assembly], error)
	Update(ctx context.Context, n resource.Name, w change.Write, fn func(*Assembly) error) (*Assembly, error)
}

// ItemCollection is the collection of agenda items under an assembly.
const ItemCollection = "items"

// ItemKind is what an agenda item puts to the vote.
type ItemKind string

// Item kinds.
const (
	PartnershipAgreement  ItemKind = "PARTNERSHIP_AGREEMENT"
	AdministrativeAccount ItemKind = "ADMINISTRATIVE_ACCOUNT"
	ActionProgramme       ItemKind = "ACTION_PROGRAMME"
	FairsCalendar         ItemKind = "FAIRS_CALENDAR"
	ActivityReport        ItemKind = "ACTIVITY_REPORT"
	Other                 ItemKind = "OTHER"
)

// ItemState is where an item stands.
type ItemState string

// Item states.
const (
	Pending  ItemState = "PENDING"
	Voting   ItemState = "VOTING"
	Adopted  ItemState = "ADOPTED"
	Rejected ItemState = "REJECTED"
)

// Item is one agenda item with its public vote.
type Item struct {
	resource.Meta
	Position  int       `json:"position"`
	Title     l10n.Text `json:"title"`
	Kind      ItemKind  `json:"kind"`
	Agreement string    `json:"agreement,omitempty"`
	State     ItemState `json:"state"`
	// The ballot's roll, frozen when the vote opened: the whole roll (to
	// tell non-members from absent members), the members present then, and
	// the presiding member if present.
	Roll             []string `json:"roll,omitempty"`
	Voters           []string `json:"voters,omitempty"`
	President        string   `json:"president,omitempty"`
	AbstentionsCount bool     `json:"abstentions_count"`
	// Votes are the recorded public votes, by member id.
	Votes      map[string]assembly.Choice `json:"votes,omitempty"`
	Result     *assembly.Result           `json:"result,omitempty"`
	Resolution l10n.Text                  `json:"resolution"`
}

// NestedName is the item's parsed name.
func (it *Item) NestedName() nested.Name {
	return nested.FromKey(it.Chamber, Collection, ItemCollection, it.ID)
}

// Name is the resource name.
func (it *Item) Name() string { return it.NestedName().String() }

// Validate checks the item as put on the agenda.
func (it *Item) Validate() error {
	var vs fault.Violations
	it.Title.Require(&vs, "item.title")
	switch it.Kind {
	case PartnershipAgreement:
		if it.Agreement == "" {
			vs.Add("item.agreement", RuleItemAgreementRequired, "a partnership agreement item names the agreement voted on")
		}
	case AdministrativeAccount, ActionProgramme, FairsCalendar, ActivityReport, Other:
		if it.Agreement != "" {
			vs.Add("item.agreement", RuleItemAgreementKind, "only PARTNERSHIP_AGREEMENT items name an agreement")
		}
	default:
		vs.Add("item.kind", RuleItemKindRequired, "the kind of item is required")
	}
	if it.Position < 0 {
		vs.Add("item.position", RuleItemPosition, "must not be negative")
	}
	return vs.Err()
}

func (it *Item) precondition(reason, msg string) error {
	return &fault.PreconditionError{Reason: reason, Msg: it.Name() + ": " + msg, Meta: map[string]string{"resource": it.Name(), "state": string(it.State)}}
}

// OpenVote opens the vote in a sitting assembly whose quorum is met now,
// freezing who may vote.
func (it *Item) OpenVote(a *Assembly) error {
	if it.State != Pending {
		return it.precondition(ReasonVoteNotPending, "the vote is "+string(it.State)+"; an item is put to the vote once")
	}
	if a.State != InSession {
		return &fault.PreconditionError{Reason: ReasonSessionNotOpen, Msg: a.Name() + " is " + string(a.State) + ": votes are held only once the sitting is open with its quorum",
			Meta: map[string]string{"resource": a.Name(), "state": string(a.State)}}
	}
	if err := a.CheckQuorum(); err != nil {
		return err
	}
	it.Roll, it.Voters = a.MemberIDs(), slices.Clone(a.Present)
	it.President = ""
	if slices.Contains(a.Present, a.President) {
		it.President = a.President
	}
	it.AbstentionsCount = a.AbstentionsCount
	it.Votes = map[string]assembly.Choice{}
	it.State = Voting
	return nil
}

func (it *Item) rule() assembly.MajorityRule {
	return assembly.MajorityRule{AbstentionsCount: it.AbstentionsCount, TieBreak: assembly.PresidentDecides}
}

// ballot rebuilds the item's ballot from the stored roll and votes, so the
// same checks guard the stored data.
func (it *Item) ballot() (*assembly.Ballot, error) {
	b, err := assembly.NewBallot(it.rule(), assembly.Roll{Members: it.Roll, Present: it.Voters, President: it.President})
	if err != nil {
		return nil, err
	}
	for _, m := range slices.Sorted(maps.Keys(it.Votes)) {
		if err := b.Cast(m, it.Votes[m]); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// Cast records member's public vote.
func (it *Item) Cast(member string, c assembly.Choice) error {
	switch it.State {
	case Pending:
		return it.precondition(ReasonVoteNotOpen, "the vote on this item is not open")
	case Adopted, Rejected:
		return it.precondition(ReasonItemClosed, "the vote on this item is closed")
	}
	b, err := it.ballot()
	if err != nil {
		return err
	}
	if err := b.Cast(member, c); err != nil {
		meta := map[string]string{"resource": it.Name(), "member": member}
		switch {
		case errors.Is(err, assembly.ErrNotMember):
			return &fault.PreconditionError{Reason: ReasonNotAMember, Msg: member + " is not on the roll of the assembly", Meta: meta}
		case errors.Is(err, assembly.ErrNotPresent):
			return &fault.PreconditionError{Reason: ReasonMemberAbsent, Msg: member + " was not present when the vote opened", Meta: meta}
		case errors.Is(err, assembly.ErrAlreadyVoted):
			return &fault.PreconditionError{Reason: ReasonAlreadyVoted, Msg: member + " has voted on this item already; votes cannot change", Meta: meta}
		case errors.Is(err, assembly.ErrInvalidChoice):
			return fault.Invalid("choice", RuleChoiceInvalid, "choose FOR, AGAINST or ABSTAIN")
		}
		return err
	}
	it.Votes = b.Tally()
	return nil
}

// CloseVote decides the item under the majority rule and records the
// resolution; a closed item never changes.
func (it *Item) CloseVote(resolution l10n.Text) error {
	if it.State != Voting {
		return it.precondition(ReasonVoteNotOpen, "the vote on this item is not open")
	}
	b, err := it.ballot()
	if err != nil {
		return err
	}
	res, err := b.Close()
	if err != nil {
		return err
	}
	it.Result, it.Resolution = &res, resolution
	it.State = Rejected
	if res.Outcome == assembly.Adopted {
		it.State = Adopted
	}
	return nil
}

// ItemRepository stores agenda items with their outbox events and audit records.
type ItemRepository interface {
	Create(ctx context.Context, it *Item, w change.Write) (*Item, error)
	Get(ctx context.Context, n nested.Name) (*Item, error)
	// List lists an assembly's items by position.
	List(ctx context.Context, parent resource.Name, q paging.ListQuery) (paging.Page[*Item], error)
	Update(ctx context.Context, n nested.Name, w change.Write, fn func(*Item) error) (*Item, error)
	// CountVoting counts the assembly's items whose vote is open.
	CountVoting(ctx context.Context, parent resource.Name) (int, error)
}
