package service

import (
	"slices"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/auth"
	craftbodiesv1 "github.com/hirfa/hirfa/proto/gen/hirfa/craftbodies/v1"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	reportingv1 "github.com/hirfa/hirfa/proto/gen/hirfa/reporting/v1"
)

// TestCardAndCraftBodyStatisticsRPC reads the card and craft-body counts
// over gRPC: a chamber's staff their chamber, national roles every chamber
// with `chambers/-`; another chamber's clerk is refused, and so is a
// malformed scope, naming the field.
func TestCardAndCraftBodyStatisticsRPC(t *testing.T) {
	e := start(t, options{})
	at := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	for _, ch := range []string{"fes-meknes", "oriental"} {
		project(t, e, "hirfa.desk.v1.ProfessionalCardIssued", at, &deskv1.ProfessionalCard{Name: "chambers/" + ch + "/professionalCards/c1",
			Kind: deskv1.ProfessionalCard_PROFESSIONAL_CARD, Artisan: "chambers/" + ch + "/artisans/k1", ArtisanState: "REGISTERED", UpdateTime: timestamppb.New(at)})
		project(t, e, "hirfa.craftbodies.v1.CraftBodyPlanned", at, &craftbodiesv1.CraftBody{Name: "chambers/" + ch + "/craftBodies/b1",
			Province: map[string]string{"fes-meknes": "fes", "oriental": "oujda-angad"}[ch], Craft: "F1.B05.A01", State: craftbodiesv1.Stage_AWARENESS,
			UpdateTime: timestamppb.New(at)})
	}
	project(t, e, "hirfa.desk.v1.ProfessionalCardRevoked", at, &deskv1.ProfessionalCard{Name: "chambers/fes-meknes/professionalCards/c1",
		Kind: deskv1.ProfessionalCard_PROFESSIONAL_CARD, Artisan: "chambers/fes-meknes/artisans/k1", ArtisanState: "REGISTERED",
		RevokeTime: timestamppb.New(at.Add(time.Hour)), UpdateTime: timestamppb.New(at.Add(time.Hour))})
	st := reportingv1.NewStatisticsServiceClient(e.conn)
	clerk, ministry := e.as(t, auth.RoleChamberClerk, "fes-meknes"), e.as(t, auth.RoleMinistry, "")

	cs, err := st.GetCardStatistics(clerk, &reportingv1.GetCardStatisticsRequest{Scope: "chambers/fes-meknes"})
	if err != nil || len(cs.GetRows()) != 1 || cs.GetRows()[0].GetChamber() != "chambers/fes-meknes" || cs.GetRows()[0].GetIssued() != 1 || cs.GetRows()[0].GetRevoked() != 1 {
		t.Fatalf("card statistics: %v %v", cs, err)
	}
	if cs, err := st.GetCardStatistics(ministry, &reportingv1.GetCardStatisticsRequest{Scope: "chambers/-"}); err != nil || len(cs.GetRows()) != 2 {
		t.Fatalf("national card statistics: %v %v", cs, err)
	}
	bs, err := st.GetCraftBodyStatistics(clerk, &reportingv1.GetCraftBodyStatisticsRequest{Scope: "chambers/fes-meknes"})
	if err != nil || bs.GetTotal() != 1 || len(bs.GetRows()) != 1 || bs.GetRows()[0].GetStage() != "AWARENESS" || bs.GetRows()[0].GetProvince() != "fes" {
		t.Fatalf("craft body statistics: %v %v", bs, err)
	}
	if bs, err := st.GetCraftBodyStatistics(ministry, &reportingv1.GetCraftBodyStatisticsRequest{Scope: "chambers/-"}); err != nil || bs.GetTotal() != 2 {
		t.Fatalf("national craft body statistics: %v %v", bs, err)
	}

	other := e.as(t, auth.RoleChamberClerk, "marrakech-safi")
	for _, c := range []struct {
		what  string
		err   error
		code  codes.Code
		field string
	}{
		{"another chamber's cards", func() error {
			_, err := st.GetCardStatistics(other, &reportingv1.GetCardStatisticsRequest{Scope: "chambers/fes-meknes"})
			return err
		}(), codes.NotFound, ""},
		{"another chamber's craft bodies", func() error {
			_, err := st.GetCraftBodyStatistics(other, &reportingv1.GetCraftBodyStatisticsRequest{Scope: "chambers/fes-meknes"})
			return err
		}(), codes.NotFound, ""},
		{"a clerk's national cards", func() error {
			_, err := st.GetCardStatistics(clerk, &reportingv1.GetCardStatisticsRequest{Scope: "chambers/-"})
			return err
		}(), codes.PermissionDenied, ""},
		{"malformed card scope", func() error {
			_, err := st.GetCardStatistics(clerk, &reportingv1.GetCardStatisticsRequest{Scope: "regions/fes-meknes"})
			return err
		}(), codes.InvalidArgument, "scope"},
		{"malformed craft body scope", func() error {
			_, err := st.GetCraftBodyStatistics(clerk, &reportingv1.GetCraftBodyStatisticsRequest{Scope: "chambers/FES"})
			return err
		}(), codes.InvalidArgument, "scope"},
	} {
		if status.Code(c.err) != c.code || (c.field != "" && !slices.Contains(fields(c.err), c.field)) {
			t.Errorf("%s: %v (fields %v), want %s %s", c.what, c.err, fields(c.err), c.code, c.field)
		}
	}
}
