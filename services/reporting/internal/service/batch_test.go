package service

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	eventv1 "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/eventdecode"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/sqlstore"
)

// TestPoisonEventInABatch reads one batch of six registrations with a
// poison event (a payload that is no Artisan) in the middle through the
// consumer and reporting's set-based handler: the five others are
// projected and recorded as processed, the poison event alone goes to the
// dead letters, and the batch delivered again changes nothing.
func TestPoisonEventInABatch(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		ctx := context.Background()
		db := open(t)
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		bus, err := eventbus.Open(eventbus.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer bus.Close()
		dec := eventdecode.Decoder{RegionOf: func(string) string { return "fes-meknes" }}
		c := &eventbus.Consumer{DB: db, Bus: bus, Group: Name, Streams: []string{bus.Stream("registry")},
			BatchHandler: ApplyBatch(dec, sqlstore.NewProjector(db)), Block: 10 * time.Millisecond}
		if err := c.EnsureGroups(ctx); err != nil {
			t.Fatal(err)
		}
		var raws [][]byte
		for i := range 6 {
			data, _ := proto.Marshal(&registryv1.Artisan{Name: fmt.Sprintf("chambers/fes-meknes/artisans/a%d", i), Province: "fes",
				Activity: "F1.B01.A001", Gender: registryv1.Artisan_FEMALE, State: registryv1.Artisan_REGISTERED,
				RegisterTime: timestamppb.New(time.Date(2023, 2, 1, 10, 0, 0, 0, time.UTC)), UpdateTime: timestamppb.Now()})
			if i == 3 {
				data = []byte{0xff, 0xff, 0xff}
			}
			raw, err := proto.Marshal(&eventv1.Envelope{Id: fmt.Sprint("e", i), Type: "hirfa.registry.v1.ArtisanRegistered", Source: "registry",
				Subject: fmt.Sprintf("chambers/fes-meknes/artisans/a%d", i), Chamber: "fes-meknes", Time: timestamppb.Now(),
				Data: &anypb.Any{TypeUrl: "type.googleapis.com/hirfa.registry.v1.Artisan", Value: data}})
			if err != nil {
				t.Fatal(err)
			}
			raws = append(raws, raw)
		}
		add := func() {
			for i, raw := range raws {
				if err := bus.Client.XAdd(ctx, &redis.XAddArgs{Stream: bus.Stream("registry"),
					Values: map[string]any{"id": fmt.Sprint("e", i), "type": "hirfa.registry.v1.ArtisanRegistered", "envelope": raw}}).Err(); err != nil {
					t.Fatal(err)
				}
			}
		}
		count := func() (artisans, processed int) {
			if err := db.SQL.QueryRowContext(ctx, "SELECT COALESCE(SUM(registrants), 0) FROM registrant_counts WHERE registrant_type = 'ARTISAN'").Scan(&artisans); err != nil {
				t.Fatal(err)
			}
			if err := db.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM processed_events").Scan(&processed); err != nil {
				t.Fatal(err)
			}
			return
		}
		add()
		if n, err := c.ReadOnce(ctx); err != nil || n != 6 {
			t.Fatalf("read %d, %v; want the batch of 6", n, err)
		}
		if a, p := count(); a != 5 || p != 5 {
			t.Errorf("%d artisans projected, %d events processed; want 5 and 5", a, p)
		}
		dl, _, err := c.DeadLetters(ctx, "", 10)
		if err != nil || len(dl) != 1 || dl[0].Envelope.GetId() != "e3" {
			t.Fatalf("dead letters %v, %v; want e3 alone", dl, err)
		}
		add() // delivered again: the healthy ones are duplicates
		if _, err := c.ReadOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if a, p := count(); a != 5 || p != 5 {
			t.Errorf("after redelivery: %d artisans projected, %d events processed; want 5 and 5", a, p)
		}
	})
}
