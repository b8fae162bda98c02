package app

import (
	"context"

	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/services/registry/internal/domain/activity"
)

// CreateActivity adds an activity to the nomenclature (ministry only).
func (r *Registry) CreateActivity(ctx context.Context, a *activity.Activity, m Mutation) (*activity.Activity, error) {
	if err := r.access.ManageReference(ctx); err != nil {
		return nil, err
	}
	a.Sample = false
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return r.repos.Activities.Create(ctx, a, r.write(ctx, m, "Created"))
}

// GetActivity reads one activity (public).
func (r *Registry) GetActivity(ctx context.Context, code string) (*activity.Activity, error) {
	return r.repos.Activities.Get(ctx, code)
}

// ListActivities lists the nomenclature (public).
func (r *Registry) ListActivities(ctx context.Context, q paging.ListQuery) (paging.Page[*activity.Activity], error) {
	return r.repos.Activities.List(ctx, q)
}

// UpdateActivity changes an activity (ministry only).
func (r *Registry) UpdateActivity(ctx context.Context, code, etag string, m Mutation, patch func(*activity.Activity) error) (*activity.Activity, error) {
	if err := r.access.ManageReference(ctx); err != nil {
		return nil, err
	}
	return r.repos.Activities.Update(ctx, code, r.write(ctx, m, "Updated"), func(a *activity.Activity) error {
		if err := a.CheckEtag("activities/"+code, etag); err != nil {
			return err
		}
		if err := patch(a); err != nil {
			return err
		}
		a.ID = code
		return a.Validate()
	})
}

// LoadSampleNomenclature stores the demonstration sample of the
// nomenclature when the nomenclature is empty (first start), each activity
// flagged as sample. It changes nothing when any activity exists.
func (r *Registry) LoadSampleNomenclature(ctx context.Context, acts []*activity.Activity, m Mutation) error {
	page, err := r.repos.Activities.List(ctx, paging.ListQuery{PageSize: 1})
	if err != nil || len(page.Items) > 0 {
		return err
	}
	for _, a := range acts {
		a.Sample = true
		if err := a.Validate(); err != nil {
			return err
		}
		if _, err := r.repos.Activities.Create(ctx, a, r.write(ctx, m, "Created")); err != nil {
			return err
		}
	}
	return nil
}
