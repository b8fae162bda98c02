package service

import (
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/hirfa/hirfa/pkg/auth"
	reportingv1 "github.com/hirfa/hirfa/proto/gen/hirfa/reporting/v1"
)

// fields lists the fields an INVALID_ARGUMENT names.
func fields(err error) []string {
	var out []string
	for _, d := range status.Convert(err).Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				out = append(out, v.GetField())
			}
		}
	}
	return out
}

func reason(err error) string {
	for _, d := range status.Convert(err).Details() {
		if ei, ok := d.(*errdetails.ErrorInfo); ok {
			return ei.GetReason()
		}
	}
	return ""
}

// TestBadInput: each bad question is INVALID_ARGUMENT naming its field.
func TestBadInput(t *testing.T) {
	e := start(t, options{})
	ctx := e.as(t, auth.RoleChamberClerk, "fes-meknes")
	st := reportingv1.NewStatisticsServiceClient(e.conn)
	reg := func(groupBy []string, filter string) error {
		_, err := st.GetRegisterStatistics(ctx, &reportingv1.GetRegisterStatisticsRequest{Scope: "chambers/fes-meknes", RegistrantType: reportingv1.RegistrantType_ARTISAN, GroupBy: groupBy, Filter: filter})
		return err
	}
	fair := func(start, end string) error {
		_, err := st.GetFairStatistics(ctx, &reportingv1.GetFairStatisticsRequest{Scope: "chambers/fes-meknes", StartDate: start, EndDate: end})
		return err
	}
	rep := reportingv1.NewReportServiceClient(e.conn)
	for _, c := range []struct {
		name, field string
		err         error
	}{
		{"unknown dimension", "group_by[0]", reg([]string{"colour"}, "")},
		{"more than three dimensions", "group_by", reg([]string{"region", "province", "gender", "state"}, "")},
		{"bad filter", "filter", reg([]string{"province"}, "province = ")},
		{"filter on an unknown field", "filter", reg([]string{"province"}, `colour = "red"`)},
		{"gender of cooperatives", "group_by[0]", func() error {
			_, err := st.GetRegisterStatistics(ctx, &reportingv1.GetRegisterStatisticsRequest{Scope: "chambers/fes-meknes", RegistrantType: reportingv1.RegistrantType_COOPERATIVE, GroupBy: []string{"gender"}})
			return err
		}()},
		{"inverted range", "end_date", fair("2023-05-31", "2023-01-01")},
		{"period over the maximum", "end_date", fair("2010-01-01", "2023-01-01")},
		{"report period over a year", "end_date", func() error {
			_, err := rep.DownloadActivityReport(ctx, &reportingv1.DownloadActivityReportRequest{Scope: "chambers/fes-meknes", StartDate: "2022-01-01", EndDate: "2023-05-31", Language: "fr", Format: reportingv1.Format_HTML})
			return err
		}()},
		{"CSV without a table", "table", func() error {
			_, err := rep.DownloadActivityReport(ctx, &reportingv1.DownloadActivityReportRequest{Scope: "chambers/fes-meknes", StartDate: "2023-01-01", EndDate: "2023-05-31", Language: "fr", Format: reportingv1.Format_CSV})
			return err
		}()},
	} {
		if status.Code(c.err) != codes.InvalidArgument || !strings.Contains(strings.Join(fields(c.err), ","), c.field) {
			t.Errorf("%s: %v (fields %v), want INVALID_ARGUMENT naming %s", c.name, c.err, fields(c.err), c.field)
		}
	}
}

// TestTenancy: a clerk reads its chamber only; chambers/- is for national roles.
func TestTenancy(t *testing.T) {
	e := start(t, options{})
	st := reportingv1.NewStatisticsServiceClient(e.conn)
	ask := func(role auth.Role, chamber, scope string) codes.Code {
		_, err := st.GetRegisterStatistics(e.as(t, role, chamber), &reportingv1.GetRegisterStatisticsRequest{Scope: scope, RegistrantType: reportingv1.RegistrantType_ARTISAN, GroupBy: []string{"province"}})
		return status.Code(err)
	}
	for _, c := range []struct {
		role           auth.Role
		chamber, scope string
		want           codes.Code
	}{
		{auth.RoleChamberClerk, "fes-meknes", "chambers/fes-meknes", codes.OK},
		{auth.RoleChamberClerk, "fes-meknes", "chambers/marrakech-safi", codes.NotFound},
		{auth.RoleChamberClerk, "fes-meknes", "chambers/-", codes.PermissionDenied},
		{auth.RoleMinistry, "", "chambers/-", codes.OK},
		{auth.RoleFederation, "", "chambers/marrakech-safi", codes.OK},
	} {
		if got := ask(c.role, c.chamber, c.scope); got != c.want {
			t.Errorf("%s@%s on %s: %v, want %v", c.role, c.chamber, c.scope, got, c.want)
		}
	}
}

