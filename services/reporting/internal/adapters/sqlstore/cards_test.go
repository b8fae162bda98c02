package sqlstore_test

import (
	"context"
	"database/sql"
	"reflect"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	craftbodiesv1 "github.com/hirfa/hirfa/proto/gen/hirfa/craftbodies/v1"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/projection"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/stats"
)

const craftBodies = "hirfa.craftbodies.v1."

// deskAndCraftBodyHistory is the events of cards and craft bodies, in the
// order the consumer receives them: late and repeated deliveries included.
func deskAndCraftBodyHistory() []msg {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	v := func(m int) *timestamppb.Timestamp { return timestamppb.New(at.Add(time.Duration(m) * time.Minute)) }
	card := func(chamber, id, artisan string, kind deskv1.ProfessionalCard_Kind, state string, revoked bool, m int) *deskv1.ProfessionalCard {
		c := &deskv1.ProfessionalCard{Name: "chambers/" + chamber + "/professionalCards/" + id, Kind: kind, Artisan: artisan,
			ArtisanState: state, UpdateTime: v(m)}
		if revoked {
			c.RevokeTime = v(m)
		}
		return c
	}
	body := func(chamber, id, province, craft string, stage craftbodiesv1.Stage, m int) *craftbodiesv1.CraftBody {
		return &craftbodiesv1.CraftBody{Name: "chambers/" + chamber + "/craftBodies/" + id, Province: province, Craft: craft, State: stage, UpdateTime: v(m)}
	}
	const k1, k2, k3 = "chambers/fes-meknes/artisans/k1", "chambers/fes-meknes/artisans/k2", "chambers/fes-meknes/artisans/k3"
	card1 := card("fes-meknes", "c1", k1, deskv1.ProfessionalCard_PROFESSIONAL_CARD, "REGISTERED", false, 1)
	return []msg{
		{desk + "ProfessionalCardIssued", card1},
		{desk + "ProfessionalCardIssued", card1}, // redelivered
		{desk + "ProfessionalCardIssued", card("fes-meknes", "c2", k2, deskv1.ProfessionalCard_PROFESSIONAL_CARD, "REGISTERED", false, 2)},
		{desk + "ProfessionalCardIssued", card("fes-meknes", "a1", k1, deskv1.ProfessionalCard_REGISTRATION_ATTESTATION, "REGISTERED", false, 3)},
		{desk + "ProfessionalCardIssued", card("fes-meknes", "a2", k3, deskv1.ProfessionalCard_REGISTRATION_ATTESTATION, "REGISTERED", false, 4)},
		{desk + "ProfessionalCardRevoked", card("fes-meknes", "c2", k2, deskv1.ProfessionalCard_PROFESSIONAL_CARD, "REGISTERED", true, 5)},
		// The issue delivered after the revocation changes nothing.
		{desk + "ProfessionalCardIssued", card("fes-meknes", "c2", k2, deskv1.ProfessionalCard_PROFESSIONAL_CARD, "REGISTERED", false, 2)},
		// k1 is struck off: its card is invalidated, its attestation too;
		// k2's revoked card counts as revoked only.
		{reg + "ArtisanStruckOff", &registryv1.Artisan{Name: k1, Province: "fes", State: registryv1.Artisan_STRUCK_OFF, UpdateTime: v(6)}},
		{reg + "ArtisanSuspended", &registryv1.Artisan{Name: k2, Province: "fes", State: registryv1.Artisan_SUSPENDED, UpdateTime: v(6)}},
		{reg + "ArtisanRegistered", &registryv1.Artisan{Name: k3, Province: "fes", State: registryv1.Artisan_REGISTERED, UpdateTime: v(6)}},
		{desk + "ProfessionalCardIssued", card("oriental", "c9", "chambers/oriental/artisans/z1", deskv1.ProfessionalCard_PROFESSIONAL_CARD, "REGISTERED", false, 7)},

		{craftBodies + "CraftBodyPlanned", body("fes-meknes", "b1", "fes", "F1.B05.A01", craftbodiesv1.Stage_PLANNED, 1)},
		{craftBodies + "CraftBodyAwarenessStarted", body("fes-meknes", "b1", "fes", "F1.B05.A01", craftbodiesv1.Stage_AWARENESS, 2)},
		{craftBodies + "CraftBodyCommitteeFormed", body("fes-meknes", "b1", "fes", "F1.B05.A01", craftbodiesv1.Stage_COMMITTEE, 3)},
		{craftBodies + "CraftBodyPlanned", body("fes-meknes", "b1", "fes", "F1.B05.A01", craftbodiesv1.Stage_PLANNED, 1)}, // late
		{craftBodies + "CraftBodyPlanned", body("fes-meknes", "b2", "fes", "F1.B05.A01", craftbodiesv1.Stage_PLANNED, 4)},
		{craftBodies + "CraftBodyPlanned", body("fes-meknes", "b3", "fes", "F1.B05.A01", craftbodiesv1.Stage_PLANNED, 5)},
		{craftBodies + "CraftBodyPlanned", body("fes-meknes", "b4", "meknes", "F2.B01.A03", craftbodiesv1.Stage_PLANNED, 6)},
		{craftBodies + "CraftBodyDeleted", body("fes-meknes", "b4", "meknes", "F2.B01.A03", craftbodiesv1.Stage_PLANNED, 7)},
		{craftBodies + "CraftBodyPlanned", body("oriental", "b1", "oujda-angad", "F1.B05.A01", craftbodiesv1.Stage_PLANNED, 8)},
		// Other craft-bodies kinds are not projected.
		{craftBodies + "CensusTaken", &craftbodiesv1.Census{Name: "chambers/fes-meknes/craftBodies/b1/census"}},
	}
}

