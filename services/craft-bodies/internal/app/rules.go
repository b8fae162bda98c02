package app

// Field rules and reasons of this package (ErrorInfo reason, BadRequest
// rule), each catalogued with its Arabic and French message.
const (
	RuleProgrammeExists      = "programme.exists"
	RuleProgrammeSameChamber = "programme.same_chamber"
	RuleReasonRequired       = "reason.required"
)
