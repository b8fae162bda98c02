// Package enterprise is the register of traditional-industry enterprises,
// whose production is supervised by a registered artisan (law 50.17).
package enterprise

import (
	"context"
	"regexp"
	"strings"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/lifecycle"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
)

// Collection is the collection segment of enterprise names.
const Collection = "enterprises"

// State of an enterprise.
type State string

// States.
const (
	Active State = "ACTIVE"
	Closed State = "CLOSED"
)

// Enterprise is an enterprise in a chamber's territory.
type Enterprise struct {
	resource.Meta
	DisplayName        l10n.Text    `json:"display_name"`
	ICE                string       `json:"ice,omitempty"`
	RC                 string       `json:"rc,omitempty"`
	Activity           string       `json:"activity,omitempty"`
	Province           string       `json:"province,omitempty"`
	SupervisingArtisan string       `json:"supervising_artisan,omitempty"`
	Contact            l10n.Contact `json:"contact"`
	State              State        `json:"state"`
	StateReason        string       `json:"state_reason,omitempty"`
	// Demo marks a record the demo profile seeded (invented data); only
	// the seeder sets it.
	Demo bool `json:"demo,omitempty"`
}

// Name is the resource name.
func (e *Enterprise) Name() string {
	return resource.Name{Chamber: e.Chamber, Collection: Collection, ID: e.ID}.String()
}

var icePattern = regexp.MustCompile(`^[0-9]{15}$`)

// Validate checks the enterprise's own rules.
func (e *Enterprise) Validate() error {
	var vs fault.Violations
	const p = "enterprise."
	e.DisplayName.Require(&vs, p+"display_name")
	if !icePattern.MatchString(e.ICE) {
		vs.Add(p+"ice", RuleICEFormat, "the ICE must be 15 digits")
	}
	if strings.TrimSpace(e.SupervisingArtisan) == "" {
		vs.Add(p+"supervising_artisan", fault.RuleRequired, "production must be supervised by a registered artisan")
	}
	return vs.Err()
}

// Action is a lifecycle action on an enterprise.
type Action string

// The lifecycle actions.
const (
	Close Action = "close"
)

// Transitions is the enterprise's state machine: each action, the states it
// may start from, the state it leads to and the event it records.
var Transitions = lifecycle.Table[Action, State]{
	{Action: Close, From: []State{Active}, To: Closed, Event: "Closed"},
}

// Apply performs a lifecycle action with its reason, or returns a
// FAILED_PRECONDITION fault when the state does not allow it.
func (e *Enterprise) Apply(action Action, reason string) error {
	t, err := Transitions.Next(e.Name(), e.State, action)
	if err != nil {
		return err
	}
	e.State, e.StateReason = t.To, reason
	return nil
}

// Close records that the enterprise stopped.
func (e *Enterprise) Close(reason string) error { return e.Apply(Close, reason) }

// Repository stores enterprises with their outbox events and audit records.
type Repository interface {
	Create(ctx context.Context, e *Enterprise, w change.Write) (*Enterprise, error)
	Get(ctx context.Context, n resource.Name) (*Enterprise, error)
	List(ctx context.Context, q paging.ListQuery) (paging.Page[*Enterprise], error)
	Update(ctx context.Context, n resource.Name, w change.Write, fn func(*Enterprise) error) (*Enterprise, error)
}
