package report

import (
	"context"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/target"
)

// Achievements compares the artisans registered by the end of year with the
// targets of the scope (a chamber id or stats.Wildcard): per province, per
// region and in total.
func (b *Builder) Achievements(ctx context.Context, targets target.Repository, chamber string, year int) (target.Achievements, error) {
	if year < 2000 || year > 2100 {
		return target.Achievements{}, fault.Invalid("year", "year.range", "must be between 2000 and 2100, got %d", year)
	}
	sums, err := targets.Sums(ctx, chamber, year)
	if err != nil {
		return target.Achievements{}, err
	}
	achieved, err := b.Stats.Achieved(ctx, chamber, year)
	if err != nil {
		return target.Achievements{}, err
	}
	return target.Compute(sums, achieved, func(p string) string {
		pr, _ := b.Territory.Province(p)
		return pr.RegionID
	}), nil
}
