package craftbody

import (
	"errors"
	"testing"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
)

// places is a small map of two regions for the tests.
type places map[string][]string

func (p places) RegionOf(province string) (string, bool) {
	for r, ps := range p {
		for _, x := range ps {
			if x == province {
				return r, true
			}
		}
	}
	return "", false
}
func (p places) ProvincesOf(region string) []string { return p[region] }
func (p places) Regions() []string {
	var out []string
	for r := range p {
		out = append(out, r)
	}
	return out
}

var morocco = places{
	"fes-meknes":     {"fes", "meknes", "sefrou", "taounate"},
	"marrakech-safi": {"marrakech", "safi"},
}

func body(chamber, id string, level Level, craft, province string, stage Stage) *Body {
	b := &Body{Level: level, Craft: craft, Province: province, Stage: stage, Settings: DefaultSettings(),
		DisplayName: l10n.Text{AR: "هيئة", FR: "Corps"}}
	b.Chamber, b.ID = chamber, id
	if level == Provincial {
		b.Region, _ = morocco.RegionOf(province)
	} else if level == Regional {
		b.Region = chamber
	}
	return b
}

func reason(err error) string {
	var pe *fault.PreconditionError
	var ae *fault.AlreadyExistsError
	var ie *fault.InvalidError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &pe):
		return pe.Reason
	case errors.As(err, &ae):
		return ae.Reason
	case errors.As(err, &ie):
		return ie.Violations[0].Rule
	}
	return err.Error()
}

// TestStateMachineTransitionTable walks every action from every stage: the
// table's rows succeed with their event, everything else is ILLEGAL_TRANSITION.
func TestStateMachineTransitionTable(t *testing.T) {
	allowed := map[[2]string]Stage{}
	for _, tr := range Transitions {
		allowed[[2]string{string(tr.Action), string(tr.From)}] = tr.To
	}
	actions := []Action{StartAwareness, FormCommittee, TakeCensus, ConveneAssembly, Constitute, Activate, Dissolve}
	for _, from := range append(append([]Stage{}, Stages...), Dissolved) {
		for _, a := range actions {
			b := body("fes-meknes", "b1", Provincial, "F1.B02.A01", "fes", from)
			tr, err := b.Apply(a)
			to, ok := allowed[[2]string{string(a), string(from)}]
			switch {
			case ok && (err != nil || b.Stage != to || tr.Event == ""):
				t.Errorf("%s from %s: err %v stage %s event %q, want %s", a, from, err, b.Stage, tr.Event, to)
			case !ok && reason(err) != ReasonIllegalTransition:
				t.Errorf("%s from %s: %v, want %s", a, from, err, ReasonIllegalTransition)
			case !ok && b.Stage != from:
				t.Errorf("%s from %s: refused move changed the stage to %s", a, from, b.Stage)
			}
		}
	}
	// The founding path, in order.
	b := body("fes-meknes", "b1", Provincial, "F1.B02.A01", "fes", Planned)
	for _, a := range []Action{StartAwareness, FormCommittee, TakeCensus, ConveneAssembly, Constitute, Activate, Dissolve} {
		if _, err := b.Apply(a); err != nil {
			t.Fatalf("%s: %v", a, err)
		}
	}
	if b.Stage != Dissolved {
		t.Fatalf("stage %s", b.Stage)
	}
}

