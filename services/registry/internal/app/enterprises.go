package app

import (
	"context"
	"errors"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
	"github.com/hirfa/hirfa/services/registry/internal/domain/place"
)

// CreateEnterprise records an enterprise supervised by a registered artisan.
func (r *Registry) CreateEnterprise(ctx context.Context, chamber string, e *enterprise.Enterprise, m Mutation) (*enterprise.Enterprise, error) {
	if err := r.access.Write(ctx, chamber, "chambers/"+chamber); err != nil {
		return nil, err
	}
	if err := r.newEnterprise(ctx, chamber, resource.NewID(), e, r.repos.Activities, r.callerReads(ctx)); err != nil {
		return nil, err
	}
	return r.repos.Enterprises.Create(ctx, e, r.write(ctx, m, "Created"))
}

// newEnterprise makes e an ACTIVE enterprise of chamber with id and checks
// every rule of a new record: the single-record path and imports share it.
func (r *Registry) newEnterprise(ctx context.Context, chamber, id string, e *enterprise.Enterprise, acts place.Activities, visible func(resource.Name) error) error {
	e.Chamber, e.ID, e.State, e.StateReason = chamber, id, enterprise.Active, ""
	return r.checkEnterprise(ctx, chamber, e, acts, visible)
}

// callerReads is the visibility rule of the single-record path: what the
// caller may read.
func (r *Registry) callerReads(ctx context.Context) func(resource.Name) error {
	return func(n resource.Name) error { return r.access.Read(ctx, n.Chamber, n.String()) }
}

// checkEnterprise checks e's rules and its supervising artisan, who must
// be REGISTERED and visible (a name the writer may not read is answered as
// unknown, so it reveals nothing).
func (r *Registry) checkEnterprise(ctx context.Context, chamber string, e *enterprise.Enterprise, acts place.Activities, visible func(resource.Name) error) error {
	if err := fault.Join(e.Validate(), place.Check(ctx, r.terr, acts, chamber, e.Province, e.Activity, "enterprise")); err != nil {
		return err
	}
	n, err := resource.ParseName(e.SupervisingArtisan, artisan.Collection, "enterprise.supervising_artisan")
	if err != nil {
		return err
	}
	// The supervisor must be visible to the caller: naming another chamber's
	// artisan must not reveal whether it exists.
	if err := visible(n); err != nil {
		return fault.Invalid("enterprise.supervising_artisan", enterprise.RuleSupervisingArtisanUnknown, "%s is not a registered artisan", n)
	}
	a, err := r.repos.Artisans.Get(ctx, n)
	var nf *fault.NotFoundError
	if errors.As(err, &nf) {
		return fault.Invalid("enterprise.supervising_artisan", enterprise.RuleSupervisingArtisanUnknown, "%s is not a registered artisan", n)
	}
	if err != nil {
		return err
	}
	if a.State != artisan.Registered {
		return &fault.PreconditionError{Reason: enterprise.ReasonSupervisorNotRegistered,
			Msg:  n.String() + " is " + string(a.State) + ": the supervising artisan must be REGISTERED",
			Meta: map[string]string{"resource": n.String(), "state": string(a.State)}}
	}
	return nil
}

// GetEnterprise reads one enterprise.
func (r *Registry) GetEnterprise(ctx context.Context, n resource.Name) (*enterprise.Enterprise, error) {
	if err := r.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return r.repos.Enterprises.Get(ctx, n)
}

// ListEnterprises lists a chamber's enterprises, or all for national roles.
func (r *Registry) ListEnterprises(ctx context.Context, q paging.ListQuery) (paging.Page[*enterprise.Enterprise], error) {
	q, err := r.listScope(ctx, q)
	if err != nil {
		return paging.Page[*enterprise.Enterprise]{}, err
	}
	return r.repos.Enterprises.List(ctx, q)
}

// UpdateEnterprise applies patch and re-checks every rule.
func (r *Registry) UpdateEnterprise(ctx context.Context, n resource.Name, m Mutation, patch func(*enterprise.Enterprise) error) (*enterprise.Enterprise, error) {
	if err := r.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return r.repos.Enterprises.Update(ctx, n, r.write(ctx, m, "Updated"), resource.WithEtag(n.String(), m.Etag, func(e *enterprise.Enterprise) error {
		prev := e.SupervisingArtisan
		if err := patch(e); err != nil {
			return err
		}
		if e.SupervisingArtisan == prev {
			return fault.Join(e.Validate(), r.place(ctx, n.Chamber, e.Province, e.Activity, "enterprise"))
		}
		return r.checkEnterprise(ctx, n.Chamber, e, r.repos.Activities, r.callerReads(ctx))
	}))
}

// CloseEnterprise records that the enterprise stopped.
func (r *Registry) CloseEnterprise(ctx context.Context, n resource.Name, m Mutation) (*enterprise.Enterprise, error) {
	if err := r.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return r.repos.Enterprises.Update(ctx, n, r.write(ctx, m, enterprise.Transitions.Event(enterprise.Close)), resource.WithEtag(n.String(), m.Etag, func(e *enterprise.Enterprise) error {
		return e.Apply(enterprise.Close, m.Reason)
	}))
}
