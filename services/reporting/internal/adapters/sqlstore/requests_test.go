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
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/stats"
)

// TestRequestStatistics counts the desk's requests by type and state from
// its events, on both databases: a request's later states move it, a stale
// redelivery does not, a deleted one leaves the counts, and chambers stay
// apart.
func TestRequestStatistics(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		db := open(t)
		f := newFeed(t, db)
		ctx := context.Background()
		at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		send := func(typ, chamber, id string, rt deskv1.ServiceRequest_Type, st deskv1.ServiceRequest_State, version time.Time) {
			t.Helper()
			data, err := proto.Marshal(&deskv1.ServiceRequest{Name: "chambers/" + chamber + "/serviceRequests/" + id, Type: rt, State: st,
				UpdateTime: timestamppb.New(version)})
			if err != nil {
				t.Fatal(err)
			}
			c, ok, err := f.dec.Decode(desk+typ, at, data)
			if err != nil || !ok {
				t.Fatalf("decode %s: %v %v", typ, ok, err)
			}
			if err := db.Tx(ctx, func(tx *sql.Tx) error { return f.p.Apply(ctx, tx, c) }); err != nil {
				t.Fatal(err)
			}
		}
		v := func(m int) time.Time { return at.Add(time.Duration(m) * time.Minute) }
		send("ServiceRequestReceived", "fes-meknes", "r1", deskv1.ServiceRequest_GUIDANCE, deskv1.ServiceRequest_RECEIVED, v(1))
		send("ServiceRequestStudied", "fes-meknes", "r1", deskv1.ServiceRequest_GUIDANCE, deskv1.ServiceRequest_IN_STUDY, v(2))
		send("ServiceRequestClosed", "fes-meknes", "r1", deskv1.ServiceRequest_GUIDANCE, deskv1.ServiceRequest_CLOSED, v(4))
		send("ServiceRequestAnswered", "fes-meknes", "r1", deskv1.ServiceRequest_GUIDANCE, deskv1.ServiceRequest_ANSWERED, v(3)) // late
		send("ServiceRequestReceived", "fes-meknes", "r2", deskv1.ServiceRequest_ATTESTATION, deskv1.ServiceRequest_RECEIVED, v(5))
		send("ServiceRequestReceived", "fes-meknes", "r3", deskv1.ServiceRequest_ATTESTATION, deskv1.ServiceRequest_RECEIVED, v(6))
		send("ServiceRequestReceived", "fes-meknes", "r4", deskv1.ServiceRequest_COMPLAINT, deskv1.ServiceRequest_RECEIVED, v(7))
		send("ServiceRequestDeleted", "fes-meknes", "r4", deskv1.ServiceRequest_COMPLAINT, deskv1.ServiceRequest_RECEIVED, v(8))
		send("ServiceRequestReceived", "marrakech-safi", "r1", deskv1.ServiceRequest_COMPLAINT, deskv1.ServiceRequest_RECEIVED, v(9))
		st := sqlstore.NewStats(db)
		got, err := st.RequestStatistics(ctx, "fes-meknes")
		if err != nil {
			t.Fatal(err)
		}
		want := []stats.RequestCount{{Type: "ATTESTATION", State: "RECEIVED", Count: 2}, {Type: "GUIDANCE", State: "CLOSED", Count: 1}}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("fes-meknes: %+v, want %+v", got, want)
		}
		all, err := st.RequestStatistics(ctx, stats.Wildcard)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 3 || all[1] != (stats.RequestCount{Type: "COMPLAINT", State: "RECEIVED", Count: 1}) {
			t.Fatalf("national: %+v", all)
		}
	})
}
