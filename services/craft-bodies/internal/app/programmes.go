package app

import (
	"context"

	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/programme"
)

// CreateProgramme records a chamber's founding programme.
func (a *CraftBodies) CreateProgramme(ctx context.Context, chamber string, p *programme.Programme, m Mutation) (*programme.Programme, error) {
	if err := a.access.Write(ctx, chamber, "chambers/"+chamber); err != nil {
		return nil, err
	}
	p.Chamber, p.ID = chamber, resource.NewID()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return a.repos.Programmes.Create(ctx, p, a.write(ctx, m, "Created"))
}

// GetProgramme reads one programme.
func (a *CraftBodies) GetProgramme(ctx context.Context, n resource.Name) (*programme.Programme, error) {
	if err := a.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.repos.Programmes.Get(ctx, n)
}

// ListProgrammes lists a chamber's programmes, or all for national roles.
func (a *CraftBodies) ListProgrammes(ctx context.Context, q paging.ListQuery) (paging.Page[*programme.Programme], error) {
	q, err := a.listScope(ctx, q)
	if err != nil {
		return paging.Page[*programme.Programme]{}, err
	}
	return a.repos.Programmes.List(ctx, q)
}

// UpdateProgramme applies patch and re-checks the timeline.
func (a *CraftBodies) UpdateProgramme(ctx context.Context, n resource.Name, m Mutation, patch func(*programme.Programme) error) (*programme.Programme, error) {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.repos.Programmes.Update(ctx, n, a.write(ctx, m, "Updated"), resource.WithEtag(n.String(), m.Etag, func(p *programme.Programme) error {
		if err := patch(p); err != nil {
			return err
		}
		return p.Validate()
	}))
}
