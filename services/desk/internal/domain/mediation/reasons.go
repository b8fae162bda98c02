package mediation

// Field rules of this package. Their Arabic and French messages are in the
// service's catalogue (ports/grpcport/catalog.go).
const (
	RulePartiesTwo      = "parties.two"
	RulePartiesDistinct = "parties.distinct"
	RulePartyOne        = "party.one"
	RulePartyArtisan    = "party.artisan"
	RuleOutcomeRequired = "outcome.required"
	RuleTextLength      = "text.length"
)
