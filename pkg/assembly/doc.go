// Package assembly is the rule book for deliberative sittings: the quorum
// and majority rules of a chamber's general assembly (law 18.09) and of the
// constitutive general assembly of a craft body (law 50.17, art. 11).
//
// The package is pure: no I/O, no clock, no storage, no transport types. The
// events-and-fairs and craft-bodies services load a body's settings and its
// recorded votes from their own stores, and ask this package what the law
// makes of them. Keeping the arithmetic in one place means a sitting is
// decided the same way whichever service records it.
//
// # Quorum
//
// The quorum is checked before proceedings open. Law 18.09 says it is checked
// but the threshold is a per-body setting, so it is a [QuorumRule]: a
// fraction of the members that must be present on a first convocation, and a
// lower (or no) requirement on a second convocation, when a first sitting
// could not open. Arithmetic is exact integer arithmetic, never floating
// point: with a one-half quorum, 41 of 82 members is exactly one half and
// meets it; 40 does not.
//
// # Votes and majority
//
// Votes are public: a [Ballot] records, for one agenda item, which member
// chose [For], [Against] or [Abstain], and refuses votes from non-members,
// absent members, members who already voted, and votes after the ballot is
// closed. Each refusal is a *[VoteError] that wraps one of the sentinel
// errors ([ErrNotMember], [ErrNotPresent], [ErrAlreadyVoted], [ErrClosed],
// [ErrInvalidChoice]), so callers test them with errors.Is.
//
// Closing the ballot applies a [MajorityRule]. [Default] is the rule of law
// 18.09, and is also the zero value of MajorityRule:
//
//   - an item is adopted by the absolute majority of those voting: more than
//     half of the votes cast;
//   - "those voting" are the members who voted for or against. Abstentions
//     are recorded in the minutes but are not votes cast, so they neither
//     help nor hinder adoption. Law 18.09 says "those voting", not "those
//     present"; a body whose statutes count abstentions sets
//     [MajorityRule.AbstentionsCount], which makes every abstention weigh
//     like a vote against;
//   - on a tie, the side the president voted with wins. If the president
//     abstained, did not vote, or has no vote in the body (a constitutive
//     assembly may be chaired by a preparatory-committee chair who is not a
//     member), no side can claim the president and the item is rejected:
//     an item is only adopted by a positive decision;
//   - when no votes are cast at all, the item is rejected, for the same
//     reason.
//
// The same decision is available without a Ballot, from stored votes, as
// [MajorityRule.Decide].
package assembly
