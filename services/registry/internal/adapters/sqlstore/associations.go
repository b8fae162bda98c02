package sqlstore

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/domain/association"
)

// Associations is the association repository.
type Associations struct {
	store.Repo[*association.Association]
}

var _ association.Repository = (*Associations)(nil)

// NewAssociations returns the association repository on db.
func NewAssociations(db *store.DB, p func(*association.Association) proto.Message) *Associations {
	type A = *association.Association
	t := store.NewTable(db, store.Spec[A]{
		Table: "associations", Collection: association.Collection, Kind: "Association", Source: Source, EventType: EventType,
		New:     func() A { return &association.Association{} },
		Payload: p,
		Record:  associationRecord,
		Columns: append([]store.Column[A]{
			{Name: "state", Value: func(a A) any { return string(a.State) }},
			{Name: "province", Value: func(a A) any { return a.Province }},
			{Name: "category", Value: func(a A) any { return string(a.Category) }},
		}, nameColumns(db, func(a A) string { return bodyKey(a.DisplayName) })...),
		Filter: filter.NewSchema(append(searchFields(db, "associations"),
			filter.Field{Name: "state", Column: "state", Type: filter.Enum, Values: []string{"DECLARED", "ACTIVE", "STAGNANT", "DISSOLVED"}},
			filter.Field{Name: "category", Column: "category", Type: filter.Enum, Values: []string{"PROFESSIONAL", "DEVELOPMENT", "WOMEN", "YOUTH", "OTHER"}},
		)...),
		Order: order(),
	})
	return &Associations{store.NewRepo(t)}
}

// Create stores a new association.
func (r *Associations) Create(ctx context.Context, a *association.Association, w change.Write) (*association.Association, error) {
	return r.Repo.Create(ctx, a, w)
}
