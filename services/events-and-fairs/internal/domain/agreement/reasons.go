package agreement

// Error reasons and field rules of this package. Their Arabic and French
// messages are in the service's catalogue (ports/grpcport/catalog.go).
const (
	ReasonAgreementNotDraft        = "AGREEMENT_NOT_DRAFT"
	ReasonDatesRequired            = "DATES_REQUIRED"
	ReasonNotYetExpired            = "NOT_YET_EXPIRED"
	ReasonResolutionNotAdopted     = "RESOLUTION_NOT_ADOPTED"
	ReasonResolutionNotFound       = "RESOLUTION_NOT_FOUND"
	ReasonResolutionOtherAgreement = "RESOLUTION_OTHER_AGREEMENT"
	RuleCommitmentParty            = "commitment.party"
	RulePartiesMinimum             = "parties.minimum"
	RulePartyKind                  = "party.kind"
	RuleResolutionOtherChamber     = "resolution.other_chamber"
	RuleWithinDaysPositive         = "within_days.positive"
)
