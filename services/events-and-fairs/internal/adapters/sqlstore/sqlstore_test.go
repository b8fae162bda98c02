package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/testenv"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/adapters/repotest"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func TestConformanceSQLite(t *testing.T) {
	repotest.Run(t, func(t *testing.T) *store.DB {
		db, err := store.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "events-and-fairs.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		return db
	})
}

func TestConformancePostgres(t *testing.T) {
	repotest.Run(t, func(t *testing.T) *store.DB {
		db, err := store.Open(context.Background(), testenv.Postgres(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		return db
	})
}
