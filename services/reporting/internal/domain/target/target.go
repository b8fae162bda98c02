// Package target is the territorial registration targets: how many
// artisans a province should have registered by the end of a year, and the
// achievement against them per province, region and nation.
package target

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
)

// Collection is the resource collection of targets.
const Collection = "registrationTargets"

// Target is a registration target of one province for one year. Its id is
// `{province}-{year}`.
type Target struct {
	resource.Meta
	Province string `json:"province"`
	Year     int    `json:"year"`
	Artisans int64  `json:"artisans"`
}

// ID is the id of the target of province for year.
func ID(province string, year int) string { return fmt.Sprintf("%s-%d", province, year) }

// Name is the target's resource name.
func (t *Target) Name() string {
	return resource.Name{Chamber: t.Chamber, Collection: Collection, ID: t.ID}.String()
}

// Places says which provinces exist and which chamber each belongs to.
type Places interface {
	InChamber(chamber, province string) bool
}

// Validate checks the target's rules; field names are the request's.
func (t *Target) Validate(places Places) error {
	var vs fault.Violations
	const p = "registration_target."
	if t.Province == "" {
		vs.Add(p+"province", "required", "is required")
	} else if !places.InChamber(t.Chamber, t.Province) {
		vs.Add(p+"province", "province.in_chamber", "province %q is not in the territory of chambers/%s", t.Province, t.Chamber)
	}
	if t.Year < 2000 || t.Year > 2100 {
		vs.Add(p+"year", "year.range", "must be between 2000 and 2100, got %d", t.Year)
	}
	if t.Artisans < 0 || t.Artisans > 10_000_000 {
		vs.Add(p+"artisans", "artisans.range", "must be between 0 and 10000000, got %d", t.Artisans)
	}
	return vs.Err()
}

// Repository stores targets.
type Repository interface {
	Create(ctx context.Context, t *Target, w change.Write) (*Target, error)
	Get(ctx context.Context, chamber, id string) (*Target, error)
	List(ctx context.Context, q paging.ListQuery) (paging.Page[*Target], error)
	Update(ctx context.Context, chamber, id string, w change.Write, fn func(*Target) error) (*Target, error)
	Delete(ctx context.Context, chamber, id string, w change.Write, fn func(*Target) error) error
	// Sums returns, for year, the target of each province of the scope
	// (chamber id or resource.Wildcard) that has one.
	Sums(ctx context.Context, chamber string, year int) (map[string]int64, error)
}

// Achievement is target against achievement for one area.
type Achievement struct {
	Level    string // "province", "region", "nation"
	Area     string // province or region id; "" for the nation
	Region   string
	Target   int64
	Achieved int64
}

// Percent is Achieved / Target × 100 rounded to one decimal, 0 without a target.
func (a Achievement) Percent() float64 {
	if a.Target <= 0 {
		return 0
	}
	return math.Round(float64(a.Achieved)*1000/float64(a.Target)) / 10
}

// Achievements is the progress of a scope for a year.
type Achievements struct {
	Provinces []Achievement
	Regions   []Achievement
	Total     Achievement
}

// Compute puts targets and registered artisans together: a province appears
// when it has a target; regions and the total sum their provinces (targets
// and achievements of the same provinces, so the percentages compare like
// with like). regionOf maps a province to its region.
func Compute(targets, achieved map[string]int64, regionOf func(string) string) Achievements {
	var out Achievements
	regions := map[string]*Achievement{}
	out.Total = Achievement{Level: "nation"}
	for p, t := range targets {
		r := regionOf(p)
		a := Achievement{Level: "province", Area: p, Region: r, Target: t, Achieved: achieved[p]}
		out.Provinces = append(out.Provinces, a)
		ra := regions[r]
		if ra == nil {
			ra = &Achievement{Level: "region", Area: r, Region: r}
			regions[r] = ra
		}
		ra.Target += t
		ra.Achieved += a.Achieved
		out.Total.Target += t
		out.Total.Achieved += a.Achieved
	}
	sort.Slice(out.Provinces, func(i, j int) bool {
		a, b := out.Provinces[i], out.Provinces[j]
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.Area < b.Area
	})
	for _, r := range regions {
		out.Regions = append(out.Regions, *r)
	}
	sort.Slice(out.Regions, func(i, j int) bool { return out.Regions[i].Area < out.Regions[j].Area })
	return out
}
