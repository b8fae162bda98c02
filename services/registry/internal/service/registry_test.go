package service

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/hirfa/hirfa/pkg/auth"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

func newArtisan(cnie string) *registryv1.Artisan {
	return &registryv1.Artisan{
		GivenNameAr: "خديجة", FamilyNameAr: "التازي", GivenNameLatin: "Khadija", FamilyNameLatin: "Tazi",
		Cnie: cnie, Gender: registryv1.Artisan_FEMALE, BirthDate: "1985-05-05", Province: "fes", Activity: "F1.B02.A02",
		Category: registryv1.Artisan_EXPERIENCED, YearsOfPractice: 6,
	}
}

func newCoop() *registryv1.Cooperative {
	return &registryv1.Cooperative{
		DisplayName: &typev1.LocalizedText{Ar: "تعاونية النسيج", Fr: "Coopérative du Tissage"}, Activity: "F1.B02.A01", Province: "meknes",
		CapitalCentimes: 500_000, ShareValueCentimes: 10_000, MembersWomen: 4, MembersMen: 3,
	}
}

func code(err error) codes.Code { return status.Code(err) }

func errorInfo(err error) *errdetails.ErrorInfo {
	for _, d := range status.Convert(err).Details() {
		if ei, ok := d.(*errdetails.ErrorInfo); ok {
			return ei
		}
	}
	return nil
}

// TestArtisanLifecycle drives the register over real gRPC on both backends.
func TestArtisanLifecycle(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			url := ""
			if backend == "postgres" {
				url = postgresURL(t)
			}
			e := start(t, url)
			fes := e.as(t, auth.RoleChamberClerk, "fes-meknes")
			c := e.artisans()
			a, err := c.CreateArtisan(fes, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: newArtisan("AB123456"), RequestId: "r1"})
			if err != nil {
				t.Fatal(err)
			}
			if a.GetState() != registryv1.Artisan_APPLICANT || a.GetNia() != "" || !strings.HasPrefix(a.GetName(), "chambers/fes-meknes/artisans/") {
				t.Fatalf("created %v", a)
			}
			// Same request id: the same artisan, nothing new.
			again, err := c.CreateArtisan(fes, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: newArtisan("AB123456"), RequestId: "r1"})
			if err != nil || again.GetName() != a.GetName() {
				t.Fatalf("replay = %v, %v", again.GetName(), err)
			}
			// Another application with the same CNIE names the existing record.
			_, err = c.CreateArtisan(fes, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: newArtisan("AB123456")})
			if code(err) != codes.AlreadyExists || errorInfo(err).GetMetadata()["existing"] != a.GetName() {
				t.Fatalf("duplicate CNIE = %v (%v)", err, errorInfo(err))
			}
			reg, err := c.RegisterArtisan(fes, &registryv1.RegisterArtisanRequest{Name: a.GetName(), Etag: a.GetEtag()})
			if err != nil {
				t.Fatal(err)
			}
			if reg.GetState() != registryv1.Artisan_REGISTERED || !strings.HasPrefix(reg.GetNia(), "03-") || reg.GetRegisterTime() == nil {
				t.Fatalf("registered %v", reg)
			}
			// A stale etag is ABORTED; an illegal transition FAILED_PRECONDITION.
			if _, err := c.SuspendArtisan(fes, &registryv1.SuspendArtisanRequest{Name: a.GetName(), Etag: a.GetEtag(), Reason: "late fees"}); code(err) != codes.Aborted {
				t.Fatalf("stale etag = %v", err)
			}
			if _, err := c.ReinstateArtisan(fes, &registryv1.ReinstateArtisanRequest{Name: a.GetName()}); code(err) != codes.FailedPrecondition {
				t.Fatalf("reinstate registered = %v", err)
			}
			// Update with a mask changes only the masked field.
			upd, err := c.UpdateArtisan(fes, &registryv1.UpdateArtisanRequest{
				Artisan:    &registryv1.Artisan{Name: a.GetName(), Etag: reg.GetEtag(), YearsOfPractice: 12, GivenNameLatin: "IGNORED"},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"years_of_practice"}},
			})
			if err != nil || upd.GetYearsOfPractice() != 12 || upd.GetGivenNameLatin() != "Khadija" || upd.GetNia() != reg.GetNia() {
				t.Fatalf("update = %v, %v", upd, err)
			}
			if _, err := c.DeleteArtisan(fes, &registryv1.DeleteArtisanRequest{Name: a.GetName()}); code(err) != codes.FailedPrecondition {
				t.Fatalf("delete registered = %v", err)
			}
			off, err := c.StrikeOffArtisan(fes, &registryv1.StrikeOffArtisanRequest{Name: a.GetName(), Reason: "left the trade"})
			if err != nil || off.GetState() != registryv1.Artisan_STRUCK_OFF || off.GetNia() != reg.GetNia() {
				t.Fatalf("strike off = %v, %v", off, err)
			}
			// A new registration gets a new NIA, never the struck-off one.
			b, err := c.CreateArtisan(fes, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: newArtisan("AB123456")})
			if err != nil {
				t.Fatal(err)
			}
			b, err = c.RegisterArtisan(fes, &registryv1.RegisterArtisanRequest{Name: b.GetName()})
			if err != nil || b.GetNia() == reg.GetNia() {
				t.Fatalf("second registration NIA %q (first %q), %v", b.GetNia(), reg.GetNia(), err)
			}
		})
	}
}

