package enterprise

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
)

func TestEnterpriseRules(t *testing.T) {
	e := &Enterprise{DisplayName: l10n.Text{FR: "Maison"}, ICE: "001525487000045", SupervisingArtisan: "chambers/fes-meknes/artisans/abc", State: Active}
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, ice := range []string{"", "12345", "00152548700004X", "0015254870000451"} {
		e.ICE = ice
		if !fault.Is[*fault.InvalidError](e.Validate()) {
			t.Errorf("ICE %q accepted", ice)
		}
	}
	if err := e.Close("ceased"); err != nil || e.State != Closed {
		t.Fatalf("Close = %v, %s", err, e.State)
	}
	if !fault.Is[*fault.PreconditionError](e.Close("again")) {
		t.Fatal("closing twice must be refused")
	}
}

// Every action has one row with its event name, and Apply follows the table
// from every state.
func TestTransitionTable(t *testing.T) {
	if err := Transitions.Check(Close); err != nil {
		t.Error(err)
	}
	err := Transitions.Walk([]State{Active, Closed}, func(action Action, from State) (State, error) {
		e := &Enterprise{State: from}
		err := e.Apply(action, "ceased")
		return e.State, err
	})
	if err != nil {
		t.Error(err)
	}
}
