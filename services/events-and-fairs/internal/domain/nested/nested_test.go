package nested

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/fault"
)

func TestParseAndRender(t *testing.T) {
	tests := []struct {
		in      string
		want    Name
		wantErr bool
	}{
		{"chambers/fes-meknes/events/e1/booths/b2", Name{"fes-meknes", "events", "e1", "booths", "b2"}, false},
		{"chambers/fes-meknes/events/e1/booths/", Name{}, true},
		{"chambers/fes-meknes/events/e1/exhibitors/b2", Name{}, true},
		{"chambers/fes-meknes/events/E1/booths/b2", Name{}, true},
		{"chambers/fes-meknes/events/e1/booths/b2/x", Name{}, true},
		{"chambers/fes-meknes/events/e1/booths/b.2", Name{}, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in, "events", "booths", "name")
		if tt.wantErr {
			if !fault.Is[*fault.InvalidError](err) {
				t.Errorf("Parse(%q) error = %v, want InvalidArgument", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			continue
		}
		if got.String() != tt.in {
			t.Errorf("String() = %q, want %q", got.String(), tt.in)
		}
		if back := FromKey(got.Chamber, "events", "booths", got.Key()); back != got {
			t.Errorf("FromKey(Key()) = %+v, want %+v", back, got)
		}
		if r := Render("events", "booths")(got.Chamber, got.Key()); r != tt.in {
			t.Errorf("Render = %q, want %q", r, tt.in)
		}
	}
}
