package app

import (
	"context"

	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/programme"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/progress"
)

// GetProgress reads every body of the scope (a chamber, or chambers/- for
// national roles) with the programmes they are founded under, and computes
// the roll-out as of asOf (today when empty).
func (a *CraftBodies) GetProgress(ctx context.Context, scope string, g progress.GroupBy, level craftbody.Level, asOf resource.Date) (progress.Report, error) {
	chamber, err := a.access.ListScope(ctx, scope)
	if err != nil {
		return progress.Report{}, err
	}
	if asOf == "" {
		asOf = a.today()
	}
	q := paging.ListQuery{Chamber: chamber, PageSize: 1000}
	if level != "" {
		q.Where, q.WhereArgs = "level = ?", []any{string(level)}
	}
	var bodies []progress.Body
	progs := map[string]*programme.Programme{}
	for {
		page, err := a.repos.Bodies.List(ctx, q)
		if err != nil {
			return progress.Report{}, err
		}
		for _, b := range page.Items {
			bodies = append(bodies, progress.Body{Name: b.Name(), Level: b.Level, Craft: b.Craft, Province: b.Province,
				Region: b.Region, Stage: b.Stage, Programme: b.Programme, Phase: b.Phase})
			if b.Programme == "" {
				continue
			}
			if _, seen := progs[b.Programme]; seen {
				continue
			}
			pn, err := resource.ParseName(b.Programme, programme.Collection, "programme")
			if err != nil {
				return progress.Report{}, err
			}
			p, err := a.repos.Programmes.Get(ctx, pn)
			if err != nil {
				return progress.Report{}, err
			}
			progs[b.Programme] = p
		}
		if page.NextPageToken == "" {
			break
		}
		q.PageToken = page.NextPageToken
	}
	return progress.Compute(bodies, progs, g, asOf), nil
}
