package association

import (
	"strings"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
)

func TestAssociationRules(t *testing.T) {
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	a := &Association{DisplayName: l10n.Text{FR: "Association"}, Object: "Promotion", Province: "fes", Category: "WOMEN",
		Receipt: Receipt{ProvisionalDate: "2026-01-10"}, State: Declared}
	if err := a.Validate(now); err != nil {
		t.Fatal(err)
	}
	a.Receipt.DefinitiveDate = "2025-12-01"
	if !fault.Is[*fault.InvalidError](a.Validate(now)) {
		t.Fatal("definitive receipt before provisional must be refused")
	}
	a.Receipt.DefinitiveDate = ""
	a.BureauRenewalDate = "2026-11-23"
	if err := a.Validate(now); !fault.Is[*fault.InvalidError](err) || !strings.Contains(err.Error(), "bureau_renewal_date") {
		t.Fatalf("a bureau renewed in the future: %v", err)
	}
	a.BureauRenewalDate = "2026-06-01"
	if err := a.Activate(); !fault.Is[*fault.PreconditionError](err) {
		t.Fatalf("Activate without definitive receipt = %v", err)
	}
	a.Receipt.DefinitiveDate = "2026-03-01"
	for _, step := range []func() error{a.Activate, func() error { return a.MarkStagnant("no assembly since 2022") }, a.Reactivate, func() error { return a.Dissolve("vote") }} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	if a.State != Dissolved || !fault.Is[*fault.PreconditionError](a.Reactivate()) || !fault.Is[*fault.PreconditionError](a.Dissolve("again")) {
		t.Fatalf("after dissolution: state %s", a.State)
	}
}

// Every action has one row with its event name, so the app layer never
// records an empty event.
func TestTransitionTable(t *testing.T) {
	if err := Transitions.Check(Activate, MarkStagnant, Reactivate, Dissolve); err != nil {
		t.Error(err)
	}
	err := Transitions.Walk([]State{Declared, Active, Stagnant, Dissolved}, func(action Action, from State) (State, error) {
		a := &Association{Receipt: Receipt{ProvisionalDate: "2026-01-10", DefinitiveDate: "2026-03-01"}, State: from}
		err := a.Apply(action, "no assembly since 2022")
		return a.State, err
	})
	if err != nil {
		t.Error(err)
	}
}

// TestManualSortingNamesItsAuthor: marking stagnant keeps who and why;
// reactivating clears both.
func TestManualSortingNamesItsAuthor(t *testing.T) {
	a := &Association{State: Active}
	a.Chamber, a.ID = "fes-meknes", "a1"
	if err := a.ApplyBy(MarkStagnant, "no assembly since 2022", "admin@fes-meknes.ca.ma"); err != nil {
		t.Fatal(err)
	}
	if a.State != Stagnant || a.StateReason != "no assembly since 2022" || a.StateActor != "admin@fes-meknes.ca.ma" {
		t.Fatalf("marked: %+v", a)
	}
	if err := a.ApplyBy(Reactivate, "ignored", "clerk@fes-meknes.ca.ma"); err != nil {
		t.Fatal(err)
	}
	if a.State != Active || a.StateReason != "" || a.StateActor != "" {
		t.Fatalf("reactivated: %+v", a)
	}
}

func TestDefinitiveReceiptDue(t *testing.T) {
	for _, c := range []struct{ provisional, want resource.Date }{{"", ""}, {"2026-01-01", "2026-03-02"}, {"2024-12-31", "2025-03-01"}} {
		a := &Association{Receipt: Receipt{ProvisionalDate: c.provisional}}
		if got := a.DefinitiveReceiptDue(); got != c.want {
			t.Errorf("%s: %s, want %s", c.provisional, got, c.want)
		}
	}
}
