// Package sqlstore implements the desk repositories on PostgreSQL
// and SQLite through pkg/store: one code path, the dialect chosen by the
// database URL, with the service's migrations embedded per dialect.
package sqlstore

import (
	"context"
	"embed"
	"io/fs"

	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/textnorm"
	"github.com/hirfa/hirfa/services/desk/internal/domain/item"
	"google.golang.org/protobuf/proto"
)

//go:embed migrations
var migrations embed.FS

// Source is the service name written in outbox events.
const Source = "desk"

// EventType prefixes outbox event types.
const EventType = "hirfa.desk.v1."

// Migrate applies the platform and desk migrations.
func Migrate(ctx context.Context, db *store.DB) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	return store.Migrate(ctx, db, "desk", sub)
}

// Items is the item repository.
type Items struct {
	store.Repo[*item.Item]
}

var _ item.Repository = (*Items)(nil)

// NewItems returns the item repository on db; payload renders an item as
// the outbox event's message (the public contract; nil stores JSON).
func NewItems(db *store.DB, payload func(*item.Item) proto.Message) *Items {
	type I = *item.Item
	spec := store.Spec[I]{
		Table: "items", Collection: item.Collection, Kind: "Item", Source: Source, EventType: EventType,
		New: func() I { return &item.Item{} },
		Columns: []store.Column[I]{
			{Name: "state", Value: func(it I) any { return string(it.State) }},
			{Name: "quantity", Value: func(it I) any { return int64(it.Quantity) }},
			{Name: "name_key", Value: func(it I) any { return textnorm.Key(it.DisplayName) }},
		},
		Filter: filter.NewSchema(
			filter.Field{Name: "create_time", Column: "create_time", Type: filter.Timestamp},
			filter.Field{Name: "update_time", Column: "update_time", Type: filter.Timestamp},
			filter.Field{Name: "state", Column: "state", Type: filter.Enum, Values: item.States},
			filter.Field{Name: "quantity", Column: "quantity", Type: filter.Int},
			filter.Field{Name: "display_name", Column: "name_key", Type: filter.String, Contains: true, Fold: textnorm.Fold},
		),
		Order: map[string]string{"display_name": "name_key"},
	}
	if payload != nil {
		spec.Payload = func(it I) ([]byte, error) { return proto.Marshal(payload(it)) }
	}
	return &Items{store.NewRepo(store.NewTable(db, spec))}
}
