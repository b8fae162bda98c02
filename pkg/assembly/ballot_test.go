package assembly

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// roll returns a body of n members m1..mn of whom the first present are
// present, presided by president.
func roll(n, present int, president string) Roll {
	r := Roll{President: president}
	for i := range n {
		id := fmt.Sprintf("m%d", i+1)
		r.Members = append(r.Members, id)
		if i < present {
			r.Present = append(r.Present, id)
		}
	}
	return r
}

func TestNewBallot(t *testing.T) {
	tests := []struct {
		name    string
		rule    MajorityRule
		roll    Roll
		wantErr error
	}{
		{"valid", Default(), roll(5, 3, "m1"), nil},
		{"chair without a vote", Default(), roll(5, 3, ""), nil},
		{"nobody present", Default(), roll(5, 0, ""), nil},
		{"empty body", Default(), Roll{}, nil},
		{"empty member ID", Default(), Roll{Members: []string{"m1", ""}}, ErrInvalidRoll},
		{"duplicate member", Default(), Roll{Members: []string{"m1", "m1"}}, ErrInvalidRoll},
		{"present non-member", Default(), Roll{Members: []string{"m1"}, Present: []string{"m2"}}, ErrInvalidRoll},
		{"present twice", Default(), Roll{Members: []string{"m1"}, Present: []string{"m1", "m1"}}, ErrInvalidRoll},
		{"absent president", Default(), roll(5, 3, "m4"), ErrInvalidRoll},
		{"unknown president", Default(), roll(5, 3, "m9"), ErrInvalidRoll},
		{"invalid rule", MajorityRule{TieBreak: TieBreak(7)}, roll(5, 3, "m1"), errAny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := NewBallot(tt.rule, tt.roll)
			if tt.wantErr == nil {
				if err != nil || b == nil {
					t.Fatalf("NewBallot() = %v, %v; want a ballot", b, err)
				}
				return
			}
			if err == nil {
				t.Fatal("NewBallot() error = nil, want error")
			}
			if tt.wantErr != errAny && !errors.Is(err, tt.wantErr) {
				t.Errorf("NewBallot() error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestBallotCastErrors(t *testing.T) {
	tests := []struct {
		name    string
		before  func(b *Ballot) // puts the ballot in the state under test
		member  string
		choice  Choice
		wantErr error
	}{
		{"not a member", nil, "x1", For, ErrNotMember},
		{"empty member", nil, "", For, ErrNotMember},
		{"absent member", nil, "m4", For, ErrNotPresent},
		{"already voted same way", func(b *Ballot) { mustCast(t, b, "m2", For) }, "m2", For, ErrAlreadyVoted},
		{"already voted, changing vote", func(b *Ballot) { mustCast(t, b, "m2", For) }, "m2", Against, ErrAlreadyVoted},
		{"zero choice", nil, "m2", Choice(0), ErrInvalidChoice},
		{"unknown choice", nil, "m2", Choice(4), ErrInvalidChoice},
		{"negative choice", nil, "m2", Choice(-1), ErrInvalidChoice},
		{"closed", func(b *Ballot) { mustClose(t, b) }, "m2", For, ErrClosed},
		{"closed wins over non-member", func(b *Ballot) { mustClose(t, b) }, "x1", For, ErrClosed},
		{"invalid choice wins over non-member", nil, "x1", Choice(0), ErrInvalidChoice},
	}
	sentinels := []error{ErrNotMember, ErrNotPresent, ErrAlreadyVoted, ErrClosed, ErrInvalidChoice}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := NewBallot(Default(), roll(5, 3, "m1"))
			if err != nil {
				t.Fatal(err)
			}
			if tt.before != nil {
				tt.before(b)
			}
			before := b.Tally()

			err = b.Cast(tt.member, tt.choice)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Cast(%q, %v) = %v, want %v", tt.member, tt.choice, err, tt.wantErr)
			}
			for _, s := range sentinels {
				if s != tt.wantErr && errors.Is(err, s) {
					t.Errorf("Cast() = %v also matches %v", err, s)
				}
			}
			var ve *VoteError
			if !errors.As(err, &ve) || ve.Member != tt.member || ve.Choice != tt.choice {
				t.Errorf("Cast() = %#v, want a *VoteError for %q %v", err, tt.member, tt.choice)
			}
			if diff := cmp.Diff(before, b.Tally()); diff != "" {
				t.Errorf("refused vote changed the tally (-before +after):\n%s", diff)
			}
		})
	}
}

func TestBallotCloseTwice(t *testing.T) {
	b, err := NewBallot(Default(), roll(3, 3, "m1"))
	if err != nil {
		t.Fatal(err)
	}
	mustCast(t, b, "m1", For)
	if b.Closed() {
		t.Fatal("Closed() = true before Close")
	}
	if res := mustClose(t, b); res.Outcome != Adopted {
		t.Fatalf("Close() = %+v, want adopted", res)
	}
	if !b.Closed() {
		t.Fatal("Closed() = false after Close")
	}
	if _, err := b.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close() error = %v, want ErrClosed", err)
	}
}

