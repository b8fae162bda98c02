package assembly

import (
	"errors"
	"fmt"
	"slices"
)

// Choice is a member's public vote on one item. The zero value is not a
// choice: it is what a missing vote looks like, and Cast refuses it.
type Choice int

const (
	// For is a vote in favour of the item.
	For Choice = iota + 1
	// Against is a vote against the item.
	Against
	// Abstain records that the member took part but chose neither side.
	Abstain
)

// Valid reports whether c is For, Against or Abstain.
func (c Choice) Valid() bool { return c >= For && c <= Abstain }

// String returns "for", "against" or "abstain".
func (c Choice) String() string {
	switch c {
	case For:
		return "for"
	case Against:
		return "against"
	case Abstain:
		return "abstain"
	default:
		return fmt.Sprintf("Choice(%d)", int(c))
	}
}

// Outcome is the decision on an item. The zero value means undecided.
type Outcome int

const (
	// Adopted means the item passed.
	Adopted Outcome = iota + 1
	// Rejected means the item did not pass.
	Rejected
)

// String returns "adopted" or "rejected".
func (o Outcome) String() string {
	switch o {
	case Adopted:
		return "adopted"
	case Rejected:
		return "rejected"
	default:
		return fmt.Sprintf("Outcome(%d)", int(o))
	}
}

// TieBreak says how a tie is settled. The zero value is the rule of law 18.09.
type TieBreak int

const (
	// PresidentDecides gives a tie to the side the president voted with. A
	// president who abstained or did not vote sides with no one, and the
	// item is rejected.
	PresidentDecides TieBreak = iota
	// TieRejected rejects every tied item, for bodies whose statutes give the
	// president no casting vote.
	TieRejected
)

// String returns "president decides" or "tie rejected".
func (t TieBreak) String() string {
	switch t {
	case PresidentDecides:
		return "president decides"
	case TieRejected:
		return "tie rejected"
	default:
		return fmt.Sprintf("TieBreak(%d)", int(t))
	}
}

// MajorityRule says how votes on an item are turned into an outcome. Its
// zero value is [Default], the rule of law 18.09; see the package
// documentation for the reasoning.
type MajorityRule struct {
	// AbstentionsCount makes abstentions count among the votes cast, so that
	// adoption needs more than half of for + against + abstain. By default
	// (false) only for and against are votes cast: the law's "absolute
	// majority of those voting".
	AbstentionsCount bool
	// TieBreak settles ties: votes for exactly half of the votes cast.
	TieBreak TieBreak
}

// Default returns the majority rule of law 18.09: absolute majority of the
// votes for and against, abstentions not counted, ties won by the side the
// president voted with.
func Default() MajorityRule {
	return MajorityRule{AbstentionsCount: false, TieBreak: PresidentDecides}
}

// Validate reports an unknown tie-break.
func (r MajorityRule) Validate() error {
	if r.TieBreak != PresidentDecides && r.TieBreak != TieRejected {
		return fmt.Errorf("invalid majority rule: unknown tie break %d", int(r.TieBreak))
	}
	return nil
}

// Result is the decision on one item together with the counts behind it,
// as they go into the minutes.
type Result struct {
	// For, Against and Abstain count the recorded votes of each kind.
	For, Against, Abstain int
	// Voting is the number of votes cast under the rule: For + Against, plus
	// Abstain when abstentions count. Adoption needs For > Voting/2.
	Voting int
	// Outcome is Adopted or Rejected.
	Outcome Outcome
	// Tie reports that For was exactly half of Voting (and Voting > 0).
	Tie bool
	// DecidedByPresident reports that a tie was settled by the side the
	// president voted with, whichever side that was.
	DecidedByPresident bool
}

// Tally is the public record of the votes on one item: each member's choice,
// keyed by member ID (a resource name, for example). Members who did not
// vote are absent from the map.
type Tally map[string]Choice

// Members returns, sorted, the members who made choice c, as the minutes
// list them.
func (t Tally) Members(c Choice) []string {
	var ms []string
	for m, got := range t {
		if got == c {
			ms = append(ms, m)
		}
	}
	slices.Sort(ms)
	return ms
}

// Decide applies the rule to the recorded votes. president is the member ID
// of the presiding member, or "" when the chair has no vote; it matters only
// on a tie. Decide fails on an invalid rule or a vote that is not a valid
// Choice, so stored data that went wrong is not silently counted.
func (r MajorityRule) Decide(t Tally, president string) (Result, error) {
	if err := r.Validate(); err != nil {
		return Result{}, fmt.Errorf("decide: %w", err)
	}
	var res Result
	var errs []error
	for m, c := range t {
		switch c {
		case For:
			res.For++
		case Against:
			res.Against++
		case Abstain:
			res.Abstain++
		default:
			errs = append(errs, &VoteError{Member: m, Choice: c, Err: ErrInvalidChoice})
		}
	}
	if err := errors.Join(errs...); err != nil {
		return Result{}, fmt.Errorf("decide: %w", err)
	}

	res.Voting = res.For + res.Against
	if r.AbstentionsCount {
		res.Voting += res.Abstain
	}
	res.Outcome = Rejected
	switch {
	case res.Voting == 0:
		// Nothing cast, nothing adopted.
	case 2*res.For > res.Voting:
		res.Outcome = Adopted
	case 2*res.For == res.Voting:
		res.Tie = true
		if r.TieBreak != PresidentDecides {
			break
		}
		// With abstentions counted, an abstaining president is on the side
		// that is not "for"; without, the president sided with no one.
		// Either way only a president's vote for or against decides.
		switch t[president] {
		case For:
			res.Outcome, res.DecidedByPresident = Adopted, true
		case Against:
			res.DecidedByPresident = true
		}
	}
	return res, nil
}
