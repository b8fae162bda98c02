// Package constitutive is the constitutive general assembly of a craft body:
// its roll is the census snapshot, frozen; the committee chair checks the
// quorum of each convocation and the result is kept whether met or not; a
// failed convocation is followed by a second one under the lower
// second-convocation quorum; the statutes are adopted by recorded public
// vote, one vote per member present. Quorum and majority are pkg/assembly's,
// under the body's settings.
package constitutive

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
)

// Error reasons of the constitutive assembly.
const (
	ReasonAssemblyState      = "ASSEMBLY_STATE"
	ReasonNotOnRoll          = "NOT_ON_ROLL"
	ReasonNotPresent         = "NOT_PRESENT"
	ReasonAlreadyVoted       = "ALREADY_VOTED"
	ReasonVoteClosed         = "VOTE_CLOSED"
	ReasonStatutesNotAdopted = "STATUTES_NOT_ADOPTED"
	ReasonEmptyRoll          = "EMPTY_ROLL"
)

// State of the assembly.
type State string

// States.
const (
	Convened     State = "CONVENED"
	QuorumFailed State = "QUORUM_FAILED"
	InSession    State = "IN_SESSION"
	Closed       State = "CLOSED"
)

// VoteState of the statutes vote.
type VoteState string

// Vote states.
const (
	Pending  VoteState = "PENDING"
	Voting   VoteState = "VOTING"
	Adopted  VoteState = "ADOPTED"
	Rejected VoteState = "REJECTED"
)

// QuorumResult is the chair's check of one convocation.
type QuorumResult struct {
	Met       bool      `json:"met"`
	Present   int       `json:"present"`
	Required  int       `json:"required"`
	CheckTime time.Time `json:"check_time"`
}

// Convocation is one sitting called.
type Convocation struct {
	Number  assembly.Convocation `json:"number"`
	Date    resource.Date        `json:"date"`
	Venue   string               `json:"venue"`
	Present []string             `json:"present"`
	Quorum  *QuorumResult        `json:"quorum,omitempty"`
}

// Statutes is the statutes vote: every recorded vote and the decision.
type Statutes struct {
	State  VoteState                  `json:"state"`
	Votes  map[string]assembly.Choice `json:"votes"`
	Result *assembly.Result           `json:"result,omitempty"`
}

// Assembly is the constitutive general assembly of one body.
type Assembly struct {
	resource.Meta
	Body         string             `json:"body"`
	Roll         []string           `json:"roll"`
	Chair        string             `json:"chair"`
	Settings     craftbody.Settings `json:"settings"`
	Convocations []Convocation      `json:"convocations"`
	Statutes     Statutes           `json:"statutes"`
	State        State              `json:"state"`
}

// Name is the singleton's resource name.
func (a *Assembly) Name() string { return a.Body + "/assembly" }