type msg struct {
	typ string
	m   proto.Message
}

// TestCardAndCraftBodyStatistics drives the desk's card events, the
// registry's artisan events and craft-bodies' events through the
// projector on both databases, one by one (Apply) and as one batch
// (ApplyBatch, as the consumer does), and reads the same counts: cards per
// chamber and kind (issued, revoked, invalidated by the artisan's later
// state), craft bodies per province, craft and stage (late events and
// deletions applied), chambers apart, other kinds skipped.
func TestCardAndCraftBodyStatistics(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		for _, batch := range []bool{false, true} {
			db := open(t)
			f := newFeed(t, db)
			ctx := context.Background()
			var changes []projection.Change
			for _, e := range deskAndCraftBodyHistory() {
				data, err := proto.Marshal(e.m)
				if err != nil {
					t.Fatal(err)
				}
				c, ok, err := f.dec.Decode(e.typ, f.at, data)
				if err != nil {
					t.Fatalf("decode %s: %v", e.typ, err)
				}
				if !ok {
					if e.typ != craftBodies+"CensusTaken" {
						t.Fatalf("%s skipped", e.typ)
					}
					continue
				}
				changes = append(changes, c)
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
			st := sqlstore.NewStats(db)
			cards, err := st.CardStatistics(ctx, "fes-meknes")
			if err != nil {
				t.Fatal(err)
			}
			want := []stats.CardCount{
				{Chamber: "fes-meknes", Kind: "PROFESSIONAL_CARD", Issued: 2, Revoked: 1, Invalidated: 1},
				{Chamber: "fes-meknes", Kind: "REGISTRATION_ATTESTATION", Issued: 2, Revoked: 0, Invalidated: 1},
			}
			if !reflect.DeepEqual(cards, want) {
				t.Errorf("batch=%v: cards %+v, want %+v", batch, cards, want)
			}
			all, err := st.CardStatistics(ctx, stats.Wildcard)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 3 || all[2] != (stats.CardCount{Chamber: "oriental", Kind: "PROFESSIONAL_CARD", Issued: 1}) {
				t.Errorf("batch=%v: national cards %+v", batch, all)
			}
			bodies, err := st.CraftBodyStatistics(ctx, "fes-meknes")
			if err != nil {
				t.Fatal(err)
			}
			wantBodies := []stats.CraftBodyCount{
				{Province: "fes", Craft: "F1.B05.A01", Stage: "PLANNED", Count: 2},
				{Province: "fes", Craft: "F1.B05.A01", Stage: "COMMITTEE", Count: 1},
			}
			if !reflect.DeepEqual(bodies, wantBodies) {
				t.Errorf("batch=%v: craft bodies %+v, want %+v", batch, bodies, wantBodies)
			}
			national, err := st.CraftBodyStatistics(ctx, stats.Wildcard)
			if err != nil {
				t.Fatal(err)
			}
			if len(national) != 3 || national[2] != (stats.CraftBodyCount{Province: "oujda-angad", Craft: "F1.B05.A01", Stage: "PLANNED", Count: 1}) {
				t.Errorf("batch=%v: national craft bodies %+v", batch, national)
			}
		}
	})
}
