package constitutive

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
)

const body = "chambers/fes-meknes/craftBodies/b1"

func roll(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("chambers/fes-meknes/artisans/m%02d", i+1)
	}
	return out
}

func reason(err error) string {
	var pe *fault.PreconditionError
	var ie *fault.InvalidError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &pe):
		return pe.Reason
	case errors.As(err, &ie):
		return ie.Violations[0].Rule
	}
	return err.Error()
}

func convene(t *testing.T, n int, s craftbody.Settings) *Assembly {
	t.Helper()
	a, err := Convene(body, roll(n), roll(n)[0], s, "2026-01-15", "Fès, siège de la chambre")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestAssemblyRollIsTheCensusSnapshot: the roll is the census, each member
// once; attendance outside the roll is refused and changes nothing.
func TestAssemblyRollIsTheCensusSnapshot(t *testing.T) {
	r := roll(3)
	a, err := Convene(body, []string{r[2], r[0], r[1], r[0]}, r[0], craftbody.DefaultSettings(), "2026-01-15", "Fès")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(a.Roll) != fmt.Sprint(r) {
		t.Fatalf("roll %v", a.Roll)
	}
	if got := reason(a.RecordAttendance([]string{r[0], "chambers/fes-meknes/artisans/outsider"}, nil)); got != "roll.member" {
		t.Fatalf("outsider = %q", got)
	}
	if len(a.Current().Present) != 0 {
		t.Fatal("a refused attendance recorded someone")
	}
	if _, err := Convene(body, nil, "", craftbody.DefaultSettings(), "2026-01-15", "Fès"); reason(err) != ReasonEmptyRoll {
		t.Fatalf("empty roll = %v", err)
	}
	if _, err := Convene(body, r, r[0], craftbody.DefaultSettings(), "15/01/2026", ""); reason(err) != "date" {
		t.Fatalf("bad date = %v", err)
	}
}

// TestQuorumCheckedBySettingsThenSecondConvocation: the chair's check is
// recorded met or not; a failure waits for a second convocation with the
// lower quorum; attendance starts afresh.
func TestQuorumCheckedBySettingsThenSecondConvocation(t *testing.T) {
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	third := craftbody.DefaultSettings()
	third.Quorum = craftbody.Quorum{Numerator: 1, Denominator: 2, SecondNumerator: 1, SecondDenominator: 4, SecondMinimum: 3}
	cases := []struct {
		name     string
		settings craftbody.Settings
		members  int
		first    int // present on first convocation
		second   int // present on second, -1 when no second
		wantMet  []bool
		required []int
	}{
		{"half of 82 is 41", craftbody.DefaultSettings(), 82, 41, -1, []bool{true}, []int{41}},
		{"40 of 82 fails, second has no quorum", craftbody.DefaultSettings(), 82, 40, 0, []bool{false, true}, []int{41, 0}},
		{"second convocation quarter with minimum 3", third, 20, 9, 5, []bool{false, true}, []int{10, 5}},
		{"second convocation below its quorum", third, 20, 9, 4, []bool{false, false}, []int{10, 5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := convene(t, c.members, c.settings)
			if err := a.RecordAttendance(roll(c.members)[:c.first], nil); err != nil {
				t.Fatal(err)
			}
			res, err := a.CheckQuorum(now)
			if err != nil || res.Met != c.wantMet[0] || res.Required != c.required[0] || a.Convocations[0].Quorum == nil {
				t.Fatalf("first: %+v %v", res, err)
			}
			if c.second < 0 {
				return
			}
			if a.State != QuorumFailed {
				t.Fatalf("state %s", a.State)
			}
			if got := reason(a.RecordAttendance(roll(c.members)[:1], nil)); got != ReasonAssemblyState {
				t.Fatalf("attendance after failure = %q", got)
			}
			if got := reason(a.Reconvene("2026-01-10", "")); got != "date.after_previous" {
				t.Fatalf("earlier second convocation = %q", got)
			}
			if err := a.Reconvene("2026-01-29", ""); err != nil {
				t.Fatal(err)
			}
			if a.Current().Number != assembly.SecondConvocation || len(a.Current().Present) != 0 || a.Current().Venue == "" {
				t.Fatalf("second convocation %+v", a.Current())
			}
			if err := a.RecordAttendance(roll(c.members)[:c.second], nil); err != nil {
				t.Fatal(err)
			}
			res, err = a.CheckQuorum(now)
			if err != nil || res.Met != c.wantMet[1] || res.Required != c.required[1] {
				t.Fatalf("second: %+v %v", res, err)
			}
			if len(a.Convocations) != 2 || a.Convocations[0].Quorum.Met {
				t.Fatal("the failed first convocation must stay recorded")
			}
		})
	}
	a := convene(t, 4, craftbody.DefaultSettings())
	if got := reason(a.Reconvene("2026-02-01", "")); got != ReasonAssemblyState {
		t.Fatalf("reconvene before any failure = %q", got)
	}
}

// TestStatutesOneVotePerMemberMajorityAndTieRule: only present members of
// the roll vote, once; absolute majority of votes cast; ties by the setting.
func TestStatutesOneVotePerMemberMajorityAndTieRule(t *testing.T) {
	r := roll(6)
	open := func(t *testing.T, s craftbody.Settings, present int) *Assembly {
		a := convene(t, 6, s)
		if err := a.RecordAttendance(r[:present], nil); err != nil {
			t.Fatal(err)
		}
		if res, err := a.CheckQuorum(time.Now()); err != nil || !res.Met {
			t.Fatalf("quorum %v %v", res, err)
		}
		return a
	}
	a := open(t, craftbody.DefaultSettings(), 5)
	refusals := []struct {
		member string
		want   string
	}{
		{"chambers/fes-meknes/artisans/zz", ReasonNotOnRoll},
		{r[5], ReasonNotPresent},
	}
	for _, x := range refusals {
		if got := reason(a.CastStatutesVote(x.member, assembly.For)); got != x.want {
			t.Fatalf("%s = %q, want %q", x.member, got, x.want)
		}
	}
	if err := a.CastStatutesVote(r[1], assembly.For); err != nil {
		t.Fatal(err)
	}
	if got := reason(a.CastStatutesVote(r[1], assembly.Against)); got != ReasonAlreadyVoted {
		t.Fatalf("second vote = %q", got)
	}
	if a.Statutes.Votes[r[1]] != assembly.For {
		t.Fatal("the first vote must be kept")
	}

	cases := []struct {
		name     string
		settings func(*craftbody.Settings)
		votes    []assembly.Choice // by r[0] (the chair) … r[4]
		want     VoteState
		tie      bool
	}{
		{"majority of votes cast, abstentions aside", nil, []assembly.Choice{assembly.For, assembly.For, assembly.Against, assembly.Abstain, assembly.Abstain}, Adopted, false},
		{"tie won by the chair's side", nil, []assembly.Choice{assembly.For, assembly.For, assembly.Against, assembly.Against}, Adopted, true},
		{"tie lost with the chair against", nil, []assembly.Choice{assembly.Against, assembly.For, assembly.For, assembly.Against}, Rejected, true},
		{"tie rejected by setting", func(s *craftbody.Settings) { s.TieBreak = assembly.TieRejected }, []assembly.Choice{assembly.For, assembly.For, assembly.Against, assembly.Against}, Rejected, true},
		{"abstentions counted by setting", func(s *craftbody.Settings) { s.AbstentionsCount = true }, []assembly.Choice{assembly.For, assembly.For, assembly.Against, assembly.Abstain, assembly.Abstain}, Rejected, false},
		{"no votes cast", nil, nil, Rejected, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := craftbody.DefaultSettings()
			if c.settings != nil {
				c.settings(&s)
			}
			a := open(t, s, 5)
			for i, v := range c.votes {
				if err := a.CastStatutesVote(r[i], v); err != nil {
					t.Fatal(err)
				}
			}
			res, err := a.CloseStatutesVote()
			if err != nil || a.Statutes.State != c.want || res.Tie != c.tie {
				t.Fatalf("got %s %+v %v, want %s", a.Statutes.State, res, err, c.want)
			}
			if got := reason(a.CastStatutesVote(r[4], assembly.For)); got != ReasonVoteClosed {
				t.Fatalf("vote after close = %q", got)
			}
			if len(a.Statutes.Votes) != len(c.votes) {
				t.Fatal("every recorded vote must be kept")
			}
			wantElect := ""
			if c.want != Adopted {
				wantElect = ReasonStatutesNotAdopted
			}
			if got := reason(a.CanElect()); got != wantElect {
				t.Fatalf("CanElect = %q", got)
			}
		})
	}
}
