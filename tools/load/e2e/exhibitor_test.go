package e2e

import (
	"context"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/hirfa/hirfa/pkg/auth"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

// TestExhibitorFromAnotherRegion: a Fès-Meknès fair admits an artisan
// registered in Marrakech-Safi (booths are reserved for artisans from
// outside the region). events-and-fairs checks the applicant in the real
// registry with the Fès clerk's own token, and counts it as outside the
// region; an unknown applicant is refused with the service's own reason.
func TestExhibitorFromAnotherRegion(t *testing.T) {
	s := newStack(t, "HIRFA_SEED_DEMO=false")
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	as := func(role auth.Role, chamber string) context.Context {
		return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token(t, s, role, chamber))
	}
	dial := func(service string) *grpc.ClientConn {
		conn, err := grpc.NewClient(s.Addr(service), grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = conn.Close() })
		return conn
	}
	artisans := registryv1.NewArtisanServiceClient(dial("registry"))
	events := eventsfairsv1.NewEventServiceClient(dial("events-and-fairs"))
	fairs := eventsfairsv1.NewFairServiceClient(dial("events-and-fairs"))

	marrakech := as(auth.RoleChamberClerk, "marrakech-safi")
	a, err := artisans.CreateArtisan(marrakech, &registryv1.CreateArtisanRequest{Parent: "chambers/marrakech-safi", Artisan: &registryv1.Artisan{
		GivenNameAr: "زينب", FamilyNameAr: "الصويري", GivenNameLatin: "Zineb", FamilyNameLatin: "Souiri", Cnie: "EE101010",
		Gender: registryv1.Artisan_FEMALE, BirthDate: "1979-03-03", Province: "safi", Activity: "F1.B04.A01",
		Category: registryv1.Artisan_MASTER, YearsOfPractice: 22, AminCertificateReference: "AMIN-SAF-77",
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := artisans.RegisterArtisan(marrakech, &registryv1.RegisterArtisanRequest{Name: a.GetName()}); err != nil {
		t.Fatal(err)
	}

	fes := as(auth.RoleChamberClerk, "fes-meknes")
	// The Fès clerk cannot read the Marrakech record itself...
	if _, err := artisans.GetArtisan(fes, &registryv1.GetArtisanRequest{Name: a.GetName()}); status.Code(err) != codes.NotFound {
		t.Fatalf("Fès clerk reading a Marrakech artisan = %v, want NotFound", err)
	}
	// ...but its fair can admit her.
	fair, err := events.CreateEvent(fes, &eventsfairsv1.CreateEventRequest{Parent: "chambers/fes-meknes", Event: &eventsfairsv1.Event{
		Kind: eventsfairsv1.Event_FAIR, Scope: eventsfairsv1.Event_REGIONAL,
		Title:     &typev1.LocalizedText{Ar: "المعرض الجهوي للفخار", Fr: "Salon régional de la poterie"},
		StartDate: "2027-03-10", EndDate: "2027-03-19", Venue: &eventsfairsv1.Venue{Province: "fes", City: "Fès"},
		Fair: &eventsfairsv1.FairSettings{},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fairs.CreateBooth(fes, &eventsfairsv1.CreateBoothRequest{Parent: fair.GetName(),
		Booth: &eventsfairsv1.Booth{Number: "A-1", AreaM2: 9, Zone: "Poterie", FeeCentimes: 500_00}}); err != nil {
		t.Fatal(err)
	}
	if _, err := events.OpenApplications(fes, &eventsfairsv1.OpenApplicationsRequest{Name: fair.GetName()}); err != nil {
		t.Fatal(err)
	}
	x, err := fairs.CreateExhibitor(fes, &eventsfairsv1.CreateExhibitorRequest{Parent: fair.GetName(), Exhibitor: &eventsfairsv1.Exhibitor{Applicant: a.GetName()}})
	if err != nil {
		t.Fatalf("application of an artisan from another region: %v", err)
	}
	if !x.GetOutsideRegion() || x.GetProvince() != "safi" || !x.GetWomen() || x.GetApplicantType() != eventsfairsv1.Exhibitor_ARTISAN {
		t.Fatalf("exhibitor = %v, want an outside-region woman artisan from Safi", x)
	}
	_, err = fairs.CreateExhibitor(fes, &eventsfairsv1.CreateExhibitorRequest{Parent: fair.GetName(),
		Exhibitor: &eventsfairsv1.Exhibitor{Applicant: "chambers/marrakech-safi/artisans/nobody"}})
	if status.Code(err) != codes.FailedPrecondition {
		t.Fatalf("unknown applicant = %v, want FAILED_PRECONDITION", err)
	}
}
