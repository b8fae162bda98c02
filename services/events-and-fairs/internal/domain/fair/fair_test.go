package fair

import (
	"errors"
	"testing"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
)

func reason(err error) string {
	var pe *fault.PreconditionError
	if errors.As(err, &pe) {
		return pe.Reason
	}
	if err != nil {
		return "other: " + err.Error()
	}
	return ""
}

func flags(women, rural, outside int, others int) []Flags {
	var fs []Flags
	for range women {
		fs = append(fs, Flags{Women: true})
	}
	for range rural {
		fs = append(fs, Flags{Rural: true})
	}
	for range outside {
		fs = append(fs, Flags{OutsideRegion: true})
	}
	for range others {
		fs = append(fs, Flags{})
	}
	return fs
}

// The chambers' own example: of 60 booths, 12 for women, 6 for rural
// artisans, 12 for artisans from outside the region.
var example = []event.QuotaRule{
	{Criterion: event.Women, Booths: 12, Limit: event.Reserved},
	{Criterion: event.Rural, Booths: 6, Limit: event.Reserved},
	{Criterion: event.OutsideRegion, Booths: 12, Limit: event.Maximum},
}

func TestCheckAccept(t *testing.T) {
	tests := []struct {
		name     string
		booths   int
		quotas   []event.QuotaRule
		accepted []Flags
		x        Flags
		want     string
	}{
		{"first of an empty fair", 60, example, nil, Flags{}, ""},
		{"no booths", 0, nil, nil, Flags{Women: true}, "BOOTHS_EXHAUSTED"},
		{"last booth", 3, nil, flags(0, 0, 0, 2), Flags{}, ""},
		{"one too many", 3, nil, flags(0, 0, 0, 3), Flags{Women: true}, "BOOTHS_EXHAUSTED"},
		{"12th from outside", 60, example, flags(0, 0, 11, 0), Flags{OutsideRegion: true}, ""},
		{"13th from outside", 60, example, flags(0, 0, 12, 0), Flags{OutsideRegion: true}, "QUOTA_EXCEEDED"},
		{"a local after 12 from outside", 60, example, flags(0, 0, 12, 0), Flags{}, ""},
		// 42 others accepted: 60-43 = 17 free after, 18 reserved unfilled.
		{"42nd other eats into the reservations", 60, example, flags(0, 0, 0, 42), Flags{}, "BOOTHS_RESERVED"},
		{"41st other leaves exactly the reservations", 60, example, flags(0, 0, 0, 41), Flags{}, ""},
		{"a woman fills her reservation", 60, example, flags(0, 0, 0, 42), Flags{Women: true}, ""},
		{"a rural artisan fills hers", 60, example, flags(0, 0, 0, 42), Flags{Rural: true}, ""},
		{"reservations filled, others welcome", 60, example, flags(12, 6, 0, 41), Flags{}, ""},
		{"the 60th booth goes to a woman beyond her reservation", 60, example, flags(30, 6, 0, 23), Flags{Women: true}, ""},
		{"no 61st", 60, example, flags(30, 6, 0, 24), Flags{Women: true}, "BOOTHS_EXHAUSTED"},
		{"rural woman from outside counts for all three", 60, example, flags(0, 0, 0, 0), Flags{Women: true, Rural: true, OutsideRegion: true}, ""},
		{"maximum of zero", 5, []event.QuotaRule{{Criterion: event.OutsideRegion, Booths: 0, Limit: event.Maximum}}, nil, Flags{OutsideRegion: true}, "QUOTA_EXCEEDED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := reason(Selection{Booths: tt.booths, Quotas: tt.quotas, Accepted: tt.accepted}.CheckAccept(tt.x))
			if got != tt.want {
				t.Errorf("CheckAccept = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAdmit(t *testing.T) {
	fair := &event.Event{Kind: event.Fair, Fair: event.FairSettings{Crafts: []string{"F1.B02", "F1.B04.A02"}}}
	fair.Chamber, fair.ID = "fes-meknes", "f1"
	tests := []struct {
		name string
		a    Applicant
		want string
	}{
		{"registered weaver", Applicant{Type: Artisan, Standing: Live, Activity: "F1.B02.A01"}, ""},
		{"zellige by exact code", Applicant{Type: Artisan, Standing: Live, Activity: "F1.B04.A02"}, ""},
		{"potter not admitted", Applicant{Type: Artisan, Standing: Live, Activity: "F1.B04.A01"}, "CRAFT_NOT_ADMITTED"},
		{"prefix is not a code", Applicant{Type: Artisan, Standing: Live, Activity: "F1.B021.A01"}, "CRAFT_NOT_ADMITTED"},
		{"association has no craft", Applicant{Type: Association, Standing: Live}, ""},
		{"not yet registered", Applicant{Type: Artisan, Standing: NotRegistered, Activity: "F1.B02.A01"}, "APPLICANT_NOT_REGISTERED"},
		{"struck off", Applicant{Type: Artisan, Standing: StruckOff, Activity: "F1.B02.A01"}, "APPLICANT_STRUCK_OFF"},
		{"dormant cooperative", Applicant{Type: Cooperative, Standing: Inactive, Activity: "F1.B02.A01"}, "APPLICANT_NOT_ACTIVE"},
	}
	for _, tt := range tests {
		if got := reason(tt.a.Admit(fair)); got != tt.want {
			t.Errorf("%s: Admit = %q, want %q", tt.name, got, tt.want)
		}
	}
	open := &event.Event{Kind: event.Fair}
	if err := (Applicant{Type: Artisan, Standing: Live, Activity: "F2.B01.A01"}).Admit(open); err != nil {
		t.Errorf("a fair without crafts admits every craft: %v", err)
	}
}

func TestExhibitorLifecycle(t *testing.T) {
	x := &Exhibitor{}
	x.Fill(Applicant{Name: "chambers/marrakech-safi/artisans/a1", Chamber: "marrakech-safi", Type: Artisan, Women: true}, "fes-meknes")
	x.Chamber, x.ID = "fes-meknes", "f1.x1"
	if !x.OutsideRegion || x.State != Applied || x.Name() != "chambers/fes-meknes/events/f1/exhibitors/x1" {
		t.Fatalf("filled %+v (%s)", x, x.Name())
	}
	if err := x.Allocate("b1"); reason(err) != "EXHIBITOR_NOT_ACCEPTED" {
		t.Fatalf("allocate before acceptance = %v", err)
	}
	if err := x.DeclareSales(10); reason(err) != "EXHIBITOR_NOT_ACCEPTED" {
		t.Fatalf("sales before acceptance = %v", err)
	}
	steps := []struct {
		action Action
		want   State
		ok     bool
	}{
		{Waitlist, Waitlisted, true},
		{Waitlist, Waitlisted, false},
		{Accept, Accepted, true},
		{Reject, Accepted, false},
	}
	for _, s := range steps {
		err := x.Apply(s.action, "")
		if (err == nil) != s.ok || x.State != s.want {
			t.Fatalf("%s: state %s, err %v", s.action, x.State, err)
		}
	}
	if err := x.Allocate("b1"); err != nil || x.BoothName() != "chambers/fes-meknes/events/f1/booths/b1" {
		t.Fatalf("allocate = %v, booth %q", err, x.BoothName())
	}
	if err := x.DeclareSales(-1); !fault.Is[*fault.InvalidError](err) {
		t.Fatalf("negative sales = %v", err)
	}
	if err := x.Apply(Withdraw, "malade"); err != nil || x.Booth != "" || x.StateReason != "malade" {
		t.Fatalf("withdraw = %v, %+v", err, x)
	}
}

func TestCheckDay(t *testing.T) {
	f := &event.Event{StartDate: "2023-03-10", EndDate: "2023-03-12"}
	for _, tt := range []struct {
		day      string
		visitors int64
		ok       bool
	}{{"2023-03-10", 0, true}, {"2023-03-12", 5000, true}, {"2023-03-09", 1, false}, {"2023-03-13", 1, false}, {"2023-02-30", 1, false}, {"2023-03-11", -1, false}, {"", 1, false}} {
		err := CheckDay(f, resourceDate(tt.day), tt.visitors)
		if (err == nil) != tt.ok {
			t.Errorf("CheckDay(%q, %d) = %v", tt.day, tt.visitors, err)
		}
	}
	if DayID("2023-03-10") != "20230310" {
		t.Error("DayID")
	}
}

func resourceDate(s string) resource.Date { return resource.Date(s) }

// Every action has one row with its event name, so the app layer never
// records an empty event.
func TestTransitionTable(t *testing.T) {
	if err := Transitions.Check(Accept, Reject, Waitlist, Withdraw); err != nil {
		t.Error(err)
	}
}
