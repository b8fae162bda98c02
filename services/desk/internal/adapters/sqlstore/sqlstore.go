// Package sqlstore implements the desk repositories on PostgreSQL
// and SQLite through pkg/store: one code path, the dialect chosen by the
// database URL, with the service's migrations embedded per dialect.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/desk/internal/domain/card"
	"github.com/hirfa/hirfa/services/desk/internal/domain/document"
	"github.com/hirfa/hirfa/services/desk/internal/domain/mediation"
	"github.com/hirfa/hirfa/services/desk/internal/domain/request"
	"github.com/hirfa/hirfa/services/desk/internal/domain/requesttype"
)

//go:embed migrations
var migrations embed.FS

// Source is the service name written in outbox events.
const Source = "desk"

// EventType prefixes outbox event types.
const EventType = "hirfa.desk.v1."

// Migrate applies the platform and desk migrations.
var Migrate = store.Embedded("desk", migrations)

// Requests is the request repository.
type Requests struct {
	store.Repo[*request.Request]
}

var _ request.Repository = (*Requests)(nil)

// NewRequests returns the request repository on db; payload renders a
// request as the outbox event's message (the public contract; nil stores
// JSON). Events carry type and state, so counts by type and state can be
// built from them.
func NewRequests(db *store.DB, payload func(*request.Request) proto.Message) *Requests {
	type R = *request.Request
	spec := store.Spec[R]{
		Table: "service_requests", Collection: request.Collection, Kind: "ServiceRequest", Source: Source, EventType: EventType,
		New:    func() R { return &request.Request{} },
		Record: requestRecord,
		Columns: []store.Column[R]{
			{Name: "state", Value: func(r R) any { return string(r.State) }},
			{Name: "type", Value: func(r R) any { return string(r.Type) }},
			{Name: "channel", Value: func(r R) any { return string(r.Channel) }},
			{Name: "requester", Value: func(r R) any { return r.Requester }},
			{Name: "receive_time", Value: func(r R) any { return r.ReceiveTime.UnixMicro() }},
			{Name: "deadline_time", Value: func(r R) any { return r.Deadline.UnixMicro() }},
		},
		Filter: filter.NewSchema(
			filter.Field{Name: "create_time", Column: "create_time", Type: filter.Timestamp},
			filter.Field{Name: "update_time", Column: "update_time", Type: filter.Timestamp},
			filter.Field{Name: "receive_time", Column: "receive_time", Type: filter.Timestamp},
			filter.Field{Name: "deadline_time", Column: "deadline_time", Type: filter.Timestamp},
			filter.Field{Name: "state", Column: "state", Type: filter.Enum, Values: request.States},
			filter.Field{Name: "type", Column: "type", Type: filter.String},
			filter.Field{Name: "channel", Column: "channel", Type: filter.Enum, Values: []string{"IN_PERSON", "PHONE", "EMAIL", "MAIL", "WEB"}},
			filter.Field{Name: "requester", Column: "requester", Type: filter.String},
		),
		Order: map[string]string{"receive_time": "receive_time", "deadline_time": "deadline_time"},
	}
	if payload != nil {
		spec.Payload = payload
	}
	return &Requests{store.NewRepo(store.NewTable(db, spec))}
}

// RequestTypes is the national list of request types.
type RequestTypes struct {
	t *store.Table[*requesttype.Type]
}

var _ requesttype.Repository = (*RequestTypes)(nil)

// NewRequestTypes returns the request type repository on db (payload as in
// NewRequests).
func NewRequestTypes(db *store.DB, payload func(*requesttype.Type) proto.Message) *RequestTypes {
	type T = *requesttype.Type
	spec := store.Spec[T]{
		Table: "request_types", Collection: requesttype.Collection, Kind: "RequestType", Source: Source, EventType: EventType,
		New:    func() T { return &requesttype.Type{} },
		NameOf: func(_, id string) string { return requesttype.Collection + "/" + id },
		Columns: []store.Column[T]{
			{Name: "inactive", Value: func(t T) any {
				if t.Inactive {
					return int64(1)
				}
				return int64(0)
			}},
		},
		Filter: filter.NewSchema(filter.Field{Name: "code", Column: "id", Type: filter.String}),
		Order:  map[string]string{"code": "id"},
	}
	if payload != nil {
		spec.Payload = payload
	}
	return &RequestTypes{t: store.NewTable(db, spec)}
}

