package service

import (
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/hirfa/hirfa/pkg/auth"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

// TestDemoRecordsAreMarked: every record the demo profile seeds answers
// demo=true, in each of the four registers.
func TestDemoRecordsAreMarked(t *testing.T) {
	e := start(t, "", "HIRFA_SEED_DEMO", "true")
	ctx := e.as(t, auth.RoleMinistry, "")
	arts, err := e.artisans().ListArtisans(ctx, &registryv1.ListArtisansRequest{Parent: "chambers/-", PageSize: 100})
	if err != nil || len(arts.GetArtisans()) == 0 {
		t.Fatalf("list artisans = %d, %v", len(arts.GetArtisans()), err)
	}
	for _, a := range arts.GetArtisans() {
		if !a.GetDemo() {
			t.Errorf("seeded artisan %s answers demo=false", a.GetName())
		}
	}
	coops, err := e.coops().ListCooperatives(ctx, &registryv1.ListCooperativesRequest{Parent: "chambers/-", PageSize: 100})
	if err != nil || len(coops.GetCooperatives()) == 0 {
		t.Fatalf("list cooperatives = %d, %v", len(coops.GetCooperatives()), err)
	}
	for _, c := range coops.GetCooperatives() {
		got, err := e.coops().GetCooperative(ctx, &registryv1.GetCooperativeRequest{Name: c.GetName()})
		if err != nil || !c.GetDemo() || !got.GetDemo() {
			t.Errorf("seeded cooperative %s: listed demo=%v, got demo=%v (%v)", c.GetName(), c.GetDemo(), got.GetDemo(), err)
		}
	}
	assocs, err := registryv1.NewAssociationServiceClient(e.conn).ListAssociations(ctx, &registryv1.ListAssociationsRequest{Parent: "chambers/-", PageSize: 100})
	if err != nil || len(assocs.GetAssociations()) == 0 {
		t.Fatalf("list associations = %d, %v", len(assocs.GetAssociations()), err)
	}
	for _, a := range assocs.GetAssociations() {
		if !a.GetDemo() {
			t.Errorf("seeded association %s answers demo=false", a.GetName())
		}
	}
	ents, err := registryv1.NewEnterpriseServiceClient(e.conn).ListEnterprises(ctx, &registryv1.ListEnterprisesRequest{Parent: "chambers/-", PageSize: 100})
	if err != nil || len(ents.GetEnterprises()) == 0 {
		t.Fatalf("list enterprises = %d, %v", len(ents.GetEnterprises()), err)
	}
	for _, en := range ents.GetEnterprises() {
		if !en.GetDemo() {
			t.Errorf("seeded enterprise %s answers demo=false", en.GetName())
		}
	}
}

// TestDemoIsNotSettable: a record created through the API is not demo even
// when the client asks, a full update keeps it so, and an update mask
// naming demo is refused with nothing written.
func TestDemoIsNotSettable(t *testing.T) {
	e := start(t, "")
	fes := e.as(t, auth.RoleChamberClerk, "fes-meknes")
	in := newCoop()
	in.Demo = true
	c, err := e.coops().CreateCooperative(fes, &registryv1.CreateCooperativeRequest{Parent: "chambers/fes-meknes", Cooperative: in})
	if err != nil || c.GetDemo() {
		t.Fatalf("create with demo=true: demo=%v, %v", c.GetDemo(), err)
	}
	c.Demo = true
	if _, err := e.coops().UpdateCooperative(fes, &registryv1.UpdateCooperativeRequest{Cooperative: c,
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"demo"}}}); code(err) != codes.InvalidArgument {
		t.Fatalf("update mask [demo] = %v, want InvalidArgument", err)
	}
	c.UnionName = "Union des coopératives du tissage"
	up, err := e.coops().UpdateCooperative(fes, &registryv1.UpdateCooperativeRequest{Cooperative: c,
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"union_name"}}})
	if err != nil || up.GetDemo() {
		t.Fatalf("update union_name with demo=true in the body: demo=%v, %v", up.GetDemo(), err)
	}
	got, err := e.coops().GetCooperative(fes, &registryv1.GetCooperativeRequest{Name: c.GetName()})
	if err != nil || got.GetDemo() {
		t.Fatalf("get after updates: demo=%v, %v", got.GetDemo(), err)
	}
}
