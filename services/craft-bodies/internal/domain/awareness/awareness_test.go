package awareness

import (
	"errors"
	"testing"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
)

// TestAwarenessMeetingsWhileInAwareness: meetings belong to the awareness
// and committee stages and link an event of the body's own chamber.
func TestAwarenessMeetingsWhileInAwareness(t *testing.T) {
	title := l10n.Text{AR: "لقاء تحسيسي", FR: "Réunion de sensibilisation"}
	cases := []struct {
		stage craftbody.Stage
		m     Meeting
		want  string
	}{
		{craftbody.Awareness, Meeting{Title: title, Date: "2025-12-05"}, ""},
		{craftbody.Committee, Meeting{Title: title, Date: "2025-12-05"}, ""},
		{craftbody.Planned, Meeting{Title: title, Date: "2025-12-05"}, ReasonNotInAwareness},
		{craftbody.CensusTaken, Meeting{Title: title, Date: "2025-12-05"}, ReasonNotInAwareness},
		{craftbody.Awareness, Meeting{Date: "2025-12-05"}, "required"},
		{craftbody.Awareness, Meeting{Title: title, Date: "05/12/2025"}, "date"},
		{craftbody.Awareness, Meeting{Title: title, Date: "2025-12-05", Capacity: -1}, "capacity.non_negative"},
	}
	for _, c := range cases {
		b := &craftbody.Body{Stage: c.stage}
		b.Chamber, b.ID = "fes-meknes", "b1"
		m := c.m
		err := Plan(b, &m)
		got := ""
		var pe *fault.PreconditionError
		var ie *fault.InvalidError
		switch {
		case errors.As(err, &pe):
			got = pe.Reason
		case errors.As(err, &ie):
			got = ie.Violations[0].Rule
		}
		if got != c.want {
			t.Errorf("%s %+v: %q, want %q", c.stage, c.m, got, c.want)
		}
	}
	b := &craftbody.Body{Stage: craftbody.Awareness}
	b.Chamber, b.ID = "fes-meknes", "b1"
	m := &Meeting{Body: b.Name(), MeetingID: "m1"}
	if err := m.Link(b, "chambers/marrakech-safi/events/e1"); err == nil {
		t.Fatal("linked another chamber's event")
	}
	if err := m.Link(b, "chambers/fes-meknes/events/e1"); err != nil || m.Event == "" {
		t.Fatalf("link: %v", err)
	}
	if m.Name() != "chambers/fes-meknes/craftBodies/b1/awarenessMeetings/m1" {
		t.Fatal(m.Name())
	}
}
