package stats

import (
	"errors"
	"testing"

	"github.com/hirfa/hirfa/pkg/fault"
)

func field(err error) string {
	var inv *fault.InvalidError
	if !errors.As(err, &inv) {
		return ""
	}
	return inv.Violations[0].Field
}

func TestRegisterQueryValidate(t *testing.T) {
	for _, c := range []struct {
		q    RegisterQuery
		want string
	}{
		{RegisterQuery{Type: "ARTISAN", GroupBy: []string{"province", "gender", "category"}}, ""},
		{RegisterQuery{Type: "ROBOT"}, "registrant_type"},
		{RegisterQuery{Type: "ARTISAN", GroupBy: []string{"region", "province", "state", "gender"}}, "group_by"},
		{RegisterQuery{Type: "ARTISAN", GroupBy: []string{"province", "colour"}}, "group_by[1]"},
		{RegisterQuery{Type: "ARTISAN", GroupBy: []string{"province", "province"}}, "group_by[1]"},
		{RegisterQuery{Type: "ASSOCIATION", GroupBy: []string{"activity"}}, "group_by[0]"},
	} {
		if got := field(c.q.Validate()); got != c.want {
			t.Errorf("%+v: field %q, want %q", c.q, got, c.want)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	max := DefaultLimits.MaxReportPeriod
	for _, c := range []struct{ s, e, want string }{
		{"2023-01-01", "2023-05-31", ""},
		{"2024-01-01", "2024-12-31", ""},         // a leap year is one period
		{"2023-01-01", "2024-01-01", ""},         // 366 days
		{"2023-01-01", "2024-01-02", "end_date"}, // 367 days
		{"2023-05-31", "2023-01-01", "end_date"},
		{"2023-13-01", "2023-12-31", "start_date"},
		{"2023-01-01", "31/05/2023", "end_date"},
	} {
		_, err := ParsePeriod(c.s, c.e, max)
		if got := field(err); got != c.want {
			t.Errorf("%s..%s: field %q, want %q (%v)", c.s, c.e, got, c.want, err)
		}
	}
}
