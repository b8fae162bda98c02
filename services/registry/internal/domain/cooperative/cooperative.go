// Package cooperative is the chambers' register of traditional-industry
// cooperatives (law 112.12): capital and share rules, the minimum number of
// members, and the lifecycle FORMING → REGISTERED → ACTIVE ⇄ DORMANT →
// DISSOLVED / IN_LIQUIDATION.
package cooperative

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
	"github.com/hirfa/hirfa/services/registry/internal/domain/docref"
)

// Collection is the collection segment of cooperative names.
const Collection = "cooperatives"

// State of a cooperative.
type State string

// States.
const (
	Forming       State = "FORMING"
	Registered    State = "REGISTERED"
	Active        State = "ACTIVE"
	Dormant       State = "DORMANT"
	Dissolved     State = "DISSOLVED"
	InLiquidation State = "IN_LIQUIDATION"
)

// Law 112.12 minimums, in centimes of MAD.
const (
	MinCapitalCentimes    = 1_000_00
	MinShareValueCentimes = 100_00
)

// Rules are the settings of the cooperative rules that the law leaves to
// configuration.
type Rules struct {
	MinMembers int // default 5
}

// DefaultRules are the rules when nothing is configured.
func DefaultRules() Rules { return Rules{MinMembers: 5} }

// Cooperative is a cooperative in a chamber's territory.
type Cooperative struct {
	resource.Meta
	DisplayName        l10n.Text     `json:"display_name"`
	Activity           string        `json:"activity,omitempty"`
	Province           string        `json:"province,omitempty"`
	FoundingDate       resource.Date `json:"founding_date,omitempty"`
	CapitalCentimes    int64         `json:"capital_centimes"`
	ShareValueCentimes int64         `json:"share_value_centimes"`
	MembersWomen       int           `json:"members_women"`
	MembersMen         int           `json:"members_men"`
	// ODCOCertificateReference is the free-text reference of ODCO's name
	// certificate that cooperatives registered before name requests carry;
	// registration now takes NameCertificate.
	ODCOCertificateReference string `json:"odco_certificate_reference,omitempty"`
	// NameCertificate is the number of the ODCO name certificate
	// (namerequest) the cooperative's registration consumed.
	NameCertificate     string       `json:"name_certificate,omitempty"`
	LocalRegisterNumber string       `json:"local_register_number,omitempty"`
	UnionName           string       `json:"union_name,omitempty"`
	Contact             l10n.Contact `json:"contact"`
	State               State        `json:"state"`
	StateReason         string       `json:"state_reason,omitempty"`
	// Demo marks a record the demo profile seeded (invented data); only
	// the seeder sets it.
	Demo bool `json:"demo,omitempty"`
}

// Name is the resource name.
func (c *Cooperative) Name() string {
	return resource.Name{Chamber: c.Chamber, Collection: Collection, ID: c.ID}.String()
}

// Members is the total number of members.
func (c *Cooperative) Members() int { return c.MembersWomen + c.MembersMen }

// Validate checks the cooperative's own rules.
func (c *Cooperative) Validate(r Rules, now time.Time) error {
	var vs fault.Violations
	const p = "cooperative."
	c.DisplayName.Require(&vs, p+"display_name")
	if c.CapitalCentimes < MinCapitalCentimes {
		vs.Add(p+"capital_centimes", RuleCapitalMinimum, "share capital must be at least 1,000.00 MAD (%d centimes), got %d", MinCapitalCentimes, c.CapitalCentimes)
	}
	if c.ShareValueCentimes < MinShareValueCentimes {
		vs.Add(p+"share_value_centimes", RuleShareValueMinimum, "a share must be worth at least 100.00 MAD (%d centimes), got %d", MinShareValueCentimes, c.ShareValueCentimes)
	} else if c.CapitalCentimes%c.ShareValueCentimes != 0 {
		vs.Add(p+"capital_centimes", RuleCapitalWholeShares, "capital %d is not a whole number of shares of %d", c.CapitalCentimes, c.ShareValueCentimes)
	}
	if c.Members() < r.MinMembers {
		vs.Add(p+"members_women", RuleMembersMinimum, "a cooperative needs at least %d members, got %d", r.MinMembers, c.Members())
	}
	if c.FoundingDate != "" && c.FoundingDate.Time().After(now) {
		vs.Add(p+"founding_date", fault.RuleDateFuture, "cannot be in the future")
	}
	docref.Check(&vs, p+"local_register_number", c.LocalRegisterNumber, c.Chamber)
	return vs.Err()
}

// Action is a lifecycle action on a cooperative.
type Action string

// The lifecycle actions.
const (
	Register    Action = "register"
	Activate    Action = "activate"
	MarkDormant Action = "mark dormant"
	Reactivate  Action = "reactivate"
	Liquidate   Action = "liquidate"
	Dissolve    Action = "dissolve"
)

// Transitions is the cooperative's state machine: each action, the states
// it may start from, the state it leads to and the event it records.
var Transitions = lifecycle.Table[Action, State]{
	{Action: Register, From: []State{Forming}, To: Registered, Event: "Registered"},
	{Action: Activate, From: []State{Registered}, To: Active, Event: "Activated"},
	{Action: MarkDormant, From: []State{Active}, To: Dormant, Event: "MarkedDormant"},
	{Action: Reactivate, From: []State{Dormant}, To: Active, Event: "Reactivated"},
	{Action: Liquidate, From: []State{Active, Dormant}, To: InLiquidation, Event: "Liquidated"},
	{Action: Dissolve, From: []State{Registered, Active, Dormant, InLiquidation}, To: Dissolved, Event: "Dissolved"},
}

// Apply performs a lifecycle action with its reason, or returns a
// FAILED_PRECONDITION fault when the state does not allow it.
func (c *Cooperative) Apply(action Action, reason string) error {
	t, err := Transitions.Next(c.Name(), c.State, action)
	if err != nil {
		return err
	}
	if action == Register {
		var missing []string
		if strings.TrimSpace(c.LocalRegisterNumber) == "" {
			missing = append(missing, "local_register_number")
		}
		if strings.TrimSpace(c.NameCertificate) == "" {
			missing = append(missing, "name_certificate")
		}
		if len(missing) > 0 {
			return &fault.PreconditionError{Reason: ReasonRegistrationIncomplete,
				Msg:  c.Name() + " cannot be registered without " + strings.Join(missing, " and "),
				Meta: map[string]string{"resource": c.Name(), "missing": strings.Join(missing, ",")}}
		}
	}
	c.State, c.StateReason = t.To, reason
	return nil
}

// CheckDelete allows deleting only a cooperative that never got registered.
func (c *Cooperative) CheckDelete() error {
	if c.State != Forming {
		return fault.Precondition(fault.ReasonNotDeletable, "%s is %s: only a FORMING cooperative can be deleted", c.Name(), c.State)
	}
	return nil
}

// Repository stores cooperatives with their outbox events and audit records.
type Repository interface {
	Create(ctx context.Context, c *Cooperative, w change.Write) (*Cooperative, error)
	Get(ctx context.Context, n resource.Name) (*Cooperative, error)
	List(ctx context.Context, q paging.ListQuery) (paging.Page[*Cooperative], error)
	Update(ctx context.Context, n resource.Name, w change.Write, fn func(*Cooperative) error) (*Cooperative, error)
	Delete(ctx context.Context, n resource.Name, w change.Write, fn func(*Cooperative) error) error
}
