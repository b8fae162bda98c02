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
	// SampleUsable lets records use codes of the sample nomenclature (the
	// demo profile); false makes Usable answer activity.ErrSample for them.
	SampleUsable bool
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
	ok, sample bool
	until      time.Time
}

const usableTTL = 30 * time.Second

func (c *usableCache) get(code string) (usableEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[code]
	if !ok || time.Now().After(e.until) {
		return usableEntry{}, false
	}
	return e, true
}

func (c *usableCache) put(code string, e usableEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) > 10_000 {
		c.entries = map[string]usableEntry{}
	}
	e.until = time.Now().Add(usableTTL)
	c.entries[code] = e
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
		Record:  activityRecord,
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

// Usable reports whether code exists and is not retired; a sample code
// answers activity.ErrSample unless SampleUsable.
func (r *Activities) Usable(ctx context.Context, code string) (bool, error) {
	e, hit := r.usable.get(code)
	if !hit {
		var retired, version int64
		var data []byte
		err := r.db.SQL.QueryRowContext(ctx, r.db.Rebind("SELECT retired, data, data_version FROM activities WHERE chamber = ? AND id = ?"),
			activity.NationalScope, code).Scan(&retired, &data, &version)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return false, wrapf("activity usable", err)
		default:
			// The sample flag lives only in the stored record: it is read
			// once per code per usableTTL, not per write.
			var a activity.Activity
			if err := activityRecord.Decode(version, data, &a); err != nil {
				return false, wrapf("activity usable", err)
			}
			e = usableEntry{ok: retired == 0, sample: a.Sample}
		}
		r.usable.put(code, e)
	}
	if e.sample && !r.SampleUsable {
		return false, activity.ErrSample
	}
	return e.ok, nil
}
