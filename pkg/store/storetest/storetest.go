// Package storetest runs a service's repository conformance suite against
// every storage backend: a fresh SQLite file and a fresh PostgreSQL
// database (pkg/testenv), so both dialects are held to the same tests.
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/testenv"
)

// EachBackend calls suite once per backend, as subtests "sqlite" and
// "postgres"; open gives each test of the suite its own empty database.
// The package's TestMain must call testenv.Main.
func EachBackend(t *testing.T, suite func(t *testing.T, open func(t *testing.T) *store.DB)) {
	backends := []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return "sqlite://" + filepath.Join(t.TempDir(), "test.db") }},
		{"postgres", func(t *testing.T) string { return testenv.Postgres(t) }},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			suite(t, func(t *testing.T) *store.DB {
				db, err := store.Open(context.Background(), b.url(t))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = db.Close() })
				return db
			})
		})
	}
}