// TestTargets: chamber admins and the ministry maintain targets; clerks
// read them; achievements compare them with the registered artisans.
func TestTargets(t *testing.T) {
	e := start(t, options{})
	tc := reportingv1.NewTargetServiceClient(e.conn)
	admin := e.as(t, auth.RoleChamberAdmin, "fes-meknes")
	clerk := e.as(t, auth.RoleChamberClerk, "fes-meknes")
	ministry := e.as(t, auth.RoleMinistry, "")
	other := e.as(t, auth.RoleChamberAdmin, "marrakech-safi")

	tg, err := tc.CreateRegistrationTarget(admin, &reportingv1.CreateRegistrationTargetRequest{Parent: "chambers/fes-meknes", RegistrationTarget: &reportingv1.RegistrationTarget{Province: "fes", Year: 2026, Artisans: 1200}})
	if err != nil {
		t.Fatal(err)
	}
	if tg.GetName() != "chambers/fes-meknes/registrationTargets/fes-2026" {
		t.Fatalf("name %s", tg.GetName())
	}
	if _, err := tc.CreateRegistrationTarget(ministry, &reportingv1.CreateRegistrationTargetRequest{Parent: "chambers/fes-meknes", RegistrationTarget: &reportingv1.RegistrationTarget{Province: "taounate", Year: 2026, Artisans: 800}}); err != nil {
		t.Fatal(err)
	}
	if _, err := tc.CreateRegistrationTarget(admin, &reportingv1.CreateRegistrationTargetRequest{Parent: "chambers/fes-meknes", RegistrationTarget: &reportingv1.RegistrationTarget{Province: "fes", Year: 2026, Artisans: 1}}); status.Code(err) != codes.AlreadyExists {
		t.Errorf("second target for fes 2026: %v", err)
	}
	if _, err := tc.CreateRegistrationTarget(admin, &reportingv1.CreateRegistrationTargetRequest{Parent: "chambers/fes-meknes", RegistrationTarget: &reportingv1.RegistrationTarget{Province: "safi", Year: 2026, Artisans: 1}}); status.Code(err) != codes.InvalidArgument || !strings.Contains(strings.Join(fields(err), ","), "registration_target.province") {
		t.Errorf("province outside the chamber: %v", err)
	}
	if _, err := tc.CreateRegistrationTarget(clerk, &reportingv1.CreateRegistrationTargetRequest{Parent: "chambers/fes-meknes", RegistrationTarget: &reportingv1.RegistrationTarget{Province: "meknes", Year: 2026, Artisans: 1}}); status.Code(err) != codes.PermissionDenied {
		t.Errorf("clerk creating a target: %v", err)
	}
	if _, err := tc.GetRegistrationTarget(other, &reportingv1.GetRegistrationTargetRequest{Name: tg.GetName()}); status.Code(err) != codes.NotFound {
		t.Errorf("another chamber reading: %v", err)
	}
	up, err := tc.UpdateRegistrationTarget(admin, &reportingv1.UpdateRegistrationTargetRequest{RegistrationTarget: &reportingv1.RegistrationTarget{Name: tg.GetName(), Artisans: 1500, Etag: tg.GetEtag()}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"artisans"}}})
	if err != nil || up.GetArtisans() != 1500 || up.GetProvince() != "fes" {
		t.Fatalf("update: %v %v", up, err)
	}
	list, err := tc.ListRegistrationTargets(clerk, &reportingv1.ListRegistrationTargetsRequest{Parent: "chambers/fes-meknes"})
	if err != nil || len(list.GetRegistrationTargets()) != 2 {
		t.Fatalf("list: %v %v", list, err)
	}
	ach, err := tc.GetTargetAchievements(ministry, &reportingv1.GetTargetAchievementsRequest{Scope: "chambers/-", Year: 2026})
	if err != nil || ach.GetTotal().GetTarget() != 2300 || len(ach.GetProvinces()) != 2 || len(ach.GetRegions()) != 1 {
		t.Fatalf("achievements: %v %v", ach, err)
	}
	if _, err := tc.DeleteRegistrationTarget(admin, &reportingv1.DeleteRegistrationTargetRequest{Name: tg.GetName()}); err != nil {
		t.Fatal(err)
	}
	if _, err := tc.GetRegistrationTarget(clerk, &reportingv1.GetRegistrationTargetRequest{Name: tg.GetName()}); status.Code(err) != codes.NotFound {
		t.Errorf("deleted target: %v", err)
	}
}

// TestDownloadsWithoutChromium: HTML, CSV, XLSX and SVG work; PDF and PNG
// answer FAILED_PRECONDITION RENDERER_UNAVAILABLE, and the service stays up.
func TestDownloadsWithoutChromium(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no chromium to find
	e := start(t, options{})
	ctx := e.as(t, auth.RoleChamberClerk, "fes-meknes")
	rep := reportingv1.NewReportServiceClient(e.conn)
	report := func(f reportingv1.Format, table string) (string, error) {
		b, err := rep.DownloadActivityReport(ctx, &reportingv1.DownloadActivityReportRequest{Scope: "chambers/fes-meknes", StartDate: "2023-01-01", EndDate: "2023-05-31", Language: "ar", Format: f, Table: table})
		return b.GetContentType(), err
	}
	for f, want := range map[reportingv1.Format]string{reportingv1.Format_HTML: "text/html", reportingv1.Format_XLSX: "application/vnd.openxmlformats", reportingv1.Format_CSV: "text/csv"} {
		ct, err := report(f, map[bool]string{true: "growth"}[f == reportingv1.Format_CSV])
		if err != nil || !strings.HasPrefix(ct, want) {
			t.Errorf("%s: %q %v", f, ct, err)
		}
	}
	_, err := report(reportingv1.Format_PDF, "")
	if status.Code(err) != codes.FailedPrecondition || reason(err) != "RENDERER_UNAVAILABLE" {
		t.Errorf("PDF without Chromium: %v", err)
	}
	svg, err := rep.DownloadChart(ctx, &reportingv1.DownloadChartRequest{Scope: "chambers/fes-meknes", Chart: "artisans_by_province", Language: "fr", Format: reportingv1.Format_SVG})
	if err != nil || !strings.HasPrefix(string(svg.GetData()), "<svg") {
		t.Errorf("SVG: %v", err)
	}
	if _, err := rep.DownloadChart(ctx, &reportingv1.DownloadChartRequest{Scope: "chambers/fes-meknes", Chart: "artisans_by_province", Language: "fr", Format: reportingv1.Format_PNG}); status.Code(err) != codes.FailedPrecondition {
		t.Errorf("PNG without Chromium: %v", err)
	}
}
