package app

import (
	"context"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/registry/internal/domain/association"
	"github.com/hirfa/hirfa/services/registry/internal/domain/place"
)

// CreateAssociation records a declared association.
func (r *Registry) CreateAssociation(ctx context.Context, chamber string, a *association.Association, m Mutation) (*association.Association, error) {
	if err := r.access.Write(ctx, chamber, "chambers/"+chamber); err != nil {
		return nil, err
	}
	if err := r.newAssociation(chamber, resource.NewID(), a); err != nil {
		return nil, err
	}
	return r.repos.Associations.Create(ctx, a, r.write(ctx, m, "Created"))
}

// newAssociation makes a a DECLARED association of chamber with id and
// checks every rule of a new record: the single-record path and imports
// share it.
func (r *Registry) newAssociation(chamber, id string, a *association.Association) error {
	a.Chamber, a.ID, a.State, a.StateReason, a.StateActor = chamber, id, association.Declared, "", ""
	return fault.Join(a.Validate(r.now()), place.CheckProvince(r.terr, chamber, a.Province, "association"))
}

// GetAssociation reads one association.
func (r *Registry) GetAssociation(ctx context.Context, n resource.Name) (*association.Association, error) {
	if err := r.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return r.repos.Associations.Get(ctx, n)
}

// ListAssociations lists a chamber's associations, or all for national roles.
func (r *Registry) ListAssociations(ctx context.Context, q paging.ListQuery) (paging.Page[*association.Association], error) {
	q, err := r.listScope(ctx, q)
	if err != nil {
		return paging.Page[*association.Association]{}, err
	}
	return r.repos.Associations.List(ctx, q)
}

// UpdateAssociation applies patch and re-checks every rule.
func (r *Registry) UpdateAssociation(ctx context.Context, n resource.Name, m Mutation, patch func(*association.Association) error) (*association.Association, error) {
	if err := r.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return r.repos.Associations.Update(ctx, n, r.write(ctx, m, "Updated"), resource.WithEtag(n.String(), m.Etag, func(a *association.Association) error {
		if err := patch(a); err != nil {
			return err
		}
		return fault.Join(a.Validate(r.now()), place.CheckProvince(r.terr, n.Chamber, a.Province, "association"))
	}))
}

// TransitionAssociation performs a lifecycle action; the event it records
// is the action's row of association.Transitions.
func (r *Registry) TransitionAssociation(ctx context.Context, n resource.Name, action association.Action, m Mutation) (*association.Association, error) {
	if err := r.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	w := r.write(ctx, m, association.Transitions.Event(action))
	return r.repos.Associations.Update(ctx, n, w, resource.WithEtag(n.String(), m.Etag, func(a *association.Association) error {
		return a.ApplyBy(action, m.Reason, w.Actor.Subject)
	}))
}
