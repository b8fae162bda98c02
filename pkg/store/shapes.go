package store

import (
	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/l10n"
)

// The stored shapes below are those of value types several services keep
// in their records. Each keeps the keys the type's own JSON had, so version
// 0 rows and version 1 records agree, and each converts to and from its
// type field by field, so a field added to the type is a compile error in
// every record until a new shape is decided.

// TextV1 is how version 1 records store an l10n.Text; the two convert into
// each other (store.TextV1(t), l10n.Text(r)).
type TextV1 struct {
	AR string `json:"ar,omitempty"`
	FR string `json:"fr,omitempty"`
	EN string `json:"en,omitempty"`
}

// ContactV1 is how version 1 records store an l10n.Contact, as TextV1 is
// for an l10n.Text.
type ContactV1 struct {
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
	Address string `json:"address,omitempty"`
}

var (
	_ = TextV1(l10n.Text{})
	_ = ContactV1(l10n.Contact{})
)

// ResultV1 is how version 1 records store an assembly.Result: under its Go
// field names, the keys its JSON had (it has no tags).
type ResultV1 struct {
	For                int  `json:"For"`
	Against            int  `json:"Against"`
	Abstain            int  `json:"Abstain"`
	Voting             int  `json:"Voting"`
	Outcome            int  `json:"Outcome"`
	Tie                bool `json:"Tie"`
	DecidedByPresident bool `json:"DecidedByPresident"`
}

// ResultRecord renders r as stored; nil stays nil.
func ResultRecord(r *assembly.Result) *ResultV1 {
	if r == nil {
		return nil
	}
	return &ResultV1{For: r.For, Against: r.Against, Abstain: r.Abstain, Voting: r.Voting, Outcome: int(r.Outcome),
		Tie: r.Tie, DecidedByPresident: r.DecidedByPresident}
}

// Result reads a stored result; nil stays nil.
func (r *ResultV1) Result() *assembly.Result {
	if r == nil {
		return nil
	}
	return &assembly.Result{For: r.For, Against: r.Against, Abstain: r.Abstain, Voting: r.Voting, Outcome: assembly.Outcome(r.Outcome),
		Tie: r.Tie, DecidedByPresident: r.DecidedByPresident}
}

// VotesRecord renders a tally of public votes as stored: each member's
// choice as its number; nil stays nil.
func VotesRecord(votes map[string]assembly.Choice) map[string]int {
	return MapValues(votes, func(c assembly.Choice) int { return int(c) })
}

// Votes reads a stored tally; nil stays nil.
func Votes(stored map[string]int) map[string]assembly.Choice {
	return MapValues(stored, func(c int) assembly.Choice { return assembly.Choice(c) })
}
