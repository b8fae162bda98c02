package cooperative

import (
	"errors"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
)

var now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

func valid() *Cooperative {
	c := &Cooperative{DisplayName: l10n.Text{AR: "تعاونية", FR: "Coopérative"}, Activity: "F1.B02.A01", Province: "fes",
		CapitalCentimes: 100_000, ShareValueCentimes: 10_000, MembersWomen: 3, MembersMen: 2}
	c.Chamber, c.ID, c.State = "fes-meknes", "abc", Forming
	return c
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name      string
		rules     Rules
		edit      func(*Cooperative)
		wantField string
		wantRule  string
	}{
		{"minimums met exactly", DefaultRules(), func(c *Cooperative) {}, "", ""},
		{"capital 999.99 MAD", DefaultRules(), func(c *Cooperative) { c.CapitalCentimes, c.ShareValueCentimes = 99_999, 99_999 }, "cooperative.capital_centimes", "capital.minimum"},
		{"share 99.99 MAD", DefaultRules(), func(c *Cooperative) { c.ShareValueCentimes = 9_999 }, "cooperative.share_value_centimes", "share_value.minimum"},
		{"capital not whole shares", DefaultRules(), func(c *Cooperative) { c.CapitalCentimes = 105_000; c.ShareValueCentimes = 10_000 + 1 }, "cooperative.capital_centimes", "capital.whole_shares"},
		{"four members", DefaultRules(), func(c *Cooperative) { c.MembersMen = 1 }, "cooperative.members_women", "members.minimum"},
		{"minimum members is a setting", Rules{MinMembers: 7}, func(c *Cooperative) {}, "cooperative.members_women", "members.minimum"},
		{"founded in the future", DefaultRules(), func(c *Cooperative) { c.FoundingDate = "2030-01-01" }, "cooperative.founding_date", "date.future"},
		{"no name", DefaultRules(), func(c *Cooperative) { c.DisplayName = l10n.Text{} }, "cooperative.display_name", "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.edit(c)
			err := c.Validate(tt.rules, now)
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			var inv *fault.InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("Validate() = %v, want InvalidError", err)
			}
			for _, v := range inv.Violations {
				if v.Field == tt.wantField && v.Rule == tt.wantRule {
					return
				}
			}
			t.Fatalf("violations %+v lack %s=%s", inv.Violations, tt.wantField, tt.wantRule)
		})
	}
}

// Every action has one row with its event name, so the app layer never
// records an empty event.
func TestTransitionTable(t *testing.T) {
	if err := Transitions.Check(Register, Activate, MarkDormant, Reactivate, Liquidate, Dissolve); err != nil {
		t.Error(err)
	}
}

func TestTransitions(t *testing.T) {
	all := []State{Forming, Registered, Active, Dormant, Dissolved, InLiquidation}
	legal := map[Action]map[State]State{
		"register":     {Forming: Registered},
		"activate":     {Registered: Active},
		"mark dormant": {Active: Dormant},
		"reactivate":   {Dormant: Active},
		"liquidate":    {Active: InLiquidation, Dormant: InLiquidation},
		"dissolve":     {Registered: Dissolved, Active: Dissolved, Dormant: Dissolved, InLiquidation: Dissolved},
	}
	for action, from := range legal {
		for _, s := range all {
			c := valid()
			c.State, c.LocalRegisterNumber, c.NameCertificate = s, "FES-1", "ODCO-2026-000001"
			err := c.Apply(action, "reason")
			want, ok := from[s]
			switch {
			case ok && err != nil:
				t.Errorf("%s from %s: %v", action, s, err)
			case ok && c.State != want:
				t.Errorf("%s from %s: state %s, want %s", action, s, c.State, want)
			case !ok && !fault.Is[*fault.PreconditionError](err):
				t.Errorf("%s from %s: err = %v, want FAILED_PRECONDITION", action, s, err)
			case !ok && c.State != s:
				t.Errorf("%s from %s: state changed to %s on a refused transition", action, s, c.State)
			}
		}
	}
}

func TestRegisterNeedsLocalRegisterAndODCO(t *testing.T) {
	c := valid()
	// The free-text reference of older records does not stand for the
	// name certificate registration now consumes.
	c.ODCOCertificateReference = "ODCO-2019-4411"
	err := c.Apply("register", "")
	var pre *fault.PreconditionError
	if !errors.As(err, &pre) || pre.Reason != "REGISTRATION_INCOMPLETE" || pre.Meta["missing"] != "local_register_number,name_certificate" {
		t.Fatalf("Apply(register) = %#v", err)
	}
	if c.State != Forming {
		t.Fatalf("state = %s", c.State)
	}
}
