package service

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/auth"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

// TestListRegistrantFacts: the census read selects by activity (code or
// branch prefix), province and state, pages deterministically, keeps to the
// caller's chamber and answers registration facts only — on SQLite and on
// PostgreSQL.
func TestListRegistrantFacts(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			url := ""
			if backend == "postgres" {
				url = postgresURL(t)
			}
			testListRegistrantFacts(t, start(t, url))
		})
	}
}

func testListRegistrantFacts(t *testing.T, e *env) {
	fes := e.as(t, auth.RoleChamberClerk, "fes-meknes")
	mar := e.as(t, auth.RoleChamberClerk, "marrakech-safi")
	arts := e.artisans()
	seq := 0
	mk := func(ctx context.Context, chamber, province, activity string, state registryv1.Artisan_State) string {
		t.Helper()
		seq++
		in := newArtisan(fmt.Sprintf("FX%06d", seq))
		in.Province, in.Activity = province, activity
		a, err := arts.CreateArtisan(ctx, &registryv1.CreateArtisanRequest{Parent: "chambers/" + chamber, Artisan: in})
		if err != nil {
			t.Fatal(err)
		}
		if state == registryv1.Artisan_APPLICANT {
			return a.GetName()
		}
		if _, err := arts.RegisterArtisan(ctx, &registryv1.RegisterArtisanRequest{Name: a.GetName()}); err != nil {
			t.Fatal(err)
		}
		switch state {
		case registryv1.Artisan_SUSPENDED:
			_, err = arts.SuspendArtisan(ctx, &registryv1.SuspendArtisanRequest{Name: a.GetName(), Reason: "inspection"})
		case registryv1.Artisan_STRUCK_OFF:
			_, err = arts.StrikeOffArtisan(ctx, &registryv1.StrikeOffArtisanRequest{Name: a.GetName(), Reason: "ceased"})
		}
		if err != nil {
			t.Fatal(err)
		}
		return a.GetName()
	}
	reg := registryv1.Artisan_REGISTERED
	carpetFes1 := mk(fes, "fes-meknes", "fes", "F1.B02.A01", reg)
	embroideryFes := mk(fes, "fes-meknes", "fes", "F1.B02.A02", reg)
	suspendedFes := mk(fes, "fes-meknes", "fes", "F1.B02.A01", registryv1.Artisan_SUSPENDED)
	struckFes := mk(fes, "fes-meknes", "fes", "F1.B02.A01", registryv1.Artisan_STRUCK_OFF)
	applicantFes := mk(fes, "fes-meknes", "fes", "F1.B02.A01", registryv1.Artisan_APPLICANT)
	carpetMeknes := mk(fes, "fes-meknes", "meknes", "F1.B02.A01", reg)
	mk(fes, "fes-meknes", "fes", "F1.B03.A01", reg) // another branch
	carpetFes2 := mk(fes, "fes-meknes", "fes", "F1.B02.A01", reg)
	carpetMarrakech := mk(mar, "marrakech-safi", "marrakech", "F1.B02.A01", reg)

	facts := registryv1.NewRegistrantServiceClient(e.conn)
	all := func(ctx context.Context, req *registryv1.ListRegistrantFactsRequest) ([]string, []*registryv1.RegistrantFact, error) {
		var names []string
		var got []*registryv1.RegistrantFact
		for {
			resp, err := facts.ListRegistrantFacts(ctx, req)
			if err != nil {
				return nil, nil, err
			}
			for _, f := range resp.GetFacts() {
				names = append(names, f.GetName())
				got = append(got, f)
			}
			if resp.GetNextPageToken() == "" {
				return names, got, nil
			}
			req.PageToken = resp.GetNextPageToken()
		}
	}
	cases := []struct {
		name string
		ctx  context.Context
		req  *registryv1.ListRegistrantFactsRequest
		want []string
	}{
		{"activity in a province, registered", fes, &registryv1.ListRegistrantFactsRequest{Parent: "chambers/fes-meknes",
			Activity: "F1.B02.A01", Province: "fes", States: []registryv1.Artisan_State{reg}, PageSize: 1},
			[]string{carpetFes1, carpetFes2}},
		{"branch prefix covers its activities", fes, &registryv1.ListRegistrantFactsRequest{Parent: "chambers/fes-meknes",
			Activity: "F1.B02", Province: "fes", States: []registryv1.Artisan_State{reg}},
			[]string{carpetFes1, embroideryFes, carpetFes2}},
		{"every state when none is given", fes, &registryv1.ListRegistrantFactsRequest{Parent: "chambers/fes-meknes",
			Activity: "F1.B02.A01", Province: "fes"},
			[]string{carpetFes1, suspendedFes, struckFes, applicantFes, carpetFes2}},
		{"every province of the chamber", fes, &registryv1.ListRegistrantFactsRequest{Parent: "chambers/fes-meknes",
			Activity: "F1.B02.A01", States: []registryv1.Artisan_State{reg}},
			[]string{carpetFes1, carpetMeknes, carpetFes2}},
		{"national read", e.as(t, auth.RoleMinistry, ""), &registryv1.ListRegistrantFactsRequest{Parent: "chambers/-",
			Activity: "F1.B02.A01", States: []registryv1.Artisan_State{reg}, PageSize: 2},
			[]string{carpetFes1, carpetMeknes, carpetFes2, carpetMarrakech}},
		{"a prefix is whole segments", fes, &registryv1.ListRegistrantFactsRequest{Parent: "chambers/fes-meknes",
			Activity: "F1.B0", Province: "fes"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			names, got, err := all(c.ctx, c.req)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(names, c.want) {
				t.Fatalf("got %v, want %v", names, c.want)
			}
			for _, f := range got {
				if f.GetActivity() == "" || f.GetProvince() == "" || f.GetDisplayName().GetFr() != "Khadija Tazi" {
					t.Fatalf("facts lost: %v", f)
				}
				if f.GetState() == reg && (f.GetNia() == "" || f.GetRegisterTime() == nil) {
					t.Fatalf("registered without NIA or date: %v", f)
				}
			}
		})
	}

	// Tenancy: another chamber's clerk cannot read Fès-Meknès; the wildcard is for national roles.
	if _, err := facts.ListRegistrantFacts(mar, &registryv1.ListRegistrantFactsRequest{Parent: "chambers/fes-meknes", Activity: "F1"}); code(err) != codes.NotFound {
		t.Fatalf("other chamber = %v, want NotFound", err)
	}
	if _, err := facts.ListRegistrantFacts(fes, &registryv1.ListRegistrantFactsRequest{Parent: "chambers/-", Activity: "F1"}); code(err) == codes.OK {
		t.Fatal("a chamber clerk read nationally")
	}
	if _, err := facts.ListRegistrantFacts(e.as(t, "", ""), &registryv1.ListRegistrantFactsRequest{Parent: "chambers/fes-meknes", Activity: "F1"}); code(err) != codes.Unauthenticated {
		t.Fatalf("anonymous = %v", err)
	}
	// A page token is bound to its filters: Fès's token does not page Meknès.
	first, err := facts.ListRegistrantFacts(fes, &registryv1.ListRegistrantFactsRequest{Parent: "chambers/fes-meknes", Activity: "F1.B02.A01", Province: "fes", PageSize: 1})
	if err != nil || first.GetNextPageToken() == "" {
		t.Fatalf("first page: %v %v", first, err)
	}
	if _, err := facts.ListRegistrantFacts(fes, &registryv1.ListRegistrantFactsRequest{Parent: "chambers/fes-meknes", Activity: "F1.B02.A01", Province: "meknes",
		PageSize: 1, PageToken: first.GetNextPageToken()}); code(err) != codes.InvalidArgument {
		t.Fatalf("token reused with another province = %v, want InvalidArgument", err)
	}
	// Bad requests are refused with the field named.
	for _, bad := range []*registryv1.ListRegistrantFactsRequest{
		{Parent: "chambers/fes-meknes"},
		{Parent: "chambers/fes-meknes", Activity: "f1.b02"},
		{Parent: "chambers/fes-meknes", Activity: "F1", Province: "Fès"},
		{Parent: "chambers/fes-meknes", Activity: "F1", States: []registryv1.Artisan_State{registryv1.Artisan_STATE_UNSPECIFIED}},
		{Parent: "chambers/fes-meknes", Activity: "F1", PageSize: -1},
		{Parent: "regions/fes-meknes", Activity: "F1"},
	} {
		if _, err := facts.ListRegistrantFacts(fes, bad); code(err) != codes.InvalidArgument {
			t.Errorf("%v = %v, want InvalidArgument", bad, err)
		}
	}
}
