package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"google.golang.org/protobuf/proto"

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
	t      *store.Table[*activity.Activity]
	db     *store.DB
	usable usableCache
}

// usableCache remembers, for usableTTL, whether an activity code may be
// used: every register write checks one, and the nomenclature changes a few
// times a year. Writes through this repository clear it at once; another
// replica's change is seen within usableTTL.
type usableCache struct {
	mu      sync.Mutex
	entries map[string]usableEntry
}

type usableEntry struct {
	ok    bool
	until time.Time
}

const usableTTL = 30 * time.Second

func (c *usableCache) get(code string) (bool, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[code]
	if !ok || time.Now().After(e.until) {
		return false, false
	}
	return e.ok, true
}

func (c *usableCache) put(code string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) > 10_000 {
		c.entries = map[string]usableEntry{}
	}
	c.entries[code] = usableEntry{ok: ok, until: time.Now().Add(usableTTL)}
}

func (c *usableCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = nil
}

var _ activity.Repository = (*Activities)(nil)

// NewActivities returns the nomenclature repository on db.
func NewActivities(db *store.DB, p func(*activity.Activity) proto.Message) *Activities {
	type A = *activity.Activity
	t := store.NewTable(db, store.Spec[A]{
		Table: "activities", Collection: "activities", Kind: "Activity", Source: Source, EventType: EventType,
		New:     func() A { return &activity.Activity{} },
		Payload: p,
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
	defer r.usable.clear()
	out, _, err := r.t.Create(ctx, a, w)
	if _, ok := store.UniqueViolation(err); ok {
		return nil, &fault.AlreadyExistsError{Reason: activity.ReasonActivityExists, Field: "activity.code",
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
	defer r.usable.clear()
	return r.t.Update(ctx, activity.NationalScope, code, w, fn)
}

// Usable reports whether code exists and is not retired.
func (r *Activities) Usable(ctx context.Context, code string) (bool, error) {
	if ok, hit := r.usable.get(code); hit {
		return ok, nil
	}
	var retired int64
	err := r.db.SQL.QueryRowContext(ctx, r.db.Rebind("SELECT retired FROM activities WHERE chamber = ? AND id = ?"), activity.NationalScope, code).Scan(&retired)
	if errors.Is(err, sql.ErrNoRows) {
		r.usable.put(code, false)
		return false, nil
	}
	if err != nil {
		return false, wrapf("activity usable", err)
	}
	r.usable.put(code, retired == 0)
	return retired == 0, nil
}
