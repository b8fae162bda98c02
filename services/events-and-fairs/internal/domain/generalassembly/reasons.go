package generalassembly

// Error reasons and field rules of this package. Their Arabic and French
// messages are in the service's catalogue (ports/grpcport/catalog.go).
const (
	ReasonAgreementNotFound   = "AGREEMENT_NOT_FOUND"
	ReasonAlreadyVoted        = "ALREADY_VOTED"
	ReasonAssemblyOver        = "ASSEMBLY_OVER"
	ReasonMemberAbsent        = "MEMBER_ABSENT"
	ReasonNotAMember          = "NOT_A_MEMBER"
	ReasonQuorumNotMet        = "QUORUM_NOT_MET"
	ReasonSessionNotOpen      = "SESSION_NOT_OPEN"
	ReasonVoteOpen            = "VOTE_OPEN"
	RuleAgreementOtherChamber = "agreement.other_chamber"
	RuleChoiceInvalid         = "choice.invalid"
	RuleItemAgreementKind     = "item.agreement.kind"
	RuleItemAgreementRequired = "item.agreement.required"
	RuleItemKindRequired      = "item.kind.required"
	RuleItemPosition          = "item.position"
	RuleMemberDuplicate       = "member.duplicate"
	RuleMemberID              = "member.id"
	RuleMemberUnknown         = "member.unknown"
	RuleMembersRequired       = "members.required"
	RulePresidentMember       = "president.member"
	RuleQuorumInvalid         = "quorum.invalid"
	RuleSessionExtraordinary  = "session.extraordinary"
	RuleSessionOrdinary       = "session.ordinary"
	RuleSessionRequired       = "session.required"
)
