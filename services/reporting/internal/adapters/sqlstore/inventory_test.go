package sqlstore_test

import (
	"context"
	"database/sql"
	"reflect"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/projection"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/vitality"
)

const desk = "hirfa.desk.v1."

type sent struct {
	typ  string
	at   time.Time
	data []byte
}

// inventoryHistory is the producers' events behind an inventory: registry
// associations and cooperatives, documents filed at the desk, exhibitors
// and registrations at the chambers' events, with a stale redelivery, a
// tombstone and evidence for records that are not organisations.
func inventoryHistory(t *testing.T) []sent {
	at := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	tick := func() *timestamppb.Timestamp { at = at.Add(time.Minute); return timestamppb.New(at) }
	var out []sent
	add := func(typ string, m proto.Message) {
		data, err := proto.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, sent{typ, at, data})
	}
	name := func(id string) *typev1.LocalizedText {
		return &typev1.LocalizedText{Ar: "جمعية " + id, Fr: "Association " + id}
	}
	assoc := func(id string, state registryv1.Association_State, mod func(*registryv1.Association)) *registryv1.Association {
		a := &registryv1.Association{Name: "chambers/fes-meknes/associations/" + id, DisplayName: name(id), Province: "fes",
			Category: registryv1.Association_PROFESSIONAL, State: state, CreateTime: timestamppb.New(at),
			Receipt: &registryv1.Association_Receipt{ProvisionalDate: "2015-01-10", DefinitiveDate: "2015-03-01"}, DefinitiveReceiptDueDate: "2015-03-11"}
		mod(a)
		a.UpdateTime = tick()
		return a
	}
	a1 := assoc("a1", registryv1.Association_ACTIVE, func(a *registryv1.Association) { a.LastGeneralAssemblyDate = "2025-06-14" })
	add(reg+"AssociationCreated", a1)
	add(reg+"AssociationUpdated", assoc("a1", registryv1.Association_ACTIVE, func(a *registryv1.Association) {
		a.LastGeneralAssemblyDate, a.BureauRenewalDate = "2025-06-14", "2025-06-14"
	}))
	add(reg+"AssociationCreated", a1) // stale redelivery: changes nothing
	add(reg+"AssociationCreated", assoc("a2", registryv1.Association_DECLARED, func(a *registryv1.Association) {
		a.Receipt, a.DefinitiveReceiptDueDate = &registryv1.Association_Receipt{ProvisionalDate: "2026-01-01"}, "2026-03-02"
	}))
	add(reg+"AssociationCreated", assoc("a3", registryv1.Association_DECLARED, func(a *registryv1.Association) {
		a.Receipt, a.DefinitiveReceiptDueDate, a.LastGeneralAssemblyDate = &registryv1.Association_Receipt{ProvisionalDate: "2020-01-01"}, "2020-03-01", "2020-05-05"
	}))
	add(reg+"AssociationCreated", assoc("a4", registryv1.Association_ACTIVE, func(*registryv1.Association) {}))
	add(reg+"AssociationMarkedStagnant", assoc("a4", registryv1.Association_STAGNANT, func(a *registryv1.Association) {
		a.StateReason, a.StateActor = "لا جمع عام منذ 2019", "admin@fes-meknes.ca.ma"
	}))
	at = at.Add(48 * time.Hour) // an edit two days later keeps the mark's day
	add(reg+"AssociationUpdated", assoc("a4", registryv1.Association_STAGNANT, func(a *registryv1.Association) {
		a.StateReason, a.StateActor, a.President = "لا جمع عام منذ 2019", "admin@fes-meknes.ca.ma", "Nouveau"
	}))
	add(reg+"AssociationDissolved", assoc("a5", registryv1.Association_DISSOLVED, func(*registryv1.Association) {}))
	add(reg+"AssociationCreated", assoc("a6", registryv1.Association_ACTIVE, func(*registryv1.Association) {}))
	add(reg+"AssociationDeleted", assoc("a6", registryv1.Association_ACTIVE, func(*registryv1.Association) {}))

	coop := func(chamber, id string) *registryv1.Cooperative {
		return &registryv1.Cooperative{Name: "chambers/" + chamber + "/cooperatives/" + id, DisplayName: name(id), Province: "fes",
			Activity: "F1.B02.A01", State: registryv1.Cooperative_ACTIVE, FoundingDate: "2018-05-02", CreateTime: timestamppb.New(at), UpdateTime: tick()}
	}
	add(reg+"CooperativeCreated", coop("fes-meknes", "c1"))
	add(reg+"CooperativeCreated", coop("fes-meknes", "c2"))
	add(reg+"CooperativeCreated", coop("marrakech-safi", "c3"))

	// Documents: minutes for a3 (filed 2026-02-01), the definitive receipt
	// of a2, a document of a request (no organisation's evidence), and a
	// document for c1 filed then deleted.
	doc := func(id, owner string, cl deskv1.Document_Classification, created time.Time) *deskv1.Document {
		return &deskv1.Document{Name: "chambers/fes-meknes/documents/" + id, Owner: owner, Classification: cl,
			CreateTime: timestamppb.New(created), UpdateTime: tick()}
	}
	add(desk+"DocumentUploaded", doc("d1", "chambers/fes-meknes/associations/a3", deskv1.Document_ASSEMBLY_MINUTES, time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC)))
	add(desk+"DocumentUploaded", doc("d2", "chambers/fes-meknes/associations/a2", deskv1.Document_DEFINITIVE_RECEIPT, time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)))
	add(desk+"DocumentUploaded", doc("d3", "chambers/fes-meknes/serviceRequests/r1", deskv1.Document_OTHER, time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)))
	add(desk+"DocumentUploaded", doc("d4", "chambers/fes-meknes/cooperatives/c1", deskv1.Document_STATUTES, time.Date(2026, 3, 6, 10, 0, 0, 0, time.UTC)))
	add(desk+"DocumentDeleted", doc("d4", "chambers/fes-meknes/cooperatives/c1", deskv1.Document_STATUTES, time.Date(2026, 3, 6, 10, 0, 0, 0, time.UTC)))

	// Events: c1 accepted at a fair that started, rejected at a later one,
	// accepted at a cancelled one; c2 attended a Marrakech seminar, c3
	// registered without attending.
	event := func(chamber, id, start string, state eventsfairsv1.Event_State) *eventsfairsv1.Event {
		return &eventsfairsv1.Event{Name: "chambers/" + chamber + "/events/" + id, Kind: eventsfairsv1.Event_FAIR, State: state,
			StartDate: start, EndDate: start, UpdateTime: tick()}
	}
	add(ef+"EventPlanned", event("fes-meknes", "e1", "2026-05-01", eventsfairsv1.Event_PLANNED))
	add(ef+"EventPlanned", event("fes-meknes", "e2", "2026-07-01", eventsfairsv1.Event_PLANNED))
	add(ef+"EventCancelled", event("fes-meknes", "e3", "2026-09-01", eventsfairsv1.Event_CANCELLED))
	add(ef+"EventPlanned", event("fes-meknes", "e4", "2027-01-10", eventsfairsv1.Event_PLANNED))
	xh := func(ev, id, applicant string, st eventsfairsv1.Exhibitor_State) *eventsfairsv1.Exhibitor {
		return &eventsfairsv1.Exhibitor{Name: "chambers/fes-meknes/events/" + ev + "/exhibitors/" + id, Applicant: applicant,
			ApplicantType: eventsfairsv1.Exhibitor_COOPERATIVE, State: st, UpdateTime: tick()}
	}
	add(ef+"ExhibitorAccepted", xh("e1", "x1", "chambers/fes-meknes/cooperatives/c1", eventsfairsv1.Exhibitor_ACCEPTED))
	add(ef+"ExhibitorRejected", xh("e2", "x2", "chambers/fes-meknes/cooperatives/c1", eventsfairsv1.Exhibitor_REJECTED))
	add(ef+"ExhibitorAccepted", xh("e3", "x3", "chambers/fes-meknes/cooperatives/c1", eventsfairsv1.Exhibitor_ACCEPTED))
	add(ef+"ExhibitorAccepted", xh("e4", "x4", "chambers/fes-meknes/cooperatives/c1", eventsfairsv1.Exhibitor_ACCEPTED)) // not started yet
	reg := func(id, participant string, st eventsfairsv1.Registration_State, checkIn *timestamppb.Timestamp) *eventsfairsv1.Registration {
		return &eventsfairsv1.Registration{Name: "chambers/marrakech-safi/events/s1/registrations/" + id, Participant: participant,
			State: st, CheckInTime: checkIn, UpdateTime: tick()}
	}
	add(ef+"RegistrationCreated", reg("r1", "chambers/fes-meknes/cooperatives/c2", eventsfairsv1.Registration_REGISTERED, nil))
	add(ef+"RegistrationCheckedIn", reg("r1", "chambers/fes-meknes/cooperatives/c2", eventsfairsv1.Registration_ATTENDED,
		timestamppb.New(time.Date(2026, 4, 1, 9, 30, 0, 0, time.UTC))))
	add(ef+"RegistrationCreated", reg("r2", "chambers/marrakech-safi/cooperatives/c3", eventsfairsv1.Registration_REGISTERED, nil))
	return out
}

