// Package item is the sample aggregate of desk: an item a chamber
// holds, with a display name, a quantity and the lifecycle ACTIVE →
// ARCHIVED. Replace it with the service's own records; keep the shape
// (rules here, no proto, gRPC or SQL).
package item

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/resource"
)

// Collection is the collection segment of item names.
const Collection = "items"

// State of an item.
type State string

// States.
const (
	Active   State = "ACTIVE"
	Archived State = "ARCHIVED"
)

// States lists every state, for filters.
var States = []string{string(Active), string(Archived)}

// MaxDisplayName is the longest display name, in characters.
const MaxDisplayName = 200

// Item is an item of a chamber.
type Item struct {
	resource.Meta
	DisplayName string `json:"display_name"`
	Quantity    int    `json:"quantity"`
	State       State  `json:"state"`
}

// Name is the resource name.
func (it *Item) Name() string {
	return resource.Name{Chamber: it.Chamber, Collection: Collection, ID: it.ID}.String()
}

// Validate checks the item's own rules, reporting every violation at once.
func (it *Item) Validate() error {
	var vs fault.Violations
	const p = "item."
	if strings.TrimSpace(it.DisplayName) == "" {
		vs.Add(p+"display_name", fault.RuleRequired, "is required")
	} else if n := utf8.RuneCountInString(it.DisplayName); n > MaxDisplayName {
		vs.Add(p+"display_name", RuleDisplayNameLength, "must be at most %d characters, got %d", MaxDisplayName, n)
	}
	if it.Quantity < 0 {
		vs.Add(p+"quantity", RuleQuantityNonNegative, "must not be negative, got %d", it.Quantity)
	}
	if it.State != Active && it.State != Archived {
		vs.Add(p+"state", RuleStateUnknown, "unknown state %q", it.State)
	}
	return vs.Err()
}

// CheckChange allows changes only to an active item: an archived item is
// kept as it was.
func (it *Item) CheckChange() error {
	if it.State != Active {
		return &fault.PreconditionError{Reason: ReasonItemArchived, Msg: it.Name() + " is " + string(it.State) + ": an archived item does not change",
			Meta: map[string]string{"resource": it.Name(), "state": string(it.State)}}
	}
	return nil
}

// CheckDelete allows deleting only an item with nothing left.
func (it *Item) CheckDelete() error {
	if it.Quantity != 0 {
		return &fault.PreconditionError{Reason: ReasonItemInStock, Msg: it.Name() + " still holds " + itoa(it.Quantity) + ": bring its quantity to zero first",
			Meta: map[string]string{"resource": it.Name(), "quantity": itoa(it.Quantity)}}
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// Repository stores items with their outbox events and audit records.
type Repository interface {
	Create(ctx context.Context, it *Item, w change.Write) (*Item, error)
	Get(ctx context.Context, n resource.Name) (*Item, error)
	List(ctx context.Context, q resource.ListQuery) (resource.Page[*Item], error)
	Update(ctx context.Context, n resource.Name, w change.Write, fn func(*Item) error) (*Item, error)
	Delete(ctx context.Context, n resource.Name, w change.Write, fn func(*Item) error) error
}
