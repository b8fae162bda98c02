package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/nested"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/registration"
)

// Registrations is the registration repository.
type Registrations struct {
	child[*registration.Registration]
	db *store.DB
}

var _ registration.Repository = (*Registrations)(nil)

// NewRegistrations returns the registration repository on db.
func NewRegistrations(db *store.DB, p func(*registration.Registration) proto.Message) *Registrations {
	type R = *registration.Registration
	t := store.NewTable(db, store.Spec[R]{
		Table: "registrations", Collection: registration.Collection, Kind: "Registration", Source: Source, EventType: EventType,
		New:     func() R { return &registration.Registration{} },
		Payload: p,
		Record:  registrationRecord,
		NameOf:  nested.Render(event.Collection, registration.Collection),
		Columns: []store.Column[R]{
			{Name: "event", Value: parentOf[R]},
			{Name: "state", Value: func(r R) any { return string(r.State) }},
			{Name: "code", Value: func(r R) any { return r.CheckInCode }},
		},
		Filter: filter.NewSchema(
			filter.Field{Name: "state", Column: "state", Type: filter.Enum, Values: []string{"REGISTERED", "WAITLISTED", "CANCELLED", "ATTENDED"}},
		),
	})
	return &Registrations{child: child[R]{t: t, parentCol: "event"}, db: db}
}

// Create stores a new registration. A check-in code collision (a chance of
// about one in 10^15 per pair of codes) is reported as a conflict, which the
// caller may retry.
func (r *Registrations) Create(ctx context.Context, v *registration.Registration, w change.Write) (*registration.Registration, error) {
	out, err := r.create(ctx, v, w)
	if store.IsUnique(err, "registrations_code", "registrations.chamber, registrations.event, registrations.code") {
		return nil, &fault.ConflictError{Resource: v.Name()}
	}
	return out, err
}

// Get reads one registration.
func (r *Registrations) Get(ctx context.Context, n nested.Name) (*registration.Registration, error) {
	return r.get(ctx, n)
}

// List lists an event's registrations in the order they were made.
func (r *Registrations) List(ctx context.Context, parent resource.Name, q paging.ListQuery) (paging.Page[*registration.Registration], error) {
	return r.list(ctx, parent, q)
}

// Update changes one registration.
func (r *Registrations) Update(ctx context.Context, n nested.Name, w change.Write, fn func(*registration.Registration) error) (*registration.Registration, error) {
	return r.update(ctx, n, w, fn)
}

// Counts counts the event's registrations by state.
func (r *Registrations) Counts(ctx context.Context, parent resource.Name) (registration.Counts, error) {
	rows, err := r.db.SQL.QueryContext(ctx, r.db.Rebind("SELECT state, COUNT(*) FROM registrations WHERE chamber = ? AND event = ? GROUP BY state"), parent.Chamber, parent.ID)
	if err != nil {
		return nil, wrap(r.db, "count registrations", err)
	}
	defer rows.Close()
	c := registration.Counts{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, wrap(r.db, "count registrations", err)
		}
		c[registration.State(s)] = n
	}
	return c, wrap(r.db, "count registrations", rows.Err())
}

// ByCode finds the registration holding a check-in code.
func (r *Registrations) ByCode(ctx context.Context, parent resource.Name, code string) (*registration.Registration, error) {
	return r.one(ctx, parent, "code = ?", code)
}

// FirstWaitlisted returns the earliest wait-listed registration, or nil.
func (r *Registrations) FirstWaitlisted(ctx context.Context, parent resource.Name) (*registration.Registration, error) {
	v, err := r.one(ctx, parent, "state = ?", string(registration.Waitlisted))
	if fault.Is[*fault.NotFoundError](err) {
		return nil, nil
	}
	return v, err
}

func (r *Registrations) one(ctx context.Context, parent resource.Name, cond string, arg any) (*registration.Registration, error) {
	var id string
	err := r.db.SQL.QueryRowContext(ctx, r.db.Rebind("SELECT id FROM registrations WHERE chamber = ? AND event = ? AND "+cond+" ORDER BY create_time, id LIMIT 1"),
		parent.Chamber, parent.ID, arg).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fault.NotFound(parent.String() + "/" + registration.Collection)
	}
	if err != nil {
		return nil, wrap(r.db, "find registration", err)
	}
	return r.t.Get(ctx, parent.Chamber, id)
}