func TestInventoryProjection(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		for _, batch := range []bool{false, true} {
			name := "OneByOne"
			if batch {
				name = "Batch"
			}
			t.Run(name, func(t *testing.T) { testInventory(t, open(t), batch) })
		}
	})
}

func testInventory(t *testing.T, db *store.DB, batch bool) {
	ctx := context.Background()
	f := newFeed(t, db)
	var changes []projection.Change
	skipped := 0
	for _, s := range inventoryHistory(t) {
		c, ok, err := f.dec.Decode(s.typ, s.at, s.data)
		if err != nil {
			t.Fatalf("decode %s: %v", s.typ, err)
		}
		if !ok {
			skipped++
			continue
		}
		changes = append(changes, c)
	}
	if skipped != 1 { // the request's document
		t.Fatalf("skipped %d events, want 1", skipped)
	}
	apply := func(tx *sql.Tx) error {
		if batch {
			return f.p.ApplyBatch(ctx, tx, changes)
		}
		for _, c := range changes {
			if err := f.p.Apply(ctx, tx, c); err != nil {
				return err
			}
		}
		return nil
	}
	if err := db.Tx(ctx, apply); err != nil {
		t.Fatal(err)
	}
	inv := sqlstore.NewInventory(db)
	got, err := inv.Inventory(ctx, "fes-meknes", "2026-11-27")
	if err != nil {
		t.Fatal(err)
	}
	text := func(id string) l10n.Text { return l10n.Text{AR: "جمعية " + id, FR: "Association " + id} }
	ev := func(typ, id, state string, mod func(*vitality.Evidence)) vitality.Entry {
		e := vitality.Entry{Evidence: vitality.Evidence{Type: typ, Chamber: "fes-meknes", ID: id, State: state, StateDate: "2026-01-01"},
			DisplayName: text(id), Province: "fes"}
		mod(&e.Evidence)
		return e
	}
	want := []vitality.Entry{
		ev(vitality.Association, "a1", "ACTIVE", func(e *vitality.Evidence) {
			e.FoundedDate, e.DefinitiveDate, e.ReceiptDue, e.AssemblyDate, e.BureauDate = "2015-01-10", "2015-03-01", "2015-03-11", "2025-06-14", "2025-06-14"
		}),
		ev(vitality.Association, "a2", "DECLARED", func(e *vitality.Evidence) {
			e.FoundedDate, e.ReceiptDue, e.DocumentDate, e.DefinitiveFiled = "2026-01-01", "2026-03-02", "2026-03-05", true
		}),
		ev(vitality.Association, "a3", "DECLARED", func(e *vitality.Evidence) {
			e.FoundedDate, e.ReceiptDue, e.AssemblyDate, e.DocumentDate = "2020-01-01", "2020-03-01", "2026-02-01", "2026-02-01"
		}),
		ev(vitality.Association, "a4", "STAGNANT", func(e *vitality.Evidence) {
			e.FoundedDate, e.DefinitiveDate, e.ReceiptDue = "2015-01-10", "2015-03-01", "2015-03-11"
			e.StateReason, e.StateActor = "لا جمع عام منذ 2019", "admin@fes-meknes.ca.ma"
		}),
		ev(vitality.Cooperative, "c1", "ACTIVE", func(e *vitality.Evidence) {
			e.FoundedDate, e.Participation, e.StateDate = "2018-05-02", "2026-05-01", "2026-01-03"
		}),
		ev(vitality.Cooperative, "c2", "ACTIVE", func(e *vitality.Evidence) {
			e.FoundedDate, e.Participation, e.StateDate = "2018-05-02", "2026-04-01", "2026-01-03"
		}),
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("inventory:\n got %+v\nwant %+v", got, want)
	}
	all, err := inv.Inventory(ctx, "", "2026-11-27")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 7 || all[len(all)-1].Chamber != "marrakech-safi" || all[len(all)-1].Participation != "" {
		t.Fatalf("national inventory: %+v", all)
	}
	// Evidence after "today" is not yet evidence: on 2026-04-15 c1's fair
	// of 1 May has not started and c2 had attended.
	early, err := inv.Inventory(ctx, "fes-meknes", "2026-04-15")
	if err != nil {
		t.Fatal(err)
	}
	if early[4].Participation != "" || early[5].Participation != "2026-04-01" {
		t.Fatalf("inventory on 2026-04-15: %+v / %+v", early[4], early[5])
	}
}
