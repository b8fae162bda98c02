package assembly

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tally builds a Tally of f votes for, a against and ab abstentions from
// members named f1.., a1.., b1.., and gives the president (if pres is a
// valid choice) the first member ID of that kind. It returns the president's
// ID, "" when pres is not a choice.
func tally(f, a, ab int, pres Choice) (Tally, string) {
	t := Tally{}
	for i := range f {
		t[fmt.Sprintf("f%d", i+1)] = For
	}
	for i := range a {
		t[fmt.Sprintf("a%d", i+1)] = Against
	}
	for i := range ab {
		t[fmt.Sprintf("b%d", i+1)] = Abstain
	}
	switch pres {
	case For:
		return t, "f1"
	case Against:
		return t, "a1"
	case Abstain:
		return t, "b1"
	}
	return t, ""
}

func TestDefaultIsZeroValue(t *testing.T) {
	if Default() != (MajorityRule{}) {
		t.Errorf("Default() = %+v, want the zero MajorityRule", Default())
	}
	if Default().AbstentionsCount || Default().TieBreak != PresidentDecides {
		t.Errorf("Default() = %+v, want abstentions not counted and the president deciding ties", Default())
	}
}

func TestDecide(t *testing.T) {
	noVote := Choice(0)
	withAbstentions := MajorityRule{AbstentionsCount: true}
	tieRejected := MajorityRule{TieBreak: TieRejected}
	tests := []struct {
		name       string
		rule       MajorityRule
		f, a, ab   int
		pres       Choice
		presOnRoll bool // president votes as someone other than f1/a1/b1
		want       Result
	}{
		{"unanimous", Default(), 82, 0, 0, For, false,
			Result{For: 82, Voting: 82, Outcome: Adopted}},
		{"unanimous against", Default(), 0, 41, 0, Against, false,
			Result{Against: 41, Voting: 41, Outcome: Rejected}},
		{"simple majority", Default(), 30, 20, 5, noVote, false,
			Result{For: 30, Against: 20, Abstain: 5, Voting: 50, Outcome: Adopted}},
		{"one vote short", Default(), 20, 21, 0, For, false,
			Result{For: 20, Against: 21, Voting: 41, Outcome: Rejected}},
		{"one vote over", Default(), 21, 20, 0, Against, false,
			Result{For: 21, Against: 20, Voting: 41, Outcome: Adopted}},
		{"abstentions do not block adoption", Default(), 3, 2, 40, Abstain, false,
			Result{For: 3, Against: 2, Abstain: 40, Voting: 5, Outcome: Adopted}},
		{"abstentions do not help adoption", Default(), 2, 3, 40, noVote, false,
			Result{For: 2, Against: 3, Abstain: 40, Voting: 5, Outcome: Rejected}},
		{"single vote for", Default(), 1, 0, 10, noVote, false,
			Result{For: 1, Abstain: 10, Voting: 1, Outcome: Adopted}},
		{"no votes at all", Default(), 0, 0, 0, noVote, false,
			Result{Outcome: Rejected}},
		{"everyone abstains", Default(), 0, 0, 12, Abstain, false,
			Result{Abstain: 12, Outcome: Rejected}},

		{"tie: president for wins", Default(), 20, 20, 2, For, false,
			Result{For: 20, Against: 20, Abstain: 2, Voting: 40, Outcome: Adopted, Tie: true, DecidedByPresident: true}},
		{"tie: president against wins", Default(), 20, 20, 2, Against, false,
			Result{For: 20, Against: 20, Abstain: 2, Voting: 40, Outcome: Rejected, Tie: true, DecidedByPresident: true}},
		{"tie: president abstained", Default(), 20, 20, 2, Abstain, false,
			Result{For: 20, Against: 20, Abstain: 2, Voting: 40, Outcome: Rejected, Tie: true}},
		{"tie: president did not vote", Default(), 20, 20, 0, noVote, true,
			Result{For: 20, Against: 20, Voting: 40, Outcome: Rejected, Tie: true}},
		{"tie: no president", Default(), 1, 1, 0, noVote, false,
			Result{For: 1, Against: 1, Voting: 2, Outcome: Rejected, Tie: true}},
		{"tie rejected despite president for", tieRejected, 20, 20, 0, For, false,
			Result{For: 20, Against: 20, Voting: 40, Outcome: Rejected, Tie: true}},
		{"tie rule irrelevant without tie", tieRejected, 21, 20, 0, Against, false,
			Result{For: 21, Against: 20, Voting: 41, Outcome: Adopted}},

		{"counted abstentions block adoption", withAbstentions, 3, 2, 40, noVote, false,
			Result{For: 3, Against: 2, Abstain: 40, Voting: 45, Outcome: Rejected}},
		{"counted abstentions, majority still reached", withAbstentions, 30, 10, 5, noVote, false,
			Result{For: 30, Against: 10, Abstain: 5, Voting: 45, Outcome: Adopted}},
		{"counted abstentions, for versus against tie is no tie", withAbstentions, 3, 3, 1, For, false,
			Result{For: 3, Against: 3, Abstain: 1, Voting: 7, Outcome: Rejected}},
		{"counted abstentions, half for is a tie the president wins", withAbstentions, 4, 3, 1, For, false,
			Result{For: 4, Against: 3, Abstain: 1, Voting: 8, Outcome: Adopted, Tie: true, DecidedByPresident: true}},
		{"counted abstentions, abstaining president on a tie", withAbstentions, 4, 3, 1, Abstain, false,
			Result{For: 4, Against: 3, Abstain: 1, Voting: 8, Outcome: Rejected, Tie: true}},
		{"counted abstentions, everyone abstains", withAbstentions, 0, 0, 5, noVote, false,
			Result{Abstain: 5, Voting: 5, Outcome: Rejected}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			votes, pres := tally(tt.f, tt.a, tt.ab, tt.pres)
			if tt.presOnRoll {
				pres = "president-who-did-not-vote"
			}
			got, err := tt.rule.Decide(votes, pres)
			if err != nil {
				t.Fatalf("Decide() error = %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decide() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecideErrors(t *testing.T) {
	tests := []struct {
		name    string
		rule    MajorityRule
		votes   Tally
		wantErr error
	}{
		{"zero choice", Default(), Tally{"m1": For, "m2": Choice(0)}, ErrInvalidChoice},
		{"unknown choice", Default(), Tally{"m1": Choice(4)}, ErrInvalidChoice},
		{"unknown tie break", MajorityRule{TieBreak: TieBreak(2)}, Tally{"m1": For}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.rule.Decide(tt.votes, "m1")
			if err == nil {
				t.Fatalf("Decide() = %+v, want error", got)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Decide() = %v, want %v", err, tt.wantErr)
			}
			if got != (Result{}) {
				t.Errorf("Decide() result = %+v on error, want zero", got)
			}
		})
	}
	var ve *VoteError
	_, err := Default().Decide(Tally{"m7": Choice(9)}, "")
	if !errors.As(err, &ve) || ve.Member != "m7" || ve.Choice != Choice(9) {
		t.Errorf("Decide() = %v, want a *VoteError naming m7 and Choice(9)", err)
	}
}

// TestDecideInvariants runs every split of up to 12 votes, with every
// president position and every rule, and checks what the law requires of
// the outcome.
func TestDecideInvariants(t *testing.T) {
	const maxVotes = 12
	rules := []MajorityRule{
		{AbstentionsCount: false, TieBreak: PresidentDecides},
		{AbstentionsCount: false, TieBreak: TieRejected},
		{AbstentionsCount: true, TieBreak: PresidentDecides},
		{AbstentionsCount: true, TieBreak: TieRejected},
	}
	outcome := func(rule MajorityRule, f, a, ab int, pres Choice) Result {
		t.Helper()
		votes, id := tally(f, a, ab, pres)
		res, err := rule.Decide(votes, id)
		if err != nil {
			t.Fatalf("Decide(%d/%d/%d) error = %v", f, a, ab, err)
		}
		return res
	}
	cases := 0
	for _, rule := range rules {
		for f := 0; f <= maxVotes; f++ {
			for a := 0; f+a <= maxVotes; a++ {
				for ab := 0; f+a+ab <= maxVotes; ab++ {
					for _, pres := range []Choice{0, For, Against, Abstain} {
						if (pres == For && f == 0) || (pres == Against && a == 0) || (pres == Abstain && ab == 0) {
							continue
						}
						cases++
						name := fmt.Sprintf("%+v for=%d against=%d abstain=%d president=%v", rule, f, a, ab, pres)
						res := outcome(rule, f, a, ab, pres)

						// Counts are reported faithfully.
						wantVoting := f + a
						if rule.AbstentionsCount {
							wantVoting += ab
						}
						if res.For != f || res.Against != a || res.Abstain != ab || res.Voting != wantVoting {
							t.Fatalf("%s: counts %+v", name, res)
						}
						if res.Outcome != Adopted && res.Outcome != Rejected {
							t.Fatalf("%s: outcome %v undecided", name, res.Outcome)
						}
						adopted := res.Outcome == Adopted
						// An absolute majority of votes cast is always adopted.
						if 2*f > wantVoting && !adopted {
							t.Fatalf("%s: majority for but %+v", name, res)
						}
						// Less than half is never adopted, whoever presides.
						if 2*f < wantVoting && adopted {
							t.Fatalf("%s: minority for but %+v", name, res)
						}
						// Nothing cast, nothing adopted.
						if wantVoting == 0 && (adopted || res.Tie) {
							t.Fatalf("%s: no votes cast but %+v", name, res)
						}
						// A tie is exactly half; only the president's vote for adopts it.
						if res.Tie != (wantVoting > 0 && 2*f == wantVoting) {
							t.Fatalf("%s: tie flag %+v", name, res)
						}
						if res.Tie {
							wantAdopted := rule.TieBreak == PresidentDecides && pres == For
							wantByPresident := rule.TieBreak == PresidentDecides && (pres == For || pres == Against)
							if adopted != wantAdopted || res.DecidedByPresident != wantByPresident {
								t.Fatalf("%s: tie settled as %+v", name, res)
							}
						} else if res.DecidedByPresident {
							t.Fatalf("%s: president decided without a tie: %+v", name, res)
						}
						// Without counted abstentions, abstaining members change
						// nothing (the president keeps the same vote).
						if !rule.AbstentionsCount && pres != Abstain && ab > 0 {
							if other := outcome(rule, f, a, 0, pres); other.Outcome != res.Outcome {
								t.Fatalf("%s: %v, but %v without abstentions", name, res.Outcome, other.Outcome)
							}
						}
						// Turning one non-president vote against into a vote for
						// never turns adoption into rejection.
						if a > 1 || (a == 1 && pres != Against) {
							if more := outcome(rule, f+1, a-1, ab, pres); adopted && more.Outcome != Adopted {
								t.Fatalf("%s: adopted, but rejected with one more vote for", name)
							}
						}
						// For and against cannot both win: swapping the sides
						// (and the president's side) cannot adopt both.
						if !rule.AbstentionsCount && adopted && pres != Abstain {
							swapped := map[Choice]Choice{0: 0, For: Against, Against: For}[pres]
							if mirror := outcome(rule, a, f, ab, swapped); mirror.Outcome == Adopted {
								t.Fatalf("%s: both the item and its mirror adopted", name)
							}
						}
					}
				}
			}
		}
	}
	if cases < 1000 {
		t.Fatalf("only %d cases ran", cases)
	}
}