func TestBallotTallyIsACopy(t *testing.T) {
	b, err := NewBallot(Default(), roll(3, 3, "m1"))
	if err != nil {
		t.Fatal(err)
	}
	mustCast(t, b, "m1", Against)
	got := b.Tally()
	got["m1"] = For
	got["m2"] = For
	if diff := cmp.Diff(Tally{"m1": Against}, b.Tally()); diff != "" {
		t.Errorf("editing the returned tally changed the ballot (-want +got):\n%s", diff)
	}
}

func TestTallyMembers(t *testing.T) {
	votes := Tally{"m3": For, "m1": For, "m2": Against, "m10": For, "m4": Abstain}
	tests := []struct {
		c    Choice
		want []string
	}{
		{For, []string{"m1", "m10", "m3"}},
		{Against, []string{"m2"}},
		{Abstain, []string{"m4"}},
		{Choice(0), nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, votes.Members(tt.c)); diff != "" {
			t.Errorf("Members(%v) mismatch (-want +got):\n%s", tt.c, diff)
		}
	}
}

// TestBallotSittings plays whole agenda items through a ballot: the roll,
// the votes in order, and the decision that goes into the minutes.
func TestBallotSittings(t *testing.T) {
	type vote struct {
		member string
		choice Choice
	}
	// votes casts the choices in order to members m1, m2, ...
	votes := func(cs ...Choice) []vote {
		vs := make([]vote, len(cs))
		for i, c := range cs {
			vs[i] = vote{fmt.Sprintf("m%d", i+1), c}
		}
		return vs
	}
	F, A, X := For, Against, Abstain
	tests := []struct {
		name  string
		rule  MajorityRule
		roll  Roll
		votes []vote
		want  Result
	}{
		{"unanimous adoption of the action programme", Default(), roll(82, 60, "m1"),
			votes(F, F, F, F, F, F, F, F, F, F),
			Result{For: 10, Voting: 10, Outcome: Adopted}},
		{"agreement rejected", Default(), roll(10, 8, "m1"),
			votes(F, A, A, A, A, X, F),
			Result{For: 2, Against: 4, Abstain: 1, Voting: 6, Outcome: Rejected}},
		{"tie, president (m1) for", Default(), roll(10, 8, "m1"),
			votes(F, A, F, A, X, X),
			Result{For: 2, Against: 2, Abstain: 2, Voting: 4, Outcome: Adopted, Tie: true, DecidedByPresident: true}},
		{"tie, president (m1) against", Default(), roll(10, 8, "m1"),
			votes(A, F, A, F),
			Result{For: 2, Against: 2, Voting: 4, Outcome: Rejected, Tie: true, DecidedByPresident: true}},
		{"tie, president (m1) abstains", Default(), roll(10, 8, "m1"),
			votes(X, F, A),
			Result{For: 1, Against: 1, Abstain: 1, Voting: 2, Outcome: Rejected, Tie: true}},
		{"tie, president (m5) present but silent", Default(), roll(10, 8, "m5"),
			votes(F, A, F, A),
			Result{For: 2, Against: 2, Voting: 4, Outcome: Rejected, Tie: true}},
		{"tie, chair without a vote", Default(), roll(10, 8, ""),
			votes(F, A),
			Result{For: 1, Against: 1, Voting: 2, Outcome: Rejected, Tie: true}},
		{"abstentions leave the majority alone", Default(), roll(10, 10, "m1"),
			votes(F, F, A, X, X, X, X, X, X, X),
			Result{For: 2, Against: 1, Abstain: 7, Voting: 3, Outcome: Adopted}},
		{"abstentions counted by statute", MajorityRule{AbstentionsCount: true}, roll(10, 10, "m1"),
			votes(F, F, A, X, X, X, X, X, X, X),
			Result{For: 2, Against: 1, Abstain: 7, Voting: 10, Outcome: Rejected}},
		{"nobody votes", Default(), roll(10, 8, "m1"),
			nil,
			Result{Outcome: Rejected}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := NewBallot(tt.rule, tt.roll)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range tt.votes {
				mustCast(t, b, v.member, v.choice)
			}
			got := mustClose(t, b)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Close() mismatch (-want +got):\n%s", diff)
			}
			// The ballot and a decision from its stored tally agree.
			again, err := tt.rule.Decide(b.Tally(), tt.roll.President)
			if err != nil || again != got {
				t.Errorf("Decide(Tally()) = %+v, %v; want %+v", again, err, got)
			}
		})
	}
}

func TestZeroBallotRefusesVotes(t *testing.T) {
	var b Ballot
	if err := b.Cast("m1", For); !errors.Is(err, ErrNotMember) {
		t.Errorf("Cast() on zero Ballot = %v, want ErrNotMember", err)
	}
}

func mustCast(t *testing.T, b *Ballot, member string, c Choice) {
	t.Helper()
	if err := b.Cast(member, c); err != nil {
		t.Fatalf("Cast(%q, %v) = %v", member, c, err)
	}
}

func mustClose(t *testing.T, b *Ballot) Result {
	t.Helper()
	res, err := b.Close()
	if err != nil {
		t.Fatalf("Close() = %v", err)
	}
	return res
}