// Create adds a type; an existing code is ALREADY_EXISTS.
func (r *RequestTypes) Create(ctx context.Context, t *requesttype.Type, w change.Write) (*requesttype.Type, error) {
	t.Chamber = requesttype.NationalScope
	out, _, err := r.t.Create(ctx, t, w)
	if _, ok := store.UniqueViolation(err); ok {
		return nil, &fault.AlreadyExistsError{Reason: requesttype.ReasonTypeExists, Field: "request_type_id",
			Existing: t.Name(), Msg: "request type " + t.ID + " already exists"}
	}
	return out, err
}

// Get reads one type.
func (r *RequestTypes) Get(ctx context.Context, code string) (*requesttype.Type, error) {
	return r.t.Get(ctx, requesttype.NationalScope, code)
}

// List lists the types by code.
func (r *RequestTypes) List(ctx context.Context, q paging.ListQuery) (paging.Page[*requesttype.Type], error) {
	q.Chamber = requesttype.NationalScope
	if q.OrderBy == "" {
		q.OrderBy = "code"
	}
	return r.t.List(ctx, q)
}

// Update changes a type.
func (r *RequestTypes) Update(ctx context.Context, code string, w change.Write, fn func(*requesttype.Type) error) (*requesttype.Type, error) {
	return r.t.Update(ctx, requesttype.NationalScope, code, w, fn)
}

// Cases is the mediation case repository.
type Cases struct {
	store.Repo[*mediation.Case]
}

var _ mediation.Repository = (*Cases)(nil)

// NewCases returns the mediation case repository on db (payload as in
// NewRequests).
func NewCases(db *store.DB, payload func(*mediation.Case) proto.Message) *Cases {
	type C = *mediation.Case
	spec := store.Spec[C]{
		Table: "mediation_cases", Collection: mediation.Collection, Kind: "MediationCase", Source: Source, EventType: EventType,
		New:    func() C { return &mediation.Case{} },
		Record: caseRecord,
		Columns: []store.Column[C]{
			{Name: "state", Value: func(c C) any { return string(c.State) }},
			{Name: "outcome", Value: func(c C) any { return string(c.Outcome) }},
			{Name: "mediator", Value: func(c C) any { return c.Mediator }},
		},
		Filter: filter.NewSchema(
			filter.Field{Name: "create_time", Column: "create_time", Type: filter.Timestamp},
			filter.Field{Name: "update_time", Column: "update_time", Type: filter.Timestamp},
			filter.Field{Name: "state", Column: "state", Type: filter.Enum, Values: mediation.States},
			filter.Field{Name: "outcome", Column: "outcome", Type: filter.Enum, Values: mediation.Outcomes[1:]},
		),
	}
	if payload != nil {
		spec.Payload = payload
	}
	return &Cases{store.NewRepo(store.NewTable(db, spec))}
}

// Documents is the document record repository.
type Documents struct {
	store.Repo[*document.Document]
}

var _ document.Repository = (*Documents)(nil)

// NewDocuments returns the document repository on db (payload as in
// NewRequests).
func NewDocuments(db *store.DB, payload func(*document.Document) proto.Message) *Documents {
	type D = *document.Document
	retentions := make([]string, 0, len(document.Years))
	for r := range document.Years {
		retentions = append(retentions, string(r))
	}
	spec := store.Spec[D]{
		Table: "documents", Collection: document.Collection, Kind: "Document", Source: Source, EventType: EventType,
		New:    func() D { return &document.Document{} },
		Record: documentRecord,
		Columns: []store.Column[D]{
			{Name: "owner", Value: func(d D) any { return d.Owner }},
			{Name: "classification", Value: func(d D) any { return d.Classification }},
			{Name: "retention", Value: func(d D) any { return string(d.Retention) }},
		},
		Filter: filter.NewSchema(
			filter.Field{Name: "create_time", Column: "create_time", Type: filter.Timestamp},
			filter.Field{Name: "owner", Column: "owner", Type: filter.String},
			filter.Field{Name: "classification", Column: "classification", Type: filter.Enum, Values: document.Classifications},
			filter.Field{Name: "retention", Column: "retention", Type: filter.Enum, Values: retentions},
		),
	}
	if payload != nil {
		spec.Payload = payload
	}
	return &Documents{store.NewRepo(store.NewTable(db, spec))}
}

// Cards is the professional card repository. Cards read from it carry
// their artisan's register state as the registry's events last told it
// (artisan_states), over the state recorded at issue.
type Cards struct {
	store.Repo[*card.Card]
	db *store.DB
}

