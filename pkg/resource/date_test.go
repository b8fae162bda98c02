package resource

import (
	"testing"
	"time"
)

// TestDateOf: the day in Morocco, an hour ahead of UTC, turns at 23:00 UTC.
func TestDateOf(t *testing.T) {
	for _, tt := range []struct {
		at   time.Time
		want Date
	}{
		{time.Date(2026, 3, 31, 22, 59, 0, 0, time.UTC), "2026-03-31"},
		{time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC), "2026-04-01"},
		{time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC), "2027-01-01"},
	} {
		if got := DateOf(tt.at); got != tt.want {
			t.Errorf("DateOf(%s) = %s, want %s", tt.at, got, tt.want)
		}
	}
}
