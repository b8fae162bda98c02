package sqlstore

import (
	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/textnorm"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
)

// Events is the event repository.
type Events struct{ store.Repo[*event.Event] }

var _ event.Repository = (*Events)(nil)

// EventFilter is the AIP-160 schema of ListEvents.
var EventFilter = filter.NewSchema(
	filter.Field{Name: "create_time", Column: "create_time", Type: filter.Timestamp},
	filter.Field{Name: "update_time", Column: "update_time", Type: filter.Timestamp},
	filter.Field{Name: "kind", Column: "kind", Type: filter.Enum, Values: event.Kinds},
	filter.Field{Name: "scope", Column: "scope", Type: filter.Enum, Values: event.Scopes},
	filter.Field{Name: "state", Column: "state", Type: filter.Enum, Values: event.States},
	filter.Field{Name: "province", Column: "province", Type: filter.String},
	filter.Field{Name: "start_date", Column: "start_date", Type: filter.String},
	filter.Field{Name: "end_date", Column: "end_date", Type: filter.String},
	filter.Field{Name: "title", Column: "title_key", Type: filter.String, Contains: true, Fold: textnorm.Fold},
)

// NewEvents returns the event repository on db.
func NewEvents(db *store.DB, p func(*event.Event) proto.Message) *Events {
	type E = *event.Event
	t := store.NewTable(db, store.Spec[E]{
		Table: "events", Collection: event.Collection, Kind: "Event", Source: Source, EventType: EventType,
		New:     func() E { return &event.Event{} },
		Payload: p,
		Record:  eventRecord,
		Columns: []store.Column[E]{
			{Name: "kind", Value: func(e E) any { return string(e.Kind) }},
			{Name: "scope", Value: func(e E) any { return string(e.Scope) }},
			{Name: "state", Value: func(e E) any { return string(e.State) }},
			{Name: "province", Value: func(e E) any { return e.Venue.Province }},
			{Name: "start_date", Value: func(e E) any { return string(e.StartDate) }},
			{Name: "end_date", Value: func(e E) any { return string(e.EndDate) }},
			{Name: "title_key", Value: func(e E) any { return textnorm.Key(e.Title.FR, e.Title.AR, e.Title.EN) }},
		},
		Filter: EventFilter,
		Order:  map[string]string{"start_date": "start_date", "title": "title_key"},
	})
	return &Events{store.NewRepo(t)}
}
