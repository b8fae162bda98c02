package app

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/fault"
)

// fakeDead pages through ids as pkg/eventbus does: after is exclusive.
type fakeDead struct{ ids []string }

func (f fakeDead) DeadLetters(_ context.Context, after string, limit int) ([]eventbus.DeadLetter, string, error) {
	var out []eventbus.DeadLetter
	for _, id := range f.ids {
		if after == "" || streamIDLessForTest(after, id) {
			out = append(out, eventbus.DeadLetter{ID: id})
		}
	}
	if len(out) > limit {
		return out[:limit], out[limit-1].ID, nil
	}
	return out, "", nil
}

func (fakeDead) ReplayDeadLetter(context.Context, string) error { return nil }

func streamIDLessForTest(a, b string) bool {
	parse := func(s string) (ms, seq uint64) {
		m, q, _ := strings.Cut(s, "-")
		ms, _ = strconv.ParseUint(m, 10, 64)
		seq, _ = strconv.ParseUint(q, 10, 64)
		return ms, seq
	}
	am, as := parse(a)
	bm, bs := parse(b)
	return am < bm || am == bm && as < bs
}

func TestFindDeadLetter(t *testing.T) {
	a := &Reporting{Dead: fakeDead{ids: []string{"7-0", "7-3", "9-18446744073709551615", "10-0"}}}
	for _, id := range []string{"7-0", "7-3", "9-18446744073709551615", "10-0"} {
		d, err := a.findDeadLetter(context.Background(), id)
		if err != nil || d.ID != id {
			t.Errorf("findDeadLetter(%q) = %q, %v; want it found", id, d.ID, err)
		}
	}
	for _, id := range []string{"7-1", "8-0", "11-0", "0-0", "7", "x-1", "-1", ""} {
		_, err := a.findDeadLetter(context.Background(), id)
		var nf *fault.NotFoundError
		if !errors.As(err, &nf) {
			t.Errorf("findDeadLetter(%q) err = %v, want not found", id, err)
		}
	}
}
