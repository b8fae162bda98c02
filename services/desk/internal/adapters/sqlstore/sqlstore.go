// Package sqlstore implements the desk repositories on PostgreSQL
// and SQLite through pkg/store: one code path, the dialect chosen by the
// database URL, with the service's migrations embedded per dialect.
package sqlstore

import (
	"context"
	"embed"
	"io/fs"

	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/desk/internal/domain/document"
	"github.com/hirfa/hirfa/services/desk/internal/domain/mediation"
	"github.com/hirfa/hirfa/services/desk/internal/domain/request"
)

//go:embed migrations
var migrations embed.FS

// Source is the service name written in outbox events.
const Source = "desk"

// EventType prefixes outbox event types.
const EventType = "hirfa.desk.v1."

// Migrate applies the platform and desk migrations.
func Migrate(ctx context.Context, db *store.DB) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	return store.Migrate(ctx, db, "desk", sub)
}

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
	types := make([]string, 0, len(request.Deadlines))
	for t := range request.Deadlines {
		types = append(types, string(t))
	}
	spec := store.Spec[R]{
		Table: "service_requests", Collection: request.Collection, Kind: "ServiceRequest", Source: Source, EventType: EventType,
		New: func() R { return &request.Request{} },
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
			filter.Field{Name: "type", Column: "type", Type: filter.Enum, Values: types},
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
		New: func() C { return &mediation.Case{} },
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
		New: func() D { return &document.Document{} },
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
