package lifecycle_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/lifecycle"
)

type (
	action string
	state  string
)

var machine = lifecycle.Table[action, state]{
	{Action: "open", From: []state{"NEW"}, To: "OPEN", Event: "Opened"},
	{Action: "close", From: []state{"NEW", "OPEN"}, To: "CLOSED", Event: "Closed"},
}

func TestNext(t *testing.T) {
	r, err := machine.Next("things/1", "OPEN", "close")
	if err != nil || r.To != "CLOSED" || r.Event != "Closed" {
		t.Fatalf("close from OPEN = %+v, %v", r, err)
	}
	_, err = machine.Next("things/1", "CLOSED", "open")
	var pe *fault.PreconditionError
	if !errors.As(err, &pe) || pe.Reason != fault.ReasonIllegalTransition {
		t.Errorf("open from CLOSED: %v, want ILLEGAL_TRANSITION", err)
	}
	_, err = machine.Next("things/1", "NEW", "paint")
	if !errors.As(err, &pe) || pe.Reason != fault.ReasonUnknownAction {
		t.Errorf("unknown action: %v, want UNKNOWN_ACTION", err)
	}
	if machine.Event("close") != "Closed" || machine.Event("paint") != "" {
		t.Errorf("Event: %q %q", machine.Event("close"), machine.Event("paint"))
	}
}

func TestCheck(t *testing.T) {
	if err := machine.Check("open", "close"); err != nil {
		t.Errorf("a whole table: %v", err)
	}
	bad := lifecycle.Table[action, state]{
		{Action: "open", From: []state{"NEW"}, To: "OPEN"},
		{Action: "open", From: []state{"NEW"}, To: "OPEN", Event: "Opened"},
		{Action: "close", To: "CLOSED", Event: "Closed"},
	}
	if err := bad.Check("open", "close", "archive"); err == nil {
		t.Error("a table with a missing event, a duplicate, a row without start state and a missing action passed")
	} else {
		for _, want := range []string{`"open" has no event name`, `"open" has two rows`, `"close" has no start`, `"archive" has no row`} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("Check: %v, missing %q", err, want)
			}
		}
	}
}

func TestWalk(t *testing.T) {
	states := []state{"NEW", "OPEN", "CLOSED"}
	follows := func(a action, from state) (state, error) {
		r, err := machine.Next("things/1", from, a)
		if err != nil {
			return from, err
		}
		return r.To, nil
	}
	if err := machine.Walk(states, follows); err != nil {
		t.Errorf("a method that follows the table: %v", err)
	}
	// A method that forgot a start state, and one that lets a refused move
	// through, are both reported.
	strict := func(a action, from state) (state, error) {
		if a == "close" && from == "NEW" {
			return from, fault.Transition("things/1", string(from), string(a))
		}
		return follows(a, from)
	}
	lax := func(a action, from state) (state, error) {
		if a == "open" && from == "CLOSED" {
			return "OPEN", nil
		}
		return follows(a, from)
	}
	for name, try := range map[string]func(action, state) (state, error){"strict": strict, "lax": lax} {
		if err := machine.Walk(states, try); err == nil {
			t.Errorf("%s: Walk found nothing", name)
		}
	}
}