func TestNationalReadMasksCNIE(t *testing.T) {
	e := start(t, "")
	fes := e.as(t, auth.RoleChamberClerk, "fes-meknes")
	if _, err := e.artisans().CreateArtisan(fes, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: newArtisan("QZ987654")}); err != nil {
		t.Fatal(err)
	}
	own, err := e.artisans().ListArtisans(fes, &registryv1.ListArtisansRequest{Parent: "chambers/fes-meknes"})
	if err != nil || len(own.GetArtisans()) != 1 || own.GetArtisans()[0].GetCnie() != "QZ987654" {
		t.Fatalf("clerk list = %v, %v", own, err)
	}
	national, err := e.artisans().ListArtisans(e.as(t, auth.RoleMinistry, ""), &registryv1.ListArtisansRequest{Parent: "chambers/-"})
	if err != nil || len(national.GetArtisans()) != 1 || national.GetArtisans()[0].GetCnie() != "******54" {
		t.Fatalf("ministry list = %v, %v", national, err)
	}
	if _, err := e.artisans().ListArtisans(fes, &registryv1.ListArtisansRequest{Parent: "chambers/-"}); code(err) != codes.PermissionDenied {
		t.Fatalf("clerk national read = %v", err)
	}
	if strings.Contains(e.logs.String(), "QZ987654") {
		t.Fatal("a CNIE reached the logs")
	}
}

