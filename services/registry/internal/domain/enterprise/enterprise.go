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

// Close records that the enterprise stopped.
func (e *Enterprise) Close(reason string) error {
	if e.State != Active {
		return fault.Transition(e.Name(), string(e.State), "close")
	}
	e.State, e.StateReason = Closed, reason
	return nil
}

// Repository stores enterprises with their outbox events and audit records.
type Repository interface {
	Create(ctx context.Context, e *Enterprise, w change.Write) (*Enterprise, error)
	Get(ctx context.Context, n resource.Name) (*Enterprise, error)
	List(ctx context.Context, q paging.ListQuery) (paging.Page[*Enterprise], error)
	Update(ctx context.Context, n resource.Name, w change.Write, fn func(*Enterprise) error) (*Enterprise, error)
}
