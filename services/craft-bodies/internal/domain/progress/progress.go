// Package progress is the roll-out of the craft bodies: how many bodies
// stand at each stage, grouped by province, region, craft or stage; which
// provinces lag behind the programmes' timelines; and what is due next.
package progress

import (
	"cmp"
	"slices"

	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/programme"
)

// GroupBy is the grouping of the counts.
type GroupBy string

// Groupings.
const (
	ByProvince GroupBy = "PROVINCE"
	ByRegion   GroupBy = "REGION"
	ByCraft    GroupBy = "CRAFT"
	ByStage    GroupBy = "STAGE"
)

// Body is what progress needs of a body.
type Body struct {
	Name      string
	Level     craftbody.Level
	Craft     string
	Province  string
	Region    string
	Stage     craftbody.Stage
	Programme string
	Phase     int
}

// Group is the counts of one group.
type Group struct {
	Key     string
	Total   int
	ByStage map[craftbody.Stage]int
}

// Lagging is a province with bodies past a due date.
type Lagging struct {
	Province      string
	Region        string
	Overdue       int
	OldestDueDate resource.Date
}

// NextDue is the next due date of a programme phase still pending.
type NextDue struct {
	Programme string
	Phase     int
	Stage     craftbody.Stage
	DueDate   resource.Date
	Pending   int
}

// Report is the roll-out as of a day.
type Report struct {
	AsOf    resource.Date
	GroupBy GroupBy
	Groups  []Group
	Lagging []Lagging
	NextDue []NextDue
}

func key(b Body, g GroupBy) string {
	switch g {
	case ByProvince:
		if b.Province == "" {
			return "-" // regional and national bodies have no province
		}
		return b.Province
	case ByRegion:
		if b.Region == "" {
			return "-"
		}
		return b.Region
	case ByCraft:
		return b.Craft
	}
	return string(b.Stage)
}

// Compute builds the report. programmes are the timelines the bodies refer
// to (by name); a body without a programme, or dissolved, is counted but is
// never overdue.
func Compute(bodies []Body, programmes map[string]*programme.Programme, g GroupBy, asOf resource.Date) Report {
	if g == "" {
		g = ByStage
	}
	r := Report{AsOf: asOf, GroupBy: g}
	groups := map[string]*Group{}
	type lag struct {
		Lagging
		bodies map[string]bool
	}
	lags := map[string]*lag{}
	type phaseKey struct {
		prog  string
		phase int
	}
	phases := map[phaseKey][]Body{}
	for _, b := range bodies {
		k := key(b, g)
		gr := groups[k]
		if gr == nil {
			gr = &Group{Key: k, ByStage: map[craftbody.Stage]int{}}
			groups[k] = gr
		}
		gr.Total++
		gr.ByStage[b.Stage]++
		if b.Stage == craftbody.Dissolved || b.Programme == "" {
			continue
		}
		phases[phaseKey{b.Programme, b.Phase}] = append(phases[phaseKey{b.Programme, b.Phase}], b)
		p := programmes[b.Programme]
		if p == nil {
			continue
		}
		ph, ok := p.Phase(b.Phase)
		if !ok || b.Province == "" {
			continue
		}
		for _, m := range ph.Milestones {
			if m.DueDate < asOf && !b.Stage.Reached(m.Stage) {
				l := lags[b.Province]
				if l == nil {
					l = &lag{Lagging: Lagging{Province: b.Province, Region: b.Region}, bodies: map[string]bool{}}
					lags[b.Province] = l
				}
				if !l.bodies[b.Name] {
					l.bodies[b.Name] = true
					l.Overdue++
				}
				if l.OldestDueDate == "" || m.DueDate < l.OldestDueDate {
					l.OldestDueDate = m.DueDate
				}
			}
		}
	}
	for _, gr := range groups {
		r.Groups = append(r.Groups, *gr)
	}
	slices.SortFunc(r.Groups, func(a, b Group) int {
		if g == ByStage {
			return cmp.Compare(stageOrder(a.Key), stageOrder(b.Key))
		}
		return cmp.Compare(a.Key, b.Key)
	})
	for _, l := range lags {
		r.Lagging = append(r.Lagging, l.Lagging)
	}
	slices.SortFunc(r.Lagging, func(a, b Lagging) int {
		return cmp.Or(cmp.Compare(b.Overdue, a.Overdue), cmp.Compare(a.OldestDueDate, b.OldestDueDate), cmp.Compare(a.Province, b.Province))
	})
	for pk, bs := range phases {
		p := programmes[pk.prog]
		if p == nil {
			continue
		}
		ph, ok := p.Phase(pk.phase)
		if !ok {
			continue
		}
		for _, m := range ph.Milestones {
			if m.DueDate < asOf {
				continue
			}
			pending := 0
			for _, b := range bs {
				if !b.Stage.Reached(m.Stage) {
					pending++
				}
			}
			if pending > 0 {
				r.NextDue = append(r.NextDue, NextDue{Programme: pk.prog, Phase: pk.phase, Stage: m.Stage, DueDate: m.DueDate, Pending: pending})
				break
			}
		}
	}
	slices.SortFunc(r.NextDue, func(a, b NextDue) int {
		return cmp.Or(cmp.Compare(a.DueDate, b.DueDate), cmp.Compare(a.Programme, b.Programme), cmp.Compare(a.Phase, b.Phase))
	})
	return r
}

// stageOrder sorts stage keys in founding order, Dissolved last.
func stageOrder(s string) int {
	if r := craftbody.Stage(s).Rank(); r >= 0 {
		return r
	}
	return len(craftbody.Stages)
}
