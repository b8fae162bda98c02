package craftbody

// Field rules and reasons of this package (ErrorInfo reason, BadRequest
// rule), each catalogued with its Arabic and French message.
const (
	RuleCommitteeArtisanRegistrant     = "committee.artisan.registrant"
	RuleCommitteeArtisans              = "committee.artisans"
	RuleCommitteeAssociationRegistrant = "committee.association.registrant"
	RuleCommitteeChairMember           = "committee.chair.member"
	RuleCommitteeKind                  = "committee.kind"
	RuleCommitteeMemberUnique          = "committee.member.unique"
	RuleCraftRequired                  = "craft.required"
	RuleElectionTieRuleKnown           = "election_tie_rule.known"
	RuleLevelKnown                     = "level.known"
	RuleLevelOwner                     = "level.owner"
	RulePhasePositive                  = "phase.positive"
	RuleProvinceInChamber              = "province.in_chamber"
	RuleProvinceKnown                  = "province.known"
	RuleProvinceLevel                  = "province.level"
	RuleProvinceRequired               = "province.required"
	RuleProvincialThresholdShare       = "provincial_threshold.share"
	RuleQuorumValid                    = "quorum.valid"
	RuleRunOffKnown                    = "run_off.known"
	RuleTieRuleKnown                   = "tie_rule.known"
)
