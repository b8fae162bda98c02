package sqlstore_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
)

// TestEventRecordVersions writes an event row in the shape stored before
// the versioned record (the domain struct's JSON, data_version 0) and reads
// it through the current code on SQLite and PostgreSQL; a change rewrites it
// as version 1 with the same content, and a version the code does not know
// is an error.
func TestEventRecordVersions(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		ctx := context.Background()
		db := open(t)
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		insert := func(id string, version int64, data string) {
			t.Helper()
			_, err := db.SQL.ExecContext(ctx, db.Rebind(`INSERT INTO events (chamber, id, revision, create_time, update_time, data, kind, scope, state, province, start_date, end_date, title_key, data_version)
				VALUES ('fes-meknes', ?, 1, 1, 1, ?, 'FAIR', 'REGIONAL', 'ENDED', 'fes', '2026-05-01', '2026-05-09', 'salon', ?)`), id, data, version)
			if err != nil {
				t.Fatal(err)
			}
		}
		insert("old", 0, `{"kind":"FAIR","scope":"REGIONAL","title":{"ar":"معرض","fr":"Salon"},"start_date":"2026-05-01","end_date":"2026-05-09",
			"venue":{"province":"fes","city":"Fès","address":"Bab Boujloud"},"partners":[{"name":{"fr":"Région"},"role":"financement"}],"capacity":0,
			"fair":{"quotas":[{"criterion":"WOMEN","booths":10,"limit":"RESERVED"}],"crafts":["pottery"]},"state":"ENDED",
			"evaluation":{"exhibitors":40,"artisans":30,"cooperatives":6,"associations":3,"enterprises":1,"women_artisans":18,"men_artisans":12,
			"women_exhibitors":20,"rural_exhibitors":9,"outside_region_exhibitors":4,"booths":45,"booths_used":40,"visitors":12000,"sales_centimes":9900000,
			"applications":60,"rejected":12,"waitlisted":8,"registered":0,"attended":0,"compute_time":"2026-05-10T12:00:00Z"}}`)
		insert("future", 9, `{"anything":true}`)
		want := event.Event{Kind: event.Fair, Scope: event.Regional, Title: l10n.Text{AR: "معرض", FR: "Salon"}, StartDate: "2026-05-01", EndDate: "2026-05-09",
			Venue:    event.Venue{Province: "fes", City: "Fès", Address: "Bab Boujloud"},
			Partners: []event.Partner{{Name: l10n.Text{FR: "Région"}, Role: "financement"}},
			Fair:     event.FairSettings{Quotas: []event.QuotaRule{{Criterion: event.Women, Booths: 10, Limit: event.Reserved}}, Crafts: []string{"pottery"}},
			State:    event.Ended,
			Evaluation: &event.Evaluation{Exhibitors: 40, Artisans: 30, Cooperatives: 6, Associations: 3, Enterprises: 1, WomenArtisans: 18, MenArtisans: 12,
				WomenExhibitors: 20, RuralExhibitors: 9, OutsideRegionExhibitors: 4, Booths: 45, BoothsUsed: 40, Visitors: 12000, SalesCentimes: 9900000,
				Applications: 60, Rejected: 12, Waitlisted: 8, ComputeTime: time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)}}
		content := func(e *event.Event) event.Event { c := *e; c.Meta = resource.Meta{}; return c }

		repo := sqlstore.NewEvents(db, nil)
		name := func(id string) resource.Name {
			return resource.Name{Chamber: "fes-meknes", Collection: event.Collection, ID: id}
		}
		got, err := repo.Get(ctx, name("old"))
		if err != nil || !reflect.DeepEqual(content(got), want) {
			t.Fatalf("a version 0 row read through the current code = %+v, %v\nwant %+v", got, err, want)
		}
		if _, err := repo.Get(ctx, name("future")); err == nil {
			t.Fatal("a record of an unknown version was read")
		}
		w := change.Write{Action: "Evaluated", Method: "/test/Evaluate", Actor: change.Actor{Subject: "clerk", Role: "chamber-clerk", Chamber: "fes-meknes"}}
		if _, err := repo.Update(ctx, name("old"), w, func(e *event.Event) error { return e.Apply(event.Evaluate, "") }); err != nil {
			t.Fatal(err)
		}
		var version int64
		var data string
		if err := db.SQL.QueryRowContext(ctx, "SELECT data_version, data FROM events WHERE id = 'old'").Scan(&version, &data); err != nil {
			t.Fatal(err)
		}
		var stored map[string]any
		if err := json.Unmarshal([]byte(data), &stored); err != nil {
			t.Fatal(err)
		}
		evaluation, _ := stored["evaluation"].(map[string]any)
		venue, _ := stored["venue"].(map[string]any)
		if version != 1 || stored["state"] != "EVALUATED" || venue["city"] != "Fès" || evaluation["visitors"] != float64(12000) || evaluation["compute_time"] != "2026-05-10T12:00:00Z" {
			t.Fatalf("rewritten row = v%d %s; want version 1 with the same keys", version, data)
		}
		want.State = event.Evaluated
		if got, err = repo.Get(ctx, name("old")); err != nil || !reflect.DeepEqual(content(got), want) {
			t.Fatalf("the version 1 row = %+v, %v\nwant %+v", got, err, want)
		}
	})
}
