package programme

import (
	"errors"
	"testing"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
)

// fesMeknes is the programme of the regional meeting of 20 November 2025.
func fesMeknes() *Programme {
	p := &Programme{
		Title:      l10n.Text{AR: "برنامج تأسيس الهيئات الحرفية", FR: "Programme de constitution des corps de métiers"},
		LaunchDate: "2025-11-20",
		Phases: []Phase{{
			Number: 1, Title: l10n.Text{AR: "المرحلة الأولى", FR: "Phase 1"},
			StartDate: "2025-11-20", EndDate: "2026-06-30", Crafts: []string{"F1.B02", "F1.B04.A02"},
			Milestones: []Milestone{
				{craftbody.Awareness, "2025-12-31"}, {craftbody.Committee, "2026-01-31"},
				{craftbody.CensusTaken, "2026-02-28"}, {craftbody.Constituted, "2026-04-30"},
			},
		}},
	}
	p.Chamber, p.ID = "fes-meknes", "p1"
	return p
}

func rule(err error) string {
	var ie *fault.InvalidError
	var pe *fault.PreconditionError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ie):
		return ie.Violations[0].Rule
	case errors.As(err, &pe):
		return pe.Reason
	}
	return err.Error()
}

// TestProgrammeTimeline: phases and milestones follow the founding order in time.
func TestProgrammeTimeline(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Programme)
		want   string
	}{
		{"the launch meeting's phase 1", func(*Programme) {}, ""},
		{"no phase", func(p *Programme) { p.Phases = nil }, "phases.required"},
		{"phase before the launch", func(p *Programme) { p.Phases[0].StartDate = "2025-11-01" }, "phase.after_launch"},
		{"ends before it starts", func(p *Programme) { p.Phases[0].EndDate = "2025-11-19" }, "phase.end_after_start"},
		{"phase twice", func(p *Programme) { p.Phases = append(p.Phases, p.Phases[0]) }, "phase.number.unique"},
		{"no craft", func(p *Programme) { p.Phases[0].Crafts = nil }, "phase.crafts"},
		{"milestones out of order", func(p *Programme) {
			m := p.Phases[0].Milestones
			m[0], m[1] = m[1], m[0]
		}, "milestone.order"},
		{"due dates going back", func(p *Programme) { p.Phases[0].Milestones[2].DueDate = "2026-01-15" }, "milestone.due_order"},
		{"due after the phase", func(p *Programme) { p.Phases[0].Milestones[3].DueDate = "2026-07-15" }, "milestone.in_phase"},
		{"PLANNED is no milestone", func(p *Programme) { p.Phases[0].Milestones[0].Stage = craftbody.Planned }, "milestone.stage"},
		{"bad date", func(p *Programme) { p.LaunchDate = "20/11/2025" }, "date"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := fesMeknes()
			c.change(p)
			if got := rule(p.Validate()); got != c.want {
				t.Fatalf("got %q (%v), want %q", got, p.Validate(), c.want)
			}
		})
	}
}

// TestBodyCraftCoveredByItsPhase: a branch covers its activities, not the
// other way round.
func TestBodyCraftCoveredByItsPhase(t *testing.T) {
	p := fesMeknes()
	cases := []struct {
		phase int
		craft string
		want  string
	}{
		{1, "F1.B02", ""},
		{1, "F1.B02.A01", ""},
		{1, "F1.B04.A02", ""},
		{1, "F1.B04", ReasonCraftNotInPhase},
		{1, "F1.B021", ReasonCraftNotInPhase},
		{2, "F1.B02", "phase.known"},
	}
	for _, c := range cases {
		if got := rule(p.CheckBody(c.phase, c.craft)); got != c.want {
			t.Errorf("phase %d craft %s: %q, want %q", c.phase, c.craft, got, c.want)
		}
	}
}
