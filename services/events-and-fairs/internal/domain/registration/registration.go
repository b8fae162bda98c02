// Package registration is the places at trainings, seminars, awareness
// sessions, meetings and celebrations: registrations up to the event's
// capacity, a wait list promoted in order of registration when a place
// frees, and attendance recorded at check-in with a per-registration code.
package registration

import (
	"context"
	"crypto/rand"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/lifecycle"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/nested"
)

// Collection of registrations under an event.
const Collection = "registrations"

// State of a registration.
type State string

// States.
const (
	Registered State = "REGISTERED"
	Waitlisted State = "WAITLISTED"
	Cancelled  State = "CANCELLED"
	Attended   State = "ATTENDED"
)

// Registration is one participant's place at an event.
type Registration struct {
	resource.Meta
	DisplayName string       `json:"display_name"`
	Participant string       `json:"participant,omitempty"` // registry resource name, optional
	Contact     l10n.Contact `json:"contact"`
	State       State        `json:"state"`
	CheckInCode string       `json:"check_in_code"`
	CheckInTime *time.Time   `json:"check_in_time,omitempty"`
}

// NestedName is the registration's parsed name.
func (r *Registration) NestedName() nested.Name {
	return nested.FromKey(r.Chamber, event.Collection, Collection, r.ID)
}

// Name is the resource name.
func (r *Registration) Name() string { return r.NestedName().String() }

// Validate checks the registration's own rules.
func (r *Registration) Validate() error {
	if strings.TrimSpace(r.DisplayName) == "" {
		return fault.Invalid("registration.display_name", fault.RuleRequired, "the participant's name is required")
	}
	return nil
}

// codeAlphabet avoids letters read aloud ambiguously (i, l, o, u).
const codeAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// NewCode returns a random 10-character check-in code (50 bits), short
// enough to type at the door and for a QR image to carry.
func NewCode() string {
	var b [10]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	for i := range b {
		b[i] = codeAlphabet[b[i]&31]
	}
	return string(b[:])
}

// Place decides a new registration's state: a place while the event has
// one (capacity 0 means unlimited), the wait list after.
func Place(capacity, taken int) State {
	if capacity == 0 || taken < capacity {
		return Registered
	}
	return Waitlisted
}

// Action is a lifecycle action on a registration.
type Action string

// The lifecycle actions.
const (
	Cancel  Action = "cancel"
	Promote Action = "promote"
	CheckIn Action = "check in"
)

// Transitions is the registration's state machine: each action, the states
// it may start from, the state it leads to and the event it records. A new
// registration starts REGISTERED or WAITLISTED (see Place).
var Transitions = lifecycle.Table[Action, State]{
	{Action: Cancel, From: []State{Registered, Waitlisted}, To: Cancelled, Event: "Cancelled"},
	{Action: Promote, From: []State{Waitlisted}, To: Registered, Event: "Promoted"},
	{Action: CheckIn, From: []State{Registered}, To: Attended, Event: "CheckedIn"},
}

// Cancel gives up the registration.
func (r *Registration) Cancel() error { return r.apply(Cancel) }

// Promote moves a wait-listed registration onto a freed place.
func (r *Registration) Promote() error { return r.apply(Promote) }

func (r *Registration) apply(action Action) error {
	t, err := Transitions.Next(r.Name(), r.State, action)
	if err != nil {
		return err
	}
	r.State = t.To
	return nil
}

// CheckIn records the participant's arrival, once. A refused check-in
// says why in the participant's terms (already checked in, wait-listed,
// cancelled) rather than as an illegal transition.
func (r *Registration) CheckIn(now time.Time) error {
	meta := map[string]string{"resource": r.Name(), "state": string(r.State)}
	switch r.State {
	case Attended:
		return &fault.PreconditionError{Reason: ReasonAlreadyCheckedIn, Msg: r.Name() + " was checked in already", Meta: meta}
	case Waitlisted:
		return &fault.PreconditionError{Reason: ReasonRegistrationWaitlisted, Msg: r.Name() + " is on the wait list and holds no place", Meta: meta}
	case Cancelled:
		return &fault.PreconditionError{Reason: ReasonRegistrationCancelled, Msg: r.Name() + " was cancelled", Meta: meta}
	}
	if err := r.apply(CheckIn); err != nil {
		return err
	}
	r.CheckInTime = &now
	return nil
}

// Counts are the registrations of an event by state.
type Counts map[State]int

// Taken is the number of places taken (registered or attended).
func (c Counts) Taken() int { return c[Registered] + c[Attended] }

// Repository stores registrations with their outbox events and audit records.
type Repository interface {
	Create(ctx context.Context, r *Registration, w change.Write) (*Registration, error)
	Get(ctx context.Context, n nested.Name) (*Registration, error)
	List(ctx context.Context, parent resource.Name, q paging.ListQuery) (paging.Page[*Registration], error)
	Update(ctx context.Context, n nested.Name, w change.Write, fn func(*Registration) error) (*Registration, error)
	// Counts counts the event's registrations by state.
	Counts(ctx context.Context, parent resource.Name) (Counts, error)
	// ByCode finds the registration holding a check-in code.
	ByCode(ctx context.Context, parent resource.Name, code string) (*Registration, error)
	// FirstWaitlisted returns the earliest wait-listed registration, or nil.
	FirstWaitlisted(ctx context.Context, parent resource.Name) (*Registration, error)
}