// Convene calls the first sitting. The roll is the census snapshot (its
// member ids, sorted and unique); the chair is the committee chair.
func Convene(body string, roll []string, chair string, s craftbody.Settings, date resource.Date, venue string) (*Assembly, error) {
	var vs fault.Violations
	if _, err := resource.ParseDate("date", string(date)); err != nil || date == "" {
		vs.Add("date", fault.RuleDate, "must be a calendar date YYYY-MM-DD, got %q", date)
	}
	if venue == "" {
		vs.Add("venue", RuleVenueRequired, "the venue of the sitting is required")
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	if len(roll) == 0 {
		return nil, &fault.PreconditionError{Reason: ReasonEmptyRoll, Msg: body + ": the census is empty, no assembly can be convened"}
	}
	r := slices.Clone(roll)
	slices.Sort(r)
	r = slices.Compact(r)
	return &Assembly{
		Body: body, Roll: r, Chair: chair, Settings: s, State: Convened,
		Convocations: []Convocation{{Number: assembly.FirstConvocation, Date: date, Venue: venue, Present: []string{}}},
		Statutes:     Statutes{State: Pending, Votes: map[string]assembly.Choice{}},
	}, nil
}

func (a *Assembly) onRoll(id string) bool {
	_, ok := slices.BinarySearch(a.Roll, id)
	return ok
}

// Current is the convocation being held.
func (a *Assembly) Current() *Convocation { return &a.Convocations[len(a.Convocations)-1] }

func (a *Assembly) stateError(action string) error {
	return &fault.PreconditionError{Reason: ReasonAssemblyState,
		Msg:  fmt.Sprintf("%s is %s: cannot %s", a.Name(), a.State, action),
		Meta: map[string]string{"resource": a.Name(), "state": string(a.State), "action": action}}
}

// RecordAttendance marks members of the roll present or absent on the
// current convocation, before its quorum is checked. Nothing changes when
// any id is not on the roll.
func (a *Assembly) RecordAttendance(present, absent []string) error {
	if a.State != Convened {
		return a.stateError("record attendance")
	}
	var vs fault.Violations
	for i, id := range present {
		if !a.onRoll(id) {
			vs.Add(fmt.Sprintf("present[%d]", i), RuleRollMember, "%s is not on the census roll", id)
		}
	}
	for i, id := range absent {
		if !a.onRoll(id) {
			vs.Add(fmt.Sprintf("absent[%d]", i), RuleRollMember, "%s is not on the census roll", id)
		}
	}
	if err := vs.Err(); err != nil {
		return err
	}
	c := a.Current()
	set := map[string]bool{}
	for _, id := range c.Present {
		set[id] = true
	}
	for _, id := range present {
		set[id] = true
	}
	for _, id := range absent {
		delete(set, id)
	}
	c.Present = slices.Sorted(maps.Keys(set))
	return nil
}

// Required is the head count the current convocation needs.
func (a *Assembly) Required() int {
	return a.Settings.Quorum.Rule().Required(len(a.Roll), a.Current().Number)
}

// CheckQuorum is the chair's check of the current convocation. The result is
// recorded either way: met opens the sitting and the statutes vote; not met
// leaves the assembly waiting for a second convocation.
func (a *Assembly) CheckQuorum(now time.Time) (QuorumResult, error) {
	if a.State != Convened {
		return QuorumResult{}, a.stateError("check the quorum")
	}
	c := a.Current()
	err := a.Settings.Quorum.Rule().Check(len(a.Roll), len(c.Present), c.Number)
	res := QuorumResult{Present: len(c.Present), Required: a.Required(), CheckTime: now.UTC()}
	switch {
	case err == nil:
		res.Met = true
		a.State = InSession
		a.Statutes.State = Voting
	case errors.Is(err, assembly.ErrQuorumNotMet):
		a.State = QuorumFailed
	default:
		return QuorumResult{}, fmt.Errorf("check quorum of %s: %w", a.Name(), err)
	}
	c.Quorum = &res
	return res, nil
}

// Reconvene calls a second convocation after a failed quorum; attendance
// starts afresh. Every later convocation is a second one: the lower bar.
func (a *Assembly) Reconvene(date resource.Date, venue string) error {
	if a.State != QuorumFailed {
		return a.stateError("reconvene")
	}
	if _, err := resource.ParseDate("date", string(date)); err != nil || date == "" {
		return fault.Invalid("date", fault.RuleDate, "must be a calendar date YYYY-MM-DD, got %q", date)
	}
	prev := a.Current()
	if date < prev.Date {
		return fault.Invalid("date", RuleDateAfterPrevious, "the second convocation cannot precede the first (%s)", prev.Date)
	}
	if venue == "" {
		venue = prev.Venue
	}
	a.Convocations = append(a.Convocations, Convocation{Number: assembly.SecondConvocation, Date: date, Venue: venue, Present: []string{}})
	a.State = Convened
	return nil
}

// president is the chair when the chair is a present member: only then does
// the chair's vote settle a tie under PresidentDecides.
func (a *Assembly) president() string {
	if slices.Contains(a.Current().Present, a.Chair) {
		return a.Chair
	}
	return ""
}

// ballot rebuilds the statutes ballot from the stored roll, attendance and
// votes, so the same checks guard stored data and new votes.
func (a *Assembly) ballot() (*assembly.Ballot, error) {
	b, err := assembly.NewBallot(a.Settings.Majority(), assembly.Roll{Members: a.Roll, Present: a.Current().Present, President: a.president()})
	if err != nil {
		return nil, fmt.Errorf("statutes ballot of %s: %w", a.Name(), err)
	}
	for _, m := range slices.Sorted(maps.Keys(a.Statutes.Votes)) {
		if err := b.Cast(m, a.Statutes.Votes[m]); err != nil {
			return nil, fmt.Errorf("stored vote of %s: %w", a.Name(), err)
		}
	}
	return b, nil
}

// CastStatutesVote records one present member's public vote; once per member.
func (a *Assembly) CastStatutesVote(member string, c assembly.Choice) error {
	if a.Statutes.State != Voting {
		return &fault.PreconditionError{Reason: ReasonVoteClosed, Msg: fmt.Sprintf("%s: the statutes vote is %s", a.Name(), a.Statutes.State),
			Meta: map[string]string{"resource": a.Name(), "vote": string(a.Statutes.State)}}
	}
	b, err := a.ballot()
	if err != nil {
		return err
	}
	if err := b.Cast(member, c); err != nil {
		return voteError(a.Name(), member, err)
	}
	a.Statutes.Votes[member] = c
	return nil
}

// voteError turns pkg/assembly's refusals into this service's reasons.
func voteError(name, member string, err error) error {
	meta := map[string]string{"resource": name, "member": member}
	switch {
	case errors.Is(err, assembly.ErrNotMember):
		return &fault.PreconditionError{Reason: ReasonNotOnRoll, Msg: member + " is not on the census roll", Meta: meta}
	case errors.Is(err, assembly.ErrNotPresent):
		return &fault.PreconditionError{Reason: ReasonNotPresent, Msg: member + " was not recorded present", Meta: meta}
	case errors.Is(err, assembly.ErrAlreadyVoted):
		return &fault.PreconditionError{Reason: ReasonAlreadyVoted, Msg: member + " has already voted", Meta: meta}
	case errors.Is(err, assembly.ErrInvalidChoice):
		return fault.Invalid("choice", RuleChoiceKnown, "must be FOR, AGAINST or ABSTAIN")
	}
	return err
}

// CloseStatutesVote decides the statutes under the body's majority rule.
func (a *Assembly) CloseStatutesVote() (assembly.Result, error) {
	if a.Statutes.State != Voting {
		return assembly.Result{}, &fault.PreconditionError{Reason: ReasonVoteClosed, Msg: fmt.Sprintf("%s: the statutes vote is %s", a.Name(), a.Statutes.State)}
	}
	b, err := a.ballot()
	if err != nil {
		return assembly.Result{}, err
	}
	res, err := b.Close()
	if err != nil {
		return assembly.Result{}, fmt.Errorf("close statutes vote of %s: %w", a.Name(), err)
	}
	a.Statutes.Result = &res
	a.Statutes.State = Rejected
	if res.Outcome == assembly.Adopted {
		a.Statutes.State = Adopted
	}
	return res, nil
}

// Present is who is present at the sitting in session.
func (a *Assembly) Present() []string { return a.Current().Present }

// CanElect reports whether the bureau may be elected: in session with the
// statutes adopted.
func (a *Assembly) CanElect() error {
	if a.State != InSession {
		return a.stateError("elect the bureau")
	}
	if a.Statutes.State != Adopted {
		return &fault.PreconditionError{Reason: ReasonStatutesNotAdopted, Msg: a.Name() + ": the statutes must be adopted before the bureau is elected"}
	}
	return nil
}

// Close ends the sitting when the body is constituted.
func (a *Assembly) Close() error {
	if err := a.CanElect(); err != nil {
		return err
	}
	a.State = Closed
	return nil
}

// Repository stores the constitutive assembly of each body (its id is the body's).
type Repository interface {
	Create(ctx context.Context, body resource.Name, a *Assembly, w change.Write) (*Assembly, error)
	Get(ctx context.Context, body resource.Name) (*Assembly, error)
	Update(ctx context.Context, body resource.Name, w change.Write, fn func(*Assembly) error) (*Assembly, error)
}
