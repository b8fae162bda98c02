package sqlstore

import (
	"context"
	"database/sql"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/domain/namerequest"
)

// Registrations registers a cooperative and consumes its name certificate
// in one transaction: the cooperative's change, the request's change (→
// CONSUMED), both outbox events and both audit records commit together or
// not at all.
type Registrations struct {
	coops    *store.Table[*cooperative.Cooperative]
	requests *store.Table[*namerequest.Request]
	db       *store.DB
}

var _ app.CertificateRegistrar = (*Registrations)(nil)

// NewRegistrations returns the registrar over the two repositories.
func NewRegistrations(c *Cooperatives, q *NameRequests) *Registrations {
	return &Registrations{coops: c.T, requests: q.T, db: q.db}
}

// RegisterWithCertificate locks the certificate's request, then lets fn
// change the cooperative and the request, and writes both. w is the
// cooperative's write (its request id makes the call idempotent: a replay
// returns the cooperative as recorded, no request, and changes nothing);
// wCert is the request's, without a request id. Both are returned as
// written, for the name check.
func (r *Registrations) RegisterWithCertificate(ctx context.Context, coop, cert resource.Name, w, wCert change.Write,
	fn func(*cooperative.Cooperative, *namerequest.Request) error) (out *cooperative.Cooperative, consumed *namerequest.Request, err error) {
	var number string
	err = r.db.Tx(ctx, func(tx *sql.Tx) error {
		if v, ok, err := r.coops.Replayed(ctx, tx, coop.Chamber, w); err != nil || ok {
			out = v
			return err
		}
		// The certificate first: two registrations racing for it queue on
		// its row.
		q, err := r.requests.GetIn(ctx, tx, cert.Chamber, cert.ID, true)
		if err != nil {
			return err
		}
		if out, err = r.coops.UpdateIn(ctx, tx, coop.Chamber, coop.ID, w, func(c *cooperative.Cooperative) error {
			err := fn(c, q)
			number = c.NameCertificate
			return err
		}); err != nil {
			return err
		}
		consumed, err = r.requests.UpdateIn(ctx, tx, cert.Chamber, cert.ID, wCert, func(x *namerequest.Request) error {
			*x = *q
			return nil
		})
		return err
	})
	if err := certificateUsed(err, number); err != nil {
		return nil, nil, r.coops.Wrap("register", err)
	}
	return out, consumed, nil
}
