package app

import (
	"context"
	"strings"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/domain/namerequest"
	"github.com/hirfa/hirfa/services/registry/internal/domain/place"
)

// CreateCooperative records a cooperative being founded.
func (r *Registry) CreateCooperative(ctx context.Context, chamber string, c *cooperative.Cooperative, m Mutation) (*cooperative.Cooperative, error) {
	if err := r.access.Write(ctx, chamber, "chambers/"+chamber); err != nil {
		return nil, err
	}
	if err := r.newCooperative(ctx, chamber, resource.NewID(), c, r.repos.Activities); err != nil {
		return nil, err
	}
	out, err := r.repos.Cooperatives.Create(ctx, c, r.write(ctx, m, "Created"))
	if err == nil {
		r.heldNamesWritten(CooperativeHeld(out))
	}
	return out, err
}

// newCooperative makes c a FORMING cooperative of chamber with id and
// checks every rule of a new record: the single-record path and imports
// share it. The name certificate is not asked here: registration
// consumes it.
func (r *Registry) newCooperative(ctx context.Context, chamber, id string, c *cooperative.Cooperative, acts place.Activities) error {
	c.Chamber, c.ID, c.State, c.StateReason, c.NameCertificate = chamber, id, cooperative.Forming, "", ""
	return fault.Join(c.Validate(r.coops, r.now()), place.Check(ctx, r.terr, acts, chamber, c.Province, c.Activity, "cooperative"))
}

// GetCooperative reads one cooperative.
func (r *Registry) GetCooperative(ctx context.Context, n resource.Name) (*cooperative.Cooperative, error) {
	if err := r.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return r.repos.Cooperatives.Get(ctx, n)
}

// ListCooperatives lists a chamber's cooperatives, or all for national roles.
func (r *Registry) ListCooperatives(ctx context.Context, q paging.ListQuery) (paging.Page[*cooperative.Cooperative], error) {
	q, err := r.listScope(ctx, q)
	if err != nil {
		return paging.Page[*cooperative.Cooperative]{}, err
	}
	return r.repos.Cooperatives.List(ctx, q)
}

// UpdateCooperative applies patch and re-checks every rule.
func (r *Registry) UpdateCooperative(ctx context.Context, n resource.Name, m Mutation, patch func(*cooperative.Cooperative) error) (*cooperative.Cooperative, error) {
	if err := r.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	out, err := r.repos.Cooperatives.Update(ctx, n, r.write(ctx, m, "Updated"), resource.WithEtag(n.String(), m.Etag, func(c *cooperative.Cooperative) error {
		if err := patch(c); err != nil {
			return err
		}
		return fault.Join(c.Validate(r.coops, r.now()), r.place(ctx, n.Chamber, c.Province, c.Activity, "cooperative"))
	}))
	if err == nil {
		r.heldNamesWritten(CooperativeHeld(out))
	}
	return out, err
}

// DeleteCooperative deletes a cooperative that never got registered.
func (r *Registry) DeleteCooperative(ctx context.Context, n resource.Name, m Mutation) error {
	if err := r.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return err
	}
	err := r.repos.Cooperatives.Delete(ctx, n, r.write(ctx, m, "Deleted"), resource.WithEtag(n.String(), m.Etag, (*cooperative.Cooperative).CheckDelete))
	if err == nil {
		r.heldNamesWritten(deletedHeld(n.String()))
	}
	return err
}

// TransitionCooperative performs a lifecycle action; the event it records
// is the action's row of cooperative.Transitions.
func (r *Registry) TransitionCooperative(ctx context.Context, n resource.Name, action cooperative.Action, m Mutation) (*cooperative.Cooperative, error) {
	if err := r.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return r.repos.Cooperatives.Update(ctx, n, r.write(ctx, m, cooperative.Transitions.Event(action)), resource.WithEtag(n.String(), m.Etag, func(c *cooperative.Cooperative) error {
		return c.Apply(action, m.Reason)
	}))
}

// CertificateRegistrar registers a cooperative and consumes its name
// certificate in one transaction.
type CertificateRegistrar interface {
	// RegisterWithCertificate lets fn change the cooperative coop and the
	// request cert (locked), then writes both, each with its outbox event
	// and audit record, or neither; it returns both as written (the
	// request nil when w's request id was replayed: nothing was written).
	RegisterWithCertificate(ctx context.Context, coop, cert resource.Name, w, wCert change.Write,
		fn func(*cooperative.Cooperative, *namerequest.Request) error) (*cooperative.Cooperative, *namerequest.Request, error)
}

// RegisterCooperative registers a FORMING cooperative (its court clerk's
// local register number set) with the ODCO name certificate number: the
// certificate must be approved, unexpired, of the cooperative's chamber and
// for its name, and the registration consumes it (the request becomes
// CONSUMED, naming the cooperative) in the same transaction, so a failure
// leaves neither half. The cooperative's row also holds the number under a
// unique index, so a certificate founds one cooperative even if the
// request's row were bypassed.
func (r *Registry) RegisterCooperative(ctx context.Context, n resource.Name, number string, m Mutation) (*cooperative.Cooperative, error) {
	if err := r.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	w := r.write(ctx, m, cooperative.Transitions.Event(cooperative.Register))
	number = strings.TrimSpace(number)
	if number == "" {
		// Apply refuses as REGISTRATION_INCOMPLETE.
		return r.repos.Cooperatives.Update(ctx, n, w, resource.WithEtag(n.String(), m.Etag, func(c *cooperative.Cooperative) error {
			c.NameCertificate = ""
			return c.Apply(cooperative.Register, m.Reason)
		}))
	}
	cert, err := r.certificateOf(ctx, n.Chamber, number)
	if err != nil {
		return nil, err
	}
	used := m
	used.Etag, used.RequestID = "", "" // the cooperative's request id covers both
	wCert := r.write(ctx, used, namerequest.Transitions.Event(namerequest.Consume))
	certName := resource.Name{Chamber: cert.Chamber, Collection: namerequest.Collection, ID: cert.ID}
	out, consumed, err := r.repos.Registrations.RegisterWithCertificate(ctx, n, certName, w, wCert, func(c *cooperative.Cooperative, q *namerequest.Request) error {
		if err := c.CheckEtag(n.String(), m.Etag); err != nil {
			return err
		}
		c.NameCertificate = number
		if err := c.Apply(cooperative.Register, m.Reason); err != nil {
			return err
		}
		if err := q.Use(c.DisplayName.AR, c.DisplayName.FR, r.now()); err != nil {
			return err
		}
		return q.Consume(c.Name())
	})
	if err == nil && consumed != nil {
		// The certificate's reservation became the cooperative's name.
		r.heldNamesWritten(append(CooperativeHeld(out), RequestHeld(consumed)...))
	}
	return out, err
}
