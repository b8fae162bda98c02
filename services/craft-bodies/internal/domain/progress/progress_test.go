package progress

import (
	"fmt"
	"testing"

	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/programme"
)

const prog = "chambers/fes-meknes/programmes/p1"

func timeline() map[string]*programme.Programme {
	p := &programme.Programme{LaunchDate: "2025-11-20", Phases: []programme.Phase{{
		Number: 1, StartDate: "2025-11-20", EndDate: "2026-06-30", Crafts: []string{"F1.B02"},
		Milestones: []programme.Milestone{
			{Stage: craftbody.Awareness, DueDate: "2025-12-31"},
			{Stage: craftbody.Committee, DueDate: "2026-01-31"},
			{Stage: craftbody.Constituted, DueDate: "2026-04-30"},
		},
	}}}
	return map[string]*programme.Programme{prog: p}
}

func b(id, province, region, craft string, st craftbody.Stage) Body {
	return Body{Name: "chambers/" + region + "/craftBodies/" + id, Level: craftbody.Provincial, Craft: craft, Province: province,
		Region: region, Stage: st, Programme: prog, Phase: 1}
}

var bodies = []Body{
	b("b1", "fes", "fes-meknes", "F1.B02.A01", craftbody.Constituted),
	b("b2", "meknes", "fes-meknes", "F1.B02.A01", craftbody.Committee),
	b("b3", "taounate", "fes-meknes", "F1.B02.A01", craftbody.Planned),
	b("b4", "taounate", "fes-meknes", "F1.B02.A02", craftbody.Awareness),
	b("b5", "sefrou", "fes-meknes", "F1.B02.A02", craftbody.AssemblyConvened),
	b("b6", "fes", "fes-meknes", "F1.B02.A02", craftbody.Dissolved),
	{Name: "chambers/marrakech-safi/craftBodies/b7", Level: craftbody.Provincial, Craft: "F1.B02.A01", Province: "marrakech", Region: "marrakech-safi", Stage: craftbody.Awareness},
}

func counts(gs []Group) string {
	s := ""
	for _, g := range gs {
		s += fmt.Sprintf("%s=%d;", g.Key, g.Total)
	}
	return s
}

// TestProgressCountsPerStagePerGroup: every body counted once in its group,
// by stage.
func TestProgressCountsPerStagePerGroup(t *testing.T) {
	cases := []struct {
		g    GroupBy
		want string
	}{
		{ByStage, "PLANNED=1;AWARENESS=2;COMMITTEE=1;ASSEMBLY_CONVENED=1;CONSTITUTED=1;DISSOLVED=1;"},
		{ByProvince, "fes=2;marrakech=1;meknes=1;sefrou=1;taounate=2;"},
		{ByRegion, "fes-meknes=6;marrakech-safi=1;"},
		{ByCraft, "F1.B02.A01=4;F1.B02.A02=3;"},
		{"", "PLANNED=1;AWARENESS=2;COMMITTEE=1;ASSEMBLY_CONVENED=1;CONSTITUTED=1;DISSOLVED=1;"},
	}
	for _, c := range cases {
		t.Run(string(c.g), func(t *testing.T) {
			r := Compute(bodies, timeline(), c.g, "2026-01-10")
			if got := counts(r.Groups); got != c.want {
				t.Fatalf("got %s, want %s", got, c.want)
			}
		})
	}
	r := Compute(bodies, timeline(), ByProvince, "2026-01-10")
	if r.Groups[0].ByStage[craftbody.Constituted] != 1 || r.Groups[0].ByStage[craftbody.Dissolved] != 1 {
		t.Fatalf("fes by stage %v", r.Groups[0].ByStage)
	}
}

// TestLaggingProvincesAndNextDueFromTheTimeline: a body past a due date
// without its stage makes its province lag; the next due date is the first
// one ahead with bodies still short of it.
func TestLaggingProvincesAndNextDueFromTheTimeline(t *testing.T) {
	cases := []struct {
		asOf    resource.Date
		lagging string
		next    string
	}{
		// Before any due date: no one lags; awareness is due for b3.
		{"2025-12-01", "", "AWARENESS 2025-12-31 pending 1"},
		// After awareness's date: taounate's b3 lags.
		{"2026-01-10", "taounate:1@2025-12-31;", "COMMITTEE 2026-01-31 pending 2"},
		// After the committee's date: taounate's two bodies lag the most.
		{"2026-02-10", "taounate:2@2025-12-31;", "CONSTITUTED 2026-04-30 pending 4"},
		// After constitution was due: every unconstituted province lags.
		{"2026-05-01", "taounate:2@2025-12-31;meknes:1@2026-04-30;sefrou:1@2026-04-30;", ""},
	}
	for _, c := range cases {
		t.Run(string(c.asOf), func(t *testing.T) {
			r := Compute(bodies, timeline(), ByStage, c.asOf)
			lag := ""
			for _, l := range r.Lagging {
				lag += fmt.Sprintf("%s:%d@%s;", l.Province, l.Overdue, l.OldestDueDate)
			}
			if lag != c.lagging {
				t.Fatalf("lagging %s, want %s", lag, c.lagging)
			}
			next := ""
			if len(r.NextDue) > 0 {
				n := r.NextDue[0]
				next = fmt.Sprintf("%s %s pending %d", n.Stage, n.DueDate, n.Pending)
			}
			if next != c.next || len(r.NextDue) > 1 {
				t.Fatalf("next %q (%v), want %q", next, r.NextDue, c.next)
			}
		})
	}
}
