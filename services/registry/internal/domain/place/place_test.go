package place

import (
	"context"
	"errors"
	"testing"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/territory"
)

type acts map[string]bool

func (a acts) Usable(_ context.Context, code string) (bool, error) { return a[code], nil }

func TestCheck(t *testing.T) {
	tr, err := territory.Load()
	if err != nil {
		t.Fatal(err)
	}
	known := acts{"F1.B02.A01": true}
	tests := []struct {
		name, chamber, province, activity string
		wantRule                          string // "" ok; a rule, or a fault type name
	}{
		{"in region", "fes-meknes", "meknes", "F1.B02.A01", ""},
		{"province of another region", "fes-meknes", "safi", "F1.B02.A01", "province.outside_region"},
		{"unknown province", "fes-meknes", "atlantis", "F1.B02.A01", "province.unknown"},
		{"unknown activity", "fes-meknes", "fes", "X9", "activity.unknown"},
		{"missing province", "fes-meknes", "", "F1.B02.A01", "required"},
		{"federation keeps no register", "federation", "fes", "F1.B02.A01", "NOT_A_REGIONAL_CHAMBER"},
		{"unknown chamber", "nowhere", "fes", "F1.B02.A01", "NOT_FOUND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(context.Background(), tr, known, tt.chamber, tt.province, tt.activity, "artisan")
			var inv *fault.InvalidError
			var pre *fault.PreconditionError
			var nf *fault.NotFoundError
			switch {
			case tt.wantRule == "":
				if err != nil {
					t.Fatalf("Check() = %v", err)
				}
			case errors.As(err, &inv):
				if inv.Violations[0].Rule != tt.wantRule {
					t.Fatalf("rule = %s, want %s", inv.Violations[0].Rule, tt.wantRule)
				}
			case errors.As(err, &pre):
				if pre.Reason != tt.wantRule {
					t.Fatalf("reason = %s", pre.Reason)
				}
			case errors.As(err, &nf):
				if tt.wantRule != "NOT_FOUND" {
					t.Fatalf("unexpected not found: %v", err)
				}
			default:
				t.Fatalf("Check() = %v, want %s", err, tt.wantRule)
			}
		})
	}
}
