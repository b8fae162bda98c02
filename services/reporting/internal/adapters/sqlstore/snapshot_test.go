package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	eventv1 "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/projection"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/stats"
	"github.com/hirfa/hirfa/services/reporting/internal/service"
)

// TestSnapshotSweepsMissedDeletions: reporting misses the Deleted events of
// an artisan, an association and an event; a snapshot run of each kind
// then removes them from the counts and the inventory, keeps an artisan
// created while the run was under way (the run never mentions it), waits
// for a run whose events are not all applied, and changes nothing when its
// marker comes again. Through the consumer's handlers (envelopes with their
// snapshot ids), one event per transaction and all of a step in one batch,
// on both databases.
func TestSnapshotSweepsMissedDeletions(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		for _, batched := range []bool{false, true} {
			t.Run(fmt.Sprint("batched=", batched), func(t *testing.T) { testSnapshotSweep(t, open(t), batched) })
		}
	})
}

func testSnapshotSweep(t *testing.T, db *store.DB, batched bool) {
	ctx := context.Background()
	f := newFeed(t, db)
	proj := sqlstore.NewProjector(db)
	one, batch := service.Apply(f.dec, proj), service.ApplyBatch(f.dec, proj)
	// deliver applies envs as the consumer does: each in its own
	// transaction, or all in one batch.
	deliver := func(envs ...*eventv1.Envelope) error {
		if batched {
			return db.Tx(ctx, func(tx *sql.Tx) error { return batch(ctx, tx, envs) })
		}
		for _, env := range envs {
			if err := db.Tx(ctx, func(tx *sql.Tx) error { return one(ctx, tx, env) }); err != nil {
				return err
			}
		}
		return nil
	}
	envelope := func(typ, run string, m proto.Message) *eventv1.Envelope {
		data, err := proto.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return &eventv1.Envelope{Id: uuid.NewString(), Type: typ, Time: timestamppb.New(f.at),
			Data: &anypb.Any{TypeUrl: "type.googleapis.com/" + string(m.ProtoReflect().Descriptor().FullName()), Value: data}, SnapshotId: run}
	}
	marker := func(kind, run string, count int64, start time.Time) *eventv1.Envelope {
		return envelope(eventbus.SnapshotCompletedType, run, &eventv1.SnapshotCompleted{Type: kind, SnapshotId: run, Count: count, StartTime: timestamppb.New(start)})
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	artisan := func(id string) *registryv1.Artisan {
		return &registryv1.Artisan{Name: "chambers/fes-meknes/artisans/" + id, Province: "fes", Activity: "F1.B01.A001",
			State: registryv1.Artisan_REGISTERED, UpdateTime: f.tick()}
	}
	association := func(id string) *registryv1.Association {
		return &registryv1.Association{Name: "chambers/fes-meknes/associations/" + id, Province: "fes", UpdateTime: f.tick()}
	}
	event := func(id string) *eventsfairsv1.Event {
		return &eventsfairsv1.Event{Name: "chambers/fes-meknes/events/" + id, Kind: eventsfairsv1.Event_FAIR,
			State: eventsfairsv1.Event_PLANNED, StartDate: "2023-03-01", EndDate: "2023-03-02", UpdateTime: f.tick()}
	}
	a1, a2, a3 := artisan("a1"), artisan("a2"), artisan("a3")
	s1, s2 := association("s1"), association("s2")
	e1, e2, e3 := event("e1"), event("e2"), event("e3")
	must(deliver(envelope(reg+"ArtisanCreated", "", a1), envelope(reg+"ArtisanCreated", "", a2), envelope(reg+"ArtisanCreated", "", a3),
		envelope(reg+"AssociationCreated", "", s1), envelope(reg+"AssociationCreated", "", s2),
		envelope(ef+"EventCreated", "", e1), envelope(ef+"EventCreated", "", e2), envelope(ef+"EventCreated", "", e3)))
	// a2, s2 and e2 are deleted at the registry and events-and-fairs; their
	// Deleted events never reach reporting.
	deletedAt := f.tick()

	st := sqlstore.NewStats(db)
	count := func(typ string) int64 {
		t.Helper()
		rows, err := st.RegisterStatistics(ctx, stats.RegisterQuery{Chamber: "fes-meknes", Type: typ})
		must(err)
		if len(rows) == 0 {
			return 0
		}
		return rows[0].Count
	}
	if count(projection.Artisan) != 3 || count(projection.Association) != 2 {
		t.Fatalf("before the snapshot: %d artisans, %d associations; want 3 and 2", count(projection.Artisan), count(projection.Association))
	}

	// The registry's run: each kind's current records, then its marker. a4
	// is created after the run began and after its page was read, so the
	// run does not mention it.
	start := f.at.Add(time.Minute)
	f.at = start.Add(time.Minute)
	a4 := artisan("a4")
	run := uuid.NewString()
	must(deliver(envelope(reg+"ArtisanSnapshot", run, a1), envelope(reg+"ArtisanSnapshot", run, a3),
		envelope(reg+"ArtisanCreated", "", a4),
		marker(reg+"ArtisanSnapshot", run, 2, start),
		envelope(reg+"AssociationSnapshot", run, s1), marker(reg+"AssociationSnapshot", run, 1, start)))
	if got := count(projection.Artisan); got != 3 {
		t.Errorf("after the snapshot: %d artisans, want 3 (a1, a3 and a4 created during the run)", got)
	}
	if got := count(projection.Association); got != 1 {
		t.Errorf("after the snapshot: %d associations, want 1", got)
	}
	facts := "SELECT registrant_type, id, deleted FROM registrant_facts ORDER BY 1, 2"
	wantFacts := []string{"ARTISAN|a1|0", "ARTISAN|a2|1", "ARTISAN|a3|0", "ARTISAN|a4|0", "ASSOCIATION|s1|0", "ASSOCIATION|s2|1"}
	if got := dump(t, db, facts); !reflect.DeepEqual(got, wantFacts) {
		t.Errorf("registrant facts %v, want %v", got, wantFacts)
	}
	orgs := "SELECT id, deleted FROM organisation_facts ORDER BY 1"
	if got, want := dump(t, db, orgs), []string{"s1|0", "s2|1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("inventory %v, want %v", got, want)
	}
	// The counts are those the facts give.
	cubes := "SELECT registrant_type, region, province, activity, state, registrants, members_women, members_men FROM registrant_counts WHERE registrants <> 0 ORDER BY 1, 2, 3, 4, 5"
	before := dump(t, db, cubes)
	must(proj.RebuildCounts(ctx))
	if after := dump(t, db, cubes); !reflect.DeepEqual(before, after) {
		t.Errorf("counts after the sweep %v, rebuilt from the facts %v", before, after)
	}

	// The marker again (a redelivery), and the missed Deleted event late:
	// nothing moves.
	must(deliver(marker(reg+"ArtisanSnapshot", run, 2, start)))
	a2.UpdateTime = deletedAt
	must(deliver(envelope(reg+"ArtisanDeleted", "", a2)))
	if got := dump(t, db, cubes); !reflect.DeepEqual(got, before) {
		t.Errorf("counts after a redelivered marker and a late deletion %v, want %v", got, before)
	}

	// A wrong sweep heals: a5's creation was stamped before run3 began but
	// committed after its page was read, so run3 sweeps it; run4 mentions
	// it with the same state and restores it.
	a5 := artisan("a5")
	must(deliver(envelope(reg+"ArtisanCreated", "", a5)))
	start3 := f.at.Add(time.Second)
	f.at = start3.Add(time.Minute)
	run3, run4 := uuid.NewString(), uuid.NewString()
	must(deliver(envelope(reg+"ArtisanSnapshot", run3, a1), envelope(reg+"ArtisanSnapshot", run3, a3), envelope(reg+"ArtisanSnapshot", run3, a4),
		marker(reg+"ArtisanSnapshot", run3, 3, start3)))
	if got := count(projection.Artisan); got != 3 {
		t.Errorf("after a run that missed a5: %d artisans, want 3", got)
	}
	must(deliver(envelope(reg+"ArtisanSnapshot", run4, a1), envelope(reg+"ArtisanSnapshot", run4, a3), envelope(reg+"ArtisanSnapshot", run4, a4),
		envelope(reg+"ArtisanSnapshot", run4, a5), marker(reg+"ArtisanSnapshot", run4, 4, f.at)))
	if got := count(projection.Artisan); got != 4 {
		t.Errorf("after the next run mentioned a5: %d artisans, want 4", got)
	}

	// events-and-fairs' run of events, its marker first delivered before
	// e3's snapshot event was applied (e3's delivery failed and waits for
	// its retry): the marker waits too, and sweeps nothing meanwhile.
	events := "SELECT id, deleted FROM event_facts ORDER BY 1"
	run2 := uuid.NewString()
	err := deliver(envelope(ef+"EventSnapshot", run2, e1), marker(ef+"EventSnapshot", run2, 2, start))
	if !errors.Is(err, sqlstore.ErrSnapshotIncomplete) {
		t.Fatalf("marker before all its run's events: %v, want ErrSnapshotIncomplete", err)
	}
	if got, want := dump(t, db, events), []string{"e1|0", "e2|0", "e3|0"}; !reflect.DeepEqual(got, want) {
		t.Errorf("events after an incomplete run %v, want %v", got, want)
	}
	must(deliver(envelope(ef+"EventSnapshot", run2, e1), envelope(ef+"EventSnapshot", run2, e3), marker(ef+"EventSnapshot", run2, 2, start)))
	if got, want := dump(t, db, events), []string{"e1|0", "e2|1", "e3|0"}; !reflect.DeepEqual(got, want) {
		t.Errorf("events after the run %v, want %v", got, want)
	}
}
