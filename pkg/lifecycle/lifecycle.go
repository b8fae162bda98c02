// Package lifecycle holds an aggregate's state machine as one table: each
// row is an action, the states it may start from, the state it leads to and
// the outbox event it records. The domain package owns the table; the app
// layer reads the event name from the same row the move was checked
// against, so an action can never move a resource without naming its event.
package lifecycle

import (
	"errors"
	"fmt"
	"slices"

	"github.com/hirfa/hirfa/pkg/fault"
)

// Row is one action of the machine.
type Row[A, S ~string] struct {
	Action A
	From   []S
	To     S
	// Event is the past-tense event the move records ("Registered"): the
	// outbox event type is the resource kind followed by it.
	Event string
}

// Table is an aggregate's whole machine; a move that is not a row is
// refused.
type Table[A, S ~string] []Row[A, S]

// Row finds the row of action a.
func (t Table[A, S]) Row(a A) (Row[A, S], bool) {
	for _, r := range t {
		if r.Action == a {
			return r, true
		}
	}
	return Row[A, S]{}, false
}

// Event is the event name action a records ("" for an unknown action,
// which Next refuses before anything is written).
func (t Table[A, S]) Event(a A) string {
	r, _ := t.Row(a)
	return r.Event
}

// Next checks that resource (its name) in state from may take action a and
// returns the row, or FAILED_PRECONDITION: UNKNOWN_ACTION for an action
// that is not in the table, ILLEGAL_TRANSITION for a state it may not
// start from.
func (t Table[A, S]) Next(resource string, from S, a A) (Row[A, S], error) {
	r, ok := t.Row(a)
	if !ok {
		return r, fault.Precondition(fault.ReasonUnknownAction, "unknown action %q", string(a))
	}
	if !slices.Contains(r.From, from) {
		return r, fault.Transition(resource, string(from), string(a))
	}
	return r, nil
}

// Check reports the table's mistakes: an action listed twice, a row with no
// event name, no start state or no end state, and any of actions (the
// domain's declared action values) without a row. Domain tests call it.
func (t Table[A, S]) Check(actions ...A) error {
	var errs []error
	seen := map[A]bool{}
	for _, r := range t {
		if seen[r.Action] {
			errs = append(errs, fmt.Errorf("action %q has two rows", r.Action))
		}
		seen[r.Action] = true
		if r.Event == "" {
			errs = append(errs, fmt.Errorf("action %q has no event name", r.Action))
		}
		if len(r.From) == 0 || r.To == "" {
			errs = append(errs, fmt.Errorf("action %q has no start or no end state", r.Action))
		}
	}
	for _, a := range actions {
		if !seen[a] {
			errs = append(errs, fmt.Errorf("action %q has no row", a))
		}
	}
	return errors.Join(errs...)
}

// Walk tries every action of the table from every one of states: try
// applies action a to a resource in state from that is otherwise complete
// (so only the state decides) and returns the state it is left in. A move
// the table allows must succeed and end in the row's state; any other must
// be refused with FAILED_PRECONDITION and leave the state as it was.
// Domain tests call it, so a table and the methods that follow it cannot
// drift apart.
func (t Table[A, S]) Walk(states []S, try func(a A, from S) (S, error)) error {
	var errs []error
	for _, r := range t {
		for _, s := range states {
			got, err := try(r.Action, s)
			switch {
			case slices.Contains(r.From, s) && err != nil:
				errs = append(errs, fmt.Errorf("%s from %s: %w", r.Action, s, err))
			case slices.Contains(r.From, s) && got != r.To:
				errs = append(errs, fmt.Errorf("%s from %s: state %s, want %s", r.Action, s, got, r.To))
			case !slices.Contains(r.From, s) && !fault.Is[*fault.PreconditionError](err):
				errs = append(errs, fmt.Errorf("%s from %s: err = %v, want FAILED_PRECONDITION", r.Action, s, err))
			case !slices.Contains(r.From, s) && got != s:
				errs = append(errs, fmt.Errorf("%s from %s: state changed to %s on a refused move", r.Action, s, got))
			}
		}
	}
	return errors.Join(errs...)
}
