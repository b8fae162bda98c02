package agreement

import (
	"errors"
	"testing"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
)

func draft() *Agreement {
	a := &Agreement{Title: l10n.Text{FR: "Convention"}, State: Draft, StartDate: "2024-01-01", EndDate: "2025-12-31",
		Parties:     []Party{{Name: l10n.Text{FR: "Chambre"}, Kind: Chamber}, {Name: l10n.Text{AR: "بنك"}, Kind: Bank}},
		Commitments: []Commitment{{Party: 0, AmountCentimes: 100_000_00}, {Party: 1, AmountCentimes: 250_000_50}}}
	a.Chamber, a.ID = "fes-meknes", "g1"
	return a
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Agreement)
		rule   string
	}{
		{"valid", func(*Agreement) {}, ""},
		{"one party", func(a *Agreement) { a.Parties = a.Parties[:1]; a.Commitments = nil }, "parties.minimum"},
		{"party without a kind", func(a *Agreement) { a.Parties[1].Kind = "" }, "party.kind"},
		{"commitment of no party", func(a *Agreement) { a.Commitments[0].Party = 2 }, "commitment.party"},
		{"negative commitment", func(a *Agreement) { a.Commitments[0].AmountCentimes = -1 }, "money.non_negative"},
		{"ends before it starts", func(a *Agreement) { a.EndDate = "2023-01-01" }, "dates.order"},
		{"no title", func(a *Agreement) { a.Title = l10n.Text{} }, "required"},
	}
	for _, tt := range tests {
		a := draft()
		tt.mutate(a)
		err := a.Validate()
		var inv *fault.InvalidError
		switch {
		case tt.rule == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.rule != "" && (!errors.As(err, &inv) || inv.Violations[0].Rule != tt.rule):
			t.Errorf("%s: %v, want rule %s", tt.name, err, tt.rule)
		}
	}
	if got := draft().Total(); got != 350_000_50 {
		t.Errorf("Total = %d", got)
	}
}

func TestLifecycle(t *testing.T) {
	a := draft()
	if err := a.Sign(); err == nil {
		t.Fatal("signed a draft")
	}
	steps := []struct {
		name string
		op   func() error
		want State
	}{
		{"approve", func() error { return a.Approve("chambers/fes-meknes/assemblies/a1/items/i1") }, Approved},
		{"sign", a.Sign, Signed},
		{"activate", a.Activate, Active},
	}
	for _, s := range steps {
		if err := s.op(); err != nil || a.State != s.want {
			t.Fatalf("%s: %v, state %s", s.name, err, a.State)
		}
	}
	if err := a.CheckDraft(); err == nil {
		t.Fatal("an active agreement is editable")
	}
	var pe *fault.PreconditionError
	if err := a.Expire("2025-12-31"); !errors.As(err, &pe) || pe.Reason != "NOT_YET_EXPIRED" {
		t.Fatalf("expire on the last day = %v", err)
	}
	if err := a.Expire("2026-01-01"); err != nil || a.State != Expired {
		t.Fatalf("expire the day after = %v", err)
	}
	if err := a.Terminate("r"); err == nil {
		t.Fatal("terminated an expired agreement")
	}
	b := draft()
	b.EndDate = ""
	_ = b.Approve("x")
	_ = b.Sign()
	if err := b.Activate(); !errors.As(err, &pe) || pe.Reason != "DATES_REQUIRED" {
		t.Fatalf("activate without an end date = %v", err)
	}
	if err := b.Terminate("rupture"); err != nil || b.State != Terminated || b.StateReason != "rupture" {
		t.Fatalf("terminate = %v", err)
	}
}

// Every action has one row with its event name, and Apply follows the table
// from every state.
func TestTransitionTable(t *testing.T) {
	if err := Transitions.Check(Approve, Sign, Activate, Expire, Terminate); err != nil {
		t.Error(err)
	}
	err := Transitions.Walk([]State{Draft, Approved, Signed, Active, Expired, Terminated}, func(action Action, from State) (State, error) {
		a := draft()
		a.State = from
		err := a.Apply(action, "chambers/fes-meknes/assemblies/a1/items/i1", "2026-01-01")
		return a.State, err
	})
	if err != nil {
		t.Error(err)
	}
}
