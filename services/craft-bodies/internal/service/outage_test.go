package service

import (
	"testing"

	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/auth"
	cbv1 "github.com/hirfa/hirfa/proto/gen/hirfa/craftbodies/v1"
)

// TestDependencyOutage: with the registry or events-and-fairs unreachable,
// the census and the awareness meeting fail with this service's own
// UNAVAILABLE reason and write nothing; the body stays where it was.
func TestDependencyOutage(t *testing.T) {
	dead, err := freeAddr()
	if err != nil {
		t.Fatal(err)
	}
	e := start(t, options{registryAddr: dead, eventsAddr: dead})
	ctx := e.clerk(t)
	b := must(e.bodies().CreateCraftBody(ctx, &cbv1.CreateCraftBodyRequest{Parent: "chambers/fes-meknes", CraftBody: &cbv1.CraftBody{
		DisplayName: lt("هيئة", "Instance"), Level: cbv1.CraftBody_PROVINCIAL, Craft: tannery, Province: "fes"}}))(t)
	b = must(e.bodies().StartAwareness(ctx, &cbv1.StartAwarenessRequest{Name: b.GetName()}))(t)
	before := e.writes(t)
	_, err = e.bodies().CreateAwarenessMeeting(ctx, &cbv1.CreateAwarenessMeetingRequest{Parent: b.GetName(),
		AwarenessMeeting: &cbv1.AwarenessMeeting{Title: lt("لقاء", "Réunion"), Date: "2025-12-10"}})
	wantErr(t, "meeting with events-and-fairs down", err, codes.Unavailable, "EVENTS_UNAVAILABLE")
	// The committee needs no other service; the census needs the registry.
	ministryFacts := e.facts(t, e.as(t, auth.RoleChamberClerk, "fes-meknes"), tannery, "fes")
	b = must(e.bodies().FormCommittee(ctx, &cbv1.FormCommitteeRequest{Name: b.GetName(), Committee: committee(ministryFacts[:2])}))(t)
	before[0], before[1] = before[0]+1, before[1]+1
	_, err = e.bodies().TakeCensus(ctx, &cbv1.TakeCensusRequest{Name: b.GetName()})
	wantErr(t, "census with the registry down", err, codes.Unavailable, "REGISTRY_UNAVAILABLE")
	if after := e.writes(t); after != before {
		t.Fatalf("writes %v → %v", before, after)
	}
	if got := must(e.bodies().GetCraftBody(ctx, &cbv1.GetCraftBodyRequest{Name: b.GetName()}))(t); got.GetState() != cbv1.Stage_COMMITTEE {
		t.Fatalf("body moved to %s", got.GetState())
	}
}

// TestSeedDemo seeds the demonstration founding against the real registry
// (its demo register) and events-and-fairs, and a second run writes nothing.
func TestSeedDemo(t *testing.T) {
	e := start(t, options{})
	s := Seeder{App: e.svc.App, Registry: nil, Token: DevTokens(e.peers.keyFile)}
	s.Registry = e.svc.seederRegistry()
	if err := s.SeedDemo(t.Context(), e.svc.log); err != nil {
		t.Fatal(err)
	}
	ministry := e.as(t, auth.RoleMinistry, "")
	list := must(e.bodies().ListCraftBodies(ministry, &cbv1.ListCraftBodiesRequest{Parent: "chambers/-"}))(t)
	states := map[string]cbv1.Stage{}
	for _, b := range list.GetCraftBodies() {
		states[b.GetProvince()+"/"+b.GetCraft()] = b.GetState()
	}
	want := map[string]cbv1.Stage{"fes/F1.B03.A01": cbv1.Stage_CONSTITUTED, "fes/F1.B02.A02": cbv1.Stage_ASSEMBLY_CONVENED,
		"meknes/F1.B04.A02": cbv1.Stage_COMMITTEE, "marrakech/F1.B02.A01": cbv1.Stage_AWARENESS}
	if len(states) != len(want) {
		t.Fatalf("seeded %v", states)
	}
	for k, v := range want {
		if states[k] != v {
			t.Errorf("%s is %s, want %s", k, states[k], v)
		}
	}
	// Every seeded record carries the demo mark; one created through the
	// API does not, even when the client asks.
	for _, b := range list.GetCraftBodies() {
		if !b.GetDemo() {
			t.Errorf("seeded body %s answers demo=false", b.GetName())
		}
	}
	progs := must(e.programmes().ListProgrammes(ministry, &cbv1.ListProgrammesRequest{Parent: "chambers/-"}))(t)
	if len(progs.GetProgrammes()) == 0 {
		t.Fatal("no seeded programme")
	}
	for _, p := range progs.GetProgrammes() {
		if !p.GetDemo() {
			t.Errorf("seeded programme %s answers demo=false", p.GetName())
		}
	}
	in := phase1()
	in.Demo = true
	if p := must(e.programmes().CreateProgramme(e.clerk(t), &cbv1.CreateProgrammeRequest{Parent: "chambers/fes-meknes", Programme: in}))(t); p.GetDemo() {
		t.Error("a programme created through the API answers demo=true")
	}
	for _, b := range list.GetCraftBodies() {
		if b.GetCraft() == "F1.B02.A02" {
			ga := must(e.assembly().GetConstitutiveAssembly(ministry, &cbv1.GetConstitutiveAssemblyRequest{Name: b.GetName() + "/assembly"}))(t)
			if ga.GetState() != cbv1.ConstitutiveAssembly_QUORUM_FAILED {
				t.Errorf("embroiderers' assembly %s", ga.GetState())
			}
		}
	}
	before := e.writes(t)
	if err := s.SeedDemo(t.Context(), e.svc.log); err != nil {
		t.Fatal(err)
	}
	if after := e.writes(t); after != before {
		t.Fatalf("second seed wrote %v → %v", before, after)
	}
}
