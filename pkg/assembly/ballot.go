package assembly

import (
	"errors"
	"fmt"
	"maps"
)

// Sentinel errors of a ballot. Cast wraps them in a *VoteError; test them
// with errors.Is.
var (
	// ErrNotMember: the voter is not on the body's roll.
	ErrNotMember = errors.New("not a member of the body")
	// ErrNotPresent: the voter is a member but was not recorded present.
	ErrNotPresent = errors.New("member not present")
	// ErrAlreadyVoted: votes are recorded once and cannot be changed.
	ErrAlreadyVoted = errors.New("member already voted")
	// ErrClosed: the ballot was closed and its result is final.
	ErrClosed = errors.New("ballot closed")
	// ErrInvalidChoice: the choice is not For, Against or Abstain.
	ErrInvalidChoice = errors.New("invalid choice")
	// ErrInvalidRoll: the roll given to NewBallot is inconsistent.
	ErrInvalidRoll = errors.New("invalid roll")
)

// VoteError is a refused or unreadable vote. Err is one of the sentinel
// errors above.
type VoteError struct {
	Member string
	Choice Choice
	Err    error
}

func (e *VoteError) Error() string {
	return fmt.Sprintf("vote by %q (%s): %v", e.Member, e.Choice, e.Err)
}

// Unwrap returns the sentinel error.
func (e *VoteError) Unwrap() error { return e.Err }

// Roll is who may take part in a ballot.
type Roll struct {
	// Members lists every member of the body with a vote.
	Members []string
	// Present lists the members recorded present at the sitting; each must
	// be in Members. Only they may vote.
	Present []string
	// President is the member ID of whoever presides. It must be a present
	// member, or "" when the chair has no vote in the body (for instance a
	// preparatory-committee chair opening a constitutive assembly).
	President string
}

// validate checks IDs are non-empty and unique, Present is a subset of
// Members and the president, if any, is present.
func (r Roll) validate() (members, present map[string]bool, err error) {
	members = make(map[string]bool, len(r.Members))
	for _, m := range r.Members {
		switch {
		case m == "":
			return nil, nil, fmt.Errorf("%w: empty member ID", ErrInvalidRoll)
		case members[m]:
			return nil, nil, fmt.Errorf("%w: member %q listed twice", ErrInvalidRoll, m)
		}
		members[m] = true
	}
	present = make(map[string]bool, len(r.Present))
	for _, m := range r.Present {
		switch {
		case !members[m]:
			return nil, nil, fmt.Errorf("%w: %q is present but not a member", ErrInvalidRoll, m)
		case present[m]:
			return nil, nil, fmt.Errorf("%w: %q recorded present twice", ErrInvalidRoll, m)
		}
		present[m] = true
	}
	if r.President != "" && !present[r.President] {
		return nil, nil, fmt.Errorf("%w: president %q is not a present member", ErrInvalidRoll, r.President)
	}
	return members, present, nil
}

// Ballot records the public votes on one agenda item and decides it when
// closed. Create it with NewBallot. A Ballot is not safe for concurrent use;
// services serialise access to an item as they do for any other record.
//
// To rebuild a ballot from stored votes, create it from the stored roll and
// Cast the stored votes again: the same checks then guard the stored data.
type Ballot struct {
	rule      MajorityRule
	members   map[string]bool
	present   map[string]bool
	president string
	votes     Tally
	closed    bool
}

// NewBallot opens a ballot for the roll under rule. It fails if the rule is
// invalid or the roll inconsistent (errors wrap ErrInvalidRoll).
func NewBallot(rule MajorityRule, roll Roll) (*Ballot, error) {
	if err := rule.Validate(); err != nil {
		return nil, fmt.Errorf("new ballot: %w", err)
	}
	members, present, err := roll.validate()
	if err != nil {
		return nil, fmt.Errorf("new ballot: %w", err)
	}
	return &Ballot{
		rule:      rule,
		members:   members,
		present:   present,
		president: roll.President,
		votes:     make(Tally, len(present)),
	}, nil
}

// Cast records member's choice. It returns a *VoteError wrapping
// ErrClosed, ErrInvalidChoice, ErrNotMember, ErrNotPresent or
// ErrAlreadyVoted, checked in that order; a refused vote changes nothing.
func (b *Ballot) Cast(member string, c Choice) error {
	var err error
	switch {
	case b.closed:
		err = ErrClosed
	case !c.Valid():
		err = ErrInvalidChoice
	case !b.members[member]:
		err = ErrNotMember
	case !b.present[member]:
		err = ErrNotPresent
	default:
		if _, voted := b.votes[member]; voted {
			err = ErrAlreadyVoted
		}
	}
	if err != nil {
		return &VoteError{Member: member, Choice: c, Err: err}
	}
	b.votes[member] = c
	return nil
}

// Close ends the vote and decides the item under the ballot's rule. Present
// members who did not vote are simply not counted. Closing twice returns
// ErrClosed.
func (b *Ballot) Close() (Result, error) {
	if b.closed {
		return Result{}, fmt.Errorf("close ballot: %w", ErrClosed)
	}
	res, err := b.rule.Decide(b.votes, b.president)
	if err != nil {
		// Cast admits only valid choices and NewBallot only valid rules.
		return Result{}, fmt.Errorf("close ballot: %w", err)
	}
	b.closed = true
	return res, nil
}

// Closed reports whether Close has succeeded.
func (b *Ballot) Closed() bool { return b.closed }

// Tally returns a copy of the votes recorded so far.
func (b *Ballot) Tally() Tally { return maps.Clone(b.votes) }
