package tenancy

import (
	"context"
	"testing"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault"
)

// TestMediation checks the mediation permission: the role table (chamber
// admins and clerks only) and, per case, the chamber's admins and the
// assigned mediator; everyone else gets NotFound.
func TestMediation(t *testing.T) {
	for _, r := range Roles {
		want := r == auth.RoleChamberAdmin || r == auth.RoleChamberClerk
		if Permits(Mediation, r) != want {
			t.Errorf("Permits(mediation, %s) = %v", r, !want)
		}
	}
	const name = "chambers/fes-meknes/mediationCases/c1"
	tests := []struct {
		who      auth.Principal
		mediator string
		ok       bool
		open     bool
	}{
		{auth.Principal{Subject: "a", Role: auth.RoleChamberAdmin, Chamber: "fes-meknes"}, "m", true, true},
		{auth.Principal{Subject: "m", Role: auth.RoleChamberClerk, Chamber: "fes-meknes"}, "m", true, false},
		{auth.Principal{Subject: "x", Role: auth.RoleChamberClerk, Chamber: "fes-meknes"}, "m", false, false},
		{auth.Principal{Subject: "m", Role: auth.RoleChamberClerk, Chamber: "oriental"}, "m", false, false},
		{auth.Principal{Subject: "a", Role: auth.RoleChamberAdmin, Chamber: "oriental"}, "m", false, false},
		{auth.Principal{Subject: "m", Role: auth.RoleAuditor, Chamber: "fes-meknes"}, "m", false, false},
		{auth.Principal{Subject: "m", Role: auth.RoleMinistry}, "m", false, false},
	}
	for _, tt := range tests {
		ctx := auth.NewContext(context.Background(), tt.who)
		err := Guard{}.Mediate(ctx, "fes-meknes", name, tt.mediator)
		if (err == nil) != tt.ok || (err != nil && !fault.Is[*fault.NotFoundError](err)) {
			t.Errorf("Mediate as %+v: %v", tt.who, err)
		}
		if err := (Guard{}).OpenMediation(ctx, "fes-meknes", "chambers/fes-meknes"); (err == nil) != tt.open {
			t.Errorf("OpenMediation as %+v: %v", tt.who, err)
		}
	}
}
