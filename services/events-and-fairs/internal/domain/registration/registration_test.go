package registration

import (
	"errors"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
)

func TestPlace(t *testing.T) {
	for _, tt := range []struct {
		capacity, taken int
		want            State
	}{{0, 1000, Registered}, {2, 0, Registered}, {2, 1, Registered}, {2, 2, Waitlisted}, {2, 5, Waitlisted}} {
		if got := Place(tt.capacity, tt.taken); got != tt.want {
			t.Errorf("Place(%d, %d) = %s, want %s", tt.capacity, tt.taken, got, tt.want)
		}
	}
}

func TestTransitions(t *testing.T) {
	reason := func(err error) string {
		var pe *fault.PreconditionError
		if errors.As(err, &pe) {
			return pe.Reason
		}
		return ""
	}
	now := time.Date(2023, 3, 10, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		from   State
		op     func(*Registration) error
		to     State
		reason string
	}{
		{Registered, func(r *Registration) error { return r.CheckIn(now) }, Attended, ""},
		{Attended, func(r *Registration) error { return r.CheckIn(now) }, Attended, "ALREADY_CHECKED_IN"},
		{Waitlisted, func(r *Registration) error { return r.CheckIn(now) }, Waitlisted, "REGISTRATION_WAITLISTED"},
		{Cancelled, func(r *Registration) error { return r.CheckIn(now) }, Cancelled, "REGISTRATION_CANCELLED"},
		{Registered, (*Registration).Cancel, Cancelled, ""},
		{Waitlisted, (*Registration).Cancel, Cancelled, ""},
		{Attended, (*Registration).Cancel, Attended, "ILLEGAL_TRANSITION"},
		{Waitlisted, (*Registration).Promote, Registered, ""},
		{Registered, (*Registration).Promote, Registered, "ILLEGAL_TRANSITION"},
	}
	for _, tt := range tests {
		r := &Registration{DisplayName: "P", State: tt.from}
		r.Chamber, r.ID = "fes-meknes", "t1.r1"
		err := tt.op(r)
		if reason(err) != tt.reason || r.State != tt.to || (tt.reason == "" && err != nil) {
			t.Errorf("from %s: err %v, state %s; want %q, %s", tt.from, err, r.State, tt.reason, tt.to)
		}
	}
	codes := map[string]bool{}
	for range 1000 {
		c := NewCode()
		if len(c) != 10 || codes[c] {
			t.Fatalf("code %q short or repeated", c)
		}
		codes[c] = true
	}
}

// Every action has one row with its event name, and the methods follow the
// table from every state.
func TestTransitionTable(t *testing.T) {
	if err := Transitions.Check(Cancel, Promote, CheckIn); err != nil {
		t.Error(err)
	}
	now := time.Date(2023, 3, 10, 9, 0, 0, 0, time.UTC)
	err := Transitions.Walk([]State{Registered, Waitlisted, Cancelled, Attended}, func(action Action, from State) (State, error) {
		r := &Registration{DisplayName: "P", State: from}
		r.Chamber, r.ID = "fes-meknes", "t1.r1"
		var err error
		switch action {
		case Cancel:
			err = r.Cancel()
		case Promote:
			err = r.Promote()
		default:
			err = r.CheckIn(now)
		}
		return r.State, err
	})
	if err != nil {
		t.Error(err)
	}
}
