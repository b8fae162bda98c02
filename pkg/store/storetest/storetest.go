// Package storetest runs a service's repository conformance suite against
// every storage backend: a fresh SQLite file and a fresh PostgreSQL
// database (pkg/testenv), so both dialects are held to the same tests.
package storetest

import (
	"context"
	"path/filepath"
	"slices"
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

// Suite runs a service's repository tests, each as a subtest of its name
// (in name order) on its own database from open, migrated twice by
// migrate: the second run must be a no-op.
func Suite(t *testing.T, open func(t *testing.T) *store.DB, migrate func(context.Context, *store.DB) error,
	tests map[string]func(*testing.T, *store.DB)) {
	names := make([]string, 0, len(tests))
	for n := range tests {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			db := open(t)
			if err := migrate(context.Background(), db); err != nil {
				t.Fatalf("migrate: %v", err)
			}
			if err := migrate(context.Background(), db); err != nil {
				t.Fatalf("migrate again: %v", err)
			}
			tests[n](t, db)
		})
	}
}