func TestCooperativeLifecycleAndNationalRead(t *testing.T) {
	e := start(t, "")
	fes := e.as(t, auth.RoleChamberClerk, "fes-meknes")
	c := e.coops()
	coop, err := c.CreateCooperative(fes, &registryv1.CreateCooperativeRequest{Parent: "chambers/fes-meknes", Cooperative: newCoop()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.RegisterCooperative(fes, &registryv1.RegisterCooperativeRequest{Name: coop.GetName()}); code(err) != codes.FailedPrecondition ||
		errorInfo(err).GetReason() != "REGISTRATION_INCOMPLETE" {
		t.Fatalf("register without local register number = %v", err)
	}
	coop, err = c.UpdateCooperative(fes, &registryv1.UpdateCooperativeRequest{
		Cooperative: &registryv1.Cooperative{Name: coop.GetName(), LocalRegisterNumber: "MEK-2026-9"},
		UpdateMask:  &fieldmaskpb.FieldMask{Paths: []string{"local_register_number"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	cert := e.certificate(t, "fes-meknes", coop.GetDisplayName().GetAr(), coop.GetDisplayName().GetFr())
	for _, step := range []func() (*registryv1.Cooperative, error){
		func() (*registryv1.Cooperative, error) {
			return c.RegisterCooperative(fes, &registryv1.RegisterCooperativeRequest{Name: coop.GetName(), NameCertificate: cert})
		},
		func() (*registryv1.Cooperative, error) {
			return c.ActivateCooperative(fes, &registryv1.ActivateCooperativeRequest{Name: coop.GetName()})
		},
		func() (*registryv1.Cooperative, error) {
			return c.MarkDormantCooperative(fes, &registryv1.MarkDormantCooperativeRequest{Name: coop.GetName(), Reason: "no activity in 2026"})
		},
	} {
		if coop, err = step(); err != nil {
			t.Fatal(err)
		}
	}
	if coop.GetState() != registryv1.Cooperative_DORMANT {
		t.Fatalf("state = %v", coop.GetState())
	}
	got, err := c.ListCooperatives(e.as(t, auth.RoleFederation, ""), &registryv1.ListCooperativesRequest{Parent: "chambers/-", Filter: `state = DORMANT AND province = "meknes"`})
	if err != nil || len(got.GetCooperatives()) != 1 {
		t.Fatalf("national filtered read = %v, %v", got, err)
	}
	if _, err := c.GetCooperative(e.as(t, auth.RoleChamberClerk, "marrakech-safi"), &registryv1.GetCooperativeRequest{Name: coop.GetName()}); code(err) != codes.NotFound {
		t.Fatalf("other chamber's clerk = %v, want NotFound", err)
	}
}

// TestLookupRegistrantAcrossChambers: another chamber may check a registrant
// (a fair admitting artisans of other regions) and sees no personal data.
func TestLookupRegistrantAcrossChambers(t *testing.T) {
	e := start(t, "")
	fes := e.as(t, auth.RoleChamberClerk, "fes-meknes")
	in := newArtisan("MN778899")
	in.Contact = &typev1.Contact{Phone: "+212600000000"}
	a, err := e.artisans().CreateArtisan(fes, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: in})
	if err != nil {
		t.Fatal(err)
	}
	lookup := registryv1.NewRegistrantServiceClient(e.conn)
	r, err := lookup.LookupRegistrant(e.as(t, auth.RoleChamberClerk, "marrakech-safi"), &registryv1.LookupRegistrantRequest{Name: a.GetName()})
	if err != nil {
		t.Fatal(err)
	}
	want := &registryv1.RegistrantStanding{Name: a.GetName(), Chamber: "fes-meknes", Type: registryv1.RegistrantStanding_ARTISAN,
		Standing: registryv1.RegistrantStanding_NOT_REGISTERED, State: "APPLICANT", Province: "fes", Activity: "F1.B02.A02", WomenQuota: true}
	if !proto.Equal(r, want) {
		t.Fatalf("lookup = %v, want exactly %v", r, want)
	}
	coop, err := e.coops().CreateCooperative(fes, &registryv1.CreateCooperativeRequest{Parent: "chambers/fes-meknes", Cooperative: newCoop()})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := lookup.LookupRegistrant(e.as(t, auth.RoleChamberClerk, "marrakech-safi"), &registryv1.LookupRegistrantRequest{Name: coop.GetName()})
	if err != nil || rc.GetType() != registryv1.RegistrantStanding_COOPERATIVE || !rc.GetWomenQuota() || rc.GetDisplayName().GetFr() != "Coopérative du Tissage" ||
		rc.GetProvince() != "meknes" || rc.GetStanding() != registryv1.RegistrantStanding_NOT_REGISTERED {
		t.Fatalf("cooperative lookup = %v, %v", rc, err)
	}
	if _, err := lookup.LookupRegistrant(e.as(t, "", ""), &registryv1.LookupRegistrantRequest{Name: a.GetName()}); code(err) != codes.Unauthenticated {
		t.Fatalf("anonymous lookup = %v", err)
	}
	if _, err := lookup.LookupRegistrant(fes, &registryv1.LookupRegistrantRequest{Name: "chambers/fes-meknes/artisans/nobody"}); code(err) != codes.NotFound {
		t.Fatalf("unknown registrant = %v", err)
	}
}

// TestDuplicateCNIEAcrossChambers: a duplicate CNIE names the holder only
// inside the caller's own chamber; elsewhere it says which chamber, never
// the record (no enumeration of another chamber's register by CNIE).
func TestDuplicateCNIEAcrossChambers(t *testing.T) {
	e := start(t, "")
	fes := e.as(t, auth.RoleChamberClerk, "fes-meknes")
	a, err := e.artisans().CreateArtisan(fes, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: newArtisan("KL445566")})
	if err != nil {
		t.Fatal(err)
	}
	id := a.GetName()[strings.LastIndex(a.GetName(), "/")+1:]
	mar := e.as(t, auth.RoleChamberClerk, "marrakech-safi")
	inMarrakech := func(cnie string) *registryv1.Artisan { a := newArtisan(cnie); a.Province = "marrakech"; return a }
	_, err = e.artisans().CreateArtisan(mar, &registryv1.CreateArtisanRequest{Parent: "chambers/marrakech-safi", Artisan: inMarrakech("KL445566")})
	ei := errorInfo(err)
	if code(err) != codes.AlreadyExists || ei.GetReason() != "CNIE_ALREADY_REGISTERED" {
		t.Fatalf("cross-chamber duplicate = %v", err)
	}
	if strings.Contains(status.Convert(err).Message(), id) || strings.Contains(fmt.Sprint(ei.GetMetadata()), id) || ei.GetMetadata()["existing"] != "" {
		t.Fatalf("cross-chamber duplicate names the holder: %q %v", status.Convert(err).Message(), ei.GetMetadata())
	}
	if !strings.Contains(status.Convert(err).Message(), "registered in another chamber") {
		t.Fatalf("message = %q", status.Convert(err).Message())
	}
	// A change of CNIE onto another chamber's holder says the same.
	b, err := e.artisans().CreateArtisan(mar, &registryv1.CreateArtisanRequest{Parent: "chambers/marrakech-safi", Artisan: inMarrakech("KL445577")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.artisans().UpdateArtisan(mar, &registryv1.UpdateArtisanRequest{Artisan: &registryv1.Artisan{Name: b.GetName(), Cnie: "KL445566"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"cnie"}}})
	if code(err) != codes.AlreadyExists || strings.Contains(status.Convert(err).Message(), id) || errorInfo(err).GetMetadata()["existing"] != "" {
		t.Fatalf("cross-chamber duplicate on update = %v %v", err, errorInfo(err))
	}
}

// TestSingleReadsMaskCNIE: Get, Create, Update and transitions follow the
// same role rule as List: roles that do not process the files see the CNIE
// masked.
func TestSingleReadsMaskCNIE(t *testing.T) {
	e := start(t, "")
	fes := e.as(t, auth.RoleChamberClerk, "fes-meknes")
	a, err := e.artisans().CreateArtisan(fes, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: newArtisan("GH121212")})
	if err != nil || a.GetCnie() != "GH121212" {
		t.Fatalf("clerk create = %v, %v", a.GetCnie(), err)
	}
	for _, who := range []context.Context{e.as(t, auth.RoleAuditor, "fes-meknes"), e.as(t, auth.RoleMinistry, "")} {
		got, err := e.artisans().GetArtisan(who, &registryv1.GetArtisanRequest{Name: a.GetName()})
		if err != nil || got.GetCnie() != "******12" {
			t.Fatalf("get by a reader = %q, %v", got.GetCnie(), err)
		}
	}
	own, err := e.artisans().GetArtisan(fes, &registryv1.GetArtisanRequest{Name: a.GetName()})
	if err != nil || own.GetCnie() != "GH121212" {
		t.Fatalf("clerk get = %q, %v", own.GetCnie(), err)
	}
}

// TestEveryProblemAtOnce: a form with several mistakes gets all of them
// back in one answer, each naming its field.
func TestEveryProblemAtOnce(t *testing.T) {
	e := start(t, "")
	c := newCoop()
	c.CapitalCentimes, c.Province, c.Activity = 50_000, "safi", "Z9"
	_, err := e.coops().CreateCooperative(e.as(t, auth.RoleChamberClerk, "fes-meknes"), &registryv1.CreateCooperativeRequest{Parent: "chambers/fes-meknes", Cooperative: c})
	var fields []string
	for _, d := range status.Convert(err).Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				fields = append(fields, v.GetField())
			}
		}
	}
	want := "[cooperative.capital_centimes cooperative.province cooperative.activity]"
	if code(err) != codes.InvalidArgument || fmt.Sprint(fields) != want {
		t.Fatalf("violations = %v (%v), want %s", fields, err, want)
	}
}

// TestRequestIDIsPerActor: a request id makes a write idempotent for the
// actor who sent it; another actor of the same chamber reusing the same id
// gets its own write, not the first actor's record.
func TestRequestIDIsPerActor(t *testing.T) {
	e := start(t, "")
	clerk := e.as(t, auth.RoleChamberClerk, "fes-meknes")
	admin := e.as(t, auth.RoleChamberAdmin, "fes-meknes")
	a, err := e.artisans().CreateArtisan(clerk, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: newArtisan("RS100001"), RequestId: "shared-1"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.artisans().CreateArtisan(admin, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: newArtisan("RS100002"), RequestId: "shared-1"})
	if err != nil || b.GetName() == a.GetName() || b.GetCnie() != "RS100002" {
		t.Fatalf("second actor's write with the same request id = %v, %v (first %s)", b.GetName(), err, a.GetName())
	}
	again, err := e.artisans().CreateArtisan(clerk, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: newArtisan("RS100001"), RequestId: "shared-1"})
	if err != nil || again.GetName() != a.GetName() {
		t.Fatalf("the first actor's retry = %v, %v, want %s", again.GetName(), err, a.GetName())
	}
}
