package eventdecode_test

import (
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/eventbus"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	eventv1 "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/eventdecode"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/projection"
)

func TestDecode(t *testing.T) {
	d := eventdecode.Decoder{RegionOf: func(p string) string { return map[string]string{"fes": "fes-meknes"}[p] }}
	at := time.Date(2023, 6, 22, 10, 0, 0, 0, time.UTC)
	enc := func(m proto.Message) []byte {
		b, err := proto.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	reg := timestamppb.New(time.Date(2023, 1, 15, 23, 30, 0, 0, time.UTC))
	c, ok, err := d.Decode("hirfa.registry.v1.ArtisanRegistered", at, enc(&registryv1.Artisan{
		Name: "chambers/fes-meknes/artisans/a1", Province: "fes", Activity: "F1.B01.A001", Gender: registryv1.Artisan_FEMALE,
		Category: registryv1.Artisan_MASTER, State: registryv1.Artisan_REGISTERED, RegisterTime: reg}))
	if err != nil || !ok || c.Op != projection.Upsert {
		t.Fatalf("artisan: %v %v %+v", ok, err, c)
	}
	want := projection.Registrant{Type: "ARTISAN", Chamber: "fes-meknes", ID: "a1", Region: "fes-meknes", Province: "fes", Activity: "F1.B01.A001",
		Category: "MASTER", State: "REGISTERED", Gender: "FEMALE", RegisterDate: "2023-01-15", Version: at.UnixMicro()}
	if *c.Registrant != want {
		t.Errorf("artisan = %+v, want %+v", *c.Registrant, want)
	}
	// Deleted events delete; the kind is read from the type, whatever the action.
	c, ok, err = d.Decode("hirfa.eventsfairs.v1.ExhibitorDeleted", at, enc(&eventsfairsv1.Exhibitor{Name: "chambers/fes-meknes/events/e1/exhibitors/x1", State: eventsfairsv1.Exhibitor_APPLIED}))
	if err != nil || !ok || c.Op != projection.Delete || c.Exhibitor.Event != "e1" || c.Exhibitor.ID != "x1" || c.Exhibitor.State != "APPLIED" {
		t.Fatalf("exhibitor: %v %v %+v", ok, err, c.Exhibitor)
	}
	// FairEvaluated carries the event with its frozen figures.
	c, ok, err = d.Decode("hirfa.eventsfairs.v1.FairEvaluated", at, enc(&eventsfairsv1.Event{Name: "chambers/fes-meknes/events/f1", Kind: eventsfairsv1.Event_FAIR,
		State: eventsfairsv1.Event_EVALUATED, Evaluation: &eventsfairsv1.Evaluation{Visitors: 50000, SalesCentimes: 216000000, Artisans: 31}}))
	if err != nil || !ok || c.Event.Evaluation == nil || c.Event.Evaluation.Visitors != 50000 || c.Event.Evaluation.SalesCentimes != 216000000 {
		t.Fatalf("fair evaluated: %v %v %+v", ok, err, c.Event)
	}
	// A producer's snapshot (`<service> snapshot`) is an upsert of the same
	// payload: an evaluated fair's keeps its figures.
	c, ok, err = d.Decode("hirfa.eventsfairs.v1.EventSnapshot", at, enc(&eventsfairsv1.Event{Name: "chambers/fes-meknes/events/f1", Kind: eventsfairsv1.Event_FAIR,
		State: eventsfairsv1.Event_EVALUATED, Evaluation: &eventsfairsv1.Evaluation{Visitors: 50000, SalesCentimes: 216000000, Artisans: 31}}))
	if err != nil || !ok || c.Op != projection.Upsert || c.Event.Evaluation == nil || c.Event.Evaluation.Visitors != 50000 {
		t.Fatalf("event snapshot: %v %v %+v", ok, err, c.Event)
	}
	c, ok, err = d.Decode("hirfa.registry.v1.CooperativeSnapshot", at, enc(&registryv1.Cooperative{Name: "chambers/fes-meknes/cooperatives/c1", Province: "fes", MembersWomen: 9}))
	if err != nil || !ok || c.Op != projection.Upsert || c.Registrant == nil || c.Registrant.Type != projection.Cooperative || c.Registrant.MembersWomen != 9 {
		t.Fatalf("cooperative snapshot: %v %v %+v", ok, err, c.Registrant)
	}
	// Types no projection reads are skipped; bad payloads are errors (poison).
	for _, typ := range []string{"hirfa.eventsfairs.v1.BoothCreated", "hirfa.eventsfairs.v1.AssemblyConvened", "hirfa.desk.v1.MediationCaseOpened", "hirfa.craftbodies.v1.BodyFounded"} {
		if _, ok, err := d.Decode(typ, at, []byte{1, 2, 3}); ok || err != nil {
			t.Errorf("%s: ok=%v err=%v, want skipped", typ, ok, err)
		}
	}
	// The inventory's evidence: an association's life in the registry, an
	// organisation's attendance and documents; a person's registration and
	// a request's document are no organisation's evidence.
	c, ok, err = d.Decode("hirfa.registry.v1.AssociationMarkedStagnant", at, enc(&registryv1.Association{Name: "chambers/fes-meknes/associations/s1",
		State: registryv1.Association_STAGNANT, StateReason: "no assembly", StateActor: "admin@fes", LastGeneralAssemblyDate: "2020-02-02",
		BureauRenewalDate: "2019-01-01", DefinitiveReceiptDueDate: "2015-03-11", Receipt: &registryv1.Association_Receipt{ProvisionalDate: "2015-01-10"}}))
	if err != nil || !ok || c.Registrant == nil || c.Organisation == nil || *c.Organisation != (projection.Organisation{Type: "ASSOCIATION", Chamber: "fes-meknes", ID: "s1",
		State: "STAGNANT", StateReason: "no assembly", StateActor: "admin@fes", StateDate: "2023-06-22", FoundedDate: "2015-01-10", ReceiptDue: "2015-03-11",
		AssemblyDate: "2020-02-02", BureauDate: "2019-01-01", Version: at.UnixMicro()}) {
		t.Fatalf("association: %v %v %+v", ok, err, c.Organisation)
	}
	checkIn := timestamppb.New(time.Date(2023, 6, 20, 9, 0, 0, 0, time.UTC))
	c, ok, err = d.Decode("hirfa.eventsfairs.v1.RegistrationCheckedIn", at, enc(&eventsfairsv1.Registration{Name: "chambers/marrakech-safi/events/e1/registrations/r1",
		Participant: "chambers/fes-meknes/cooperatives/c1", State: eventsfairsv1.Registration_ATTENDED, CheckInTime: checkIn}))
	if err != nil || !ok || *c.Evidence != (projection.Evidence{Source: "chambers/marrakech-safi/events/e1/registrations/r1", Registrant: "chambers/fes-meknes/cooperatives/c1",
		Chamber: "fes-meknes", Kind: projection.EvidenceParticipation, Day: "2023-06-20", Version: at.UnixMicro()}) {
		t.Fatalf("registration: %v %v %+v", ok, err, c.Evidence)
	}
	c, ok, err = d.Decode("hirfa.desk.v1.DocumentUploaded", at, enc(&deskv1.Document{Name: "chambers/fes-meknes/documents/d1",
		Owner: "chambers/fes-meknes/associations/s1", Classification: deskv1.Document_DEFINITIVE_RECEIPT, CreateTime: checkIn}))
	if err != nil || !ok || c.Evidence.Kind != projection.EvidenceDefinitiveReceipt || c.Evidence.Day != "2023-06-20" || c.Evidence.Chamber != "fes-meknes" {
		t.Fatalf("document: %v %v %+v", ok, err, c.Evidence)
	}
	for typ, m := range map[string]proto.Message{
		"hirfa.eventsfairs.v1.RegistrationCreated": &eventsfairsv1.Registration{Name: "chambers/fes-meknes/events/e1/registrations/r2", DisplayName: "Fatima"},
		"hirfa.desk.v1.DocumentUploaded":           &deskv1.Document{Name: "chambers/fes-meknes/documents/d2", Owner: "chambers/fes-meknes/serviceRequests/q1"},
	} {
		if _, ok, err := d.Decode(typ, at, enc(m)); ok || err != nil {
			t.Errorf("%s of no organisation: ok=%v err=%v, want skipped", typ, ok, err)
		}
	}
	if _, _, err := d.Decode("hirfa.desk.v1.DocumentUploaded", at, enc(&deskv1.Document{Name: "documents/d2"})); err == nil {
		t.Error("bad document name: want an error")
	}
	if _, _, err := d.Decode("hirfa.registry.v1.CooperativeRegistered", at, []byte{0xff, 0xff}); err == nil {
		t.Error("garbage payload: want an error")
	}
	if _, _, err := d.Decode("hirfa.registry.v1.CooperativeRegistered", at, enc(&registryv1.Cooperative{Name: "cooperatives/x"})); err == nil {
		t.Error("bad name: want an error")
	}
}

// TestDecodeSnapshotCompleted: the marker that ends a snapshot run becomes
// a sweep of the projection that keeps the kind's facts; a kind reporting
// keeps no fact per resource of is skipped, and a marker without its run
// is poison.
func TestDecodeSnapshotCompleted(t *testing.T) {
	d := eventdecode.Decoder{}
	at := time.Date(2023, 6, 22, 10, 0, 0, 0, time.UTC)
	start := at.Add(-time.Hour)
	enc := func(typ, run string) []byte {
		b, err := proto.Marshal(&eventv1.SnapshotCompleted{Type: typ, SnapshotId: run, Count: 7, StartTime: timestamppb.New(start)})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	c, ok, err := d.Decode(eventbus.SnapshotCompletedType, at, enc("hirfa.registry.v1.CooperativeSnapshot", "r1"))
	want := projection.Sweep{Fact: projection.FactRegistrant, RegistrantType: projection.Cooperative, Run: "r1", Count: 7, Before: start.UnixMicro()}
	if err != nil || !ok || c.Sweep == nil || *c.Sweep != want || c.Registrant != nil {
		t.Fatalf("cooperatives' marker: %v %v %+v, want %+v", ok, err, c.Sweep, want)
	}
	c, ok, err = d.Decode(eventbus.SnapshotCompletedType, at, enc("hirfa.eventsfairs.v1.VisitorCountSnapshot", "r2"))
	if err != nil || !ok || c.Sweep.Fact != projection.FactVisitorCount {
		t.Fatalf("visitor counts' marker: %v %v %+v", ok, err, c.Sweep)
	}
	for _, typ := range []string{"hirfa.registry.v1.ActivitySnapshot", "hirfa.eventsfairs.v1.RegistrationSnapshot", "hirfa.craftbodies.v1.BodySnapshot"} {
		if _, ok, err := d.Decode(eventbus.SnapshotCompletedType, at, enc(typ, "r3")); ok || err != nil {
			t.Errorf("%s marker: ok=%v err=%v, want skipped", typ, ok, err)
		}
	}
	if _, _, err := d.Decode(eventbus.SnapshotCompletedType, at, enc("hirfa.registry.v1.ArtisanSnapshot", "")); err == nil {
		t.Error("marker without its run: want an error")
	}
}