// TestBodyUniquePerLevelCraftTerritory: one live body per (level, craft,
// territory); other provinces, crafts or levels are free, and a dissolved
// body frees its key.
func TestBodyUniquePerLevelCraftTerritory(t *testing.T) {
	existing := []*Body{
		body("fes-meknes", "a", Provincial, "F1.B02.A01", "fes", Committee),
		body("fes-meknes", "b", Regional, "F1.B02.A01", "", Planned),
		body("fes-meknes", "c", Provincial, "F1.B03", "meknes", Dissolved),
	}
	cases := []struct {
		name string
		b    *Body
		want string
	}{
		{"same province and craft", body("fes-meknes", "x", Provincial, "F1.B02.A01", "fes", Planned), ReasonCraftBodyExists},
		{"same region and craft", body("fes-meknes", "x", Regional, "F1.B02.A01", "", Planned), ReasonCraftBodyExists},
		{"another province", body("fes-meknes", "x", Provincial, "F1.B02.A01", "meknes", Planned), ""},
		{"another craft", body("fes-meknes", "x", Provincial, "F1.B02.A02", "fes", Planned), ""},
		{"a branch is another craft than its activity", body("fes-meknes", "x", Provincial, "F1.B02", "fes", Planned), ""},
		{"dissolved frees the key", body("fes-meknes", "x", Provincial, "F1.B03", "meknes", Planned), ""},
		{"the body itself", existing[0], ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := reason(CheckUnique(c.b, existing)); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

// TestRegionalBodyWaitsForProvincialThreshold: a regional body convenes only
// once the setting's share of the region's provinces have a constituted
// provincial body of the same craft; the national body waits for regions.
func TestRegionalBodyWaitsForProvincialThreshold(t *testing.T) {
	const craft = "F1.B02.A01"
	regional := func(n, d int) *Body {
		b := body("fes-meknes", "r", Regional, craft, "", CensusTaken)
		b.Settings.ProvincialThreshold = Share{n, d}
		return b
	}
	constitutedFes := body("fes-meknes", "p1", Provincial, craft, "fes", Constituted)
	activeMeknes := body("fes-meknes", "p2", Provincial, craft, "meknes", Active)
	committeeSefrou := body("fes-meknes", "p3", Provincial, craft, "sefrou", Committee)
	otherCraft := body("fes-meknes", "p4", Provincial, "F1.B02.A02", "taounate", Constituted)
	otherRegion := body("marrakech-safi", "p5", Provincial, craft, "safi", Constituted)
	cases := []struct {
		name  string
		b     *Body
		lower []*Body
		want  string
	}{
		{"half of four met by two", regional(1, 2), []*Body{constitutedFes, activeMeknes, committeeSefrou}, ""},
		{"half of four not met by one", regional(1, 2), []*Body{constitutedFes, committeeSefrou, otherCraft, otherRegion}, ReasonProvincialThresholdNotMet},
		{"three quarters not met by two", regional(3, 4), []*Body{constitutedFes, activeMeknes}, ReasonProvincialThresholdNotMet},
		{"a province counts once", regional(1, 2), []*Body{constitutedFes, body("fes-meknes", "p6", Provincial, craft, "fes", Active)}, ReasonProvincialThresholdNotMet},
		{"zero share needs none", regional(0, 1), nil, ""},
		{"provincial bodies have no threshold", body("fes-meknes", "x", Provincial, craft, "fes", CensusTaken), nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := reason(CheckThreshold(c.b, c.lower, morocco)); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
	nat := body(FederationChamber, "n", National, craft, "", CensusTaken)
	regFes := body("fes-meknes", "r1", Regional, craft, "", Constituted)
	if got := reason(CheckThreshold(nat, []*Body{regFes}, morocco)); got != "" {
		t.Fatalf("national with 1 of 2 regions at one half: %q", got)
	}
	nat.Settings.ProvincialThreshold = Share{1, 1}
	if got := reason(CheckThreshold(nat, []*Body{regFes}, morocco)); got != ReasonProvincialThresholdNotMet {
		t.Fatalf("national with 1 of 2 regions at all: %q", got)
	}
}

// TestBodyTerritoryAndOwner: a provincial body lies in its chamber's region;
// national bodies belong to the federation, which founds nothing else.
func TestBodyTerritoryAndOwner(t *testing.T) {
	cases := []struct {
		name string
		b    *Body
		want string
	}{
		{"provincial in its region", body("fes-meknes", "x", Provincial, "F1", "meknes", Planned), ""},
		{"provincial outside the region", body("fes-meknes", "x", Provincial, "F1", "safi", Planned), "province.in_chamber"},
		{"provincial unknown province", body("fes-meknes", "x", Provincial, "F1", "atlantis", Planned), "province.known"},
		{"provincial without province", body("fes-meknes", "x", Provincial, "F1", "", Planned), "province.required"},
		{"regional with a province", body("fes-meknes", "x", Regional, "F1", "fes", Planned), "province.level"},
		{"national by a chamber", body("fes-meknes", "x", National, "F1", "", Planned), ReasonNationalOwnedByFederation},
		{"national by the federation", body(FederationChamber, "x", National, "F1", "", Planned), ""},
		{"federation founds no regional body", body(FederationChamber, "x", Regional, "F1", "", Planned), "level.owner"},
		{"unknown level", body("fes-meknes", "x", "COMMUNAL", "F1", "", Planned), "level.known"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := reason(c.b.Validate(morocco)); got != c.want {
				t.Fatalf("got %q (%v), want %q", got, c.b.Validate(morocco), c.want)
			}
		})
	}
}

// TestCommitteeComposition: artisans, associations and amins by registry
// record, no one twice, a chair who is an artisan or amin member.
func TestCommitteeComposition(t *testing.T) {
	art := CommitteeMember{Kind: MemberArtisan, Registrant: "chambers/fes-meknes/artisans/a1", DisplayName: l10n.Text{AR: "أ"}}
	amin := CommitteeMember{Kind: MemberAmin, Registrant: "chambers/fes-meknes/artisans/a2", DisplayName: l10n.Text{AR: "أمين"}}
	asso := CommitteeMember{Kind: MemberAssociation, Registrant: "chambers/fes-meknes/associations/s1", DisplayName: l10n.Text{FR: "Asso"}}
	cases := []struct {
		name string
		c    PreparatoryCommittee
		want string
	}{
		{"artisan chair", PreparatoryCommittee{Members: []CommitteeMember{art, amin, asso}, Chair: art.Registrant, FormedDate: "2025-12-01"}, ""},
		{"amin chair", PreparatoryCommittee{Members: []CommitteeMember{art, amin}, Chair: amin.Registrant, FormedDate: "2025-12-01"}, ""},
		{"association cannot chair", PreparatoryCommittee{Members: []CommitteeMember{art, asso}, Chair: asso.Registrant, FormedDate: "2025-12-01"}, "committee.chair.member"},
		{"chair outside the committee", PreparatoryCommittee{Members: []CommitteeMember{art}, Chair: "chambers/fes-meknes/artisans/zz", FormedDate: "2025-12-01"}, "committee.chair.member"},
		{"no artisan", PreparatoryCommittee{Members: []CommitteeMember{amin, asso}, Chair: amin.Registrant, FormedDate: "2025-12-01"}, "committee.artisans"},
		{"twice", PreparatoryCommittee{Members: []CommitteeMember{art, art}, Chair: art.Registrant, FormedDate: "2025-12-01"}, "committee.member.unique"},
		{"association named as artisan", PreparatoryCommittee{Members: []CommitteeMember{art, {Kind: MemberAssociation, Registrant: art.Registrant, DisplayName: l10n.Text{FR: "x"}}}, Chair: art.Registrant, FormedDate: "2025-12-01"}, "committee.association.registrant"},
		{"bad date", PreparatoryCommittee{Members: []CommitteeMember{art}, Chair: art.Registrant, FormedDate: "2025-13-01"}, "date"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := reason(c.c.Validate()); got != c.want {
				t.Fatalf("got %q (%v), want %q", got, c.c.Validate(), c.want)
			}
		})
	}
}
