// Package election is the election of a craft body's bureau at its
// constitutive assembly: one single-name ballot per office, candidates on
// the roll and present, the absolute majority of votes cast in the first
// round, then a run-off (between the two leaders, or every candidate, as the
// settings say) won by the most votes, ties settled by the configured rule.
// Every ballot of every round is kept.
package election

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
)

// Error reasons of the election.
const (
	ReasonCandidateNotOnRoll  = "CANDIDATE_NOT_ON_ROLL"
	ReasonCandidateNotPresent = "CANDIDATE_NOT_PRESENT"
	ReasonNotOnRoll           = "NOT_ON_ROLL"
	ReasonNotPresent          = "NOT_PRESENT"
	ReasonAlreadyVoted        = "ALREADY_VOTED"
	ReasonNotACandidate       = "NOT_A_CANDIDATE"
	ReasonOfficeFilled        = "OFFICE_FILLED"
	ReasonNoVotesCast         = "NO_VOTES_CAST"
	ReasonMemberHoldsOffice   = "MEMBER_HOLDS_OFFICE"
)

// Electorate is who may vote and stand: the assembly's roll, the members
// present, and each member's registration date (seniority, for ties).
type Electorate struct {
	Roll      []string
	Present   []string
	Seniority map[string]resource.Date
}

func (e Electorate) onRoll(m string) bool  { return slices.Contains(e.Roll, m) }
func (e Electorate) present(m string) bool { return slices.Contains(e.Present, m) }

// Ballot is one single-name ballot; an empty Candidate is blank.
type Ballot struct {
	Member    string `json:"member"`
	Candidate string `json:"candidate,omitempty"`
}

// Round is one round of an office's election.
type Round struct {
	Number     int            `json:"number"`
	Candidates []string       `json:"candidates"`
	Ballots    []Ballot       `json:"ballots"`
	Counts     map[string]int `json:"counts,omitempty"`
	VotesCast  int            `json:"votes_cast"`
	Elected    string         `json:"elected,omitempty"`
	ByTieRule  bool           `json:"by_tie_rule,omitempty"`
	Closed     bool           `json:"closed"`
}

// Office is one office of the bureau and its election.
type Office struct {
	resource.Meta
	OfficeID   string    `json:"office_id"`
	Title      l10n.Text `json:"title"`
	Position   int       `json:"position"`
	Presidency bool      `json:"presidency"`
	Candidates []string  `json:"candidates"`
	Rounds     []Round   `json:"rounds"`
	Elected    string    `json:"elected,omitempty"`
}

