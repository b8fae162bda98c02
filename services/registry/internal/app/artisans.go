package app

import (
	"context"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/place"
)

// CreateArtisan records an application in the chamber's register.
func (r *Registry) CreateArtisan(ctx context.Context, chamber string, a *artisan.Artisan, m Mutation) (*artisan.Artisan, error) {
	if err := r.access.Write(ctx, chamber, "chambers/"+chamber); err != nil {
		return nil, err
	}
	if err := r.newArtisan(ctx, chamber, resource.NewID(), a, r.repos.Activities); err != nil {
		return nil, err
	}
	return r.repos.Artisans.Create(ctx, a, r.write(ctx, m, "Created"))
}

// newArtisan makes a an application of chamber with id and checks every
// rule of a new record: the single-record path and imports share it.
func (r *Registry) newArtisan(ctx context.Context, chamber, id string, a *artisan.Artisan, acts place.Activities) error {
	a.Chamber, a.ID, a.State, a.NIA, a.StateReason, a.RegisterTime = chamber, id, artisan.Applicant, "", "", nil
	return fault.Join(a.Validate(r.now()), place.Check(ctx, r.terr, acts, chamber, a.Province, a.Activity, "artisan"))
}

// GetArtisan reads one artisan. The name of a MERGED record answers with
// the record it was merged into (whose name differs from the one asked for,
// and whose merged_from lists it), so a name held elsewhere keeps working.
func (r *Registry) GetArtisan(ctx context.Context, n resource.Name) (*artisan.Artisan, error) {
	if err := r.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	a, err := r.repos.Artisans.Get(ctx, n)
	if err != nil {
		return nil, err
	}
	return r.successor(ctx, a, func(s resource.Name) error { return r.access.Read(ctx, s.Chamber, s.String()) })
}

// ListArtisans lists a chamber's artisans, or all for national roles.
func (r *Registry) ListArtisans(ctx context.Context, q paging.ListQuery) (paging.Page[*artisan.Artisan], error) {
	q, err := r.listScope(ctx, q)
	if err != nil {
		return paging.Page[*artisan.Artisan]{}, err
	}
	return r.repos.Artisans.List(ctx, q)
}

// UpdateArtisan applies patch (the update mask, done by the transport) to the
// current record, then re-checks every rule.
func (r *Registry) UpdateArtisan(ctx context.Context, n resource.Name, m Mutation, patch func(*artisan.Artisan) error) (*artisan.Artisan, error) {
	if err := r.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return r.repos.Artisans.Update(ctx, n, r.write(ctx, m, "Updated"), func(a *artisan.Artisan) error {
		if err := a.CheckEtag(n.String(), m.Etag); err != nil {
			return err
		}
		if err := a.CheckWritable(); err != nil {
			return err
		}
		if err := patch(a); err != nil {
			return err
		}
		return fault.Join(a.Validate(r.now()), r.place(ctx, n.Chamber, a.Province, a.Activity, "artisan"))
	})
}

// DeleteArtisan deletes an application that never entered the register.
func (r *Registry) DeleteArtisan(ctx context.Context, n resource.Name, m Mutation) error {
	if err := r.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return err
	}
	return r.repos.Artisans.Delete(ctx, n, r.write(ctx, m, "Deleted"), func(a *artisan.Artisan) error {
		if err := a.CheckEtag(n.String(), m.Etag); err != nil {
			return err
		}
		return a.CheckDelete()
	})
}

// TransitionArtisan performs a lifecycle action; the event it records is
// the action's row of artisan.Transitions. Registration assigns the next
// NIA of the chamber; the number is taken before the transaction so a
// failed registration leaves a gap rather than a reused number.
func (r *Registry) TransitionArtisan(ctx context.Context, n resource.Name, action artisan.Action, m Mutation) (*artisan.Artisan, error) {
	if err := r.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	var nia string
	if action == artisan.Register {
		// Check the state first so a doomed call burns no number.
		cur, err := r.repos.Artisans.Get(ctx, n)
		if err != nil {
			return nil, err
		}
		if cur.State == artisan.Applicant {
			if nia, err = r.niaFor(ctx, n.Chamber); err != nil {
				return nil, err
			}
		}
	}
	return r.repos.Artisans.Update(ctx, n, r.write(ctx, m, artisan.Transitions.Event(action)), func(a *artisan.Artisan) error {
		if err := a.CheckEtag(n.String(), m.Etag); err != nil {
			return err
		}
		if action == artisan.Register {
			return a.Register(nia, r.now())
		}
		return a.Apply(action, m.Reason)
	})
}