var _ card.Repository = (*Cards)(nil)

// NewCards returns the card repository on db (payload as in NewRequests).
func NewCards(db *store.DB, payload func(*card.Card) proto.Message) *Cards {
	type C = *card.Card
	spec := store.Spec[C]{
		Table: "professional_cards", Collection: card.Collection, Kind: "ProfessionalCard", Source: Source, EventType: EventType,
		New:    func() C { return &card.Card{} },
		Record: cardRecord,
		Columns: []store.Column[C]{
			{Name: "kind", Value: func(c C) any { return string(c.Kind) }},
			{Name: "artisan", Value: func(c C) any { return c.Artisan }},
			{Name: "code", Value: func(c C) any { return c.Code }},
			{Name: "valid_until_time", Value: func(c C) any { return c.ValidUntil.UnixMicro() }},
		},
		Filter: filter.NewSchema(
			filter.Field{Name: "create_time", Column: "create_time", Type: filter.Timestamp},
			filter.Field{Name: "valid_until_time", Column: "valid_until_time", Type: filter.Timestamp},
			filter.Field{Name: "kind", Column: "kind", Type: filter.Enum, Values: card.Kinds},
			filter.Field{Name: "artisan", Column: "artisan", Type: filter.String},
		),
		Order: map[string]string{"valid_until_time": "valid_until_time"},
	}
	if payload != nil {
		spec.Payload = payload
	}
	return &Cards{Repo: store.NewRepo(store.NewTable(db, spec)), db: db}
}

// Get reads a card with its artisan's current state.
func (r *Cards) Get(ctx context.Context, n resource.Name) (*card.Card, error) {
	c, err := r.Repo.Get(ctx, n)
	if err != nil {
		return nil, err
	}
	return c, r.overlay(ctx, c)
}

// List lists cards with their artisans' current states.
func (r *Cards) List(ctx context.Context, q paging.ListQuery) (paging.Page[*card.Card], error) {
	p, err := r.Repo.List(ctx, q)
	if err != nil {
		return p, err
	}
	return p, r.overlay(ctx, p.Items...)
}

// Update changes a card and reads it back with its artisan's current state.
func (r *Cards) Update(ctx context.Context, n resource.Name, w change.Write, fn func(*card.Card) error) (*card.Card, error) {
	c, err := r.Repo.Update(ctx, n, w, fn)
	if err != nil {
		return nil, err
	}
	return c, r.overlay(ctx, c)
}

// ByCode finds a card by its verification code in any chamber (the code
// is unique), with its artisan's current state.
func (r *Cards) ByCode(ctx context.Context, code string) (*card.Card, error) {
	p, err := r.Repo.List(ctx, paging.ListQuery{Chamber: resource.Wildcard, PageSize: 1, Where: "code = ?", WhereArgs: []any{code}})
	if err != nil {
		return nil, err
	}
	if len(p.Items) == 0 {
		return nil, fault.NotFound("verifications/" + code)
	}
	return p.Items[0], r.overlay(ctx, p.Items[0])
}

// overlay replaces each card's artisan state with the latest one the
// registry's events recorded, when there is one.
func (r *Cards) overlay(ctx context.Context, cs ...*card.Card) error {
	for _, c := range cs {
		var state string
		err := r.db.SQL.QueryRowContext(ctx, r.db.Rebind("SELECT state FROM artisan_states WHERE artisan = ?"), c.Artisan).Scan(&state)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		default:
			c.ArtisanState = state
		}
	}
	return nil
}

// NoteState records an artisan's state read live at issue.
func (r *Cards) NoteState(ctx context.Context, artisan, state string, updated time.Time) error {
	return r.db.Tx(ctx, func(tx *sql.Tx) error { return SetArtisanState(ctx, r.db, tx, artisan, state, updated) })
}

// SetArtisanState records an artisan's register state at the artisan
// record's update time, inside the event consumer's transaction; an
// older state than the one held is ignored (events may arrive out of
// order after a retry).
func SetArtisanState(ctx context.Context, db *store.DB, tx *sql.Tx, artisan, state string, updated time.Time) error {
	_, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO artisan_states (artisan, state, update_time) VALUES (?, ?, ?)
ON CONFLICT (artisan) DO UPDATE SET state = excluded.state, update_time = excluded.update_time
WHERE artisan_states.update_time < excluded.update_time`), artisan, state, updated.UnixMicro())
	return err
}