// Open opens the election of an office with its candidates, each on the roll
// and present, and none already holding another office (holders).
func Open(id string, title l10n.Text, position int, presidency bool, candidates []string, e Electorate, holders map[string]string) (*Office, error) {
	var vs fault.Violations
	title.Require(&vs, "office.title")
	if position < 1 {
		vs.Add("office.position", RulePositionPositive, "must be 1 or more")
	}
	if len(candidates) == 0 {
		vs.Add("office.candidates", RuleCandidatesRequired, "an office needs at least one candidate")
	}
	seen := map[string]bool{}
	for i, c := range candidates {
		if seen[c] {
			vs.Add(fmt.Sprintf("office.candidates[%d]", i), RuleCandidatesUnique, "%s is listed twice", c)
		}
		seen[c] = true
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	for _, c := range candidates {
		meta := map[string]string{"candidate": c, "office": id}
		switch {
		case !e.onRoll(c):
			return nil, &fault.PreconditionError{Reason: ReasonCandidateNotOnRoll, Msg: c + " is not on the census roll", Meta: meta}
		case !e.present(c):
			return nil, &fault.PreconditionError{Reason: ReasonCandidateNotPresent, Msg: c + " is not present at the sitting", Meta: meta}
		case holders[c] != "" && holders[c] != id:
			return nil, &fault.PreconditionError{Reason: ReasonMemberHoldsOffice, Msg: c + " already holds " + holders[c], Meta: meta}
		}
	}
	return &Office{OfficeID: id, Title: title, Position: position, Presidency: presidency, Candidates: slices.Clone(candidates),
		Rounds: []Round{{Number: 1, Candidates: slices.Clone(candidates), Ballots: []Ballot{}}}}, nil
}

// current is the open round.
func (o *Office) current() *Round { return &o.Rounds[len(o.Rounds)-1] }

// Cast records member's ballot in the current round: a member of the roll,
// present, once per round, for a candidate of the round or blank.
func (o *Office) Cast(member, candidate string, e Electorate) error {
	meta := map[string]string{"office": o.OfficeID, "member": member}
	r := o.current()
	switch {
	case o.Elected != "":
		return &fault.PreconditionError{Reason: ReasonOfficeFilled, Msg: o.OfficeID + " is already filled", Meta: meta}
	case !e.onRoll(member):
		return &fault.PreconditionError{Reason: ReasonNotOnRoll, Msg: member + " is not on the census roll", Meta: meta}
	case !e.present(member):
		return &fault.PreconditionError{Reason: ReasonNotPresent, Msg: member + " was not recorded present", Meta: meta}
	case candidate != "" && !slices.Contains(r.Candidates, candidate):
		return &fault.PreconditionError{Reason: ReasonNotACandidate, Msg: candidate + " does not stand in this round", Meta: meta}
	}
	for _, b := range r.Ballots {
		if b.Member == member {
			return &fault.PreconditionError{Reason: ReasonAlreadyVoted, Msg: fmt.Sprintf("%s has already voted in round %d", member, r.Number), Meta: meta}
		}
	}
	r.Ballots = append(r.Ballots, Ballot{Member: member, Candidate: candidate})
	return nil
}

// CloseRound counts the current round. In the first round a candidate with
// more than half of the votes cast (blank ballots are not votes cast) is
// elected; otherwise the next round opens with the run-off's candidates. In
// later rounds the most votes win, and a tie for the most is settled by the
// rule: the senior registrant, or another round between the tied.
func (o *Office) CloseRound(s craftbody.Settings, e Electorate) (*Round, error) {
	if o.Elected != "" {
		return nil, &fault.PreconditionError{Reason: ReasonOfficeFilled, Msg: o.OfficeID + " is already filled"}
	}
	r := o.current()
	counts := map[string]int{}
	for _, c := range r.Candidates {
		counts[c] = 0
	}
	cast := 0
	for _, b := range r.Ballots {
		if b.Candidate != "" {
			counts[b.Candidate]++
			cast++
		}
	}
	if cast == 0 {
		return nil, &fault.PreconditionError{Reason: ReasonNoVotesCast, Msg: fmt.Sprintf("%s round %d: no vote cast", o.OfficeID, r.Number)}
	}
	r.Counts, r.VotesCast, r.Closed = counts, cast, true
	ranked := slices.SortedFunc(maps.Keys(counts), func(a, b string) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b))
	})
	top := counts[ranked[0]]
	var leaders []string
	for _, c := range ranked {
		if counts[c] == top {
			leaders = append(leaders, c)
		}
	}
	next := func(cands []string) {
		o.Rounds = append(o.Rounds, Round{Number: r.Number + 1, Candidates: cands, Ballots: []Ballot{}})
	}
	if r.Number == 1 {
		if 2*top > cast {
			o.elect(r, ranked[0], false)
			return r, nil
		}
		if s.RunOff == craftbody.AllCandidates || len(ranked) <= 2 {
			next(slices.Clone(r.Candidates))
			return r, nil
		}
		// The two leaders, and whoever ties with the second.
		second := counts[ranked[1]]
		var runoff []string
		for _, c := range ranked {
			if counts[c] >= second {
				runoff = append(runoff, c)
			}
		}
		next(runoff)
		return r, nil
	}
	if len(leaders) == 1 {
		o.elect(r, leaders[0], false)
		return r, nil
	}
	if s.ElectionTie == craftbody.AnotherRound {
		next(leaders)
		return r, nil
	}
	// Senior registration: the earliest registration date wins; the
	// registrant name orders equal dates so the outcome is deterministic.
	winner := slices.MinFunc(leaders, func(a, b string) int {
		da, db := e.Seniority[a], e.Seniority[b]
		switch {
		case da == "" && db != "":
			return 1
		case db == "" && da != "":
			return -1
		}
		return cmp.Or(cmp.Compare(da, db), cmp.Compare(a, b))
	})
	o.elect(r, winner, true)
	return r, nil
}

func (o *Office) elect(r *Round, who string, byRule bool) {
	r.Elected, r.ByTieRule = who, byRule
	o.Elected = who
}

// Bureau is the elected bureau: every office filled, the presidency among them.
func Bureau(offices []*Office) (president string, complete bool) {
	if len(offices) == 0 {
		return "", false
	}
	complete = true
	for _, o := range offices {
		if o.Elected == "" {
			complete = false
		}
		if o.Presidency {
			president = o.Elected
		}
	}
	return president, complete && president != ""
}

// Repository stores the offices of each body's bureau.
type Repository interface {
	Create(ctx context.Context, body resource.Name, o *Office, w change.Write) (*Office, error)
	Get(ctx context.Context, body resource.Name, office string) (*Office, error)
	// List lists a body's offices by position.
	List(ctx context.Context, body resource.Name, q paging.ListQuery) (paging.Page[*Office], error)
	Update(ctx context.Context, body resource.Name, office string, w change.Write, fn func(*Office) error) (*Office, error)
}
