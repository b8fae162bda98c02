package election

import (
	"errors"
	"fmt"
	"testing"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
)

func m(i int) string { return fmt.Sprintf("chambers/fes-meknes/artisans/m%02d", i) }

func electorate(n, present int) Electorate {
	e := Electorate{Seniority: map[string]resource.Date{}}
	for i := 1; i <= n; i++ {
		e.Roll = append(e.Roll, m(i))
		if i <= present {
			e.Present = append(e.Present, m(i))
		}
		e.Seniority[m(i)] = resource.Date(fmt.Sprintf("2023-01-%02d", 30-i)) // m29 is the most senior
	}
	return e
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

var president = l10n.Text{AR: "الرئيس", FR: "Président"}

// TestCandidateOnTheRollAndPresent: candidates come from the roll, present,
// holding no other office.
func TestCandidateOnTheRollAndPresent(t *testing.T) {
	e := electorate(10, 8)
	cases := []struct {
		name    string
		cands   []string
		holders map[string]string
		want    string
	}{
		{"present members", []string{m(1), m(2)}, nil, ""},
		{"not on the roll", []string{m(1), "chambers/fes-meknes/artisans/zz"}, nil, ReasonCandidateNotOnRoll},
		{"absent", []string{m(1), m(9)}, nil, ReasonCandidateNotPresent},
		{"holds another office", []string{m(1)}, map[string]string{m(1): "treasurer"}, ReasonMemberHoldsOffice},
		{"listed twice", []string{m(1), m(1)}, nil, "candidates.unique"},
		{"nobody", nil, nil, "candidates.required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Open("president", president, 1, true, c.cands, e, c.holders)
			if got := reason(err); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

// TestOneBallotPerMemberPerRound: voters on the roll and present, once per
// round, for a candidate of the round or blank.
func TestOneBallotPerMemberPerRound(t *testing.T) {
	e := electorate(10, 8)
	o, err := Open("president", president, 1, true, []string{m(1), m(2)}, e, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, member, candidate, want string
	}{
		{"valid", m(3), m(1), ""},
		{"blank", m(4), "", ""},
		{"again", m(3), m(2), ReasonAlreadyVoted},
		{"absent voter", m(9), m(1), ReasonNotPresent},
		{"outsider", "chambers/fes-meknes/artisans/zz", m(1), ReasonNotOnRoll},
		{"not a candidate", m(5), m(6), ReasonNotACandidate},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := reason(o.Cast(c.member, c.candidate, e)); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
	if len(o.current().Ballots) != 2 {
		t.Fatalf("ballots %v", o.current().Ballots)
	}
}

// TestAbsoluteMajorityThenRunOffThenTieRule: the election rounds as the
// settings say, every ballot kept.
func TestAbsoluteMajorityThenRunOffThenTieRule(t *testing.T) {
	type round []string // candidate per voter m01…; "" blank
	twoLeaders := craftbody.DefaultSettings()
	anotherRound := craftbody.DefaultSettings()
	anotherRound.ElectionTie = craftbody.AnotherRound
	allCands := craftbody.DefaultSettings()
	allCands.RunOff = craftbody.AllCandidates
	a, b, c := m(1), m(2), m(3)
	cases := []struct {
		name       string
		settings   craftbody.Settings
		rounds     []round
		wantRounds []int // candidates standing per round
		elected    string
		byRule     bool
	}{
		{"absolute majority in round one", twoLeaders, []round{{a, a, a, b, c}}, []int{3}, a, false},
		{"blank ballots are not votes cast", twoLeaders, []round{{a, a, b, "", ""}}, []int{3}, a, false},
		{"half is not a majority: run-off of the two leaders", twoLeaders, []round{{a, a, b, b, c}, {a, a, a, b}}, []int{3, 2}, a, false},
		{"a tie for second joins the run-off", twoLeaders, []round{{a, a, b, c, "", ""}, {c, c, a, b}}, []int{3, 3}, c, false},
		{"run-off of every candidate by setting", allCands, []round{{a, a, b, b, c}, {c, c, c, a, b}}, []int{3, 3}, c, false},
		{"run-off tie: the senior registrant", twoLeaders, []round{{a, a, b, b, c}, {a, a, b, b}}, []int{3, 2}, b, true},
		{"run-off tie: another round by setting", anotherRound, []round{{a, a, b, b, c}, {a, a, b, b}, {a, a, a, b}}, []int{3, 2, 2}, a, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := electorate(8, 8)
			o, err := Open("president", president, 1, true, []string{a, b, c}, e, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range tc.rounds {
				if got := len(o.current().Candidates); got != tc.wantRounds[i] {
					t.Fatalf("round %d has %d candidates %v, want %d", i+1, got, o.current().Candidates, tc.wantRounds[i])
				}
				for v, cand := range r {
					if err := o.Cast(m(v+1), cand, e); err != nil {
						t.Fatalf("round %d voter %d: %v", i+1, v+1, err)
					}
				}
				if _, err := o.CloseRound(tc.settings, e); err != nil {
					t.Fatal(err)
				}
			}
			last := o.Rounds[len(o.Rounds)-1]
			if o.Elected != tc.elected || last.Elected != tc.elected || last.ByTieRule != tc.byRule || len(o.Rounds) != len(tc.rounds) {
				t.Fatalf("elected %q (round %+v), want %q", o.Elected, last, tc.elected)
			}
			for i, r := range tc.rounds {
				if len(o.Rounds[i].Ballots) != len(r) {
					t.Fatalf("round %d kept %d ballots, want %d", i+1, len(o.Rounds[i].Ballots), len(r))
				}
			}
			if got := reason(o.Cast(m(8), a, e)); got != ReasonOfficeFilled {
				t.Fatalf("vote after election = %q", got)
			}
		})
	}
	// Closing a round nobody voted in is refused.
	e := electorate(3, 3)
	o, _ := Open("president", president, 1, true, []string{a}, e, nil)
	_ = o.Cast(m(2), "", e)
	if _, err := o.CloseRound(twoLeaders, e); reason(err) != ReasonNoVotesCast {
		t.Fatalf("empty round = %v", err)
	}
}

// TestBureauNeedsEveryOfficeAndThePresidency.
func TestBureauNeedsEveryOfficeAndThePresidency(t *testing.T) {
	p := &Office{OfficeID: "president", Presidency: true, Elected: m(1)}
	tr := &Office{OfficeID: "treasurer", Elected: m(2)}
	open := &Office{OfficeID: "secretary"}
	noPres := &Office{OfficeID: "treasurer", Elected: m(2)}
	cases := []struct {
		name     string
		offices  []*Office
		pres     string
		complete bool
	}{
		{"complete", []*Office{p, tr}, m(1), true},
		{"an office open", []*Office{p, tr, open}, m(1), false},
		{"no presidency", []*Office{noPres}, "", false},
		{"nothing", nil, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pres, ok := Bureau(c.offices)
			if pres != c.pres || ok != c.complete {
				t.Fatalf("got %q %v", pres, ok)
			}
		})
	}
}
