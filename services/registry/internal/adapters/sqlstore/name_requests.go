package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/domain/namerequest"
)

// NameRequests is the name request repository.
type NameRequests struct {
	store.Repo[*namerequest.Request]
	db *store.DB
}

var _ namerequest.Repository = (*NameRequests)(nil)

// NewNameRequests returns the name request repository on db.
func NewNameRequests(db *store.DB, p func(*namerequest.Request) proto.Message) *NameRequests {
	type R = *namerequest.Request
	t := store.NewTable(db, store.Spec[R]{
		Table: "name_requests", Collection: namerequest.Collection, Kind: "NameRequest", Source: Source, EventType: EventType,
		New:     func() R { return &namerequest.Request{} },
		Payload: p,
		Record:  nameRequestRecord,
		Columns: []store.Column[R]{
			{Name: "state", Value: func(r R) any { return string(r.State) }},
			{Name: "due_time", Value: func(r R) any { return store.Micros(r.DueTime) }},
			{Name: "certificate", Value: func(r R) any {
				if r.Certificate == "" {
					return nil // many requests without one
				}
				return r.Certificate
			}},
		},
		Filter: filter.NewSchema(
			filter.Field{Name: "create_time", Column: "create_time", Type: filter.Timestamp},
			filter.Field{Name: "update_time", Column: "update_time", Type: filter.Timestamp},
			filter.Field{Name: "due_time", Column: "due_time", Type: filter.Timestamp},
			filter.Field{Name: "state", Column: "state", Type: filter.Enum, Values: []string{
				string(namerequest.Pending), string(namerequest.Approved), string(namerequest.Rejected),
				string(namerequest.Withdrawn), string(namerequest.Consumed)}},
			filter.Field{Name: "certificate", Column: "certificate", Type: filter.String},
		),
		Order: map[string]string{"due_time": "due_time"},
	})
	return &NameRequests{Repo: store.NewRepo(t), db: db}
}

// ByCertificate finds the request that was given a certificate number, in
// any chamber.
func (r *NameRequests) ByCertificate(ctx context.Context, number string) (*namerequest.Request, error) {
	var chamber, id string
	err := r.db.SQL.QueryRowContext(ctx, r.db.Rebind("SELECT chamber, id FROM name_requests WHERE certificate = ?"), number).Scan(&chamber, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &fault.PreconditionError{Reason: namerequest.ReasonCertificateUnknown, Msg: "no approved certificate " + number,
			Meta: map[string]string{"certificate": number}}
	}
	if err != nil {
		return nil, wrapf("find certificate", err)
	}
	return r.T.Get(ctx, chamber, id)
}

// NextCertificate increments the year's certificate sequence in its own
// transaction, so a number is never handed out twice (a decision that then
// fails leaves a gap, as the NIA sequence does).
func (r *NameRequests) NextCertificate(ctx context.Context, year int) (int, error) {
	var last int
	err := r.db.Tx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, r.db.Rebind(`INSERT INTO name_certificate_sequences (year, last) VALUES (?, 1)
			ON CONFLICT (year) DO UPDATE SET last = name_certificate_sequences.last + 1 RETURNING last`), year).Scan(&last)
	})
	return last, wrapf("next certificate", err)
}
