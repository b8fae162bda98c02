package cooperative

// Error reasons and field rules of cooperatives.
// Their Arabic and French messages are in the registry's catalogue
// (ports/grpcport/catalog.go).
const (
	// RuleCapitalMinimum: the share capital is below the legal minimum.
	RuleCapitalMinimum = "capital.minimum"
	// RuleShareValueMinimum: a share is worth less than the legal minimum.
	RuleShareValueMinimum = "share_value.minimum"
	// RuleCapitalWholeShares: the capital is not a whole number of shares.
	RuleCapitalWholeShares = "capital.whole_shares"
	// RuleMembersMinimum: fewer members than the law requires.
	RuleMembersMinimum = "members.minimum"
	// ReasonRegistrationIncomplete: registration lacks required particulars.
	ReasonRegistrationIncomplete = "REGISTRATION_INCOMPLETE"
)
