package awareness

// Field rules and reasons of this package (ErrorInfo reason, BadRequest
// rule), each catalogued with its Arabic and French message.
const (
	ReasonEventAlreadyLinked = "EVENT_ALREADY_LINKED"
	RuleCapacityNonNegative  = "capacity.non_negative"
)
