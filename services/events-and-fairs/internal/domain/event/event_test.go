package event

import (
	"errors"
	"testing"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
)

// places is a two-chamber territory for the rules.
type places map[string]string // province → chamber

func (p places) HasProvince(id string) bool { _, ok := p[id]; return ok }
func (p places) InChamber(chamber, province string) bool {
	return p[province] == chamber
}

var terr = places{"fes": "fes-meknes", "meknes": "fes-meknes", "safi": "marrakech-safi"}

func fair() *Event {
	e := &Event{Kind: Fair, Scope: Regional, Title: l10n.Text{FR: "Salon"}, StartDate: "2023-03-10", EndDate: "2023-03-19",
		Venue: Venue{Province: "fes"}, State: Planned}
	e.Chamber, e.ID = "fes-meknes", "e1"
	return e
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Event)
		field  string // "" = valid
	}{
		{"valid", func(*Event) {}, ""},
		{"one-day event", func(e *Event) { e.EndDate = e.StartDate }, ""},
		{"no kind", func(e *Event) { e.Kind = "" }, "event.kind"},
		{"unknown scope", func(e *Event) { e.Scope = "GALACTIC" }, "event.scope"},
		{"no title", func(e *Event) { e.Title = l10n.Text{} }, "event.title"},
		{"no end date", func(e *Event) { e.EndDate = "" }, "event.start_date"},
		{"ends before it starts", func(e *Event) { e.EndDate = "2023-03-09" }, "event.end_date"},
		{"not a calendar date", func(e *Event) { e.StartDate = "2023-13-01" }, "event.start_date"},
		{"unknown province", func(e *Event) { e.Venue.Province = "atlantis" }, "event.venue.province"},
		{"regional event elsewhere", func(e *Event) { e.Venue.Province = "safi" }, "event.venue.province"},
		{"national event elsewhere", func(e *Event) { e.Scope, e.Venue.Province = National, "safi" }, ""},
		{"quotas on a seminar", func(e *Event) { e.Kind, e.Fair.Quotas = Seminar, []QuotaRule{{Women, 2, Reserved}} }, "event.fair"},
		{"crafts on a meeting", func(e *Event) { e.Kind, e.Fair.Crafts = Meeting, []string{"F1"} }, "event.fair"},
		{"unknown criterion", func(e *Event) { e.Fair.Quotas = []QuotaRule{{"YOUTH", 2, Reserved}} }, "event.fair.quotas[0].criterion"},
		{"unknown limit", func(e *Event) { e.Fair.Quotas = []QuotaRule{{Women, 2, "SOME"}} }, "event.fair.quotas[0].limit"},
		{"negative quota", func(e *Event) { e.Fair.Quotas = []QuotaRule{{Women, -2, Reserved}} }, "event.fair.quotas[0].booths"},
		{"negative capacity", func(e *Event) { e.Capacity = -1 }, "event.capacity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := fair()
			tt.mutate(e)
			err := e.Validate(terr)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v", err)
				}
				return
			}
			var inv *fault.InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("Validate = %v, want InvalidError on %s", err, tt.field)
			}
			for _, v := range inv.Violations {
				if v.Field == tt.field {
					return
				}
			}
			t.Fatalf("violations %+v do not name %s", inv.Violations, tt.field)
		})
	}
}

func TestLifecycle(t *testing.T) {
	all := []State{Planned, OpenForApplications, ApplicationsClosed, Running, Ended, Evaluated, Cancelled}
	allowed := map[Action]map[State]State{
		OpenApplications:  {Planned: OpenForApplications},
		CloseApplications: {OpenForApplications: ApplicationsClosed},
		Start:             {Planned: Running, ApplicationsClosed: Running},
		End:               {Running: Ended},
		Cancel:            {Planned: Cancelled, OpenForApplications: Cancelled, ApplicationsClosed: Cancelled, Running: Cancelled},
		Evaluate:          {Ended: Evaluated},
	}
	for action, moves := range allowed {
		for _, from := range all {
			e := fair()
			e.State = from
			err := e.Apply(action, "r")
			to, ok := moves[from]
			switch {
			case ok && (err != nil || e.State != to):
				t.Errorf("%s from %s = %v, state %s; want %s", action, from, err, e.State, to)
			case !ok && (err == nil || e.State != from):
				t.Errorf("%s from %s allowed (state %s)", action, from, e.State)
			}
		}
	}
	e := fair()
	e.State = Ended
	if err := e.SetEvaluation(Evaluation{Visitors: 5}); err != nil || e.Evaluation.Visitors != 5 {
		t.Fatalf("SetEvaluation = %v", err)
	}
	for _, tt := range []struct {
		state  State
		reason string
	}{{Evaluated, "EVENT_EVALUATED"}, {Cancelled, "EVENT_CANCELLED"}} {
		e.State = tt.state
		var pe *fault.PreconditionError
		if err := e.CheckOpen(); !errors.As(err, &pe) || pe.Reason != tt.reason {
			t.Errorf("CheckOpen in %s = %v", tt.state, err)
		}
	}
	e.State = Running
	if err := e.CheckIn("X", "test", OpenForApplications); err == nil {
		t.Error("CheckIn outside the listed states passed")
	}
	if err := e.CheckIn("X", "test", Running); err != nil {
		t.Errorf("CheckIn in a listed state = %v", err)
	}
}

func TestAdmitsActivity(t *testing.T) {
	f := FairSettings{Crafts: []string{"F1.B02", "F1.B04.A02"}}
	for act, want := range map[string]bool{"F1.B02.A01": true, "F1.B02": true, "F1.B04.A02": true, "F1.B04.A01": false, "F1.B021.A01": false, "": false} {
		if got := f.AdmitsActivity(act); got != want {
			t.Errorf("AdmitsActivity(%q) = %v, want %v", act, got, want)
		}
	}
	if !(FairSettings{}).AdmitsActivity("F2.B01.A01") {
		t.Error("no crafts admits all")
	}
}

func TestEvaluationAdd(t *testing.T) {
	var tot Evaluation
	tot.Add(Evaluation{Exhibitors: 28, Visitors: 40_000, SalesCentimes: 1_00})
	tot.Add(Evaluation{Exhibitors: 27, Visitors: 25_000, SalesCentimes: 2_50})
	if tot.Exhibitors != 55 || tot.Visitors != 65_000 || tot.SalesCentimes != 3_50 {
		t.Fatalf("Add = %+v", tot)
	}
}

// Every action has one row with its event name, so the app layer never
// records an empty event.
func TestTransitionTable(t *testing.T) {
	if err := Transitions.Check(OpenApplications, CloseApplications, Start, End, Cancel, Evaluate); err != nil {
		t.Error(err)
	}
}
