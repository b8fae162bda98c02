package sqlstore_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/target"
)

func TestTargets(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		db := open(t)
		ctx := context.Background()
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		r := sqlstore.NewTargets(db)
		w := change.Write{Action: "Created", Method: "/test", Actor: change.Actor{Subject: "admin", Role: "chamber-admin", Chamber: "fes-meknes"}}
		mk := func(chamber, province string, year int, n int64) *target.Target {
			return &target.Target{Meta: resource.Meta{Chamber: chamber, ID: target.ID(province, year)}, Province: province, Year: year, Artisans: n}
		}
		for _, tg := range []*target.Target{mk("fes-meknes", "fes", 2025, 10000), mk("fes-meknes", "taounate", 2025, 8000), mk("fes-meknes", "fes", 2024, 9000), mk("marrakech-safi", "marrakech", 2025, 12000)} {
			if _, err := r.Create(ctx, tg, w); err != nil {
				t.Fatal(err)
			}
		}
		_, err := r.Create(ctx, mk("fes-meknes", "fes", 2025, 1), w)
		if !fault.Is[*fault.AlreadyExistsError](err) {
			t.Fatalf("duplicate: %v", err)
		}
		upd, err := r.Update(ctx, "fes-meknes", "taounate-2025", change.Write{Action: "Updated"}, func(t *target.Target) error { t.Artisans = 8500; return nil })
		if err != nil || upd.Artisans != 8500 || upd.Revision != 2 {
			t.Fatalf("update = %+v, %v", upd, err)
		}
		sums, err := r.Sums(ctx, "fes-meknes", 2025)
		if err != nil || !reflect.DeepEqual(sums, map[string]int64{"fes": 10000, "taounate": 8500}) {
			t.Fatalf("sums = %v, %v", sums, err)
		}
		nat, err := r.Sums(ctx, resource.Wildcard, 2025)
		if err != nil || len(nat) != 3 {
			t.Fatalf("national sums = %v, %v", nat, err)
		}
		page, err := r.List(ctx, paging.ListQuery{Chamber: "fes-meknes", Filter: "year = 2025"})
		if err != nil || len(page.Items) != 2 {
			t.Fatalf("list = %+v, %v", page, err)
		}
		if err := r.Delete(ctx, "fes-meknes", "fes-2024", change.Write{Action: "Deleted"}, func(*target.Target) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Get(ctx, "fes-meknes", "fes-2024"); !fault.Is[*fault.NotFoundError](err) {
			t.Fatalf("after delete: %v", err)
		}
	})
}
