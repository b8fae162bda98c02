package constitutive

// Field rules and reasons of this package (ErrorInfo reason, BadRequest
// rule), each catalogued with its Arabic and French message.
const (
	RuleChoiceKnown       = "choice.known"
	RuleDateAfterPrevious = "date.after_previous"
	RuleRollMember        = "roll.member"
	RuleVenueRequired     = "venue.required"
)
