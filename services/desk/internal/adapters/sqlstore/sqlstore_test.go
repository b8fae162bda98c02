package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/pkg/testenv"
	"github.com/hirfa/hirfa/services/desk/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/desk/internal/domain/item"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// TestConformance runs the item repository's suite on SQLite and on
// PostgreSQL: the migrations apply, and CRUD, filters, ordering, paging,
// etags, request-id replay, outbox and audit behave the same on both.
func TestConformance(t *testing.T) { storetest.EachBackend(t, run) }

func run(t *testing.T, open func(t *testing.T) *store.DB) {
	repo := func(t *testing.T) (*sqlstore.Items, *store.DB) {
		db := open(t)
		if err := sqlstore.Migrate(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		// Migrating twice is a no-op.
		if err := sqlstore.Migrate(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		return sqlstore.NewItems(db, func(it *item.Item) proto.Message { return wrapperspb.String(it.DisplayName) }), db
	}
	w := func(action, requestID string) change.Write {
		return change.Write{Action: action, RequestID: requestID, Method: "/test/Create", Actor: change.Actor{Subject: "clerk", Role: "chamber-clerk", Chamber: "fes-meknes"}}
	}
	newItem := func(chamber, name string, qty int) *item.Item {
		it := &item.Item{DisplayName: name, Quantity: qty, State: item.Active}
		it.Chamber, it.ID = chamber, resource.NewID()
		return it
	}
	count := func(t *testing.T, db *store.DB, table string) int {
		t.Helper()
		var n int
		if err := db.SQL.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	ctx := context.Background()

	t.Run("crud", func(t *testing.T) {
		r, db := repo(t)
		it, err := r.Create(ctx, newItem("fes-meknes", "Zellige", 4), w("Created", ""))
		if err != nil {
			t.Fatal(err)
		}
		n := resource.Name{Chamber: "fes-meknes", Collection: item.Collection, ID: it.ID}
		got, err := r.Get(ctx, n)
		if err != nil || got.DisplayName != "Zellige" || got.Quantity != 4 || got.State != item.Active || got.Etag() != it.Etag() {
			t.Fatalf("get = %+v, %v", got, err)
		}
		up, err := r.Update(ctx, n, w("Updated", ""), resource.WithEtag(n.String(), it.Etag(), func(v *item.Item) error { v.Quantity = 0; return nil }))
		if err != nil || up.Quantity != 0 || up.Etag() == it.Etag() {
			t.Fatalf("update = %+v, %v", up, err)
		}
		// The etag read before the update is stale now.
		_, err = r.Update(ctx, n, w("Updated", ""), resource.WithEtag(n.String(), it.Etag(), func(*item.Item) error { return nil }))
		if !fault.Is[*fault.ConflictError](err) {
			t.Fatalf("stale etag: %v", err)
		}
		// A refusal by the domain writes nothing.
		before := count(t, db, "outbox")
		refused := errors.New("refused")
		if _, err := r.Update(ctx, n, w("Updated", ""), func(*item.Item) error { return refused }); !errors.Is(err, refused) {
			t.Fatalf("refused update: %v", err)
		}
		if count(t, db, "outbox") != before {
			t.Fatal("a refused update wrote an event")
		}
		if err := r.Delete(ctx, n, w("Deleted", ""), (*item.Item).CheckDelete); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Get(ctx, n); !fault.Is[*fault.NotFoundError](err) {
			t.Fatalf("get after delete: %v", err)
		}
		// Create, update and delete: one event and one audit record each.
		if o, a := count(t, db, "outbox"), count(t, db, "audit_records"); o != 3 || a != 3 {
			t.Fatalf("outbox %d, audit %d, want 3 and 3", o, a)
		}
	})

	t.Run("another chamber's item is not found", func(t *testing.T) {
		r, _ := repo(t)
		it, err := r.Create(ctx, newItem("fes-meknes", "Cuivre", 1), w("Created", ""))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Get(ctx, resource.Name{Chamber: "marrakech-safi", Collection: item.Collection, ID: it.ID}); !fault.Is[*fault.NotFoundError](err) {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("request id replay", func(t *testing.T) {
		r, db := repo(t)
		first, err := r.Create(ctx, newItem("fes-meknes", "Poterie", 2), w("Created", "req-1"))
		if err != nil {
			t.Fatal(err)
		}
		again, err := r.Create(ctx, newItem("fes-meknes", "Poterie", 2), w("Created", "req-1"))
		if err != nil || again.ID != first.ID {
			t.Fatalf("replay = %+v, %v; want %s", again, err, first.ID)
		}
		if c := count(t, db, "items"); c != 1 {
			t.Fatalf("%d items after a replay", c)
		}
	})

	t.Run("list filters orders and pages", func(t *testing.T) {
		r, _ := repo(t)
		for i, name := range []string{"Éventail", "Babouche", "Caftan", "Dinanderie", "Argan"} {
			if _, err := r.Create(ctx, newItem("fes-meknes", name, i), w("Created", "")); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := r.Create(ctx, newItem("marrakech-safi", "Tadelakt", 9), w("Created", "")); err != nil {
			t.Fatal(err)
		}
		var names []string
		q := resource.ListQuery{Chamber: "fes-meknes", PageSize: 2, OrderBy: "display_name"}
		for pages := 0; ; pages++ {
			if pages > 3 {
				t.Fatal("paging does not end")
			}
			page, err := r.List(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range page.Items {
				names = append(names, it.DisplayName)
			}
			if page.NextPageToken == "" {
				break
			}
			q.PageToken = page.NextPageToken
		}
		if fmt.Sprint(names) != "[Argan Babouche Caftan Dinanderie Éventail]" {
			t.Fatalf("ordered pages = %v", names)
		}
		page, err := r.List(ctx, resource.ListQuery{Chamber: "fes-meknes", Filter: `quantity <= 1 AND display_name:"EVENTAIL"`})
		if err != nil || len(page.Items) != 1 || page.Items[0].DisplayName != "Éventail" {
			t.Fatalf("filtered = %+v, %v", page.Items, err)
		}
		page, err = r.List(ctx, resource.ListQuery{Chamber: resource.Wildcard, PageSize: 50})
		if err != nil || len(page.Items) != 6 {
			t.Fatalf("national list = %d items, %v", len(page.Items), err)
		}
		if _, err := r.List(ctx, resource.ListQuery{Chamber: "fes-meknes", Filter: `colour = "red"`}); !fault.Is[*fault.InvalidError](err) {
			t.Fatalf("unknown filter field: %v", err)
		}
	})

	t.Run("concurrent updates lose nothing", func(t *testing.T) {
		r, _ := repo(t)
		it, err := r.Create(ctx, newItem("fes-meknes", "Bois de thuya", 0), w("Created", ""))
		if err != nil {
			t.Fatal(err)
		}
		n := resource.Name{Chamber: "fes-meknes", Collection: item.Collection, ID: it.ID}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() {
				_, err := r.Update(ctx, n, w("Updated", ""), func(v *item.Item) error { v.Quantity++; return nil })
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		got, err := r.Get(ctx, n)
		if err != nil || got.Quantity != 8 {
			t.Fatalf("quantity = %d, %v; want 8", got.Quantity, err)
		}
	})
}
