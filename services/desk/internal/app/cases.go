package app

import (
	"context"
	"fmt"

	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/desk/internal/domain/mediation"
)

// CreateCase opens a mediation case (chamber admins, who assign its
// mediator).
func (a *App) CreateCase(ctx context.Context, chamber string, c *mediation.Case, m Mutation) (*mediation.Case, error) {
	if err := a.access.OpenMediation(ctx, chamber, "chambers/"+chamber); err != nil {
		return nil, err
	}
	c.Chamber, c.ID = chamber, resource.NewID()
	if err := c.Open(); err != nil {
		return nil, err
	}
	for i, p := range c.Parties {
		if p.Artisan == "" {
			continue
		}
		if err := a.registrants.Check(ctx, fmt.Sprintf("mediation_case.parties[%d].artisan", i), p.Artisan); err != nil {
			return nil, err
		}
	}
	return a.repos.Cases.Create(ctx, c, a.write(ctx, m, "Opened"))
}

// GetCase reads one case: the chamber's admins and its mediator only.
// Another caller gets NotFound, read or not, so existence does not leak.
func (a *App) GetCase(ctx context.Context, n resource.Name) (*mediation.Case, error) {
	if err := a.access.Mediate(ctx, n.Chamber, n.String(), ""); err != nil && !a.mediatorCandidate(ctx, n) {
		return nil, err
	}
	c, err := a.repos.Cases.Get(ctx, n)
	if err != nil {
		return nil, err
	}
	if err := a.access.Mediate(ctx, n.Chamber, n.String(), c.Mediator); err != nil {
		return nil, err
	}
	return c, nil
}

// mediatorCandidate reports whether the caller could be the case's
// mediator (a clerk of its chamber): only then is the case read to check.
func (a *App) mediatorCandidate(ctx context.Context, n resource.Name) bool {
	return a.access.Write(ctx, n.Chamber, n.String()) == nil
}

// ListCases lists a chamber's cases: all of them for its admins, the
// caller's own cases as mediator for a clerk.
func (a *App) ListCases(ctx context.Context, q paging.ListQuery) (paging.Page[*mediation.Case], error) {
	if err := a.access.Mediate(ctx, q.Chamber, "chambers/"+q.Chamber, ""); err != nil {
		if !a.mediatorCandidate(ctx, resource.Name{Chamber: q.Chamber}) {
			return paging.Page[*mediation.Case]{}, err
		}
		q.Where, q.WhereArgs = "mediator = ?", []any{a.access.Subject(ctx)}
	}
	return a.repos.Cases.List(ctx, q)
}

// updateCase changes a case the caller may see (admins and its mediator).
func (a *App) updateCase(ctx context.Context, n resource.Name, m Mutation, event string, fn func(*mediation.Case) error) (*mediation.Case, error) {
	if _, err := a.GetCase(ctx, n); err != nil {
		return nil, err
	}
	return a.repos.Cases.Update(ctx, n, a.write(ctx, m, event), resource.WithEtag(n.String(), m.Etag, fn))
}

// AddSession records a session of an open case.
func (a *App) AddSession(ctx context.Context, n resource.Name, m Mutation, s mediation.Session) (*mediation.Case, error) {
	return a.updateCase(ctx, n, m, "SessionAdded", func(c *mediation.Case) error { return c.AddSession(s, a.now()) })
}

// CloseCase closes an open case with its outcome.
func (a *App) CloseCase(ctx context.Context, n resource.Name, m Mutation, o mediation.Outcome, text string) (*mediation.Case, error) {
	return a.updateCase(ctx, n, m, "Closed", func(c *mediation.Case) error { return c.Close(o, text, a.now()) })
}
