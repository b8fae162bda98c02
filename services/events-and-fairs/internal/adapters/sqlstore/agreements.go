package sqlstore

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/textnorm"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/agreement"
)

// Agreements is the partnership agreement repository.
type Agreements struct {
	store.Repo[*agreement.Agreement]
}

var _ agreement.Repository = (*Agreements)(nil)

// NewAgreements returns the agreement repository on db.
func NewAgreements(db *store.DB, p func(*agreement.Agreement) proto.Message) *Agreements {
	type A = *agreement.Agreement
	t := store.NewTable(db, store.Spec[A]{
		Table: "agreements", Collection: agreement.Collection, Kind: "Agreement", Source: Source, EventType: EventType,
		New:     func() A { return &agreement.Agreement{} },
		Payload: p,
		Record:  agreementRecord,
		Columns: []store.Column[A]{
			{Name: "state", Value: func(a A) any { return string(a.State) }},
			{Name: "start_date", Value: func(a A) any { return string(a.StartDate) }},
			{Name: "end_date", Value: func(a A) any { return string(a.EndDate) }},
			{Name: "title_key", Value: func(a A) any { return textnorm.Key(a.Title.FR, a.Title.AR, a.Title.EN) }},
		},
		Filter: filter.NewSchema(
			filter.Field{Name: "create_time", Column: "create_time", Type: filter.Timestamp},
			filter.Field{Name: "update_time", Column: "update_time", Type: filter.Timestamp},
			filter.Field{Name: "state", Column: "state", Type: filter.Enum, Values: agreement.States},
			filter.Field{Name: "start_date", Column: "start_date", Type: filter.String},
			filter.Field{Name: "end_date", Column: "end_date", Type: filter.String},
			filter.Field{Name: "title", Column: "title_key", Type: filter.String, Contains: true, Fold: textnorm.Fold},
		),
		Order: map[string]string{"end_date": "end_date", "title": "title_key"},
	})
	return &Agreements{store.NewRepo(t)}
}

// Expiring lists signed or active agreements ending in [from, to], soonest first.
func (r *Agreements) Expiring(ctx context.Context, q paging.ListQuery, from, to resource.Date) (paging.Page[*agreement.Agreement], error) {
	q.Where = "state IN (" + store.Lit(agreement.Signed) + ", " + store.Lit(agreement.Active) + ") AND end_date <> '' AND end_date >= ? AND end_date <= ?"
	q.WhereArgs = []any{string(from), string(to)}
	q.OrderBy, q.Filter = "end_date", ""
	return r.T.List(ctx, q)
}
