package sqlstore_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/services/registry/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/duplicate"
)

// TestDuplicateQueueTakesInAnExistingRegister: a register written before
// migration 0010 (the same person twice) is marked by the migration and
// paired by the first scan, on both databases.
func TestDuplicateQueueTakesInAnExistingRegister(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		ctx := context.Background()
		db := open(t)
		// The registry's migrations before the queue, read from the source tree.
		before := fstest.MapFS{}
		err := fs.WalkDir(os.DirFS("migrations"), ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.Compare(path[strings.LastIndex(path, "/")+1:], "0010") >= 0 {
				return err
			}
			body, err := os.ReadFile("migrations/" + path)
			before[path] = &fstest.MapFile{Data: body}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := store.Migrate(ctx, db, "registry", before); err != nil {
			t.Fatal(err)
		}
		// Rows as the registry stored them then: the domain struct's JSON,
		// before the versioned record (migration 0012).
		a := person("fes-meknes", "A1", "Mohamed", "El Fassi", "محمد", "الفاسي")
		b := person("fes-meknes", "A2", "Mohamed", "El Fassi", "محمد", "الفاسي")
		for _, x := range []*artisan.Artisan{a, b} {
			data, err := json.Marshal(x)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(ctx, db.Rebind(`INSERT INTO artisans (chamber, id, revision, create_time, update_time, data, state, province, activity, category, gender, cnie, display_key)
				VALUES (?, ?, 1, 1, 1, ?, ?, ?, ?, ?, ?, ?, 'mohamed el fassi')`),
				x.Chamber, x.ID, string(data), string(x.State), x.Province, x.Activity, string(x.Category), string(x.Gender), x.CNIE); err != nil {
				t.Fatal(err)
			}
		}
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM duplicate_pending"); n != 2 {
			t.Fatalf("%d records marked by the migration, want 2", n)
		}
		queue := sqlstore.DuplicateQueue{DB: db, Now: time.Now}
		if n, err := queue.Scan(ctx, 100); err != nil || n != 2 {
			t.Fatalf("scan = %d, %v", n, err)
		}
		pairs, err := queue.List(ctx, app.DuplicateQuery{Chamber: "fes-meknes", State: duplicate.Open, Size: 10})
		if err != nil || len(pairs) != 1 || pairs[0].ID != duplicate.PairID(a.Name(), b.Name()) ||
			pairs[0].Pair.Reasons[0] != duplicate.SameNameBirthDate || pairs[0].Chamber != "fes-meknes" {
			t.Fatalf("queue = %+v, %v", pairs, err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM duplicate_pending"); n != 0 {
			t.Errorf("%d records still marked after the scan", n)
		}
	})
}

// TestDuplicateScanLetsWritesThrough: a create committed while a scan
// compares its batch does not wait for the scan (on SQLite the comparison
// holds no write transaction; a write waiting for one would never finish
// here, since the scan waits for the write), and the record it marks is
// paired by the scan's next pass, on both databases.
func TestDuplicateScanLetsWritesThrough(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		ctx := context.Background()
		db := open(t)
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		repo := sqlstore.NewArtisans(db, nil)
		w := change.Write{Method: "test", Actor: change.Actor{Subject: "t"}}
		a := person("fes-meknes", "AB100001", "Mohamed", "El Fassi", "محمد", "الفاسي")
		b := person("fes-meknes", "AB100002", "Mohamed", "El Fassi", "محمد", "الفاسي")
		if _, err := repo.Create(ctx, a, w); err != nil {
			t.Fatal(err)
		}
		created := make(chan error, 1)
		queue := sqlstore.DuplicateQueue{DB: db, Now: func() time.Time {
			// The comparison of the scan's first batch starts: a create
			// goes through now.
			select {
			case created <- nil:
				wctx, cancel := context.WithTimeout(ctx, time.Minute)
				defer cancel()
				_, err := repo.Create(wctx, b, w)
				<-created
				created <- err
			default:
			}
			return time.Now()
		}}
		// The record created during the first pass is taken by the next.
		if n, err := queue.Scan(ctx, 100); err != nil || n != 2 {
			t.Fatalf("scan = %d, %v; want both records", n, err)
		}
		if err := <-created; err != nil {
			t.Fatalf("create during the scan's comparison: %v", err)
		}
		pairs, err := queue.List(ctx, app.DuplicateQuery{Chamber: "fes-meknes", State: duplicate.Open, Size: 10})
		if err != nil || len(pairs) != 1 || pairs[0].ID != duplicate.PairID(a.Name(), b.Name()) {
			t.Fatalf("queue = %+v, %v; want the pair of the two records", pairs, err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM duplicate_pending"); n != 0 {
			t.Errorf("%d records still marked after the scans", n)
		}
	})
}
