package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/textnorm"
	"github.com/hirfa/hirfa/services/registry/internal/domain/activity"
)

// Activities is the nomenclature repository. Activities are national
// reference data: they live under the chamber value activity.NationalScope.
type Activities struct {
	t  *store.Table[*activity.Activity]
	db *store.DB
}

var _ activity.Repository = (*Activities)(nil)

// NewActivities returns the nomenclature repository on db.
func NewActivities(db *store.DB, p Payload) *Activities {
	type A = *activity.Activity
	t := store.NewTable(db, store.Spec[A]{
		Table: "activities", Collection: "activities", Kind: "Activity", Source: Source, EventType: EventType,
		New:     func() A { return &activity.Activity{} },
		Payload: payload[A](p),
		NameOf:  func(_, id string) string { return "activities/" + id },
		Columns: []store.Column[A]{
			{Name: "family", Value: func(a A) any { return a.Family.Code }},
			{Name: "branch", Value: func(a A) any { return a.Branch.Code }},
			{Name: "retired", Value: func(a A) any {
				if a.Retired {
					return int64(1)
				}
				return int64(0)
			}},
			{Name: "display_key", Value: func(a A) any { return textnorm.Key(a.Name.FR, a.Name.AR, a.Name.EN) }},
		},
		Filter: filter.NewSchema(
			filter.Field{Name: "family", Column: "family", Type: filter.String},
			filter.Field{Name: "branch", Column: "branch", Type: filter.String},
			filter.Field{Name: "code", Column: "id", Type: filter.String},
			filter.Field{Name: "retired", Column: "retired", Type: filter.Int},
			filter.Field{Name: "display_name", Column: "display_key", Type: filter.String, Contains: true, Fold: textnorm.Fold},
		),
		Order: map[string]string{"code": "id", "display_name": "display_key"},
	})
	return &Activities{t: t, db: db}
}

// Create adds an activity.
func (r *Activities) Create(ctx context.Context, a *activity.Activity, w change.Write) (*activity.Activity, error) {
	a.Chamber = activity.NationalScope
	out, _, err := r.t.Create(ctx, a, w)
	if _, ok := store.UniqueViolation(err); ok {
		return nil, &fault.AlreadyExistsError{Reason: "ACTIVITY_EXISTS", Field: "activity.code",
			Existing: "activities/" + a.ID, Msg: "activity " + a.ID + " already exists"}
	}
	return out, err
}

// Get reads one activity.
func (r *Activities) Get(ctx context.Context, code string) (*activity.Activity, error) {
	return r.t.Get(ctx, activity.NationalScope, code)
}

// List lists activities.
func (r *Activities) List(ctx context.Context, q store.ListQuery) (store.Page[*activity.Activity], error) {
	q.Chamber = activity.NationalScope
	if q.OrderBy == "" {
		q.OrderBy = "code"
	}
	return r.t.List(ctx, q)
}

// Update changes an activity.
func (r *Activities) Update(ctx context.Context, code string, w change.Write, fn func(*activity.Activity) error) (*activity.Activity, error) {
	return r.t.Update(ctx, activity.NationalScope, code, w, fn)
}

// Usable reports whether code exists and is not retired.
func (r *Activities) Usable(ctx context.Context, code string) (bool, error) {
	var retired int64
	err := r.db.SQL.QueryRowContext(ctx, r.db.Rebind("SELECT retired FROM activities WHERE chamber = ? AND id = ?"), activity.NationalScope, code).Scan(&retired)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, wrapf("activity usable", err)
	}
	return retired == 0, nil
}
