package sqlstore

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/generalassembly"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/nested"
)

// Assemblies is the general assembly repository.
type Assemblies struct {
	store.Repo[*generalassembly.Assembly]
}

var _ generalassembly.Repository = (*Assemblies)(nil)

// NewAssemblies returns the assembly repository on db.
func NewAssemblies(db *store.DB, p func(*generalassembly.Assembly) proto.Message) *Assemblies {
	type A = *generalassembly.Assembly
	t := store.NewTable(db, store.Spec[A]{
		Table: "assemblies", Collection: generalassembly.Collection, Kind: "Assembly", Source: Source, EventType: EventType,
		New:     func() A { return &generalassembly.Assembly{} },
		Payload: p,
		Record:  assemblyRecord,
		Columns: []store.Column[A]{
			{Name: "state", Value: func(a A) any { return string(a.State) }},
			{Name: "session_type", Value: func(a A) any { return string(a.SessionType) }},
			{Name: "day", Value: func(a A) any { return string(a.Date) }},
		},
		Filter: filter.NewSchema(
			filter.Field{Name: "create_time", Column: "create_time", Type: filter.Timestamp},
			filter.Field{Name: "update_time", Column: "update_time", Type: filter.Timestamp},
			filter.Field{Name: "state", Column: "state", Type: filter.Enum, Values: []string{"CONVENED", "IN_SESSION", "CLOSED", "CANCELLED"}},
			filter.Field{Name: "session_type", Column: "session_type", Type: filter.Enum, Values: []string{"ORDINARY", "EXTRAORDINARY"}},
			filter.Field{Name: "date", Column: "day", Type: filter.String},
		),
		Order: map[string]string{"date": "day"},
	})
	return &Assemblies{store.NewRepo(t)}
}

// Items is the agenda item repository.
type Items struct {
	child[*generalassembly.Item]
	db *store.DB
}

var _ generalassembly.ItemRepository = (*Items)(nil)

// NewItems returns the agenda item repository on db.
func NewItems(db *store.DB, p func(*generalassembly.Item) proto.Message) *Items {
	type I = *generalassembly.Item
	t := store.NewTable(db, store.Spec[I]{
		Table: "agenda_items", Collection: generalassembly.ItemCollection, Kind: "AgendaItem", Source: Source, EventType: EventType,
		New:     func() I { return &generalassembly.Item{} },
		Payload: p,
		Record:  itemRecord,
		NameOf:  nested.Render(generalassembly.Collection, generalassembly.ItemCollection),
		Columns: []store.Column[I]{
			{Name: "assembly", Value: parentOf[I]},
			{Name: "position", Value: func(it I) any { return int64(it.Position) }},
			{Name: "state", Value: func(it I) any { return string(it.State) }},
		},
		Order: map[string]string{"position": "position"},
	})
	return &Items{child: child[I]{t: t, parentCol: "assembly"}, db: db}
}

// Create stores a new item.
func (r *Items) Create(ctx context.Context, it *generalassembly.Item, w change.Write) (*generalassembly.Item, error) {
	return r.create(ctx, it, w)
}

// Get reads one item.
func (r *Items) Get(ctx context.Context, n nested.Name) (*generalassembly.Item, error) {
	return r.get(ctx, n)
}

// List lists an assembly's items by position.
func (r *Items) List(ctx context.Context, parent resource.Name, q paging.ListQuery) (paging.Page[*generalassembly.Item], error) {
	q.OrderBy = "position"
	return r.list(ctx, parent, q)
}

// Update changes one item.
func (r *Items) Update(ctx context.Context, n nested.Name, w change.Write, fn func(*generalassembly.Item) error) (*generalassembly.Item, error) {
	return r.update(ctx, n, w, fn)
}

// CountVoting counts the assembly's items whose vote is open.
func (r *Items) CountVoting(ctx context.Context, parent resource.Name) (int, error) {
	return count(ctx, r.db, "SELECT COUNT(*) FROM agenda_items WHERE chamber = ? AND assembly = ? AND state = "+store.Lit(generalassembly.Voting), parent.Chamber, parent.ID)
}
