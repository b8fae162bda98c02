// Package sqlstore implements the registry's repositories on PostgreSQL and
// SQLite through pkg/store: one code path, the dialect chosen by the database
// URL, with the registry's migrations embedded per dialect.
package sqlstore

import (
	"embed"
	"fmt"

	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/textnorm"
)

//go:embed migrations
var migrations embed.FS

// Source is the service name written in outbox events.
const Source = "registry"

// EventType prefixes outbox event types.
const EventType = "hirfa.registry.v1."

// Migrate applies the platform and registry migrations.
var Migrate = store.Embedded("registry", migrations)

// Common filter fields of every register.
func timeFields() []filter.Field {
	return []filter.Field{
		{Name: "create_time", Column: "create_time", Type: filter.Timestamp},
		{Name: "update_time", Column: "update_time", Type: filter.Timestamp},
		{Name: "display_name", Column: "display_key", Type: filter.String, Contains: true, Fold: textnorm.Fold},
		{Name: "province", Column: "province", Type: filter.String},
	}
}

func order() map[string]string { return map[string]string{"display_name": "display_key"} }

func wrapf(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", op, err)
}
