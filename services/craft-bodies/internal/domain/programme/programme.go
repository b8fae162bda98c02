// Package programme is a chamber's founding programme of the craft bodies:
// the phases the regional launch meeting fixes, each with its dates, the
// crafts it covers and the due date of each founding stage.
package programme

import (
	"context"
	"fmt"
	"slices"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
)

// Collection is the collection segment of programme names.
const Collection = "programmes"

// ReasonCraftNotInPhase: a body's craft is not one its phase covers.
const ReasonCraftNotInPhase = "CRAFT_NOT_IN_PHASE"

// Milestone is the day by which every body of the phase should reach Stage.
type Milestone struct {
	Stage   craftbody.Stage `json:"stage"`
	DueDate resource.Date   `json:"due_date"`
}

// Phase is one phase of the programme.
type Phase struct {
	Number     int           `json:"number"`
	Title      l10n.Text     `json:"title"`
	StartDate  resource.Date `json:"start_date"`
	EndDate    resource.Date `json:"end_date"`
	Crafts     []string      `json:"crafts"`
	Milestones []Milestone   `json:"milestones"`
}

// Programme is a founding programme.
type Programme struct {
	resource.Meta
	Title      l10n.Text     `json:"title"`
	LaunchDate resource.Date `json:"launch_date"`
	Phases     []Phase       `json:"phases"`
	// Demo marks a record the demo profile seeded (invented data); only
	// the seed sets it, and the API shows it.
	Demo bool `json:"demo,omitempty"`
}

// Name is the resource name.
func (p *Programme) Name() string {
	return resource.Name{Chamber: p.Chamber, Collection: Collection, ID: p.ID}.String()
}

func date(vs *fault.Violations, field string, d resource.Date) bool {
	if _, err := resource.ParseDate(field, string(d)); err != nil || d == "" {
		vs.Add(field, fault.RuleDate, "must be a calendar date YYYY-MM-DD, got %q", d)
		return false
	}
	return true
}

// Validate checks the timeline: phases numbered once each, starting on or
// after the launch and ending on or after they start, at least one craft,
// milestones in founding order with due dates that do not go back in time,
// inside the phase.
func (p *Programme) Validate() error {
	var vs fault.Violations
	p.Title.Require(&vs, "programme.title")
	launchOK := date(&vs, "programme.launch_date", p.LaunchDate)
	if len(p.Phases) == 0 {
		vs.Add("programme.phases", RulePhasesRequired, "a programme has at least one phase")
	}
	numbers := map[int]bool{}
	for i, ph := range p.Phases {
		f := fmt.Sprintf("programme.phases[%d]", i)
		if ph.Number < 1 {
			vs.Add(f+".number", RulePhaseNumber, "must be 1 or more")
		} else if numbers[ph.Number] {
			vs.Add(f+".number", RulePhaseNumberUnique, "phase %d is defined twice", ph.Number)
		}
		numbers[ph.Number] = true
		startOK, endOK := date(&vs, f+".start_date", ph.StartDate), date(&vs, f+".end_date", ph.EndDate)
		if startOK && endOK && ph.EndDate < ph.StartDate {
			vs.Add(f+".end_date", RulePhaseEndAfterStart, "ends %s before it starts %s", ph.EndDate, ph.StartDate)
		}
		if startOK && launchOK && ph.StartDate < p.LaunchDate {
			vs.Add(f+".start_date", RulePhaseAfterLaunch, "starts %s before the launch %s", ph.StartDate, p.LaunchDate)
		}
		if len(ph.Crafts) == 0 {
			vs.Add(f+".crafts", RulePhaseCrafts, "a phase covers at least one craft")
		}
		prevRank, prevDue := -1, resource.Date("")
		for j, m := range ph.Milestones {
			mf := fmt.Sprintf("%s.milestones[%d]", f, j)
			r := m.Stage.Rank()
			switch {
			case r <= 0:
				vs.Add(mf+".stage", RuleMilestoneStage, "must be a founding stage after PLANNED, got %q", m.Stage)
			case r <= prevRank:
				vs.Add(mf+".stage", RuleMilestoneOrder, "milestones follow the founding order")
			}
			if date(&vs, mf+".due_date", m.DueDate) {
				if m.DueDate < prevDue {
					vs.Add(mf+".due_date", RuleMilestoneDueOrder, "due %s before the previous stage's %s", m.DueDate, prevDue)
				}
				if startOK && endOK && (m.DueDate < ph.StartDate || m.DueDate > ph.EndDate) {
					vs.Add(mf+".due_date", RuleMilestoneInPhase, "due %s outside the phase %s – %s", m.DueDate, ph.StartDate, ph.EndDate)
				}
				prevDue = m.DueDate
			}
			prevRank = max(prevRank, r)
		}
	}
	return vs.Err()
}

// Phase returns the phase numbered n.
func (p *Programme) Phase(n int) (Phase, bool) {
	i := slices.IndexFunc(p.Phases, func(ph Phase) bool { return ph.Number == n })
	if i < 0 {
		return Phase{}, false
	}
	return p.Phases[i], true
}

// Covers reports whether the phase covers craft: the craft itself, or a
// branch it lies under (F1.B02 covers F1.B02.A01).
func (ph Phase) Covers(craft string) bool {
	for _, c := range ph.Crafts {
		if craft == c || (len(craft) > len(c) && craft[:len(c)+1] == c+".") {
			return true
		}
	}
	return false
}

// CheckBody says whether a body of craft may be founded under phase n.
func (p *Programme) CheckBody(n int, craft string) error {
	ph, ok := p.Phase(n)
	if !ok {
		return fault.Invalid("craft_body.phase", RulePhaseKnown, "%s has no phase %d", p.Name(), n)
	}
	if !ph.Covers(craft) {
		return &fault.PreconditionError{Reason: ReasonCraftNotInPhase,
			Msg:  fmt.Sprintf("phase %d of %s does not cover craft %s", n, p.Name(), craft),
			Meta: map[string]string{"programme": p.Name(), "phase": fmt.Sprint(n), "craft": craft}}
	}
	return nil
}

// Repository stores programmes.
type Repository interface {
	Create(ctx context.Context, p *Programme, w change.Write) (*Programme, error)
	Get(ctx context.Context, n resource.Name) (*Programme, error)
	List(ctx context.Context, q paging.ListQuery) (paging.Page[*Programme], error)
	Update(ctx context.Context, n resource.Name, w change.Write, fn func(*Programme) error) (*Programme, error)
}
