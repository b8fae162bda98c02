package sqlstore

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
)

// Enterprises is the enterprise repository.
type Enterprises struct {
	store.Repo[*enterprise.Enterprise]
}

var _ enterprise.Repository = (*Enterprises)(nil)

// NewEnterprises returns the enterprise repository on db.
func NewEnterprises(db *store.DB, p func(*enterprise.Enterprise) proto.Message) *Enterprises {
	type E = *enterprise.Enterprise
	t := store.NewTable(db, store.Spec[E]{
		Table: "enterprises", Collection: enterprise.Collection, Kind: "Enterprise", Source: Source, EventType: EventType,
		New:     func() E { return &enterprise.Enterprise{} },
		Payload: p,
		Record:  enterpriseRecord,
		Columns: append([]store.Column[E]{
			{Name: "state", Value: func(e E) any { return string(e.State) }},
			{Name: "province", Value: func(e E) any { return e.Province }},
			{Name: "activity", Value: func(e E) any { return e.Activity }},
			{Name: "ice", Value: func(e E) any { return e.ICE }},
			{Name: "supervising_artisan", Value: func(e E) any { return e.SupervisingArtisan }},
		}, nameColumns(db, func(e E) string { return bodyKey(e.DisplayName) })...),
		Filter: filter.NewSchema(append(searchFields(db, "enterprises"),
			filter.Field{Name: "state", Column: "state", Type: filter.Enum, Values: []string{"ACTIVE", "CLOSED"}},
			filter.Field{Name: "activity", Column: "activity", Type: filter.String},
			filter.Field{Name: "ice", Column: "ice", Type: filter.String},
			filter.Field{Name: "supervising_artisan", Column: "supervising_artisan", Type: filter.String},
		)...),
		Order: order(),
	})
	return &Enterprises{store.NewRepo(t)}
}

func iceTaken(e *enterprise.Enterprise) error {
	return &fault.AlreadyExistsError{Reason: enterprise.ReasonICEAlreadyRegistered, Field: "enterprise.ice",
		Msg: "an active enterprise with ICE " + e.ICE + " is already registered"}
}

// Create stores a new enterprise; a live ICE held by another is AlreadyExists.
func (r *Enterprises) Create(ctx context.Context, e *enterprise.Enterprise, w change.Write) (*enterprise.Enterprise, error) {
	out, err := r.Repo.Create(ctx, e, w)
	if store.IsUnique(err, "enterprises_live_ice", "enterprises.ice") {
		return nil, iceTaken(e)
	}
	return out, err
}

// Update maps an ICE collision the same way as Create.
func (r *Enterprises) Update(ctx context.Context, n resource.Name, w change.Write, fn func(*enterprise.Enterprise) error) (*enterprise.Enterprise, error) {
	var last *enterprise.Enterprise
	out, err := r.Repo.Update(ctx, n, w, func(e *enterprise.Enterprise) error {
		last = e
		return fn(e)
	})
	if store.IsUnique(err, "enterprises_live_ice", "enterprises.ice") {
		return nil, iceTaken(last)
	}
	return out, err
}
