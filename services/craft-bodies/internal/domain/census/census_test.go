package census

import (
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
)

func reg(name, state, activity, province string) Registrant {
	nia := ""
	if state != StateApplicant {
		nia = "NIA-" + name[len(name)-2:]
	}
	return Registrant{Name: "chambers/fes-meknes/artisans/" + name, NIA: nia, State: state, Category: "EXPERIENCED", Activity: activity, Province: province}
}

// TestEligibilityFromTheRegister: registered, not suspended or struck off,
// practising the craft, in the territory.
func TestEligibilityFromTheRegister(t *testing.T) {
	carpetsFes := Scope{Craft: "F1.B02.A01", Provinces: []string{"fes"}}
	textilesRegion := Scope{Craft: "F1.B02", Provinces: []string{"fes", "meknes"}}
	noNIA := reg("a9", StateRegistered, "F1.B02.A01", "fes")
	noNIA.NIA = ""
	cases := []struct {
		name  string
		r     Registrant
		scope Scope
		want  string
	}{
		{"registered, craft, province", reg("a1", StateRegistered, "F1.B02.A01", "fes"), carpetsFes, ""},
		{"applicant", reg("a2", StateApplicant, "F1.B02.A01", "fes"), carpetsFes, ExcludedApplicant},
		{"suspended", reg("a3", StateSuspended, "F1.B02.A01", "fes"), carpetsFes, ExcludedSuspended},
		{"struck off", reg("a4", StateStruckOff, "F1.B02.A01", "fes"), carpetsFes, ExcludedStruckOff},
		{"another activity", reg("a5", StateRegistered, "F1.B02.A02", "fes"), carpetsFes, ExcludedOtherCraft},
		{"another province", reg("a6", StateRegistered, "F1.B02.A01", "meknes"), carpetsFes, ExcludedOtherTerritory},
		{"branch covers its activities", reg("a7", StateRegistered, "F1.B02.A02", "meknes"), textilesRegion, ""},
		{"branch prefix is by whole segment", reg("a8", StateRegistered, "F1.B021.A01", "fes"), textilesRegion, ExcludedOtherCraft},
		{"registered without NIA", noNIA, carpetsFes, ExcludedNoNIA},
		{"unknown state", reg("b1", "", "F1.B02.A01", "fes"), carpetsFes, ExcludedApplicant},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ok, why := Eligibility(c.r, c.scope)
			if ok != (c.want == "") || why != c.want {
				t.Fatalf("got %v %q, want %q", ok, why, c.want)
			}
		})
	}
}

// TestCensusIsADatedSnapshotOneEntryPerMember: the snapshot keeps the
// eligible, counts the others by reason, lists each registrant once, sorted.
func TestCensusIsADatedSnapshotOneEntryPerMember(t *testing.T) {
	at := time.Date(2025, 12, 10, 9, 0, 0, 0, time.FixedZone("WET", 3600))
	s := Scope{Craft: "F1.B02.A01", Provinces: []string{"fes"}}
	listed := []Registrant{
		reg("a3", StateRegistered, "F1.B02.A01", "fes"),
		reg("a1", StateRegistered, "F1.B02.A01", "fes"),
		reg("a1", StateRegistered, "F1.B02.A01", "fes"),
		reg("a2", StateSuspended, "F1.B02.A01", "fes"),
		reg("a4", StateApplicant, "F1.B02.A01", "fes"),
		reg("a5", StateRegistered, "F1.B02.A01", "meknes"),
	}
	snap, err := Take(at, s, listed)
	if err != nil {
		t.Fatal(err)
	}
	if !snap.TakeTime.Equal(at) || snap.TakeTime.Location() != time.UTC {
		t.Fatalf("take time %v", snap.TakeTime)
	}
	want := []string{"chambers/fes-meknes/artisans/a1", "chambers/fes-meknes/artisans/a3"}
	if !slices.Equal(snap.Roll(), want) {
		t.Fatalf("roll %v", snap.Roll())
	}
	wantEx := map[string]int{ExcludedDuplicate: 1, ExcludedSuspended: 1, ExcludedApplicant: 1, ExcludedOtherTerritory: 1}
	if !maps.Equal(snap.Excluded, wantEx) {
		t.Fatalf("excluded %v", snap.Excluded)
	}
	if m, ok := snap.Member(want[1]); !ok || m.NIA == "" || m.State != "" {
		t.Fatalf("member %v %v", m, ok)
	}
	_, err = Take(at, s, []Registrant{reg("a2", StateSuspended, "F1.B02.A01", "fes")})
	var pe *fault.PreconditionError
	if !errors.As(err, &pe) || pe.Reason != ReasonCensusEmpty {
		t.Fatalf("empty census = %v", err)
	}
}

// TestRegionalRollFromDelegates: every member represents a lower body.
func TestRegionalRollFromDelegates(t *testing.T) {
	d := reg("a1", StateRegistered, "F1.B02.A01", "fes")
	d.DelegateOf = "chambers/fes-meknes/craftBodies/p1"
	snap, err := TakeDelegates(time.Now(), []Registrant{d, d})
	if err != nil || len(snap.Members) != 1 || snap.Excluded[ExcludedDuplicate] != 1 {
		t.Fatalf("delegates: %v %v", snap, err)
	}
	var pe *fault.PreconditionError
	if _, err := TakeDelegates(time.Now(), []Registrant{reg("a2", StateRegistered, "F1", "fes")}); !errors.As(err, &pe) || pe.Reason != ReasonNotADelegate {
		t.Fatalf("non-delegate = %v", err)
	}
}
